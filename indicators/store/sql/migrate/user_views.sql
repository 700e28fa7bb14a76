-- The views this project made (not DuckDB's own), with their definitions.
select view_name, sql from duckdb_views()
where not internal and schema_name = 'main'
order by view_name
