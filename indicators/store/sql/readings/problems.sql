-- Every problem of the parsed readings: row, column id, the value as written, why.
-- step is the file's interval in minutes (60, 30 or 15); mode is 'quantity' (each row an
-- interval's use) or 'register' (each row a cumulative meter reading). A cell's text is
-- made only for the rows a problem names.
create temp table problems as
with rows as (select * from parsed where not is_summary),
keyed as (
    select * from rows
    where building_id is not null and hour is not null and energy_type is not null
),
repeated as (  -- a reading given twice: every row after the first is said
    select building_id, hour, energy_type, min(excel_row) as first_row
    from keyed
    group by building_id, hour, energy_type
    having count(*) > 1
),
split as (  -- a building under two 街镇: each row that differs from its first row's
    select excel_row, scope_code, scope_text,
        first_value(scope_code) over (partition by building_id order by excel_row) as first_scope
    from keyed
    where building_id in (
        select building_id from keyed where scope_code is not null
        group by building_id having count(distinct scope_code) > 1
    )
)
select excel_row, 'building_id' as column_id, '' as value, 'required' as key, null as detail
from rows where building_id is null and building is null
union all
select excel_row, 'scope_code', coalesce(scope_text, ''),
       case when scope_text is null then 'required' else 'unknown_scope' end, null
from rows where scope_code is null
union all
select excel_row, 'scope_code', scope_text, 'scope_not_allowed', null
from rows where scope_code is not null and not list_contains($allowed, scope_code)
union all
select excel_row, 'hour', coalesce(nullif(trim(hour_cell::varchar), ''), ''),
       case when nullif(trim(hour_cell::varchar), '') is null then 'required'
            else 'not_a_datetime' end, null
from rows where hour is null
union all
select excel_row, 'hour', trim(hour_cell::varchar), 'not_on_the_hour', null
from rows where hour is not null
    and (second(hour) <> 0 or microsecond(hour) <> 0 or minute(hour) % $step <> 0)
union all
select excel_row, 'energy_type', coalesce(energy_text, ''),
       case when energy_text is null then 'required' else 'unknown_energy_type' end, null
from rows where energy_type is null
union all
select excel_row, 'quantity', coalesce(nullif(trim(quantity_cell::varchar), ''), ''),
       case when nullif(trim(quantity_cell::varchar), '') is null then 'required'
            else 'not_a_number' end, null
from rows where $mode = 'quantity' and quantity is null
union all
select excel_row, 'register', coalesce(nullif(trim(register_cell::varchar), ''), ''),
       case when nullif(trim(register_cell::varchar), '') is null then 'required'
            else 'not_a_number' end, null
from rows where $mode = 'register' and register is null
union all
select excel_row, 'quantity', trim(quantity_cell::varchar), 'negative', null
from rows where $mode = 'quantity' and quantity < 0
union all
select excel_row, 'register', trim(register_cell::varchar), 'negative', null
from rows where $mode = 'register' and register < 0
union all
select excel_row, 'unit', unit_text, 'unit_no_convert', energy_type
from rows where energy_type is not null and unit_factor is null
union all
select k.excel_row, null, '', 'duplicate_reading', r.first_row::varchar
from keyed k join repeated r using (building_id, hour, energy_type)
where k.excel_row <> r.first_row
union all
select excel_row, 'scope_code', scope_text, 'building_two_scopes', first_scope
from split where scope_code is not null and first_scope is not null and scope_code <> first_scope
