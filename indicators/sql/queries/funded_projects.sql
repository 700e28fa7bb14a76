-- The funded-project register with optional filters.
select p.*, s.sort_order as scope_order
from funded_projects p
join scopes s using (scope_code)
where ($scope_code is null or p.scope_code = $scope_code or $scope_code = 'district')
  and ($year is null or p.year = $year)
  and ($category is null or p.category = $category)
  and ($fund is null or p.fund = $fund)
order by p.year desc, s.sort_order, p.project_id
