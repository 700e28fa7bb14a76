-- The latest load batch so far: a write's own batches come after it.
-- (0 with no batch yet: batch ids start at 1, so every batch comes after it)
select coalesce(max(batch_id), 0) from load_batches
