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
-- The register summed once by scope (each 街镇 and every group above it) and month: a
-- period's figure adds up months, instead of joining every site to every period end.
months as (
    select t.ancestor_code as scope_code, year(i.grid_connected_on) as year,
           month(i.grid_connected_on) as month, sum(i.capacity_kw) as kw,
           bool_or(i.is_demo) as is_demo, list(distinct i.source) as sources
    from installs i
    join scope_tree t on t.scope_code = i.scope_code
    group by all
),
per_scope as (
    select
        g.scope_code, g.year, g.period,
        -- capacity_kw is required on every site (intake.yaml), so a period with no site
        -- connected is truly zero kW, not an unknown
        coalesce(sum(m.kw) filter (where m.year = g.year), 0) as new_kw,
        coalesce(sum(m.kw), 0) as cumulative_kw,
        coalesce(bool_or(m.is_demo), any_value(r.is_demo)) as is_demo,
        case when count(m.scope_code) = 0 then any_value(r.source)
             else array_to_string(list_sort(list_distinct(flatten(list(m.sources)))), '；')
        end as source
    from grid g
    cross join register r
    left join months m
        on m.scope_code = g.scope_code
       and (m.year < g.year or (m.year = g.year and m.month <= g.end_month))
    group by g.scope_code, g.year, g.period
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
