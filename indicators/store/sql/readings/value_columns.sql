-- How many rows give a use, and how many a cumulative register reading (a cell that is
-- not a number counts too: it is said as such).
select
    count(case when quantity is not null then 1
               when nullif(trim(quantity_cell::varchar), '') is not null then 1 end) as uses,
    count(case when register is not null then 1
               when nullif(trim(register_cell::varchar), '') is not null then 1 end) as registers
from parsed where not is_summary
