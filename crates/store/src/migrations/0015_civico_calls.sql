-- Servizio civico after the definitive ranking: what happened to each applicant the comune
-- called (called, accepted, renounced, lapsed, ended, completed), one row per event, never
-- edited. The call list and the scorrimento are computed from these and the ranking
-- (`sportello_domain::civico`). Travels to the capofila, which sees every comune's calls.
CREATE TABLE civico_events (
    id             TEXT PRIMARY KEY,
    owner          TEXT NOT NULL,
    version        INTEGER NOT NULL,
    content_hash   TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    application_id TEXT NOT NULL REFERENCES applications (id),
    kind           TEXT NOT NULL
        CHECK (kind IN ('called', 'accepted', 'renounced', 'lapsed', 'ended', 'completed')),
    happened_on    TEXT NOT NULL,
    -- How the applicant was called, or why the service ended.
    note           TEXT,
    operator       TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX civico_events_application ON civico_events (application_id);
