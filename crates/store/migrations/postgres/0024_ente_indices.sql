-- Many enti in one database: every read of an ente's rows finds them by index, never by
-- scanning every ente's (the ambiti of the plan, the evidence of a cycle's values, the
-- contributions of a unit).
CREATE INDEX ambito_ente ON ambito (ente_id, position);
CREATE INDEX evidence_measurement ON evidence (ente_id, measurement_id);
CREATE INDEX objective_contribution_unit ON objective_contribution (ente_id, unit_id);
