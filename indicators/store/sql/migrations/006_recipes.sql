-- Reading recipes (读取模板): how an office's wide table was confirmed to be read, kept by
-- name and keyed on the table's header shape, so the next file of that shape needs no
-- clicks. `body` holds each column's reading by header shape (JSON).
create table recipes (
    name varchar primary key,
    shape varchar not null,
    kind varchar not null,
    body varchar not null,
    editor varchar not null,
    saved_at timestamp not null default current_timestamp
);
