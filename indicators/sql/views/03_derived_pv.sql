-- pv_new (connected since the start of the year) and pv_capacity (connected by the end
-- of the period) from the PV register, by month, quarter and year. Periods after the
-- month of the latest connection are not emitted.
with installs as (
    select * from pv_installations
),
-- A cell with no rows still comes from the register: it carries the register's provenance.
register as (
    select bool_or(is_demo) as is_demo, string_agg(distinct source, '；') as source
    from installs
),
data_through as (
    select max(grid_connected_on) as through_on from installs
),
years as (
    select distinct year(grid_connected_on) as year from installs
),
scopes_in as (
    select scope_code from scopes where kind <> 'district'
),
grid as (
    select s.scope_code, y.year, p.period, p.end_month
    from scopes_in s cross join years y cross join periods p, data_through d
    where y.year < year(d.through_on)
       or (y.year = year(d.through_on)
           and p.end_month <= case when p.period_kind = 'quarter' or p.period = 'Y'
                                   then ceil(month(d.through_on) / 3.0) * 3
                                   else month(d.through_on) end)
),
per_scope as (
    select
        g.scope_code, g.year, g.period,
        coalesce(sum(i.capacity_kw) filter (where year(i.grid_connected_on) = g.year), 0)
            as new_kw,
        coalesce(sum(i.capacity_kw), 0) as cumulative_kw,
        coalesce(bool_or(i.is_demo), any_value(r.is_demo)) as is_demo,
        coalesce(string_agg(distinct i.source, '；'), any_value(r.source)) as source
    from grid g
    cross join register r
    left join installs i
        on i.scope_code = g.scope_code
       and i.grid_connected_on < make_date(g.year, g.end_month, 1) + interval 1 month
    group by all
),
with_district as (
    select * from per_scope
    union all
    select 'district', year, period, sum(new_kw), sum(cumulative_kw),
           bool_or(is_demo), string_agg(distinct source, '；')
    from per_scope group by year, period
),
dated as (
    select w.*, d.through_on as as_of,
           case when w.year < year(d.through_on) then 'final' else 'preliminary' end
               as data_status
    from with_district w, data_through d
),
final as (
    select scope_code, 'pv_new' as indicator_id, '' as breakdown, year, period,
           new_kw as value, is_demo, source, as_of, data_status
    from dated
    union all
    select scope_code, 'pv_capacity', '', year, period, cumulative_kw, is_demo, source, as_of, data_status
    from dated
)
select * from final
