-- Every archive loaded by `traguardi restore`. An archive of one ente carries only that ente's
-- audit records, so the shared sequence has gaps where the other enti's records were: they are
-- expected up to `last_seq` of such a restore, and only there.
CREATE TABLE restore_log (
    restored_at     TEXT NOT NULL,
    archive_sha256  TEXT NOT NULL,
    ente_code       TEXT,
    last_seq        BIGINT NOT NULL
);
