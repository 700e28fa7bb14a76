-- What a funded project bought, as the 区发改委's registers keep it (专项资金绩效评价):
-- expected CO₂ reduction (tCO₂ a year; the expected energy saving is saving_tce_per_year),
-- a PV project's capacity (kW), its stage (approved 立项 / building 在建 / completed 竣工 /
-- accepted 验收: codes; offices' words are read by intake.yaml stage_words), the planned
-- and actual acceptance dates, and the saving the acceptance verified (tce a year). All
-- nullable: a project without outcomes is one, never a zero.
-- DuckDB cannot add a column with a CHECK, so the table is made anew with the same columns
-- in the same order, the new ones last, and its rows copied over.
create table funded_projects_016 (
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
    batch_id integer,
    batch varchar,
    co2_t_per_year double check (co2_t_per_year >= 0),
    pv_kw double check (pv_kw >= 0),
    stage varchar check (stage in ('approved', 'building', 'completed', 'accepted')),
    due_acceptance_on date,
    accepted_on date,
    verified_saving_tce double check (verified_saving_tce >= 0)
);
insert into funded_projects_016 by name select * from funded_projects;
drop table funded_projects;
alter table funded_projects_016 rename to funded_projects;
