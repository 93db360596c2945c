-- An applicant's withdrawal of an application (rinuncia alla domanda), recorded by the comune
-- of filing: the date on the signed rinuncia, an optional note, who recorded it and when. A
-- withdrawn application is left out of the next ranking. A withdrawal recorded by mistake is
-- annulled (the reason kept in the row, the row itself never erased); one row per
-- application, a new version each time it changes. Travels to the capofila with the
-- application.
CREATE TABLE application_withdrawals (
    id             TEXT PRIMARY KEY,
    owner          TEXT NOT NULL,
    version        INTEGER NOT NULL,
    content_hash   TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    application_id TEXT NOT NULL UNIQUE REFERENCES applications (id),
    withdrawn_on   TEXT NOT NULL,
    note           TEXT,
    operator       TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    -- Set when the withdrawal is annulled: why, and when.
    annulled_reason TEXT,
    annulled_at     TEXT
);
