-- The reporting cycle: a 街镇 editor's upload of observations is a submission (初步) that
-- the district reviews. review: null (a district load: nothing to review) | pending |
-- approved | returned; who reviewed it, when, and why it was returned. An approval is a
-- batch of its own (kind 'review') logging each figure made final; a return rolls the
-- submission back, so a returned figure never reaches a total.
alter table load_batches add column review varchar;
alter table load_batches add column reviewed_by varchar;
alter table load_batches add column reviewed_at timestamp;
alter table load_batches add column review_reason varchar;
