-- SIUSS reporting at the comune: the flows sent to INPS and, per participant and month, the
-- record in force there (what the last flow inserted and no later flow cancelled), so that the
-- next export sends only what is new or changed. Local to the comune that reports.
CREATE TABLE siuss_flows (
    name     TEXT PRIMARY KEY,
    sent_on  TEXT NOT NULL,
    sent_at  TEXT NOT NULL,
    operator TEXT NOT NULL,
    file     TEXT NOT NULL,
    records  INTEGER NOT NULL
);

CREATE TABLE siuss_sent (
    application_code TEXT NOT NULL,
    -- `aaaa-mm`.
    month            TEXT NOT NULL,
    flow             TEXT NOT NULL REFERENCES siuss_flows (name),
    -- The record as sent (JSON of `sportello_domain::siuss::Record`).
    record           TEXT NOT NULL,
    -- The flow that cancelled it, once one did.
    cancelled_by     TEXT REFERENCES siuss_flows (name),
    PRIMARY KEY (application_code, month, flow)
);

CREATE INDEX siuss_sent_in_force ON siuss_sent (application_code, month) WHERE cancelled_by IS NULL;
