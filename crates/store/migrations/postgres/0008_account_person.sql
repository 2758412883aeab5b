-- The person an account is, in an ente: what lets an employee or a manager see their own
-- evaluation and premium.
CREATE TABLE account_person (
    account_id      TEXT NOT NULL REFERENCES account(id),
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    person_id       TEXT NOT NULL REFERENCES person(id),
    PRIMARY KEY (account_id, ente_id)
);
