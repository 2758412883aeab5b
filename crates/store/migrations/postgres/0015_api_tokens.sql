-- API tokens for integrations: each acts as its account, with the account's roles. Only the
-- token's SHA-256 is stored; a revoked token stays listed with when it was revoked.
CREATE TABLE api_token (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES account(id),
    name            TEXT NOT NULL,
    token_hash      TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL,
    last_used_at    TEXT,
    revoked_at      TEXT,
    UNIQUE (account_id, name)
);
