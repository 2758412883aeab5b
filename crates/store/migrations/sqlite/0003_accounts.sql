-- Accounts, their roles (scoped to an ente and, for managers, to a unit and everything below
-- it), sessions stored in the database so that several app nodes share them, and login attempts
-- for rate limiting.

CREATE TABLE account (
    id              TEXT PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    password_hash   TEXT NOT NULL,                 -- argon2id, PHC string
    active          INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at      TEXT NOT NULL
);

CREATE TABLE account_role (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES account(id),
    ente_id         TEXT REFERENCES ente(id),      -- NULL: the installation's administrator
    role            TEXT NOT NULL,
    unit_lineage    TEXT,                          -- scope of direttore/dirigente/po_eq: a unit and below
    created_at      TEXT NOT NULL
);
CREATE INDEX account_role_account ON account_role (account_id);

-- The token itself is never stored: only its SHA-256.
CREATE TABLE session (
    token_hash      TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES account(id),
    csrf            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL
);

CREATE TABLE login_attempt (
    id              TEXT PRIMARY KEY,
    username        TEXT NOT NULL,
    at              TEXT NOT NULL,
    success         INTEGER NOT NULL CHECK (success IN (0, 1))
);
CREATE INDEX login_attempt_user ON login_attempt (username, at);

-- The ente's calendar: its patron saint's day (a holiday) and the business days after a
-- period's end by which monitoring values are due.
CREATE TABLE ente_calendar (
    ente_id         TEXT PRIMARY KEY REFERENCES ente(id),
    patron_month    INTEGER,
    patron_day      INTEGER,
    due_days        INTEGER NOT NULL
);
