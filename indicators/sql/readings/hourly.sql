-- Each building's use per hour: its intervals summed (intervals.sql).
create temp table hourly as
select building_id, any_value(building) as building, any_value(scope_code) as scope_code,
       energy_type, date_trunc('hour', start) as hour, sum(quantity) as quantity,
       count(*) as intervals, min(excel_row) as excel_row
from intervals
group by building_id, energy_type, date_trunc('hour', start);
