select name, shape, kind, body, editor, saved_at from recipes where name = $name
