-- The individual project of each servizio civico participant: sector, host site and office,
-- tutor, service period, weekly hours and schedule, insurance. One row per application, a new
-- version at each change (the audit trail keeps who changed it and when). Travels to the
-- capofila.
CREATE TABLE civico_projects (
    id             TEXT PRIMARY KEY,
    owner          TEXT NOT NULL,
    version        INTEGER NOT NULL,
    content_hash   TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    application_id TEXT NOT NULL UNIQUE REFERENCES applications (id),
    sector         TEXT NOT NULL,
    site           TEXT NOT NULL,
    office         TEXT,
    tutor          TEXT NOT NULL,
    start_on       TEXT NOT NULL,
    end_on         TEXT NOT NULL,
    weekly_hours   TEXT NOT NULL,
    schedule       TEXT,
    inail_position TEXT,
    rc_policy      TEXT,
    operator       TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
