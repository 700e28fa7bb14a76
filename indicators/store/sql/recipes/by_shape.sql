-- The recipes saved for a header shape, the latest first (whose apply is the caller's).
select name, shape, kind, body, editor, saved_at, scopes
from recipes where shape = $shape order by saved_at desc, name
