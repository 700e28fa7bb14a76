select table_name, sql from duckdb_tables()
where schema_name = 'main' and not internal
order by table_name
