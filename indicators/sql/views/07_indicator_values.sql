-- The mart every page and `show` read: one row per scope, indicator, breakdown, year
-- and period. A reported figure takes precedence over a derived one; where both exist
-- and disagree, quality_flag is set and derived_value keeps the computed number.
with reported as (
    select * from observations
),
derived as (
    select * from derived_registers
    union all by name
    select scope_code, indicator_id, breakdown, year, period, value, is_demo, source,
           null::date as as_of, 'final' as data_status
    from derived_budget
    union all by name
    select * from derived_groups
    union all by name
    select * from derived_intensity
    union all by name
    select * from derived_building_energy
),
joined as (
    select
        scope_code, indicator_id, breakdown, year, period,
        r.value as reported_value,
        d.value as derived_value,
        r.scope_code is not null as has_reported,
        coalesce(r.unit, c.unit) as unit,
        case when r.scope_code is not null then r.data_status
             else coalesce(d.data_status, 'preliminary') end as data_status,
        case when r.scope_code is not null then r.source else d.source end as source,
        case when r.scope_code is not null then r.as_of else d.as_of end as as_of,
        r.note,
        case when r.scope_code is not null then r.is_demo else d.is_demo end as is_demo,
        r.batch_id
    from reported r
    full outer join derived d using (scope_code, indicator_id, breakdown, year, period)
    left join indicator_catalogue c using (indicator_id)
),
final as (
    select
        scope_code, indicator_id, breakdown, year, period,
        case when has_reported then reported_value else derived_value end as value,
        unit, data_status, source, as_of, note, is_demo, batch_id,
        case when has_reported then 'reported' else 'derived' end as formula,
        derived_value,
        coalesce(has_reported and abs(reported_value - derived_value) > 0.005, false)
            as quality_flag
    from joined
)
select * from final
