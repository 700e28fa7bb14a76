-- A year's annual targets, as decomposition.check adds them up.
select indicator_id, scope_code, target_value
from targets
where year = $year
