-- Each building's use per hour: its intervals summed (intervals.sql). `complete` says the
-- hour has all its intervals ($step minutes each); `at_end` that it is the first or the
-- last hour of the building's series, where a file may start or stop mid-hour.
create temp table hourly as
with hours as (
    select building_id, any_value(building) as building, any_value(scope_code) as scope_code,
           energy_type, date_trunc('hour', start) as hour, sum(quantity) as quantity,
           count(*) as intervals, min(excel_row) as excel_row
    from intervals
    where $step <> 60
    group by building_id, energy_type, date_trunc('hour', start)
    union all
    -- An hourly file's intervals are its hours already (a repeat or a reading off the
    -- hour refuses it: problems.sql).
    select building_id, building, scope_code, energy_type, start, quantity, 1, excel_row
    from intervals
    where $step = 60
)
select *,
       intervals = 60 // $step as complete,
       hour = min(hour) over w or hour = max(hour) over w as at_end
from hours
window w as (partition by building_id, energy_type);
