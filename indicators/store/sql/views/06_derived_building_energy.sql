-- building_energy: metered building energy (tce) by 街镇, group and for the district, year
-- to date for every period whose months all have readings (a missing month would
-- understate it); preliminary until the period's last hour is metered.
with months as (
    select t.ancestor_code as scope_code, m.year, m.month, sum(m.tce) as tce,
           bool_or(m.is_demo) as is_demo,
           string_agg(distinct m.source, '；' order by m.source) as source,
           max(m.through) as through
    from building_energy_monthly m
    join scope_tree t on t.scope_code = m.scope_code
    group by t.ancestor_code, m.year, m.month
),
to_date as (
    select m.scope_code, m.year, p.period, p.end_month,
           sum(m.tce) as value, count(*) as months,
           bool_or(m.is_demo) as is_demo,
           string_agg(distinct m.source, '；' order by m.source) as source,
           max(m.through) as through
    from months m
    join periods p on m.month <= p.end_month
    group by m.scope_code, m.year, p.period, p.end_month
),
final as (
    select scope_code, 'building_energy' as indicator_id, '' as breakdown, year, period, value,
           is_demo, source,
           least(through::date, last_day(make_date(year, end_month, 1))) as as_of,
           case when through >= last_day(make_date(year, end_month, 1)) + interval 23 hour
                then 'final' else 'preliminary' end as data_status
    from to_date
    where months = end_month
)
select * from final
