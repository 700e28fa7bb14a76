-- Whether the views of the picture with pending submissions exist yet (db.migrate_in).
select count(*) > 0 from duckdb_views() where schema_name = 'preview'
