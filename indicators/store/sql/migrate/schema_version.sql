-- 0: no migration applied yet (versions start at 1)
select coalesce(max(version), 0) from schema_migrations
