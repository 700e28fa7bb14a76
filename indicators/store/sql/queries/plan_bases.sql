-- Each scope's whole-year totals in a plan's base year, to weight (an intensity's fall) or
-- add up (a capped total) the 街镇's plan targets by: decomposition.check_plan.
with totals as (
    select indicator_id, scope_code, value
    from indicator_mart
    where breakdown = '' and period = 'Y' and year = $base_year and value is not null
),
final as (
    select * from totals
)
select * from final
