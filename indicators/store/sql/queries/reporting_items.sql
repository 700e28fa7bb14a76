-- Where each 街镇's reported figures of one year and period stand, as reporting.item_state
-- reads them: the figure in force (a pending submission's before the public one: final or
-- not, illustrative or not, and the load that put it there) and the latest upload that
-- reported it, with the district's review.
with in_force as (
    -- each item's rows, a pending submission's in place of the public ones it would replace
    select *
    from (
        select *, false as pending from observations
        union all by name
        select *, true as pending from pending_observations
    )
    where year = $year and period = $period and value is not null
    qualify pending = max(pending) over (partition by scope_code, indicator_id)
),
current_figures as (
    select scope_code, indicator_id,
           bool_and(data_status = 'final') as final,  -- a pending figure is 初步
           bool_or(is_demo) as is_demo,
           max(batch_id) as row_batch,
           max(value) filter (where breakdown = '') as value
    from in_force
    group by scope_code, indicator_id
),
uploads as (
    select json_extract_string(c.key_json, '$.scope_code') as scope_code,
           json_extract_string(c.key_json, '$.indicator_id') as indicator_id,
           max(c.batch_id) as last_batch
    from change_log c
    join load_batches b using (batch_id)
    where c.table_name in ('observations', 'pending_observations') and b.kind = 'observations'
      and json_extract_string(c.key_json, '$.year') = $year::varchar
      and json_extract_string(c.key_json, '$.period') = $period
    group by all
),
final as (
    select coalesce(f.scope_code, u.scope_code) as scope_code,
           coalesce(f.indicator_id, u.indicator_id) as indicator_id,
           f.scope_code is not null as present,
           f.final,
           f.is_demo,
           f.value,
           rb.editor as row_editor,
           rb.loaded_at as row_at,
           lb.review as last_review,
           lb.editor as last_editor,
           lb.loaded_at as last_at,
           lb.review_reason as last_reason
    from current_figures f
    full join uploads u using (scope_code, indicator_id)
    left join load_batches rb on rb.batch_id = f.row_batch
    left join load_batches lb on lb.batch_id = u.last_batch
)
select * from final
