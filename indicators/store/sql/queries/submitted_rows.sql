-- The figures a submission sent that still await review (a correction may have replaced some).
select * from pending_observations where batch_id = $batch_id
