-- Intensities from totals (energy or CO2 over GDP at comparable prices) and their fall on
-- the same period of the previous year: (1 - this / last) * 100. A group's intensity is
-- recomputed from its totals (its energy over its GDP), never summed or averaged.
with observed as (
    select * from observations where breakdown = ''
),
group_sums as (
    select g.*
    from derived_groups g
    anti join observed o using (scope_code, indicator_id, year, period)
    where g.breakdown = ''
),
reported as (
    select * from observed
    union all by name
    select * from group_sums
),
pairs as (
    select num.scope_code, num.year, num.period,
           case num.indicator_id when 'energy_total' then 'energy_per_gdp'
                                 else 'co2_per_gdp' end as indicator_id,
           num.value / gdp.value as value,
           num.is_demo or gdp.is_demo as is_demo,
           case when num.source = gdp.source then num.source
                else num.source || '；' || gdp.source end as source,
           greatest(num.as_of, gdp.as_of) as as_of,
           case when num.data_status = 'final' and gdp.data_status = 'final'
                then 'final' else 'preliminary' end as data_status
    from reported num
    join reported gdp
      on gdp.indicator_id = 'gdp'
     and gdp.scope_code = num.scope_code
     and gdp.year = num.year
     and gdp.period = num.period
    where num.indicator_id in ('energy_total', 'co2_total')
      and gdp.value > 0
),
changes as (
    select cur.scope_code, cur.year, cur.period,
           cur.indicator_id || '_change' as indicator_id,
           (1 - cur.value / prev.value) * 100 as value,
           cur.is_demo or prev.is_demo as is_demo,
           cur.source, cur.as_of, cur.data_status
    from pairs cur
    join pairs prev
      on prev.indicator_id = cur.indicator_id
     and prev.scope_code = cur.scope_code
     and prev.period = cur.period
     and prev.year = cur.year - 1
    where prev.value > 0
),
final as (
    select scope_code, indicator_id, '' as breakdown, year, period, value, is_demo,
           source, as_of, data_status
    from pairs
    union all
    select scope_code, indicator_id, '', year, period, value, is_demo, source, as_of,
           data_status
    from changes
)
select * from final
