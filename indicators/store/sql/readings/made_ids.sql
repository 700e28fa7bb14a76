-- The id a building with a name and no id is given (as readings/parse makes it), for the
-- buildings an official places: the same id every file of that building will make.
with final as (
    select
        'B-' || left(md5(scope_code || '|' || lower(regexp_replace(trim(name), '\s', '', 'g'))), 10)
            as building_id,
        trim(name) as name,
        scope_code
    from placed
)
select * from final
