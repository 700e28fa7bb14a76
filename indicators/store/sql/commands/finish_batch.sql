update load_batches set row_count = $row_count, counts_json = $counts_json
where batch_id = $batch_id
