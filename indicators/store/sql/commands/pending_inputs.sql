-- The mart inputs the submissions awaiting review would change: each indicator and year
-- they report (mart.affected widens them to what is derived from those).
select distinct indicator_id as input, year from pending_observations
