-- The ten 街镇 and the groups they form (双桥双新泾, 其他街镇, 全区): a scope names its
-- direct group, and a group's values are sums of its members where the indicator adds up.
-- scopes is reference data rewritten on every migration, so it is simply made anew.
drop table scopes;
create table scopes (
    scope_code varchar primary key,
    name_zh varchar not null,
    name_en varchar not null,
    kind varchar not null check (kind in ('street', 'town', 'group', 'district')),
    focus boolean not null,
    sort_order integer not null,
    parent_code varchar  -- null for the district only
);

-- Whether an indicator adds up over 街镇 (a group's value is then its members' sum).
alter table indicator_catalogue add column additive boolean not null default false;
