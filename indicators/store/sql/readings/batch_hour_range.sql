-- The hours a load touched: its own readings and those it replaced.
select min(hour) as first, max(hour) as last
from (
    select hour from energy_readings where batch_id = $batch_id
    union all
    select hour from energy_readings_replaced where replaced_by = $batch_id
)
