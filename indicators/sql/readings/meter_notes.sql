-- What loads but is said: register rollovers and resets, incomplete hours at either end
-- of a building's series (left out), and ids made from a building's name.
with edges as (
    select building_id, energy_type, min(hour) as first, max(hour) as last
    from hourly group by building_id, energy_type
)
select excel_row, event as key, detail from intervals where event is not null
union all
select h.excel_row, 'hour_edge', h.intervals::varchar
from hourly h join edges e using (building_id, energy_type)
where h.intervals < 60 // $step and (h.hour = e.first or h.hour = e.last)
union all
select min(excel_row), 'building_id_made', building_id
from parsed where made_id group by building_id
order by excel_row
limit $limit
