-- Groups (双桥双新泾, 其他街镇, 全区) as the sum of their members for the additive indicators
-- loaded as observations (energy, GDP, CO2, communities). A member's own reported figure
-- stands for it where there is one (其他街镇 reported as a whole counts as reported), else
-- its members' figures do. A group gets a value only when every scope it comes down to
-- has one: a sum with a 街镇 missing would understate the total.
with recursive reported as (
    select o.*
    from observations o
    join indicator_catalogue c using (indicator_id)
    where c.additive and c.formula = 'reported' and o.value is not null
),
keys as (
    select distinct indicator_id, breakdown, year, period from reported
),
edges as (
    select parent_code as group_code, scope_code as member_code
    from scopes
    where parent_code is not null
),
-- What each group comes down to for each figure: its members, and the members of any
-- member that has no figure of its own.
frontier(group_code, node, indicator_id, breakdown, year, period) as (
    select e.group_code, e.member_code, k.indicator_id, k.breakdown, k.year, k.period
    from edges e cross join keys k
    union all
    select f.group_code, e.member_code, f.indicator_id, f.breakdown, f.year, f.period
    from frontier f
    join edges e on e.group_code = f.node
    where not exists (
        select 1 from reported r
        where r.scope_code = f.node and r.indicator_id = f.indicator_id
          and r.breakdown = f.breakdown and r.year = f.year and r.period = f.period
    )
),
terminal as (
    select f.group_code, f.indicator_id, f.breakdown, f.year, f.period,
           r.value, r.is_demo, r.source, r.as_of, r.data_status
    from frontier f
    left join reported r
      on r.scope_code = f.node and r.indicator_id = f.indicator_id
     and r.breakdown = f.breakdown and r.year = f.year and r.period = f.period
    where r.scope_code is not null
       or not exists (select 1 from edges e where e.group_code = f.node)
),
final as (
    select group_code as scope_code, indicator_id, breakdown, year, period,
           sum(value) as value,
           bool_or(is_demo) as is_demo,
           string_agg(distinct source, '；' order by source) as source,
           max(as_of) as as_of,
           case when bool_and(data_status = 'final') then 'final' else 'preliminary' end
               as data_status
    from terminal
    group by group_code, indicator_id, breakdown, year, period
    having count(value) = count(*)
)
select * from final
