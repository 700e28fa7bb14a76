-- Readings about to be replaced are kept, so rolling this load back restores them.
insert into energy_readings_replaced
select e.*, $batch_id as replaced_by
from energy_readings e
join compared c using (building_id, hour, energy_type)
where e.hour between $first and $last and c.state in ('demo', 'conflict')
