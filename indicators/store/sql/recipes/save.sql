insert or replace into recipes (name, shape, kind, body, editor, saved_at, scopes)
values ($name, $shape, $kind, $body, $editor, current_timestamp, $scopes)
