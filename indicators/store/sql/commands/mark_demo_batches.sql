-- The built-in example's reporting round is illustrative: its batches say so, and
-- `demo remove` takes their reviews away.
update load_batches set is_demo = true where list_contains($batches, batch_id)
