-- Rimodulazioni: approved mid-year changes of the plan, with the original and revised value.
CREATE TABLE revision (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
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
    created_by      TEXT NOT NULL
);
CREATE INDEX revision_cycle ON revision (cycle_id, created_at);
