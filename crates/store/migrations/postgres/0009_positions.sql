-- The yearly base of the result pay of each managerial position (from its weighting), by unit.
CREATE TABLE position_pay (
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    unit_id         TEXT NOT NULL REFERENCES org_unit(id),
    base_cents      BIGINT NOT NULL,
    PRIMARY KEY (cycle_id, unit_id)
);
