-- Indicator values as the pages and `show` display them; every filter optional. The public
-- mart by default; with $with_pending, the picture were every submission awaiting review
-- approved (含待审核), each figure that differs marked `pending` with the public figure it
-- would replace. `review`: pending | approved (a 街镇's submission the district accepted) |
-- null (the district's own load, or derived from such).
with public_values as (
    select *, null::double as public_value, false as pending from indicator_mart
),
pending_values as (
    select * from indicator_mart_pending where $with_pending
),
chosen as (
    select * from public_values
    anti join pending_values using (scope_code, indicator_id, breakdown, year, period)
    union all by name
    select * from pending_values
),
values_in as (
    select * from chosen
    where ($indicator_id is null or indicator_id = $indicator_id)
      and ($scope_code is null or scope_code = $scope_code)
      and ($year_from is null or year >= $year_from)
      and ($year_to is null or year <= $year_to)
      and ($period is null or period = $period)
      and ($periods is null or list_contains($periods, period))
),
final as (
    select v.*,
           case when v.pending then 'pending' when b.review = 'approved' then 'approved' end
               as review,
           s.sort_order as scope_order, s.kind as scope_kind, s.focus as scope_focus
    from values_in v
    join scopes s using (scope_code)
    left join load_batches b on b.batch_id = v.batch_id
)
select * from final
order by indicator_id, scope_order, breakdown, year, period
