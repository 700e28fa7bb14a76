select name, kind, editor, saved_at, shape from recipes order by name
