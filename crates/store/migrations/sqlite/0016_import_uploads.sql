-- Files uploaded to the import wizard, kept between its steps (mapping, preview, commit) in
-- the database, so that any node of the application can serve the next step. A file leaves
-- when it is committed or abandoned for a day.
CREATE TABLE import_upload (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    owner           TEXT NOT NULL,                 -- the user who uploaded it: only they see it
    kind            TEXT NOT NULL,                 -- misurazioni | piano | persone
    cycle_year      INTEGER,
    filename        TEXT NOT NULL,
    data            BLOB NOT NULL,
    columns         TEXT,                          -- the mapping chosen, JSON [[file header, column]]
    uploaded_at     TEXT NOT NULL
);
