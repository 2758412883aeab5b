-- Corrections after the year-end close: new, audited events that reference the snapshot they
-- correct; the snapshot itself is never edited.
CREATE TABLE close_correction (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
    snapshot_hash   TEXT NOT NULL,
    subject         TEXT NOT NULL,
    before_value    TEXT NOT NULL,
    after_value     TEXT NOT NULL,
    reason          TEXT NOT NULL,
    act_code        TEXT,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL
);
CREATE INDEX close_correction_cycle ON close_correction (cycle_id, created_at);
