-- The funded-project register with optional filters; a group's scope takes the records of
-- every scope under it.
select p.*, s.sort_order as scope_order
from funded_projects p
join scopes s using (scope_code)
where ($scope_code is null
       or p.scope_code in (select scope_code from scope_tree where ancestor_code = $scope_code))
  and ($year is null or p.year = $year)
  and ($category is null or p.category = $category)
  and ($fund is null or p.fund = $fund)
order by p.year desc, s.sort_order, p.project_id
