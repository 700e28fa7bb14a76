-- The readings ready to load: each building's use per hour in the energy type's own unit.
-- An incomplete hour is never loaded: inside a series it refuses the file (meter_checks),
-- at either end it is left out and said (meter_notes): the next file completes it.
select h.building_id, h.building, h.scope_code, h.hour, h.energy_type, h.quantity, u.unit
from hourly h
join unit_base u using (energy_type)
where h.complete
order by h.hour  -- in time order, so later loads and sums skip blocks by hour
