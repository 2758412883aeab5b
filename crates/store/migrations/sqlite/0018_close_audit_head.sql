-- The audit chain's head when a cycle was closed (the sequence number and hash of the ente's
-- last record before the close), so that `audit --verify` can tell when records after it, the
-- close's own among them, were removed.
ALTER TABLE cycle_close ADD COLUMN audit_seq BIGINT;
ALTER TABLE cycle_close ADD COLUMN audit_hash TEXT;
