-- The mart the pages read, kept as a table: every write recomputes it in its own
-- transaction, so a page view filters one table instead of running the view stack over
-- every register (which costs seconds at city scale).
create or replace table indicator_mart as
select * from indicator_values
order by indicator_id, scope_code, year, period
