-- Delete what is left of the illustrative data; real rows (is_demo = false) stay.
delete from observations where is_demo;
delete from pending_observations where is_demo;
-- the example's reporting round: its submissions no longer stand for a review
update load_batches set review = null, review_reason = null where is_demo;
delete from funded_projects where is_demo;
delete from pv_installations where is_demo;
delete from budget_lines where is_demo;
delete from targets where is_demo;
delete from target_plans where is_demo;
delete from plan_targets where is_demo;
delete from energy_readings where is_demo;
delete from energy_readings_replaced where is_demo;
delete from buildings b
where b.is_demo and not exists (select 1 from energy_readings r where r.building_id = b.building_id);
delete from building_energy_monthly where is_demo;
-- A commitment is the reply's own: only its illustrative tracking goes.
update commitments set status = null, due_on = null, evidence = null, is_demo = false
where is_demo;
