-- Indicators from the registers, for every scope (groups and the district count the
-- records under them), dated by the latest record in the register (a year before that
-- record's year is final).
with parts as (
    select * from register_funded
    union all by name
    select * from register_pv
),
final as (
    select scope_code, indicator_id, breakdown, year, period, value, is_demo, source,
           -- as of the period's end, or the latest record for the period still running
           least(through_on, last_day(make_date(year, end_month, 1))) as as_of,
           case when year < year(through_on) then 'final' else 'preliminary' end
               as data_status,
           missing_parts  -- parts of a sum left out as unknown (02_register_funded)
    from parts
    join periods using (period)
)
select * from final
