-- Observations as they would be were every pending submission approved: the pending figure
-- in place of the one it would replace. The views are made a second time in the schema
-- `preview` over this one (db.migrate_in), so the picture "含待审核" is computed by the same
-- SQL as the public one; it is never what a public page reads.
select * from main.observations
anti join main.pending_observations using (scope_code, indicator_id, breakdown, year, period)
union all by name
select * from main.pending_observations
