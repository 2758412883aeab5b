-- The plan: dimensions and their ambiti (configuration per ente), the DUP, objectives in a tree
-- of any depth (objective → fasi → II livello → individual), KPIs with targets per year and
-- period, and measurements with their versions and evidence.

CREATE TABLE dimension (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    code            TEXT NOT NULL,                 -- solidale | salute | portafoglio | direzione | segretario | direttore_generale
    name            TEXT NOT NULL,
    position        INTEGER NOT NULL,
    UNIQUE (ente_id, code)
);

CREATE TABLE ambito (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    dimension_id    TEXT NOT NULL REFERENCES dimension(id),
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    position        INTEGER NOT NULL,
    UNIQUE (dimension_id, code)
);

CREATE TABLE dup_objective (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    code            TEXT NOT NULL,
    kind            TEXT NOT NULL,                 -- strategico | operativo
    title           TEXT NOT NULL,
    description     TEXT,                          -- descrizione delle finalità
    missione        TEXT,
    programma       TEXT,
    parent_id       TEXT REFERENCES dup_objective(id),
    owner_lineage   TEXT,                          -- the owner Direzione, across cycles
    tags            TEXT NOT NULL,                 -- comma-separated (AGID OB.x.y, bilancio di genere)
    UNIQUE (ente_id, code)
);

CREATE TABLE objective (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
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
    UNIQUE (cycle_id, code)
);
CREATE INDEX objective_cycle ON objective (ente_id, cycle_id);

-- Units contributing to an objective they are not responsible for (Obiettivi Solidali: all
-- Direzioni contribute, optionally with a share in %).
CREATE TABLE objective_contribution (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    objective_id    TEXT NOT NULL REFERENCES objective(id),
    unit_id         TEXT NOT NULL REFERENCES org_unit(id),
    share           TEXT,                          -- decimal %, NULL = unspecified
    UNIQUE (objective_id, unit_id)
);

CREATE TABLE kpi (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
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
    UNIQUE (cycle_id, code)
);
CREATE INDEX kpi_cycle ON kpi (ente_id, cycle_id);

-- period_end '' is the target of the whole year (NULLs are not unique alike on both backends).
CREATE TABLE kpi_target (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    kpi_id          TEXT NOT NULL REFERENCES kpi(id),
    year            INTEGER NOT NULL,
    period_end      TEXT NOT NULL,
    value           TEXT NOT NULL,
    UNIQUE (kpi_id, year, period_end)
);

CREATE TABLE measurement (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    kpi_id          TEXT NOT NULL REFERENCES kpi(id),
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
    UNIQUE (kpi_id, period_end, version)
);
CREATE INDEX measurement_kpi ON measurement (ente_id, kpi_id);

CREATE TABLE evidence (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    measurement_id  TEXT NOT NULL REFERENCES measurement(id),
    filename        TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    size            INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    data            BLOB NOT NULL,
    uploaded_by     TEXT NOT NULL,
    uploaded_at     TEXT NOT NULL
);
