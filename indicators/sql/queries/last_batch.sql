-- The latest load batch so far: a write's own batches come after it.
select coalesce(max(batch_id), 0) from load_batches
