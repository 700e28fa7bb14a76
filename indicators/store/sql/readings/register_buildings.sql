-- The buildings register as a meter export without a 街镇 column is placed by: each
-- building's id, name and 街镇 (illustrative buildings place no real reading).
select building_id, name, scope_code
from buildings
where not is_demo
