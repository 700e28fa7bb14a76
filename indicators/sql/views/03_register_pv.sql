-- pv_new (connected since the start of the year) and pv_capacity (connected by the end
-- of the period) from the PV register, by month, quarter and year. The month of the
-- latest connection is taken as complete; no period ending after it is emitted.
with installs as (
    select * from pv_installations
),
-- A cell with no rows still comes from the register: it carries the register's provenance.
register as (
    select bool_or(is_demo) as is_demo,
           string_agg(distinct source, '；' order by source) as source
    from installs
),
data_through as (
    select max(grid_connected_on) as through_on from installs
),
years as (
    select distinct year(grid_connected_on) as year from installs
),
-- Every scope: a group (and the district) counts the records of every scope under it.
scopes_in as (
    select scope_code from scopes
),
grid as (
    select s.scope_code, y.year, p.period, p.end_month
    from scopes_in s cross join years y cross join periods p, data_through d
    where y.year < year(d.through_on)
       or (y.year = year(d.through_on) and p.end_month <= month(d.through_on))
),
per_scope as (
    select
        g.scope_code, g.year, g.period,
        coalesce(sum(i.capacity_kw) filter (where year(i.grid_connected_on) = g.year), 0)
            as new_kw,
        coalesce(sum(i.capacity_kw), 0) as cumulative_kw,
        coalesce(bool_or(i.is_demo), any_value(r.is_demo)) as is_demo,
        coalesce(string_agg(distinct i.source, '；' order by i.source), any_value(r.source))
            as source
    from grid g
    cross join register r
    join scope_tree t on t.ancestor_code = g.scope_code
    left join installs i
        on i.scope_code = t.scope_code
       and i.grid_connected_on < make_date(g.year, g.end_month, 1) + interval 1 month
    group by all
),
final as (
    select p.scope_code, 'pv_new' as indicator_id, '' as breakdown, p.year, p.period,
           p.new_kw as value, p.is_demo, p.source, d.through_on
    from per_scope p, data_through d
    union all
    select p.scope_code, 'pv_capacity', '', p.year, p.period, p.cumulative_kw, p.is_demo,
           p.source, d.through_on
    from per_scope p, data_through d
)
select * from final
