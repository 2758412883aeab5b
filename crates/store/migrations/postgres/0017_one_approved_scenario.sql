-- One approved scenario of the premi per cycle, whatever the application checks: a second
-- approval racing the first fails on this index inside its transaction.
CREATE UNIQUE INDEX pay_scenario_one_approved ON pay_scenario (cycle_id) WHERE approved_at IS NOT NULL;
