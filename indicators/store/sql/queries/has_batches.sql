-- Whether the database has its load batches yet (not before its first migration).
select count(*) > 0 from duckdb_tables() where table_name = 'load_batches'
