select name, shape, kind, body, editor, saved_at, scopes from recipes where name = $name
