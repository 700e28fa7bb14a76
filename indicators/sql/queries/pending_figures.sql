-- Each figure awaiting the district's review ($batch_id: one submission's; null: all), with
-- who sent it and the note confirming it, the public figure it would replace and the
-- public figure of the same period last year (as the pages show them).
with pending as (
    select * from pending_observations
    where $batch_id is null or batch_id = $batch_id
),
final as (
    select p.scope_code, p.indicator_id, p.breakdown, p.year, p.period, p.value, p.batch_id,
           b.editor, b.loaded_at, b.note as confirm_note,
           m.value as replaced_value, m.is_demo as replaced_is_demo,
           ly.value as last_year_value, ly.is_demo as last_year_is_demo
    from pending p
    join load_batches b using (batch_id)
    left join indicator_mart m
        on m.scope_code = p.scope_code and m.indicator_id = p.indicator_id
       and m.breakdown = p.breakdown and m.year = p.year and m.period = p.period
    left join indicator_mart ly
        on ly.scope_code = p.scope_code and ly.indicator_id = p.indicator_id
       and ly.breakdown = p.breakdown and ly.year = p.year - 1 and ly.period = p.period
)
select * from final
order by batch_id, scope_code, indicator_id, breakdown, year, period
