-- The scoring rules of a cycle (cap and over-achievement, traffic lights, what a Direzione's
-- result takes in, rounding), versioned like the rules of the premi: each change is a new
-- version; the latest is in force; the close freezes it.
CREATE TABLE scoring_rules (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
    version         BIGINT NOT NULL,
    rules           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    UNIQUE (cycle_id, version)
);
