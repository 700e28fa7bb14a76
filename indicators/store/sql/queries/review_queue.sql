-- Submissions awaiting the district's review, oldest first: who sent them, when, and the
-- 街镇, indicators and periods they report. One whose figures a later load all replaced
-- (the 街镇 sent a corrected one) has nothing left to review.
with items as (
    select batch_id,
           string_agg(distinct scope_code, ',' order by scope_code) as scope_codes,
           string_agg(distinct indicator_id, ',' order by indicator_id) as indicator_ids,
           string_agg(distinct year || ' ' || period, ',' order by year || ' ' || period)
               as periods,
           count(*) as figures
    from pending_observations
    group by batch_id
),
final as (
    select b.batch_id, b.editor, b.loaded_at, b.file_name, i.scope_codes, i.indicator_ids,
           i.periods, i.figures
    from load_batches b
    join items i using (batch_id)
    where b.review = 'pending' and b.status = 'loaded'
)
select * from final
order by batch_id
