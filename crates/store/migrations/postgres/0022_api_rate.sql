-- Requests of each API token per minute (UTC, `YYYY-MM-DDTHH:MM`): the rate limit is counted
-- here so that every app node of an installation counts the same requests.
CREATE TABLE api_rate (
    token_hash      TEXT NOT NULL,
    minute          TEXT NOT NULL,
    requests        BIGINT NOT NULL,
    PRIMARY KEY (token_hash, minute)
);
