-- Sync bookkeeping: settings (trust list), peers, bundles sent and received, the import log,
-- and published rankings (frozen with the rules and inputs they were computed from).

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- What this install knows of each other install it exchanges bundles with.
CREATE TABLE peers (
    comune          TEXT PRIMARY KEY,
    -- Highest of OUR versions the peer confirmed applying (its ack in its last bundle).
    acked_version   INTEGER NOT NULL DEFAULT 0,
    -- Highest version of the PEER's records applied here (our ack in the next bundle to it).
    applied_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE bundles_out (
    recipient   TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    header_hash TEXT NOT NULL,
    records     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    -- The exact bytes, written here before the file, so a bundle number never has two contents.
    bytes       BLOB NOT NULL,
    PRIMARY KEY (recipient, seq)
);

CREATE TABLE bundles_in (
    sender      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    header_hash TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    summary     TEXT NOT NULL,
    PRIMARY KEY (sender, seq)
);

-- Every import attempt, accepted or refused.
CREATE TABLE import_log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sender    TEXT,
    bundle_seq INTEGER,
    outcome   TEXT NOT NULL CHECK (outcome IN ('applied', 'already_imported', 'refused')),
    code      TEXT,
    message   TEXT,
    summary   TEXT
);

CREATE TABLE rankings (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    bando        TEXT NOT NULL,
    number       INTEGER NOT NULL,
    stage        TEXT NOT NULL CHECK (stage IN ('provisional', 'definitive')),
    published_at TEXT NOT NULL,
    -- The bando (with its rules) exactly as the ranking was computed from it.
    bando_toml   TEXT NOT NULL,
    -- Each input application: id, version, content hash.
    inputs       TEXT NOT NULL,
    -- The ranked rows (JSON array), restricted to the recipient's applications in a publish.
    rows         TEXT NOT NULL,
    UNIQUE (bando, number)
);
