-- The first readings that differ from those loaded, for the editor to look at.
select 'energy_readings' as "table", building_id, hour, energy_type,
       old_quantity as old_value, quantity as new_value, 'quantity' as changed
from compared
where state = 'conflict'
order by hour, building_id, energy_type
limit $limit
