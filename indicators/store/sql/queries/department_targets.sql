-- The departments' shares of a year's targets.
select indicator_id, department, target_value, unit, source, is_demo
from department_targets
where year = $year
order by indicator_id, department
