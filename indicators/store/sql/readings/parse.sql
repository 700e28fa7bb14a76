-- Every raw reading parsed (null where a cell does not parse), on the scratch database.
-- The maps hold what Python made of each distinct text: 街镇 names, energy words,
-- units, and numbers written in ways a cast does not read (全角 digits, "1 234").
-- `quantity` is an interval's use; `register`, in a file of cumulative registers (电表读数),
-- the meter's reading. A building with a name and no id gets one made from its 街镇 and name, the
-- same in every file.
create temp table parsed as
with raw_text as (
    select
        excel_row,
        nullif(trim(building_id::varchar), '') as building_id,
        nullif(trim(building::varchar), '') as building,
        nullif(trim(scope_code::varchar), '') as scope_text,
        nullif(trim(energy_type::varchar), '') as energy_text,
        coalesce(trim(unit::varchar), '') as unit_text,
        -- As the file typed them (a Parquet file's times and numbers are typed): made text
        -- only where a cell does not read as it is, or a message shows it.
        hour as hour_cell,
        quantity as quantity_cell,
        register as register_cell
    from raw
),
hour_map as (  -- times a cast does not read, each distinct text parsed once
    select text, coalesce(try_cast(text as timestamp), try_strptime(text, [
        '%Y/%m/%d %H:%M', '%Y/%m/%d %H:%M:%S', '%Y-%m-%d %H', '%Y%m%d%H', '%Y%m%d %H:%M'
    ])) as value
    from (
        select distinct trim(hour::varchar) as text from raw
        where try_cast(hour as timestamp) is null
    )
)
select
    r.* exclude (building_id),
    coalesce(
        r.building_id,
        'B-' || left(md5(s.code || '|' || lower(regexp_replace(r.building, '\s', '', 'g'))), 10)
    ) as building_id,
    r.building_id is null and r.building is not null and s.code is not null as made_id,
    s.code as scope_code,
    coalesce(try_cast(r.hour_cell as timestamp), h.value) as hour,
    e.code as energy_type,
    coalesce(
        try_cast(r.quantity_cell as double),
        try_cast(replace(trim(r.quantity_cell::varchar), ',', '') as double),
        n.value
    ) as quantity,
    coalesce(
        try_cast(r.register_cell as double),
        try_cast(replace(trim(r.register_cell::varchar), ',', '') as double),
        g.value
    ) as register,
    u.factor as unit_factor,
    coalesce(s.is_summary, false) or coalesce(regexp_matches(r.building_id, $summary, 'i'), false)
        as is_summary
from raw_text r
left join scope_map s on s.raw = r.scope_text
left join hour_map h
    on h.text = case when try_cast(r.hour_cell as timestamp) is null
                     then trim(r.hour_cell::varchar) end
left join energy_map e on e.raw = r.energy_text
left join number_map n
    on n.raw = case when try_cast(r.quantity_cell as double) is null
                    then nullif(trim(r.quantity_cell::varchar), '') end
left join number_map g
    on g.raw = case when try_cast(r.register_cell as double) is null
                    then nullif(trim(r.register_cell::varchar), '') end
left join unit_map u on u.energy_type = e.code and u.raw = r.unit_text
where coalesce(r.building_id, r.building, r.scope_text, r.energy_text, nullif(r.unit_text, ''),
               nullif(trim(r.hour_cell::varchar), ''), nullif(trim(r.quantity_cell::varchar), ''),
               nullif(trim(r.register_cell::varchar), '')) is not null  -- not blank
