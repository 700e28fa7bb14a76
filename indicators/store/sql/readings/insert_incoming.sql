insert into energy_readings
select building_id, hour, energy_type, quantity, unit, false as is_demo, $batch_id as batch_id
from compared
where state in ('new', 'demo', 'conflict')
order by hour
