-- The readings as each building's use per hour, in the energy type's own unit.
-- A file of quantities: each row is the use of the interval its time starts (step
-- minutes), summed to the hour. A file of cumulative registers: the use of an interval is
-- the difference of two readings, on the interval the earlier one starts; a reading below
-- the one before is a rollover (the meter wrapped past 99…9, both near its ends) or a
-- reset (a new meter, counted from zero), each said. `intervals` is kept for the checks.
create temp table intervals as
with rows as (
    select *,
        lag(register) over w as previous,
        lag(hour) over w as previous_hour,
        power(10, ceil(log10(greatest(lag(register) over w, 0) + 1))) as wrap
    from parsed
    where not is_summary
    window w as (partition by building_id, energy_type order by hour)
)
select building_id, building, scope_code, energy_type, excel_row, hour as start,
       quantity * unit_factor as quantity, null as event, null as detail
from rows where $mode = 'quantity'
union all
select building_id, building, scope_code, energy_type, excel_row, previous_hour,
       unit_factor * case
           when register >= previous then register - previous
           when previous >= $rollover * wrap and register < (1 - $rollover) * wrap
               then wrap - previous + register
           else register
       end,
       case
           when register >= previous then null
           when previous >= $rollover * wrap and register < (1 - $rollover) * wrap then 'register_rollover'
           else 'register_reset'
       end,
       previous::varchar
from rows where $mode = 'register' and previous is not null;
