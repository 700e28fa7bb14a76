insert or replace into recipes (name, shape, kind, body, editor, saved_at)
values ($name, $shape, $kind, $body, $editor, current_timestamp)
