-- Objections (opposizioni) to a provisional ranking, recorded by the comune where the
-- application was filed: what is contested (a factor of the breakdown, or `exclusion`), the
-- applicant's text, the day it was received and, when received after the window closed, why a
-- responsabile admitted it. When an accepted objection is carried out, the correction's
-- revision is written here. Travels to the capofila with the application.
CREATE TABLE objections (
    id               TEXT PRIMARY KEY,
    owner            TEXT NOT NULL,
    version          INTEGER NOT NULL,
    content_hash     TEXT NOT NULL,
    deleted          INTEGER NOT NULL DEFAULT 0,
    application_id   TEXT NOT NULL REFERENCES applications (id),
    about            TEXT NOT NULL,
    text             TEXT NOT NULL,
    received_on      TEXT NOT NULL,
    late_reason      TEXT,
    operator         TEXT NOT NULL,
    recorded_at      TEXT NOT NULL,
    applied_revision INTEGER,
    applied_at       TEXT
);

-- The capofila's decision on an objection: accolta or respinta, with its reason. One row per
-- objection, owned by the capofila; `comune` is the objection's comune, so each comune
-- receives the decisions on its own objections only.
CREATE TABLE objection_decisions (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    objection_id TEXT NOT NULL UNIQUE REFERENCES objections (id),
    comune       TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    operator     TEXT NOT NULL,
    decided_at   TEXT NOT NULL
);
