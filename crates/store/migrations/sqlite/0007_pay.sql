-- Evaluation and pay (SPEC §4): absences, individual evaluations, the fondo risorse decentrate,
-- the versioned rules of the premi, the payout scenarios, and the Relazione's path.

-- Absences of a person in a cycle that may reduce presence, by payroll cause code.
CREATE TABLE absence (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
    person_id       TEXT NOT NULL REFERENCES person(id),
    cause           TEXT NOT NULL,
    days            TEXT NOT NULL,                 -- decimal
    UNIQUE (cycle_id, person_id, cause)
);

-- One evaluation per person and cycle; scores are decimals 0–100 as text.
CREATE TABLE evaluation (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
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
    UNIQUE (cycle_id, person_id)
);

CREATE TABLE fund (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
    kind            TEXT NOT NULL,                 -- dipendenti | dirigenti | eq
    cap_cents       INTEGER,                       -- art. 23 c.2 D.Lgs 75/2017
    certified_by    TEXT,
    certified_on    TEXT,
    updated_at      TEXT NOT NULL,
    UNIQUE (cycle_id, kind)
);

CREATE TABLE fund_item (
    id              TEXT PRIMARY KEY,
    fund_id         TEXT NOT NULL REFERENCES fund(id),
    position        INTEGER NOT NULL,
    voce            TEXT NOT NULL,
    description     TEXT NOT NULL,
    nature          TEXT NOT NULL,                 -- stabile | variabile | decurtazione | destinazione
    usage           TEXT NOT NULL,                 -- premi_organizzativa | premi_individuale | posizione | risultato | altro
    amount_cents    INTEGER NOT NULL,
    outside_cap     INTEGER NOT NULL CHECK (outside_cap IN (0, 1))
);
CREATE INDEX fund_item_fund ON fund_item (fund_id, position);

-- The rules of the premi of a cycle; each change is a new version.
CREATE TABLE pay_rules (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
    version         INTEGER NOT NULL,
    rules           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    UNIQUE (cycle_id, version)
);

-- A computed allocation with the rules and score changes it was made with; one per cycle
-- may be approved.
CREATE TABLE pay_scenario (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
    name            TEXT NOT NULL,
    rules           TEXT NOT NULL,
    overrides       TEXT NOT NULL,                 -- JSON: matricola → individual score
    result          TEXT NOT NULL,                 -- JSON of the allocation
    result_hash     TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    approved_at     TEXT,
    approved_by     TEXT,
    UNIQUE (cycle_id, name)
);

-- The Relazione sulla Performance of a cycle: bozza → approvata (Giunta act) → validata (NIV)
-- → pubblicata.
CREATE TABLE relazione (
    cycle_id        TEXT PRIMARY KEY REFERENCES cycle(id),
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    state           TEXT NOT NULL,
    act_code        TEXT,
    approved_on     TEXT,
    validated_on    TEXT,
    validated_by    TEXT,
    published_on    TEXT,
    note            TEXT,
    updated_at      TEXT NOT NULL
);
