-- A 街镇's submission awaits the district's review in a table of its own, so what is
-- public (observations: every total, status, map and briefing) is only what the district
-- accepted. Approving moves a figure into observations; returning rolls it back here.
create table pending_observations (
    scope_code varchar not null,
    indicator_id varchar not null,
    breakdown varchar not null default '',
    year integer not null check (year between 1990 and 2100),
    period varchar not null check (regexp_full_match(period, 'Y|Q[1-4]|M(0[1-9]|1[0-2])')),
    value double,
    unit varchar not null,
    data_status varchar not null check (data_status in ('preliminary', 'final')),
    source varchar not null,
    as_of date,
    note varchar,
    is_demo boolean not null default false,
    batch_id integer,
    primary key (scope_code, indicator_id, breakdown, year, period)
);

-- Submissions still pending from before this table: their figures move here, and the
-- figures they had replaced in observations come back from the change log.
create temp table _pending_batches as
select batch_id from load_batches where review = 'pending' and status = 'loaded';

insert into pending_observations
select o.* from observations o semi join _pending_batches p using (batch_id);

delete from observations where batch_id in (select batch_id from _pending_batches);

insert or replace into observations
select unnest(from_json(c.old_row_json, '{
    "scope_code": "VARCHAR", "indicator_id": "VARCHAR", "breakdown": "VARCHAR",
    "year": "INTEGER", "period": "VARCHAR", "value": "DOUBLE", "unit": "VARCHAR",
    "data_status": "VARCHAR", "source": "VARCHAR", "as_of": "DATE", "note": "VARCHAR",
    "is_demo": "BOOLEAN", "batch_id": "INTEGER"}'))
from change_log c
semi join _pending_batches p using (batch_id)
where c.table_name = 'observations' and c.old_row_json is not null
  -- a figure an earlier pending submission had put there is not public either
  and coalesce(json_extract(c.old_row_json, '$.batch_id')::integer, -1) not in (
      select batch_id from _pending_batches);

-- Their log now says where the figures are: undoing one removes it from review only.
update change_log set table_name = 'pending_observations', old_row_json = null
where table_name = 'observations' and batch_id in (select batch_id from _pending_batches);

drop table _pending_batches;

-- The built-in example's own reporting round (a returned and a pending submission) is
-- illustrative: `demo remove` takes its reviews away with it.
alter table load_batches add column is_demo boolean default false;
