delete from energy_readings e
using compared c
where e.hour between $first and $last
  and e.building_id = c.building_id and e.hour = c.hour and e.energy_type = c.energy_type
  and c.state in ('demo', 'conflict')
