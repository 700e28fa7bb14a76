-- The mart every page and `show` read: one row per scope, indicator, breakdown, year
-- and period. A reported figure takes precedence over a derived one; where both exist
-- and disagree, quality_flag is set and derived_value keeps the computed number.
-- missing_parts: how many parts of a derived sum were unknown and left out of it (a
-- register's projects without an amount); a sum whose parts are all unknown is null.
-- Reported and derived rows meet in one union grouped by their key (not a full outer
-- join), so a filter on the key (an indicator, a year) reaches every part below: a write
-- recomputes only the rows it touched (commands/refresh_mart_part).
with reported as (
    select scope_code, indicator_id, breakdown, year, period,
           true as has_reported, value as reported_value, null::double as derived_value,
           unit, data_status, source, as_of, note, is_demo, batch_id,
           null::integer as missing_parts
    from observations
),
derived as (
    select scope_code, indicator_id, breakdown, year, period,
           false as has_reported, null::double as reported_value, value as derived_value,
           null::varchar as unit, data_status, source, as_of, null::varchar as note,
           is_demo, null::integer as batch_id, missing_parts::integer as missing_parts
    from (
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
    )
),
joined as (
    select
        scope_code, indicator_id, breakdown, year, period,
        bool_or(has_reported) as has_reported,
        any_value(reported_value) filter (where has_reported) as reported_value,
        any_value(derived_value) filter (where not has_reported) as derived_value,
        any_value(unit) filter (where has_reported) as reported_unit,
        any_value(data_status) filter (where has_reported) as reported_status,
        any_value(data_status) filter (where not has_reported) as derived_status,
        any_value(source) filter (where has_reported) as reported_source,
        any_value(source) filter (where not has_reported) as derived_source,
        any_value(as_of) filter (where has_reported) as reported_as_of,
        any_value(as_of) filter (where not has_reported) as derived_as_of,
        any_value(note) filter (where has_reported) as note,
        any_value(is_demo) filter (where has_reported) as reported_is_demo,
        any_value(is_demo) filter (where not has_reported) as derived_is_demo,
        any_value(batch_id) filter (where has_reported) as batch_id,
        any_value(missing_parts) filter (where not has_reported) as missing_parts
    from (select * from reported union all select * from derived)
    group by scope_code, indicator_id, breakdown, year, period
),
final as (
    select
        j.scope_code, j.indicator_id, j.breakdown, j.year, j.period,
        case when has_reported then reported_value else derived_value end as value,
        coalesce(reported_unit, c.unit) as unit,
        case when has_reported then reported_status
             else coalesce(derived_status, 'preliminary') end as data_status,
        case when has_reported then reported_source else derived_source end as source,
        case when has_reported then reported_as_of else derived_as_of end as as_of,
        note,
        case when has_reported then reported_is_demo else derived_is_demo end as is_demo,
        batch_id,
        case when has_reported then 'reported' else 'derived' end as formula,
        derived_value,
        coalesce(has_reported and abs(reported_value - derived_value) > 0.005, false)
            as quality_flag,
        case when has_reported then null else missing_parts end as missing_parts
    from joined j
    left join indicator_catalogue c using (indicator_id)
)
select * from final
