-- Every load batch, newest first, with how many rows it changed.
with changes as (
    select batch_id, count(*) as n_changes from change_log group by batch_id
),
final as (
    -- a batch with no change logged changed no row: zero is true
    select b.*, coalesce(c.n_changes, 0) as n_changes
    from load_batches b
    left join changes c using (batch_id)
)
select * from final
order by batch_id desc
