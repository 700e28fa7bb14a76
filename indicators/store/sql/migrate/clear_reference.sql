-- The reference files are the truth: their tables are rewritten on every migration.
delete from scopes;
delete from indicator_catalogue;
delete from energy_factors;
