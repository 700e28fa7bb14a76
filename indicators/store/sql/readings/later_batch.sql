-- A later load still in force that depends on this one: it replaced readings of this
-- load, or it has readings of a building this load registered.
select min(later) as later
from (
    select r.replaced_by as later
    from energy_readings_replaced r
    join load_batches b on b.batch_id = r.replaced_by
    where r.batch_id = $batch_id and b.status = 'loaded'
    union all
    select e.batch_id
    from change_log c
    join energy_readings e
      on e.building_id = json_extract_string(c.key_json, '$.building_id')
    where c.batch_id = $batch_id and c.table_name = 'buildings' and c.action = 'insert'
      and e.batch_id <> $batch_id
)
