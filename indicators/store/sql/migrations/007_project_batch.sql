-- The batch a funded project was approved in (2024年第一批 -> year 2024, batch 第一批), as
-- the 区发改委's registers keep it.
alter table funded_projects add column batch varchar;
