-- Building energy: hourly meter readings by building, each building in one 街镇, and the
-- 街镇-month totals in tce that the building_energy indicator is read from.
create table buildings (
    building_id varchar primary key,
    name varchar,
    scope_code varchar not null,
    is_demo boolean not null default false,
    batch_id integer
);

-- Quantities in the energy type's own unit (energy_factors.unit). No primary key: a
-- key index over a hundred million readings costs more than it guards; loads check the
-- key (building, hour, energy type) themselves.
create table energy_readings (
    building_id varchar not null,
    hour timestamp not null,
    energy_type varchar not null,
    quantity double not null check (quantity >= 0),
    unit varchar not null,
    is_demo boolean not null default false,
    batch_id integer not null
);

-- Readings a load replaced, kept so that rolling the load back brings them back.
create table energy_readings_replaced (
    building_id varchar not null,
    hour timestamp not null,
    energy_type varchar not null,
    quantity double not null,
    unit varchar not null,
    is_demo boolean not null,
    batch_id integer not null,
    replaced_by integer not null
);

-- The factors of factors.yaml's energy types, mirrored like the catalogue.
create table energy_factors (
    energy_type varchar primary key,
    unit varchar not null,
    kgce_per_unit double not null,
    source varchar not null
);

-- 街镇-month totals, refreshed by every readings load for the months it touched: summing
-- the readings on every page view would cost seconds at city scale.
create table building_energy_monthly (
    scope_code varchar not null,
    year integer not null,
    month integer not null,
    batch_id integer not null,
    tce double not null,
    readings bigint not null,
    is_demo boolean not null,
    through timestamp not null,
    source varchar not null,  -- the loaded file's name, or the illustrative data's source
    primary key (scope_code, year, month, batch_id)
);
