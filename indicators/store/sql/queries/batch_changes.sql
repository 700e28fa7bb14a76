-- What one batch changed, row by row, in the order it did it.
select * from change_log where batch_id = $batch_id order by seq
