-- A new load batch; ids count up from the largest so far (one writer at a time; the
-- first is 1).
insert into load_batches (batch_id, kind, editor, os_user, file_name, file_hash, row_count, note)
select coalesce(max(batch_id), 0) + 1, $kind, $editor, $os_user, $file_name, $file_hash,
       $row_count, $note
from load_batches
returning batch_id
