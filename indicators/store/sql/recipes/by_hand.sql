-- The recipes whose header rows and label column an official set by hand, the latest
-- first: each is tried on a file the guesser cannot read (recipes.by_hand_for).
select name, shape, kind, body, editor, saved_at, scopes
from recipes where body like '%"by_hand"%'
order by saved_at desc, name
