-- Applications keep what was declared (step 1 of 2; a Rust step moves the data between them).
-- Until now an application referenced persons kept one per codice fiscale and comune, updated
-- by every later filing, so filing one application could change another. From here each
-- application holds, in numbered revisions, the identity and circumstances declared in it:
-- revision 1 as filed, then one per correction with its reason and operator. Revisions are
-- never edited. Persons become the registry `application_people`: which codice fiscale each
-- revision names, derived by triggers, for the duplicates review and a person's history; it
-- never feeds a ranking.

ALTER TABLE applications RENAME TO applications_v2;
DROP INDEX applications_bando;

-- What identifies an application; set when it is filed, never changed.
CREATE TABLE applications (
    id               TEXT PRIMARY KEY,
    owner            TEXT NOT NULL,
    version          INTEGER NOT NULL,
    content_hash     TEXT NOT NULL,
    deleted          INTEGER NOT NULL DEFAULT 0,
    comune           TEXT NOT NULL,
    bando            TEXT NOT NULL,
    year             INTEGER NOT NULL,
    case_seq         INTEGER NOT NULL CHECK (case_seq >= 1),
    application_code TEXT NOT NULL UNIQUE,
    UNIQUE (comune, year, case_seq)
);
CREATE INDEX applications_bando ON applications (bando);

-- What was declared, revision by revision.
CREATE TABLE application_revisions (
    id              TEXT PRIMARY KEY,
    owner           TEXT NOT NULL,
    version         INTEGER NOT NULL,
    content_hash    TEXT NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0,
    application_id  TEXT NOT NULL REFERENCES applications (id),
    revision        INTEGER NOT NULL CHECK (revision >= 1),
    filed_at        TEXT NOT NULL,
    protocol_number TEXT,
    override_note   TEXT,
    -- The declaration as JSON (applicant, household, ISEE, circumstances), in the one form the
    -- domain types write.
    declaration     TEXT NOT NULL,
    -- Why this revision was made; NULL for the application as filed.
    reason          TEXT,
    operator        TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    UNIQUE (application_id, revision)
);

-- The registry of persons: each codice fiscale a revision names. Kept by the triggers below,
-- so it follows local filings and imported revisions alike; never synchronised.
CREATE TABLE application_people (
    revision_id    TEXT NOT NULL REFERENCES application_revisions (id) ON DELETE CASCADE,
    application_id TEXT NOT NULL,
    codice_fiscale TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('applicant', 'member'))
);
CREATE INDEX application_people_codice_fiscale ON application_people (codice_fiscale);
CREATE INDEX application_people_revision ON application_people (revision_id);

CREATE TRIGGER application_people_on_insert AFTER INSERT ON application_revisions
BEGIN
    INSERT INTO application_people (revision_id, application_id, codice_fiscale, role)
    SELECT NEW.id, NEW.application_id,
           upper(json_extract(NEW.declaration, '$.applicant.codice_fiscale')), 'applicant'
    UNION ALL
    SELECT NEW.id, NEW.application_id, upper(json_extract(m.value, '$.codice_fiscale')), 'member'
    FROM json_each(NEW.declaration, '$.household') AS m;
END;

CREATE TRIGGER application_people_on_update AFTER UPDATE OF declaration ON application_revisions
BEGIN
    DELETE FROM application_people WHERE revision_id = OLD.id;
    INSERT INTO application_people (revision_id, application_id, codice_fiscale, role)
    SELECT NEW.id, NEW.application_id,
           upper(json_extract(NEW.declaration, '$.applicant.codice_fiscale')), 'applicant'
    UNION ALL
    SELECT NEW.id, NEW.application_id, upper(json_extract(m.value, '$.codice_fiscale')), 'member'
    FROM json_each(NEW.declaration, '$.household') AS m;
END;
