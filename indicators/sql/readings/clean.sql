-- The readings ready to load: quantities in the energy type's own unit.
select
    p.building_id, p.building, p.scope_code, p.hour, p.energy_type,
    p.quantity * p.unit_factor as quantity, u.unit
from parsed p
join unit_base u on u.energy_type = p.energy_type
where not p.is_summary
order by p.hour  -- in time order, so later loads and sums skip blocks by hour
