-- The example's figure awaiting review is illustrative (示例数据) like the rest of the example.
update pending_observations set is_demo = true, source = $source
where list_contains($batches, batch_id)
