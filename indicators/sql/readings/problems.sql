-- Every problem of the parsed readings: row, column id, the value as written, why.
-- step is the file's interval in minutes (60, 30 or 15); mode is 'quantity' (each row an
-- interval's use) or 'register' (each row a cumulative meter reading).
create temp table problems as
with rows as (select * from parsed where not is_summary),
firsts as (
    select *,
        min(excel_row) over (partition by building_id, hour, energy_type) as first_row,
        first_value(scope_code) over (partition by building_id order by excel_row) as first_scope
    from rows
    where building_id is not null and hour is not null and energy_type is not null
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
select excel_row, 'hour', coalesce(hour_text, ''),
       case when hour_text is null then 'required' else 'not_a_datetime' end, null
from rows where hour is null
union all
select excel_row, 'hour', hour_text, 'not_on_the_hour', null
from rows where hour is not null
    and (second(hour) <> 0 or microsecond(hour) <> 0 or minute(hour) % $step <> 0)
union all
select excel_row, 'energy_type', coalesce(energy_text, ''),
       case when energy_text is null then 'required' else 'unknown_energy_type' end, null
from rows where energy_type is null
union all
select excel_row, 'quantity', coalesce(quantity_text, ''),
       case when quantity_text is null then 'required' else 'not_a_number' end, null
from rows where $mode = 'quantity' and quantity is null
union all
select excel_row, 'register', coalesce(register_text, ''),
       case when register_text is null then 'required' else 'not_a_number' end, null
from rows where $mode = 'register' and register is null
union all
select excel_row, 'quantity', quantity_text, 'negative', null
from rows where $mode = 'quantity' and quantity < 0
union all
select excel_row, 'register', register_text, 'negative', null
from rows where $mode = 'register' and register < 0
union all
select excel_row, 'unit', unit_text, 'unit_no_convert', energy_type
from rows where energy_type is not null and unit_factor is null
union all
select excel_row, null, '', 'duplicate_reading', first_row::varchar
from firsts where excel_row <> first_row
union all
select excel_row, 'scope_code', scope_text, 'building_two_scopes', first_scope
from firsts where scope_code is not null and first_scope is not null and scope_code <> first_scope
