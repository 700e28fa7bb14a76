-- The first schema: reference data, observations, the registers indicators are
-- derived from, targets and their year-to-date plans, and load batches.

create table scopes (
    scope_code varchar primary key,
    name_zh varchar not null,
    name_en varchar not null,
    kind varchar not null check (kind in ('street', 'town', 'others', 'district')),
    focus boolean not null,
    sort_order integer not null
);

create table indicator_catalogue (
    indicator_id varchar primary key,
    unit varchar not null,
    direction varchar not null check (direction in ('lower', 'higher')),
    formula varchar not null check (formula in ('reported', 'derived'))
);

create table load_batches (
    batch_id integer primary key,
    kind varchar not null,
    editor varchar not null,
    loaded_at timestamp not null default current_timestamp,
    file_name varchar,
    file_hash varchar,
    row_count integer not null default 0,
    note varchar
);

-- Period codes: Y = the whole year; Q1-Q4 and M01-M12 = year to date.
create table observations (
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

create table funded_projects (
    project_id varchar primary key,
    name varchar not null,
    enterprise varchar,
    scope_code varchar not null,
    category varchar,
    fund varchar,
    amount_10k_yuan double check (amount_10k_yuan >= 0),
    year integer not null,
    approved_on date,
    saving_tce_per_year double check (saving_tce_per_year >= 0),
    status varchar,
    source varchar not null,
    is_demo boolean not null default false,
    batch_id integer
);

create table pv_installations (
    site_id varchar primary key,
    site varchar not null,
    scope_code varchar not null,
    capacity_kw double not null check (capacity_kw >= 0),
    pv_type varchar,
    grid_connected_on date not null,
    source varchar not null,
    is_demo boolean not null default false,
    batch_id integer
);

create table budget_lines (
    year integer not null,
    item varchar not null,
    amount_10k_yuan double not null,
    source varchar not null,
    is_demo boolean not null default false,
    batch_id integer,
    primary key (year, item)
);

create table targets (
    indicator_id varchar not null,
    scope_code varchar not null,
    year integer not null,
    target_value double not null,
    kind varchar not null check (kind in ('level', 'rate', 'cumulative')),
    source varchar not null,
    is_demo boolean not null default false,
    batch_id integer,
    primary key (indicator_id, scope_code, year)
);

-- Optional plan of year-to-date values (by quarter or month) for a target.
create table target_plans (
    indicator_id varchar not null,
    scope_code varchar not null,
    year integer not null,
    period varchar not null,
    plan_value double not null,
    is_demo boolean not null default false,
    batch_id integer,
    primary key (indicator_id, scope_code, year, period)
);

-- Counts every committed write, so caches keyed on it go stale exactly when data changes.
create table meta (
    key varchar primary key,
    value varchar not null
);
insert into meta values ('data_version', '0');
