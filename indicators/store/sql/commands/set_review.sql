-- A submission's review state: pending when a 街镇 editor loads it; approved or returned
-- (with the reason) by a district editor.
update load_batches
set review = $review, reviewed_by = $reviewer, reviewed_at = $reviewed_at,
    review_reason = $reason
where batch_id = $batch_id
