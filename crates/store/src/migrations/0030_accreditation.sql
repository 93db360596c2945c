-- Accreditation of providers. The notice, the providers, their applications and the
-- commission's assessments stay at the capofila; the register (`accreditation_register`)
-- is the capofila's, published to every comune, which holds it read-only.

-- Notices imported (the latest applies; none: the district's default).
CREATE TABLE accreditation_notices (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT NOT NULL,
    toml        TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    operator    TEXT NOT NULL
);

-- One identity per tax code, whatever the number of applications.
CREATE TABLE providers (
    id         TEXT PRIMARY KEY,
    tax_code   TEXT NOT NULL UNIQUE,
    legal_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE provider_applications (
    id          TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    notice      TEXT NOT NULL,
    -- The notice as it was when the application was filed (TOML).
    notice_toml TEXT NOT NULL,
    -- The application as filed (`provider apply` JSON, normalised).
    data        TEXT NOT NULL,
    filed_at    TEXT NOT NULL,
    operator    TEXT NOT NULL
);

-- Assessments: never changed once confirmed; a correction is a new row naming the one it
-- corrects.
CREATE TABLE provider_assessments (
    id              TEXT PRIMARY KEY,
    application_id  TEXT NOT NULL REFERENCES provider_applications (id),
    corrects        TEXT REFERENCES provider_assessments (id),
    reason          TEXT,
    data            TEXT NOT NULL,
    total           INTEGER NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('accreditato', 'non_accreditato')),
    reasons         TEXT NOT NULL,
    register_number TEXT,
    valid_from      TEXT,
    valid_until     TEXT,
    operator        TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    confirmed_by    TEXT,
    confirmed_at    TEXT
);
CREATE INDEX provider_assessments_application ON provider_assessments (application_id);

-- The district register of accredited providers.
CREATE TABLE accreditation_register (
    id                   TEXT PRIMARY KEY,
    owner                TEXT NOT NULL,
    version              INTEGER NOT NULL,
    content_hash         TEXT NOT NULL,
    deleted              INTEGER NOT NULL DEFAULT 0,
    register_number      TEXT NOT NULL UNIQUE,
    entered_on           TEXT NOT NULL,
    tax_code             TEXT NOT NULL,
    legal_name           TEXT NOT NULL,
    legal_form           TEXT NOT NULL,
    seat_istat           TEXT NOT NULL,
    -- JSON: [{"istat", "address"}]
    offices              TEXT NOT NULL,
    representative_name  TEXT NOT NULL,
    representative_role  TEXT NOT NULL,
    -- JSON: service ids and ISTAT codes.
    services             TEXT NOT NULL,
    comuni               TEXT NOT NULL,
    score                INTEGER NOT NULL,
    valid_from           TEXT NOT NULL,
    valid_until          TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('attivo', 'sospeso', 'revocato')),
    -- JSON: [{"status", "on", "reason", "operator"}], first to last.
    history              TEXT NOT NULL,
    -- JSON: {"durc": {"number", "date", "expires"}, ...}
    documents            TEXT NOT NULL,
    -- JSON: [{"on", "outcome", "note"}]: the yearly checks.
    checks               TEXT NOT NULL
);
