-- In-app notifications (reminders of late values, escalated up the line); one per person,
-- cycle, kind and day, so that sending twice on a day sends nothing new.
CREATE TABLE notification (
    id              TEXT PRIMARY KEY,
    ente_id         TEXT NOT NULL REFERENCES ente(id),
    cycle_id        TEXT NOT NULL REFERENCES cycle(id),
    person_id       TEXT NOT NULL REFERENCES person(id),
    kind            TEXT NOT NULL,                 -- sollecito | sollecito_superiore
    day             TEXT NOT NULL,
    text            TEXT NOT NULL,
    emailed_to      TEXT,
    created_at      TEXT NOT NULL,
    UNIQUE (cycle_id, person_id, kind, day)
);
CREATE INDEX notification_person ON notification (person_id, created_at);
