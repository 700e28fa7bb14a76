-- The figures a submission put in that are still in force (a later load may have replaced some).
select * from observations where batch_id = $batch_id
