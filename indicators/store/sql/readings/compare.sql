-- The incoming readings next to those already loaded with the same building, hour and
-- energy type: new, replacing illustrative ones, unchanged, or a conflict (a different
-- quantity). The hour range lets DuckDB skip blocks of older readings.
create or replace temp table compared as
select
    i.*,
    e.quantity as old_quantity,
    case
        when e.quantity is null then 'new'
        when e.is_demo then 'demo'
        when abs(i.quantity - e.quantity) <= 1e-9 * greatest(abs(e.quantity), 1) then 'unchanged'
        else 'conflict'
    end as state
from incoming i
left join (
    select building_id, hour, energy_type, quantity, is_demo
    from energy_readings
    where hour between $first and $last
) e using (building_id, hour, energy_type)
