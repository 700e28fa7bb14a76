-- What every load changed, row by row, so a batch can be rolled back and its history read.
create table change_log (
    batch_id integer not null,
    seq integer not null,
    table_name varchar not null,
    action varchar not null check (action in ('insert', 'replace', 'delete')),
    key_json varchar not null,
    old_row_json varchar,
    new_row_json varchar,
    primary key (batch_id, seq)
);

alter table load_batches add column status varchar default 'loaded';
alter table load_batches add column rolled_back_by integer;
alter table load_batches add column counts_json varchar;
