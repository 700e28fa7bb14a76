insert into energy_readings
select building_id, hour, energy_type, quantity, unit, is_demo, batch_id
from energy_readings_replaced
where replaced_by = $batch_id
