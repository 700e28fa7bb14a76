-- The checks a meter's hours must pass, as rows of `problems` (see problems.sql):
--   an hour with fewer intervals than it has (3 of 4 quarter-hours) inside the series;
--   in a register file, readings further apart than one interval (a gap's use is unknown);
--   an hour above what one commercial building can use (max_tce tce), or far above the
--   building's own typical hour (ratio × its median, over min_hours hours at least);
--   in a quantity file, a column that never falls over min_rows hours: a register.
insert into problems
with tce as (
    select h.*, h.quantity * f.kgce / 1000 as tce
    from hourly h join tce_factor f using (energy_type)
),
typical as (
    select building_id, energy_type, median(quantity) as typical, count(*) as hours
    from hourly group by building_id, energy_type
),
steps as (
    select p.excel_row, p.building_id, p.energy_type, p.hour_cell,
        p.hour - lag(p.hour) over w as gap,
        p.quantity, lag(p.quantity) over w as previous
    from parsed p
    where not p.is_summary and p.hour is not null and p.energy_type is not null
    window w as (partition by p.building_id, p.energy_type order by p.hour)
)
select h.excel_row, 'hour', strftime(h.hour, '%Y-%m-%d %H:%M'), 'hour_incomplete',
       h.intervals::varchar
from hourly h
where not h.complete and not h.at_end
union all
select excel_row, 'hour', trim(hour_cell::varchar), 'register_gap', null
from steps where $mode = 'register' and gap > to_minutes($step)
union all
select excel_row, $value_column, round(quantity, 3)::varchar, 'implausible_hour',
       round(tce, 1)::varchar
from tce where tce > $max_tce
union all
select t.excel_row, $value_column, round(t.quantity, 3)::varchar, 'far_above_typical',
       round(y.typical, 3)::varchar
from tce t join typical y using (building_id, energy_type)
where y.hours >= $min_hours and y.typical > 0 and t.quantity > $ratio * y.typical
    and t.tce > $min_tce and t.tce <= $max_tce
union all
select min(excel_row), 'quantity', '', 'looks_cumulative', count(*)::varchar
from steps
where $mode = 'quantity'
group by building_id, energy_type
having count(*) >= $min_rows
    and count(*) filter (where quantity < previous) = 0
    and count(*) filter (where quantity > previous) >= 0.9 * (count(*) - 1)
