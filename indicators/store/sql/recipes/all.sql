select name, kind, editor, saved_at, scopes, shape from recipes order by name
