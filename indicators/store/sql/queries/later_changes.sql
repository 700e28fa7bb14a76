-- Changes made after a batch by batches still in force, to the same rows.
select l.batch_id, l.table_name, l.key_json
from change_log l
join load_batches b using (batch_id)
where l.batch_id > $batch_id
  and coalesce(b.status, 'loaded') = 'loaded'
  and b.kind <> 'rollback'  -- a rollback restores rows; it does not pin them
  and (l.table_name, l.key_json) in (
      select table_name, key_json from change_log where batch_id = $batch_id
  )
