-- Every commitment with its owner and how it stands.
select commitment_id, scope_code, department, promise, promise_en, cadence, due_on, status,
       evidence, indicator_id, project_id, source, is_demo, batch_id
from commitments
