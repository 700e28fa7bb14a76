-- The 街镇 whose readings a load changed.
select distinct b.scope_code
from (
    select building_id from energy_readings where batch_id = $batch_id
    union all
    select building_id from energy_readings_replaced where replaced_by = $batch_id
) r
join buildings b using (building_id)
