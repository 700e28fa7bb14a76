-- Readings to 街镇-month totals in tce (kgce per unit from energy_factors), for the whole
-- months from first to last; by load batch, so each total knows its source file.
insert into building_energy_monthly
select
    t.scope_code, year(t.month_start) as year, month(t.month_start) as month, t.batch_id,
    t.kgce / 1000 as tce, t.readings, t.is_demo, t.through,
    case when t.is_demo then $demo_source
         else coalesce(lb.file_name, '#' || t.batch_id) end as source
from (
    select
        b.scope_code, date_trunc('month', r.hour) as month_start, r.batch_id,
        sum(r.quantity * f.kgce_per_unit) as kgce,
        count(*) as readings,
        bool_or(r.is_demo) as is_demo,
        max(r.hour) as through
    from energy_readings r
    join buildings b using (building_id)
    join energy_factors f using (energy_type)
    where r.hour >= date_trunc('month', $first::timestamp)
      and r.hour < date_trunc('month', $last::timestamp) + interval 1 month
    group by all
) t
left join load_batches lb on lb.batch_id = t.batch_id
