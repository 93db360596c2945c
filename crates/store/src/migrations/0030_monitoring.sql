-- Monitoring: each install's named counts per half-year (figures, never people), recomputed
-- before each upload and sent to the capofila, which adds the comuni's up for the district.
CREATE TABLE monitoring_counts (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    -- `AAAA-H1` or `AAAA-H2`.
    period       TEXT NOT NULL,
    -- {"civico.hours": "312.5", …}: decimal texts by count name.
    counts       TEXT NOT NULL,
    computed_at  TEXT NOT NULL,
    UNIQUE (owner, period)
);
