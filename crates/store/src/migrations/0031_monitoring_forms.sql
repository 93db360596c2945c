-- Half-year forms (schede di monitoraggio): one per install, half-year and action; written by
-- the manager, then closed (read-only). A correction after closing is a new revision, open,
-- the closed ones kept. Each comune's travel to the capofila.
CREATE TABLE monitoring_forms (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    period       TEXT NOT NULL,
    action       TEXT NOT NULL,
    -- 1, then one more for each correction after closing.
    revision     INTEGER NOT NULL CHECK (revision >= 1),
    -- The form as JSON (`sportello_domain::monitoring::Form`).
    form         TEXT NOT NULL,
    operator     TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    closed_at    TEXT,
    closed_by    TEXT,
    UNIQUE (owner, period, action, revision)
);
