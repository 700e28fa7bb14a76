-- The readings ready to load: each building's use per hour in the energy type's own unit.
-- An hour at either end of a building's series with fewer intervals than it has is left
-- out (said in the notes: the next file completes it).
with edges as (
    select building_id, energy_type, min(hour) as first, max(hour) as last
    from hourly group by building_id, energy_type
)
select h.building_id, h.building, h.scope_code, h.hour, h.energy_type, h.quantity, u.unit
from hourly h
join unit_base u using (energy_type)
where h.intervals = 60 // $step
order by h.hour  -- in time order, so later loads and sums skip blocks by hour
