-- A five-year plan's cumulative targets (percent of the base year), as the 目标分解 grid
-- shows them and decomposition.check_plan checks them.
select indicator_id, scope_code, target_value, source, is_demo
from plan_targets
where plan_id = $plan_id
order by indicator_id, scope_code
