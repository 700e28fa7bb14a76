-- The years and periods that hold any value, newest first.
select year, period, count(*) as n_values, bool_or(is_demo) as has_demo
from indicator_mart
where value is not null
group by year, period
order by year desc, period
