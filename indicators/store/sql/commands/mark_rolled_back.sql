update load_batches set status = 'rolled_back', rolled_back_by = $by where batch_id = $batch_id
