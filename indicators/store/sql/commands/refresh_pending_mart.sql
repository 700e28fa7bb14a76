-- The picture with the submissions awaiting review (含待审核): the mart's rows of the
-- touched indicators and years ($ids, $years, mart_touched) from the views in the schema
-- `preview`, kept where they differ from the public mart or come from a pending
-- submission, with the public figure each would replace. Never read by a public page.
create or replace table indicator_mart_pending as
with preview_rows as (
    select v.*
    from preview.indicator_values v
    where list_contains($ids::varchar[], v.indicator_id)
      and ($years is null or list_contains($years::integer[], v.year))
      and exists (
          select 1 from mart_touched t
          where t.indicator_id = v.indicator_id and (t.year is null or t.year = v.year)
      )
),
pending_batches as (
    select batch_id from load_batches where review = 'pending' and status = 'loaded'
),
compared as (
    select p.*, m.value as public_value,
           coalesce(p.batch_id in (select batch_id from pending_batches), false)
               or m.indicator_id is null
               or p.value is distinct from m.value as pending
    from preview_rows p
    left join indicator_mart m using (scope_code, indicator_id, breakdown, year, period)
),
final as (
    select * from compared where pending
)
select * from final
