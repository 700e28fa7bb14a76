-- Each figure awaiting the district's review ($batch_id: one submission's; null: all), with
-- who sent it and the note confirming it (what it is judged against: queries/plausibility_refs).
with pending as (
    select * from pending_observations
    where $batch_id is null or batch_id = $batch_id
),
final as (
    select p.scope_code, p.indicator_id, p.breakdown, p.year, p.period, p.value, p.batch_id,
           b.editor, b.loaded_at, b.note as confirm_note
    from pending p
    join load_batches b using (batch_id)
)
select * from final
order by batch_id, scope_code, indicator_id, breakdown, year, period
