-- The score of each behaviour of the catalogue in an evaluation (on the cycle's scale).
CREATE TABLE evaluation_item (
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    person_id       TEXT NOT NULL REFERENCES person(id),
    code            TEXT NOT NULL,
    value           TEXT NOT NULL,                 -- decimal
    PRIMARY KEY (cycle_id, person_id, code)
);
