-- Servizio civico complaints (reclami) from host offices and from participants, handled and
-- closed by the comune: one row per complaint, a new version when it is closed. Travels to the
-- capofila (half-year monitoring counts them).
CREATE TABLE civico_complaints (
    id             TEXT PRIMARY KEY,
    owner          TEXT NOT NULL,
    version        INTEGER NOT NULL,
    content_hash   TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    application_id TEXT NOT NULL REFERENCES applications (id),
    source         TEXT NOT NULL CHECK (source IN ('host', 'participant')),
    text           TEXT NOT NULL,
    received_on    TEXT NOT NULL,
    operator       TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    -- How it was handled, when it was closed.
    outcome        TEXT,
    closed_at      TEXT
);
