-- Every screen at ten years of data (issue 17), the second part (the first: 0033_screens.sql).
--
-- The household of each revision: the applicant's «Cognome Nome» and every codice fiscale
-- the declaration names (a JSON list, the applicant's first), written by the store with each
-- revision (filed, corrected or imported) and, for the revisions already held, by the Rust
-- step of this migration. The duplicates review and the exclusions across comuni link
-- applications through them without decoding every declaration; the ranking still reads the
-- declarations. Derived from the revision, never synchronised; encrypted with the rest of the
-- database. A revision whose declaration cannot be read has no row.
CREATE TABLE application_households (
    revision_id    TEXT PRIMARY KEY REFERENCES application_revisions (id) ON DELETE CASCADE,
    applicant      TEXT NOT NULL,
    codici_fiscali TEXT NOT NULL
) WITHOUT ROWID;

-- Each application's current revision (the highest of those not deleted) and its filing
-- instant from an index alone: every list of applications looks them up, one by one.
CREATE INDEX application_revisions_current
    ON application_revisions (application_id, deleted, revision, filed_at, id);

-- The cases closed in a half-year (monitoring), without reading every case opened before it.
CREATE INDEX front_office_cases_closed ON front_office_cases (closed_on, opened_on, due_on,
    outcome, owner) WHERE deleted = 0 AND closed_on IS NOT NULL;
