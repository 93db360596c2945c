-- Servizio civico checks of a participant, in itinere and at the end: tasks done, training
-- received, skills acquired and, at the end, whether the person found work afterwards. One row
-- per participant and stage, a new version when recorded again. Travels to the capofila.
CREATE TABLE civico_checks (
    id             TEXT PRIMARY KEY,
    owner          TEXT NOT NULL,
    version        INTEGER NOT NULL,
    content_hash   TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    application_id TEXT NOT NULL REFERENCES applications (id),
    stage          TEXT NOT NULL CHECK (stage IN ('itinere', 'finale')),
    done_on        TEXT NOT NULL,
    tasks          TEXT NOT NULL,
    training       TEXT,
    skills         TEXT,
    -- 1 found work after the service, 0 not, NULL not known (or in itinere).
    employed_after INTEGER CHECK (employed_after IN (0, 1)),
    operator       TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    UNIQUE (application_id, stage)
);
