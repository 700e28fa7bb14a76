select
    count(*) filter (state = 'new') as inserted,
    count(*) filter (state = 'demo') as replaced_demo,
    count(*) filter (state = 'unchanged') as unchanged,
    count(*) filter (state = 'conflict') as conflicts
from compared
