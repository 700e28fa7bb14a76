-- Nothing awaits review: the picture with pending submissions is the public one.
create or replace table indicator_mart_pending as
select *, null::double as public_value, false as pending from indicator_mart limit 0
