-- The NIV's samples of measurements to check against their evidence, kept so that each can be
-- redrawn from its seed and audited.
CREATE TABLE niv_sample (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
    seed            TEXT NOT NULL,
    percent         TEXT NOT NULL,
    population      TEXT NOT NULL,
    items           TEXT NOT NULL,                 -- JSON
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL
);
