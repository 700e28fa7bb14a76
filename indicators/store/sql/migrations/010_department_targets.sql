-- Where a district target belongs to departments (区发改委, 区商务委 …), each department's
-- share of it, as the annual work plan splits it ("明确目标任务并分解至部门").
create table department_targets (
    indicator_id varchar not null,
    year integer not null,
    department varchar not null,
    target_value double not null,
    unit varchar,
    source varchar not null,
    is_demo boolean not null default false,
    batch_id integer,
    primary key (indicator_id, year, department)
);
