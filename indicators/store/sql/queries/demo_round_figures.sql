-- The figures of the example's reporting round, which its illustrative submissions revise.
select scope_code, indicator_id, value from observations
where year = $year and period = $period and breakdown = ''
