-- no-transaction
-- A row of a cycle belongs to its cycle's ente, and a value or a target to its indicator's: each
-- references its parent by (ente_id, cycle_id) or (ente_id, kpi_id), so the schema itself refuses
-- a row whose ente is not its parent's. That key also says the ente exists, so the separate key
-- to `ente` goes (PostgreSQL's migration of the same number says why it matters there).
--
-- SQLite changes a table's keys only by building it anew: each table is copied into a new one
-- with the new keys, the old one dropped and the new one renamed, then its indexes made again.
-- That needs foreign keys off, which SQLite allows only outside a transaction, so this migration
-- opens its own. Before it commits, every key of the database is checked; a row that breaks one
-- (a row whose ente is not its cycle's) stops the migration with "CHECK constraint failed:
-- violations = 0", and nothing is changed.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE UNIQUE INDEX cycle_ente_id_id_key ON cycle (ente_id, id);

-- absence
CREATE TABLE absence_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    cycle_id        TEXT NOT NULL,
    person_id       TEXT NOT NULL REFERENCES person(id),
    cause           TEXT NOT NULL,
    days            TEXT NOT NULL,                 -- decimal
    UNIQUE (cycle_id, person_id, cause),
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO absence_new SELECT * FROM absence;
DROP TABLE absence;
ALTER TABLE absence_new RENAME TO absence;

-- assignment
CREATE TABLE assignment_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    cycle_id        TEXT NOT NULL,
    person_id       TEXT NOT NULL REFERENCES person(id),
    unit_id         TEXT NOT NULL REFERENCES org_unit(id),
    role            TEXT NOT NULL,                 -- direttore | dirigente | po_eq | dipendente | segretario
    category        TEXT NOT NULL,                 -- A B C D PO | OP OE IR EQ | DI SG
    part_time_pct   TEXT NOT NULL,                 -- decimal, 0 < pct <= 100
    part_time_kind  TEXT NOT NULL,                 -- pieno | orizzontale | verticale | misto
    starts          TEXT NOT NULL,
    ends            TEXT,                          -- NULL = open-ended
    interim         INTEGER NOT NULL CHECK (interim IN (0, 1)),
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO assignment_new SELECT * FROM assignment;
DROP TABLE assignment;
ALTER TABLE assignment_new RENAME TO assignment;
CREATE INDEX assignment_ente_cycle ON assignment (ente_id, cycle_id);
CREATE INDEX assignment_person ON assignment (person_id);

-- close_correction
CREATE TABLE close_correction_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    cycle_id        TEXT NOT NULL,
    snapshot_hash   TEXT NOT NULL,
    subject         TEXT NOT NULL,
    before_value    TEXT NOT NULL,
    after_value     TEXT NOT NULL,
    reason          TEXT NOT NULL,
    act_code        TEXT,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO close_correction_new SELECT * FROM close_correction;
DROP TABLE close_correction;
ALTER TABLE close_correction_new RENAME TO close_correction;
CREATE INDEX close_correction_cycle ON close_correction (cycle_id, created_at);

-- cycle_close
CREATE TABLE cycle_close_new (
    cycle_id        TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    closed_at       TEXT NOT NULL,
    closed_by       TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    snapshot        TEXT NOT NULL,
    forced          INTEGER NOT NULL CHECK (forced IN (0, 1)),
    reason          TEXT
, audit_seq BIGINT, audit_hash TEXT,
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO cycle_close_new SELECT * FROM cycle_close;
DROP TABLE cycle_close;
ALTER TABLE cycle_close_new RENAME TO cycle_close;

-- evaluation
CREATE TABLE evaluation_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    cycle_id        TEXT NOT NULL,
    person_id       TEXT NOT NULL REFERENCES person(id),
    evaluator_id    TEXT REFERENCES person(id),
    reviewer_id     TEXT REFERENCES person(id),
    results         TEXT,
    behaviours      TEXT,
    interview_start TEXT,
    interview_mid   TEXT,
    interview_final TEXT,
    signed_on       TEXT,
    contested_on    TEXT,
    conciliation    TEXT,                          -- confermata | modificata
    conciliated     TEXT,                          -- the score after conciliation
    note            TEXT,
    UNIQUE (cycle_id, person_id),
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO evaluation_new SELECT * FROM evaluation;
DROP TABLE evaluation;
ALTER TABLE evaluation_new RENAME TO evaluation;

-- evaluation_item
CREATE TABLE evaluation_item_new (
    cycle_id        TEXT NOT NULL,
    ente_id         TEXT NOT NULL,
    person_id       TEXT NOT NULL REFERENCES person(id),
    code            TEXT NOT NULL,
    value           TEXT NOT NULL,                 -- decimal
    PRIMARY KEY (cycle_id, person_id, code),
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO evaluation_item_new SELECT * FROM evaluation_item;
DROP TABLE evaluation_item;
ALTER TABLE evaluation_item_new RENAME TO evaluation_item;

-- fund
CREATE TABLE fund_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    cycle_id        TEXT NOT NULL,
    kind            TEXT NOT NULL,                 -- dipendenti | dirigenti | eq
    cap_cents       INTEGER,                       -- art. 23 c.2 D.Lgs 75/2017
    certified_by    TEXT,
    certified_on    TEXT,
    updated_at      TEXT NOT NULL,
    UNIQUE (cycle_id, kind),
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO fund_new SELECT * FROM fund;
DROP TABLE fund;
ALTER TABLE fund_new RENAME TO fund;

-- kpi
CREATE TABLE kpi_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    cycle_id        TEXT NOT NULL,
    objective_id    TEXT NOT NULL REFERENCES objective(id),
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    nature          TEXT,                          -- efficacia | efficienza | economicita | qualita | impatto | stato_risorse
    measure         TEXT NOT NULL,                 -- numero | percentuale | importo | scadenza | si_no | avanzamento
    direction       TEXT NOT NULL,                 -- crescente | decrescente
    unit_label      TEXT,                          -- e.g. €/certificato, giorni
    baseline        TEXT,
    weight          TEXT NOT NULL,
    aggregation     TEXT NOT NULL,                 -- ultimo | somma | media
    periodicity     TEXT NOT NULL,                 -- annuale | semestrale | trimestrale | mensile
    formula         TEXT,
    rule            TEXT NOT NULL,                 -- JSON: bands, minimum, cap, late penalty
    owner_unit_id   TEXT REFERENCES org_unit(id),
    source          TEXT,
    position        INTEGER NOT NULL,
    UNIQUE (cycle_id, code),
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO kpi_new SELECT * FROM kpi;
DROP TABLE kpi;
ALTER TABLE kpi_new RENAME TO kpi;
-- The key that values and targets reference. `kpi (cycle_id, code)` finds a cycle's indicators
-- and this one an ente's, so `kpi_cycle` (ente_id, cycle_id) is not made again.
CREATE UNIQUE INDEX kpi_ente_id_id_key ON kpi (ente_id, id);

-- kpi_target
CREATE TABLE kpi_target_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    kpi_id          TEXT NOT NULL,
    year            INTEGER NOT NULL,
    period_end      TEXT NOT NULL,
    value           TEXT NOT NULL,
    UNIQUE (kpi_id, year, period_end),
    FOREIGN KEY (ente_id, kpi_id) REFERENCES kpi (ente_id, id)
);
INSERT INTO kpi_target_new SELECT * FROM kpi_target;
DROP TABLE kpi_target;
ALTER TABLE kpi_target_new RENAME TO kpi_target;

-- measurement
CREATE TABLE measurement_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    kpi_id          TEXT NOT NULL,
    period_end      TEXT NOT NULL,
    version         INTEGER NOT NULL,
    value           TEXT,                          -- as Value::to_text; NULL when not assessable
    note            TEXT NOT NULL,
    cause           TEXT,                          -- endogena | esogena: cause of a deviation
    not_assessable  INTEGER NOT NULL CHECK (not_assessable IN (0, 1)),
    status          TEXT NOT NULL,                 -- draft | submitted | approved | returned
    entered_by      TEXT NOT NULL,
    entered_at      TEXT NOT NULL,
    decided_by      TEXT,
    decided_at      TEXT,
    UNIQUE (kpi_id, period_end, version),
    FOREIGN KEY (ente_id, kpi_id) REFERENCES kpi (ente_id, id)
);
INSERT INTO measurement_new SELECT * FROM measurement;
DROP TABLE measurement;
ALTER TABLE measurement_new RENAME TO measurement;
CREATE INDEX measurement_kpi ON measurement (ente_id, kpi_id);

-- niv_sample
CREATE TABLE niv_sample_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    cycle_id        TEXT NOT NULL,
    seed            TEXT NOT NULL,
    percent         TEXT NOT NULL,
    population      TEXT NOT NULL,
    items           TEXT NOT NULL,                 -- JSON
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO niv_sample_new SELECT * FROM niv_sample;
DROP TABLE niv_sample;
ALTER TABLE niv_sample_new RENAME TO niv_sample;

-- notification
CREATE TABLE notification_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    cycle_id        TEXT NOT NULL,
    person_id       TEXT NOT NULL REFERENCES person(id),
    kind            TEXT NOT NULL,                 -- sollecito | sollecito_superiore
    day             TEXT NOT NULL,
    text            TEXT NOT NULL,
    emailed_to      TEXT,
    created_at      TEXT NOT NULL,
    UNIQUE (cycle_id, person_id, kind, day),
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO notification_new SELECT * FROM notification;
DROP TABLE notification;
ALTER TABLE notification_new RENAME TO notification;
CREATE INDEX notification_person ON notification (person_id, created_at);

-- objective
CREATE TABLE objective_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    cycle_id        TEXT NOT NULL,
    code            TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT,
    dimension_id    TEXT NOT NULL REFERENCES dimension(id),
    ambito_id       TEXT REFERENCES ambito(id),
    unit_id         TEXT REFERENCES org_unit(id),  -- the responsible unit
    person_id       TEXT REFERENCES person(id),    -- individual objectives
    parent_id       TEXT REFERENCES objective(id),
    weight          TEXT NOT NULL,                 -- decimal
    dup_id          TEXT REFERENCES dup_objective(id),
    tags            TEXT NOT NULL,                 -- comma-separated PIAO 2.2 tags
    starts          TEXT,
    ends            TEXT,
    state           TEXT NOT NULL,                 -- bozza | proposto | approvato | assegnato | in_monitoraggio | consuntivato | validato_niv | chiuso
    override_score  TEXT,                          -- decimal, with its reason
    override_reason TEXT,
    not_assessable  TEXT,                          -- reason, when neutralised
    position        INTEGER NOT NULL,
    UNIQUE (cycle_id, code),
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO objective_new SELECT * FROM objective;
DROP TABLE objective;
ALTER TABLE objective_new RENAME TO objective;
CREATE INDEX objective_cycle ON objective (ente_id, cycle_id);

-- org_unit
CREATE TABLE org_unit_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    cycle_id        TEXT NOT NULL,
    lineage_id      TEXT NOT NULL,
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,                 -- direzione | area | settore | unita | servizio
    parent_id       TEXT REFERENCES org_unit(id),
    cdr             TEXT,                          -- centro di responsabilità
    responsible_id  TEXT REFERENCES person(id),
    valid_from      TEXT NOT NULL,
    valid_to        TEXT NOT NULL,
    position        INTEGER NOT NULL,              -- order of siblings as given
    UNIQUE (cycle_id, code),
    UNIQUE (cycle_id, lineage_id),
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO org_unit_new SELECT * FROM org_unit;
DROP TABLE org_unit;
ALTER TABLE org_unit_new RENAME TO org_unit;
CREATE INDEX org_unit_ente_cycle ON org_unit (ente_id, cycle_id);
CREATE INDEX org_unit_lineage ON org_unit (ente_id, lineage_id);

-- pay_rules
CREATE TABLE pay_rules_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    cycle_id        TEXT NOT NULL,
    version         INTEGER NOT NULL,
    rules           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    UNIQUE (cycle_id, version),
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO pay_rules_new SELECT * FROM pay_rules;
DROP TABLE pay_rules;
ALTER TABLE pay_rules_new RENAME TO pay_rules;

-- pay_scenario
CREATE TABLE pay_scenario_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    cycle_id        TEXT NOT NULL,
    name            TEXT NOT NULL,
    rules           TEXT NOT NULL,
    overrides       TEXT NOT NULL,                 -- JSON: matricola → individual score
    result          TEXT NOT NULL,                 -- JSON of the allocation
    result_hash     TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    approved_at     TEXT,
    approved_by     TEXT,
    UNIQUE (cycle_id, name),
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO pay_scenario_new SELECT * FROM pay_scenario;
DROP TABLE pay_scenario;
ALTER TABLE pay_scenario_new RENAME TO pay_scenario;
CREATE UNIQUE INDEX pay_scenario_one_approved ON pay_scenario (cycle_id) WHERE approved_at IS NOT NULL;

-- position_pay
CREATE TABLE position_pay_new (
    cycle_id        TEXT NOT NULL,
    ente_id         TEXT NOT NULL,
    unit_id         TEXT NOT NULL REFERENCES org_unit(id),
    base_cents      INTEGER NOT NULL,
    PRIMARY KEY (cycle_id, unit_id),
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO position_pay_new SELECT * FROM position_pay;
DROP TABLE position_pay;
ALTER TABLE position_pay_new RENAME TO position_pay;

-- relazione
CREATE TABLE relazione_new (
    cycle_id        TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    state           TEXT NOT NULL,
    act_code        TEXT,
    approved_on     TEXT,
    validated_on    TEXT,
    validated_by    TEXT,
    published_on    TEXT,
    note            TEXT,
    updated_at      TEXT NOT NULL,
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO relazione_new SELECT * FROM relazione;
DROP TABLE relazione;
ALTER TABLE relazione_new RENAME TO relazione;

-- revision
CREATE TABLE revision_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    cycle_id        TEXT NOT NULL,
    code            TEXT NOT NULL,                 -- the objective's or KPI's code
    objective_id    TEXT NOT NULL REFERENCES objective(id),
    kpi_id          TEXT REFERENCES kpi(id),
    field           TEXT NOT NULL,                 -- target | peso | descrizione | rimozione
    before_value    TEXT NOT NULL,
    after_value     TEXT NOT NULL,
    effective_on    TEXT NOT NULL,
    reason          TEXT NOT NULL,
    act_code        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO revision_new SELECT * FROM revision;
DROP TABLE revision;
ALTER TABLE revision_new RENAME TO revision;
CREATE INDEX revision_cycle ON revision (cycle_id, created_at);

-- scoring_rules
CREATE TABLE scoring_rules_new (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL,
    cycle_id        TEXT NOT NULL,
    version         INTEGER NOT NULL,
    rules           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    UNIQUE (cycle_id, version),
    FOREIGN KEY (ente_id, cycle_id) REFERENCES cycle (ente_id, id)
);
INSERT INTO scoring_rules_new SELECT * FROM scoring_rules;
DROP TABLE scoring_rules;
ALTER TABLE scoring_rules_new RENAME TO scoring_rules;

CREATE TEMP TABLE ente_keys_check (violations INTEGER CHECK (violations = 0));
INSERT INTO ente_keys_check SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE ente_keys_check;

COMMIT;
PRAGMA foreign_keys = ON;
