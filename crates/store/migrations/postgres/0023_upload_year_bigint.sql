-- The cycle's year of an upload, 64-bit like every integer of the schema (it was created as
-- INTEGER, 32-bit on PostgreSQL only).
ALTER TABLE import_upload ALTER COLUMN cycle_year TYPE BIGINT;
