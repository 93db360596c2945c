-- Servizio civico attendance: the hours each participant served on each day, from the host
-- office's monthly sheets (typed or imported from its CSV). One row per participant and day;
-- a day imported again takes the new hours (a new version; the audit trail keeps the import).
-- Travels to the capofila.
CREATE TABLE civico_attendance (
    id             TEXT PRIMARY KEY,
    owner          TEXT NOT NULL,
    version        INTEGER NOT NULL,
    content_hash   TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    application_id TEXT NOT NULL REFERENCES applications (id),
    day            TEXT NOT NULL,
    -- Decimal text, `3.5`.
    hours          TEXT NOT NULL,
    operator       TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    UNIQUE (application_id, day)
);
