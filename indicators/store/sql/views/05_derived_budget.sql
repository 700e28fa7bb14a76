-- lowcarbon_budget (district, whole year) from the budget lines, and budget_growth on
-- the previous year where that year has a non-zero budget.
with lines as (
    select * from budget_lines
),
per_year as (
    select year, sum(amount_10k_yuan) as amount_10k_yuan,
           bool_or(is_demo) as is_demo, string_agg(distinct source, '；' order by source) as source
    from lines group by year
),
growth as (
    select cur.year,
           (cur.amount_10k_yuan / prev.amount_10k_yuan - 1) * 100 as value,
           cur.is_demo or prev.is_demo as is_demo,
           cur.source
    from per_year cur
    join per_year prev on prev.year = cur.year - 1
    where prev.amount_10k_yuan <> 0
),
final as (
    select 'district' as scope_code, 'lowcarbon_budget' as indicator_id, '' as breakdown,
           year, 'Y' as period, amount_10k_yuan as value, is_demo, source
    from per_year
    union all
    select 'district', 'budget_growth', '', year, 'Y', value, is_demo, source
    from growth
)
select * from final
