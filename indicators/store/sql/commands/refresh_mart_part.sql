-- Those rows recomputed from the views: only the indicators listed ($ids) are computed, in
-- the years listed ($years; null when one of them changed in every year), and of those
-- only the touched indicator-years are kept.
insert into indicator_mart
select v.*
from indicator_values v
where list_contains($ids, v.indicator_id)
  and ($years is null or list_contains($years, v.year))
  and exists (
      select 1 from mart_touched t
      where t.indicator_id = v.indicator_id and (t.year is null or t.year = v.year)
  )
