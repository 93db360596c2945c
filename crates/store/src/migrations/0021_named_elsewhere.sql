-- What the capofila tells each comune, per bando, of the people named in the other comuni's
-- applications: keyed digests of their codici fiscali (never the codes), so that the desk warns
-- of a person already in another comune's application. One row per bando and recipient comune,
-- owned by the capofila and rewritten before each of its exports; each row has its own random
-- key, so two comuni's lists cannot be matched with each other.
CREATE TABLE named_elsewhere (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    bando        TEXT NOT NULL,
    -- The comune the row is for (ISTAT): only it receives the row.
    recipient    TEXT NOT NULL,
    -- 32 random bytes, hex: the key of the row's digests.
    digest_key   TEXT NOT NULL,
    -- When the capofila computed the digests (RFC 3339).
    as_of        TEXT NOT NULL,
    -- JSON list of digests (see `named_elsewhere::digest`), sorted.
    digests      TEXT NOT NULL,
    UNIQUE (bando, recipient)
);
