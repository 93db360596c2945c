-- An install replaced (a new PC) or restored from an older backup catches up instead of
-- forking: each side remembers enough of the other's counters to notice and heal.

-- Comune: the last of its own bundles the capofila confirmed receiving; the next one is
-- numbered above it, even when this database has forgotten writing it.
ALTER TABLE peers ADD COLUMN acked_seq INTEGER NOT NULL DEFAULT 0;
-- Capofila: the comune lacks its own records above this version (a new or restored install);
-- the next publish bundle to it returns them. NULL when it lacks nothing.
ALTER TABLE peers ADD COLUMN recovery_from INTEGER;
-- What each bundle written acknowledged of the recipient's records, so an upload that starts
-- below what it was told shows that its sender lost data.
ALTER TABLE bundles_out ADD COLUMN ack_version INTEGER NOT NULL DEFAULT 0;

-- Rows set aside by the capofila because they cannot be read (a damaged file, a row written
-- by an older version): kept whole, out of every listing and ranking. A later version of the
-- same row from its owner replaces it.
CREATE TABLE quarantined_records (
    tbl            TEXT NOT NULL,
    id             TEXT NOT NULL,
    owner          TEXT NOT NULL,
    version        INTEGER NOT NULL,
    -- The row as it was, as JSON.
    row            TEXT NOT NULL,
    reason         TEXT NOT NULL,
    quarantined_at TEXT NOT NULL,
    actor          TEXT NOT NULL,
    PRIMARY KEY (tbl, id)
);
