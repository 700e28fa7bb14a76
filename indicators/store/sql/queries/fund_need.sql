-- Each scope's figures for its energy-saving need in $year at $period (fund.need): energy
-- use to date, the fall of energy per unit of GDP on the same period of the year before
-- (%), the year's target fall, an annual target on energy use (a cap) with its kind, and
-- the year's PV target (kW) that funded PV projects count toward.
with figures as (
    select scope_code, indicator_id, value
    from indicator_mart
    where breakdown = '' and year = $year and period = $period
      and indicator_id in ('energy_total', 'energy_per_gdp_change')
),
goals as (
    select scope_code, indicator_id, target_value, kind
    from targets
    where year = $year and indicator_id in ('energy_total', 'energy_per_gdp_change', 'pv_new')
)
select s.scope_code,
       e.value as energy,
       c.value as change,
       ct.target_value as change_target,
       cap.target_value as cap,
       cap.kind as cap_kind,
       pv.target_value as pv_target
from scopes s
left join figures e on e.scope_code = s.scope_code and e.indicator_id = 'energy_total'
left join figures c on c.scope_code = s.scope_code and c.indicator_id = 'energy_per_gdp_change'
left join goals ct on ct.scope_code = s.scope_code and ct.indicator_id = 'energy_per_gdp_change'
left join goals cap on cap.scope_code = s.scope_code and cap.indicator_id = 'energy_total'
left join goals pv on pv.scope_code = s.scope_code and pv.indicator_id = 'pv_new'
order by s.sort_order
