-- Acts of the ente (deliberations, determinations, decrees) and their pareri.
CREATE TABLE act (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    code            TEXT NOT NULL,                 -- e.g. GC 838/2020
    organ           TEXT NOT NULL,
    kind            TEXT NOT NULL,
    number          TEXT NOT NULL,
    adopted_on      TEXT NOT NULL,
    proposal        TEXT,
    subject         TEXT NOT NULL,
    immediate       BIGINT NOT NULL CHECK (immediate IN (0, 1)),
    albo_from       TEXT,
    albo_to         TEXT,
    executive_on    TEXT,
    UNIQUE (ente_id, code)
);

CREATE TABLE act_opinion (
    act_id          TEXT NOT NULL REFERENCES act(id),
    kind            TEXT NOT NULL,                 -- regolarita_tecnica | regolarita_contabile | legittimita
    outcome         TEXT NOT NULL,                 -- favorevole | sfavorevole | non_dovuto
    given_by        TEXT NOT NULL,
    given_on        TEXT,
    PRIMARY KEY (act_id, kind)
);
