-- Every period code with the last month it covers: Y and Q4 cover the whole year,
-- Q1-Q3 and M01-M12 are year to date.
with quarters as (
    select 'Q' || q as period, 'quarter' as period_kind, q * 3 as end_month
    from range(1, 5) as t(q)
),
months as (
    select 'M' || lpad(m::varchar, 2, '0') as period, 'month' as period_kind, m as end_month
    from range(1, 13) as t(m)
),
final as (
    select 'Y' as period, 'year' as period_kind, 12 as end_month
    union all select * from quarters
    union all select * from months
)
select * from final
