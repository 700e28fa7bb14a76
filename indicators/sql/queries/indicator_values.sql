-- Indicator values as the pages and `show` display them; every filter optional.
with values_in as (
    select * from indicator_mart
    where ($indicator_id is null or indicator_id = $indicator_id)
      and ($scope_code is null or scope_code = $scope_code)
      and ($year_from is null or year >= $year_from)
      and ($year_to is null or year <= $year_to)
      and ($period is null or period = $period)
      and ($periods is null or list_contains($periods, period))
),
final as (
    select v.*, s.sort_order as scope_order, s.kind as scope_kind, s.focus as scope_focus
    from values_in v
    join scopes s using (scope_code)
)
select * from final
order by indicator_id, scope_order, breakdown, year, period
