-- A year's annual targets, as decomposition.check adds them up and checks their plans.
select indicator_id, scope_code, year, target_value, kind
from targets
where year = $year
