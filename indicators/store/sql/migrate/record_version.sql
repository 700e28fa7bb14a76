insert into schema_migrations (version) values ($version)
