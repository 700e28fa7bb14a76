create table if not exists schema_migrations (
    version integer primary key,
    applied_at timestamp default current_timestamp
)
