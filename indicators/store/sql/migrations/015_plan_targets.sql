-- A five-year plan's cumulative target per indicator and scope (全区, a group, each 街镇):
-- 十五五's 单位GDP能耗降低 14% from the 2025 base, an allowed growth of a total. target_value is
-- in percent of the base year's value (14 is a 14% fall, or 14% growth allowed), as the plan
-- writes it and as annual rate targets are stored; fiveyear.py takes it as a fraction.
-- The district's to set, as annual targets are (intake.yaml district_only).
create table plan_targets (
    plan_id varchar not null,
    indicator_id varchar not null,
    scope_code varchar not null,
    target_value double not null,
    source varchar not null,
    is_demo boolean not null default false,
    batch_id integer,
    primary key (plan_id, indicator_id, scope_code)
);
