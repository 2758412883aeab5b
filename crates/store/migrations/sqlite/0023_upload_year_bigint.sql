-- The cycle's year of an upload, 64-bit like every integer of the schema: already so in SQLite,
-- whose INTEGER is 64-bit; PostgreSQL's migration of the same number widens it.
SELECT 1;
