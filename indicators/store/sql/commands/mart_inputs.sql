-- What the batches of one write (those after $before) changed, as inputs of the mart: an
-- indicator and year (a reported figure), a register or the meter readings (every year),
-- or '*' for anything else (the mart is rebuilt whole). A write with no batch of its own
-- (a migration, removing the illustrative data, a restore) is '*' too.
with new_batches as (
    select batch_id, kind from load_batches where batch_id > $before
),
logged as (
    select c.table_name, c.key_json
    from change_log c
    semi join new_batches b using (batch_id)
    -- figures awaiting review change no public row (db.refresh_pending_mart)
    where c.table_name not in ('targets', 'target_plans', 'department_targets', 'plan_targets',
                               'commitments',
                               'boundaries', 'pending_observations')
),
from_log as (
    select
        case
            when table_name = 'observations' then json_extract_string(key_json, '$.indicator_id')
            when table_name in ('funded_projects', 'pv_installations', 'budget_lines')
                then table_name
            when table_name = 'buildings' then 'energy_readings'
            else '*'
        end as input,
        case when table_name = 'observations'
             then json_extract_string(key_json, '$.year')::integer end as year
    from logged
),
from_kind as (
    -- kinds whose changes the change log does not hold row by row
    select case when kind = 'readings' then 'energy_readings' else '*' end as input,
           null::integer as year
    from new_batches
    where kind not in ('observations', 'projects', 'pv', 'targets', 'department_targets',
                       'plan_targets',
                       'commitments', 'budget', 'boundaries',
                       'rollback', 'review')
    union all
    select 'energy_readings', null from load_batches
    where rolled_back_by > $before and kind = 'readings'
    union all
    select '*', null where not exists (select 1 from new_batches)
)
select distinct input, year from from_log
union
select input, year from from_kind
