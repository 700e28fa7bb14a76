-- Indicators from the registers: each 街镇's values, the district as their sum, dated by
-- the latest record in the register (a year before that record's year is final).
with parts as (
    select * from register_funded
    union all by name
    select * from register_pv
),
district as (
    select 'district' as scope_code, indicator_id, breakdown, year, period,
           sum(value) as value, bool_or(is_demo) as is_demo,
           string_agg(distinct source, '；') as source, max(through_on) as through_on
    from parts
    group by indicator_id, breakdown, year, period
),
final as (
    select scope_code, indicator_id, breakdown, year, period, value, is_demo, source,
           -- as of the period's end, or the latest record for the period still running
           least(through_on, last_day(make_date(year, end_month, 1))) as as_of,
           case when year < year(through_on) then 'final' else 'preliminary' end
               as data_status
    from (select * from parts union all by name select * from district)
    join periods using (period)
)
select * from final
