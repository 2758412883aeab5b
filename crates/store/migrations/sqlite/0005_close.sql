-- The year-end close: an immutable snapshot of a cycle's targets, actuals, weights, rules and
-- scores, identified by the SHA-256 of its canonical JSON.
CREATE TABLE cycle_close (
    cycle_id        TEXT PRIMARY KEY REFERENCES cycle(id),
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    closed_at       TEXT NOT NULL,
    closed_by       TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    snapshot        TEXT NOT NULL,
    forced          INTEGER NOT NULL CHECK (forced IN (0, 1)),
    reason          TEXT
);
