-- Who ran a load at the operating system, next to the editor it was made as: the CLI's
-- --editor is the operator's word, not a proof (see README, threat model).
alter table load_batches add column os_user varchar;
