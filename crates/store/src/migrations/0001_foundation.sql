-- Foundation: the install, bandi, persons, households, applications, audit trail.
-- Every synchronised row carries id (UUID v7), owner (ISTAT code of the comune that made it),
-- version (the owner's change counter), content_hash (SHA-256 of its content) and deleted.

CREATE TABLE install (
    singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
    comune        TEXT NOT NULL,
    district_id   TEXT NOT NULL,
    district_toml TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    -- The owner's change counter: every change of an owned row takes the next value.
    change_seq    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE bandi (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    code         TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    opens        TEXT NOT NULL,
    closes       TEXT NOT NULL,
    toml         TEXT NOT NULL
);

CREATE TABLE persons (
    id             TEXT PRIMARY KEY,
    owner          TEXT NOT NULL,
    version        INTEGER NOT NULL,
    content_hash   TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    codice_fiscale TEXT NOT NULL,
    surname        TEXT NOT NULL,
    name           TEXT NOT NULL,
    birth_date     TEXT NOT NULL,
    sex            TEXT NOT NULL CHECK (sex IN ('M', 'F')),
    birth_place    TEXT NOT NULL,
    address        TEXT,
    phone          TEXT,
    email          TEXT,
    UNIQUE (owner, codice_fiscale)
);
CREATE INDEX persons_codice_fiscale ON persons (codice_fiscale);

CREATE TABLE households (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE household_members (
    id              TEXT PRIMARY KEY,
    owner           TEXT NOT NULL,
    version         INTEGER NOT NULL,
    content_hash    TEXT NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0,
    household_id    TEXT NOT NULL REFERENCES households (id),
    person_id       TEXT NOT NULL REFERENCES persons (id),
    ordinal         INTEGER NOT NULL,
    relation        TEXT NOT NULL,
    dependent_minor INTEGER NOT NULL,
    disabled        INTEGER NOT NULL,
    UNIQUE (household_id, ordinal)
);
CREATE INDEX household_members_person ON household_members (person_id);

CREATE TABLE applications (
    id                     TEXT PRIMARY KEY,
    owner                  TEXT NOT NULL,
    version                INTEGER NOT NULL,
    content_hash           TEXT NOT NULL,
    deleted                INTEGER NOT NULL DEFAULT 0,
    comune                 TEXT NOT NULL,
    bando                  TEXT NOT NULL,
    year                   INTEGER NOT NULL,
    case_seq               INTEGER NOT NULL,
    application_code       TEXT NOT NULL UNIQUE,
    filed_at               TEXT NOT NULL,
    applicant_id           TEXT NOT NULL REFERENCES persons (id),
    household_id           TEXT NOT NULL REFERENCES households (id),
    isee_value             TEXT,
    isee_kind              TEXT,
    dsu_protocol           TEXT,
    dsu_date               TEXT,
    dsu_expiry             TEXT,
    resident               INTEGER NOT NULL,
    unemployed             INTEGER NOT NULL,
    unemployed_since       TEXT,
    other_income_support   INTEGER NOT NULL,
    single_parent          INTEGER NOT NULL,
    applicant_disabled     INTEGER NOT NULL,
    housing                TEXT NOT NULL CHECK (housing IN ('none', 'rent', 'eviction')),
    previous_participation INTEGER NOT NULL,
    override_note          TEXT,
    protocol_number        TEXT,
    UNIQUE (comune, year, case_seq)
);
CREATE INDEX applications_bando ON applications (bando);

-- Who did what, when. Append-only: the triggers refuse edits and deletions.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT,
    detail    TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
