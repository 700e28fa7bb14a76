-- Each 街镇's GDP to weight its intensity targets by: its GDP target for the year where it
-- has one, else its latest whole-year GDP up to that year.
with planned as (
    select scope_code, target_value as weight, 0 as rank
    from targets
    where indicator_id = 'gdp' and year = $year
),
reported as (
    select scope_code, value as weight, $year - year + 1 as rank
    from observations
    where indicator_id = 'gdp' and period = 'Y' and breakdown = '' and year <= $year
      and value is not null
),
final as (
    select scope_code, arg_min(weight, rank) as weight
    from (select * from planned union all select * from reported)
    group by scope_code
)
select * from final
