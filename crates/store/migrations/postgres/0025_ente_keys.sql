-- A row of a cycle belongs to its cycle's ente, and a value or a target to its indicator's: each
-- references its parent by (ente_id, cycle_id) or (ente_id, kpi_id), so the schema itself refuses
-- a row whose ente is not its parent's. That key also says the ente exists, so the separate key
-- to `ente` goes: one check a row fewer when a whole ente is written (docs/scaling.md).
--
-- `kpi_cycle` (ente_id, cycle_id) goes too: `kpi (cycle_id, code)` finds a cycle's indicators,
-- and `kpi (ente_id, id)` an ente's. An index led by ente_id alone would compete with
-- (ente_id, id) for the key's own check, and PostgreSQL may pick it while the table is new and
-- has no statistics, then scan the whole ente's indicators for each value written.
ALTER TABLE cycle ADD CONSTRAINT cycle_ente_id_id_key UNIQUE (ente_id, id);
ALTER TABLE kpi ADD CONSTRAINT kpi_ente_id_id_key UNIQUE (ente_id, id);
DROP INDEX kpi_cycle;

ALTER TABLE absence DROP CONSTRAINT absence_ente_id_fkey, DROP CONSTRAINT absence_cycle_id_fkey,
    ADD CONSTRAINT absence_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE assignment DROP CONSTRAINT assignment_ente_id_fkey, DROP CONSTRAINT assignment_cycle_id_fkey,
    ADD CONSTRAINT assignment_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE close_correction DROP CONSTRAINT close_correction_ente_id_fkey, DROP CONSTRAINT close_correction_cycle_id_fkey,
    ADD CONSTRAINT close_correction_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE cycle_close DROP CONSTRAINT cycle_close_ente_id_fkey, DROP CONSTRAINT cycle_close_cycle_id_fkey,
    ADD CONSTRAINT cycle_close_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE evaluation DROP CONSTRAINT evaluation_ente_id_fkey, DROP CONSTRAINT evaluation_cycle_id_fkey,
    ADD CONSTRAINT evaluation_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE evaluation_item DROP CONSTRAINT evaluation_item_ente_id_fkey, DROP CONSTRAINT evaluation_item_cycle_id_fkey,
    ADD CONSTRAINT evaluation_item_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE fund DROP CONSTRAINT fund_ente_id_fkey, DROP CONSTRAINT fund_cycle_id_fkey,
    ADD CONSTRAINT fund_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE kpi DROP CONSTRAINT kpi_ente_id_fkey, DROP CONSTRAINT kpi_cycle_id_fkey,
    ADD CONSTRAINT kpi_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE kpi_target DROP CONSTRAINT kpi_target_ente_id_fkey, DROP CONSTRAINT kpi_target_kpi_id_fkey,
    ADD CONSTRAINT kpi_target_kpi_id_fkey FOREIGN KEY (ente_id, kpi_id) REFERENCES kpi (ente_id, id);
ALTER TABLE measurement DROP CONSTRAINT measurement_ente_id_fkey, DROP CONSTRAINT measurement_kpi_id_fkey,
    ADD CONSTRAINT measurement_kpi_id_fkey FOREIGN KEY (ente_id, kpi_id) REFERENCES kpi (ente_id, id);
ALTER TABLE niv_sample DROP CONSTRAINT niv_sample_ente_id_fkey, DROP CONSTRAINT niv_sample_cycle_id_fkey,
    ADD CONSTRAINT niv_sample_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE notification DROP CONSTRAINT notification_ente_id_fkey, DROP CONSTRAINT notification_cycle_id_fkey,
    ADD CONSTRAINT notification_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE objective DROP CONSTRAINT objective_ente_id_fkey, DROP CONSTRAINT objective_cycle_id_fkey,
    ADD CONSTRAINT objective_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE org_unit DROP CONSTRAINT org_unit_ente_id_fkey, DROP CONSTRAINT org_unit_cycle_id_fkey,
    ADD CONSTRAINT org_unit_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE pay_rules DROP CONSTRAINT pay_rules_ente_id_fkey, DROP CONSTRAINT pay_rules_cycle_id_fkey,
    ADD CONSTRAINT pay_rules_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE pay_scenario DROP CONSTRAINT pay_scenario_ente_id_fkey, DROP CONSTRAINT pay_scenario_cycle_id_fkey,
    ADD CONSTRAINT pay_scenario_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE position_pay DROP CONSTRAINT position_pay_ente_id_fkey, DROP CONSTRAINT position_pay_cycle_id_fkey,
    ADD CONSTRAINT position_pay_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE relazione DROP CONSTRAINT relazione_ente_id_fkey, DROP CONSTRAINT relazione_cycle_id_fkey,
    ADD CONSTRAINT relazione_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE revision DROP CONSTRAINT revision_ente_id_fkey, DROP CONSTRAINT revision_cycle_id_fkey,
    ADD CONSTRAINT revision_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
ALTER TABLE scoring_rules DROP CONSTRAINT scoring_rules_ente_id_fkey, DROP CONSTRAINT scoring_rules_cycle_id_fkey,
    ADD CONSTRAINT scoring_rules_cycle_id_fkey FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id);
