-- What loads but is said: register rollovers and resets, incomplete hours at either end
-- of a building's series (left out), and ids made from a building's name.
select excel_row, event as key, detail from intervals where event is not null
union all
select excel_row, 'hour_edge', intervals::varchar
from hourly where not complete and at_end
union all
select min(excel_row), 'building_id_made', building_id
from parsed where made_id group by building_id
order by excel_row
limit $limit
