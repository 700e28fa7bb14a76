-- A year's plans to date (序时计划), as decomposition.check holds them against their targets.
select indicator_id, scope_code, year, period, plan_value, batch_id
from target_plans
where year = $year
order by indicator_id, scope_code, period
