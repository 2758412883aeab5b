-- Booleans are stored as 0/1 integers: the Any driver reads no SQLite BOOLEAN.
-- Foundation: enti (tenants), cycles, people, the org tree versioned by cycle, assignments,
-- and the append-only audit log. Every table but ente carries ente_id: queries are scoped by it.

CREATE TABLE ente (
    id              TEXT PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,          -- codice ISTAT, 6 digits
    name            TEXT NOT NULL,
    codice_fiscale  TEXT,
    kind            TEXT NOT NULL,                 -- comune | citta_metropolitana | unione
    staff_size      BIGINT NOT NULL,
    has_dirigenti   BIGINT NOT NULL CHECK (has_dirigenti IN (0, 1)),
    created_at      TEXT NOT NULL
);

CREATE TABLE cycle (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    year            BIGINT NOT NULL,
    triennium_from  BIGINT NOT NULL,
    triennium_to    BIGINT NOT NULL,
    starts          TEXT NOT NULL,                 -- ISO dates
    ends            TEXT NOT NULL,
    piao_due        TEXT NOT NULL,
    relazione_due   TEXT NOT NULL,
    UNIQUE (ente_id, year)
);

CREATE TABLE person (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    matricola       TEXT NOT NULL,
    family_name     TEXT NOT NULL,
    given_name      TEXT NOT NULL,
    title           TEXT,
    email           TEXT,
    UNIQUE (ente_id, matricola)
);

-- One row per unit per cycle; lineage_id is the unit's identity across cycles, so a unit
-- renamed, recoded or moved next year keeps its history.
CREATE TABLE org_unit (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
    lineage_id      TEXT NOT NULL,
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,                 -- direzione | area | settore | unita | servizio
    parent_id       TEXT REFERENCES org_unit(id),
    cdr             TEXT,                          -- centro di responsabilità
    responsible_id  TEXT REFERENCES person(id),
    valid_from      TEXT NOT NULL,
    valid_to        TEXT NOT NULL,
    position        BIGINT NOT NULL,              -- order of siblings as given
    UNIQUE (cycle_id, code),
    UNIQUE (cycle_id, lineage_id)
);
CREATE INDEX org_unit_ente_cycle ON org_unit (ente_id, cycle_id);
CREATE INDEX org_unit_lineage ON org_unit (ente_id, lineage_id);

CREATE TABLE assignment (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
    person_id       TEXT NOT NULL REFERENCES person(id),
    unit_id         TEXT NOT NULL REFERENCES org_unit(id),
    role            TEXT NOT NULL,                 -- direttore | dirigente | po_eq | dipendente | segretario
    category        TEXT NOT NULL,                 -- A B C D PO | OP OE IR EQ | DI SG
    part_time_pct   TEXT NOT NULL,                 -- decimal, 0 < pct <= 100
    part_time_kind  TEXT NOT NULL,                 -- pieno | orizzontale | verticale | misto
    starts          TEXT NOT NULL,
    ends            TEXT,                          -- NULL = open-ended
    interim         BIGINT NOT NULL CHECK (interim IN (0, 1))
);
CREATE INDEX assignment_ente_cycle ON assignment (ente_id, cycle_id);
CREATE INDEX assignment_person ON assignment (person_id);

-- Append-only; each record's hash covers the previous record's hash of the same ente,
-- so an edit or a deletion breaks the chain.
CREATE TABLE audit_log (
    seq             BIGINT PRIMARY KEY,
    ente_id         TEXT REFERENCES ente(id),
    cycle_id        TEXT,                          -- the cycle the change concerns, if any
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    entity          TEXT NOT NULL,
    entity_id       TEXT,
    before          TEXT,                          -- JSON
    after           TEXT,                          -- JSON
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE INDEX audit_log_ente ON audit_log (ente_id, seq);
CREATE INDEX audit_log_cycle ON audit_log (ente_id, cycle_id);
