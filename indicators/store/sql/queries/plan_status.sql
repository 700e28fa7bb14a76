-- Each scope's figures against five-year plan $plan_id at period $period of $year, one row
-- per scope and indicator the plan targets (any scope's target names it): the base year's
-- value of the same period (like for like) and this period's, from the mart (a group's
-- intensity is recomputed there from its totals); the plan's cumulative target (percent of
-- the base); and for the year's own level, the achieved fall on the same period of the year
-- before with its annual target (indicator_change, a % fall) and a total's annual target;
-- whether any of the row's figures or its plan target is illustrative.
with planned as (
    select distinct indicator_id from plan_targets where plan_id = $plan_id
),
cells as (
    select s.scope_code, s.sort_order, p.indicator_id
    from scopes s
    cross join planned p
),
figures as (
    select scope_code, indicator_id, year, value, is_demo
    from indicator_mart
    where breakdown = '' and period = $period and year in ($base_year, $year)
)
select c.scope_code, c.indicator_id,
       base.value as base_value,
       cur.value as value,
       pt.target_value as plan_target,
       chg.value as year_change,
       yt.target_value as year_change_target,
       tt.target_value as year_total_target,
       tt.kind as year_total_kind,
       -- any figure or target of the row illustrative (示例数据): said by the caller
       coalesce(base.is_demo, false) or coalesce(cur.is_demo, false)
           or coalesce(pt.is_demo, false) as illustrative
from cells c
left join figures base
  on base.scope_code = c.scope_code and base.indicator_id = c.indicator_id
 and base.year = $base_year
left join figures cur
  on cur.scope_code = c.scope_code and cur.indicator_id = c.indicator_id and cur.year = $year
left join plan_targets pt
  on pt.plan_id = $plan_id and pt.indicator_id = c.indicator_id and pt.scope_code = c.scope_code
left join figures chg
  on chg.scope_code = c.scope_code and chg.indicator_id = c.indicator_id || '_change'
 and chg.year = $year
left join targets yt
  on yt.scope_code = c.scope_code and yt.indicator_id = c.indicator_id || '_change'
 and yt.year = $year
left join targets tt
  on tt.scope_code = c.scope_code and tt.indicator_id = c.indicator_id and tt.year = $year
order by c.sort_order, c.indicator_id
