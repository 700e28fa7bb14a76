insert into load_batches (kind, editor, file_name, file_hash, row_count, note)
values ($kind, $editor, $file_name, $file_hash, $row_count, $note)
returning batch_id
