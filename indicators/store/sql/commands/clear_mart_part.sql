-- The mart's rows of the indicators and years a write touched (mart_touched: indicator_id,
-- year; a null year is every year), before they are recomputed.
delete from indicator_mart m
using mart_touched t
where m.indicator_id = t.indicator_id and (t.year is null or m.year = t.year)
