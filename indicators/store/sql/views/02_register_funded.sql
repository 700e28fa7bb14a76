-- funded_projects and funded_amount from the project register, for each 街镇, group and
-- the district. Year to date uses the approval date; a project without one counts only in
-- the whole year (so Q4 and Y agree). The month of the latest approval is taken as
-- complete and no period ending after it is emitted: an unfinished quarter or year never
-- shows as finished.
with projects as (
    select * from funded_projects
),
-- A cell with no rows still comes from the register: it carries the register's provenance.
register as (
    select bool_or(is_demo) as is_demo,
           string_agg(distinct source, '；' order by source) as source
    from projects
),
data_through as (
    select max(approved_on) as through_on from projects
),
year_quarters as (
    select * from periods where period_kind in ('year', 'quarter')
),
years as (
    select distinct year from projects
),
-- Every scope: a group (and the district) counts the records of every scope under it.
scopes_in as (
    select scope_code from scopes
),
grid as (
    select s.scope_code, y.year, p.period, p.end_month
    from scopes_in s cross join years y cross join year_quarters p, data_through d
    where d.through_on is null
       or y.year < year(d.through_on)
       or (y.year = year(d.through_on) and p.end_month <= month(d.through_on))
),
per_scope as (
    select
        g.scope_code, g.year, g.period,
        count(pr.project_id) as n_projects,
        -- No project in the cell: no money was granted, so zero is true. Projects whose
        -- amounts are all unknown: the sum is unknown, never zero. Some unknown: the sum
        -- of the known, with how many are missing said beside it (missing_parts).
        case when count(pr.project_id) = 0 then 0
             else sum(pr.amount_10k_yuan) end as amount_10k_yuan,
        count(pr.project_id) - count(pr.amount_10k_yuan) as amount_missing,
        coalesce(bool_or(pr.is_demo), any_value(r.is_demo)) as is_demo,
        coalesce(string_agg(distinct pr.source, '；' order by pr.source), any_value(r.source))
            as source
    from grid g
    cross join register r
    join scope_tree t on t.ancestor_code = g.scope_code
    left join projects pr
        on pr.scope_code = t.scope_code
       and pr.year = g.year
       and (g.end_month = 12 or month(pr.approved_on) <= g.end_month)
    group by all
),
final as (
    select p.scope_code, 'funded_projects' as indicator_id, '' as breakdown, p.year, p.period,
           p.n_projects::double as value, p.is_demo, p.source, d.through_on,
           0 as missing_parts
    from per_scope p, data_through d
    union all
    select p.scope_code, 'funded_amount', '', p.year, p.period, p.amount_10k_yuan, p.is_demo,
           p.source, d.through_on, p.amount_missing
    from per_scope p, data_through d
)
select * from final
