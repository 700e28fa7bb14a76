-- The example's figure left unreported in its reporting round (store._illustrative_round).
delete from observations
where scope_code = $scope and indicator_id = $indicator and year = $year and period = $period
  and is_demo
