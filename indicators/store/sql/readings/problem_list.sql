-- The problems to show, in row order, and how many there are in all.
select *, count(*) over () as total
from problems
order by excel_row, column_id
limit $limit
