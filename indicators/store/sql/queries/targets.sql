-- Targets, optionally for one indicator and scope.
select *
from targets
where ($indicator_id is null or indicator_id = $indicator_id)
  and ($scope_code is null or scope_code = $scope_code)
order by indicator_id, scope_code, year
