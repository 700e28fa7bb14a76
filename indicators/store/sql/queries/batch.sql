select * from load_batches where batch_id = $batch_id
