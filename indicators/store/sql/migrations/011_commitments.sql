-- Commitments (承诺事项) the district's reply makes, with their owner — a 街镇 (scope_code)
-- or a department, never both — and how each stands. status: not_started | in_progress |
-- done | delayed (null: nothing reported yet). is_demo: the tracking (status, due date,
-- evidence) is illustrative; the promise itself is the reply's.
create table commitments (
    commitment_id varchar primary key,
    scope_code varchar,
    department varchar,
    promise varchar not null,
    promise_en varchar,
    cadence varchar,
    due_on date,
    status varchar check (status in ('not_started', 'in_progress', 'done', 'delayed')),
    evidence varchar,
    indicator_id varchar,
    project_id varchar,
    source varchar not null,
    is_demo boolean not null default false,
    batch_id integer,
    check ((scope_code is null) <> (department is null))
);
