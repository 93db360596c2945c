-- Performance (issue 17): what an import writes for each revision, in one row.
--
-- A revision's household (0035) joins its search text (0036) in `application_search`, one
-- B-tree keyed by revision: an import wrote a row in each of two for every revision it
-- brought. The rows held are copied; the Rust step of this migration derives those neither
-- table had (a database older than both: the backfills of 0020 and 0035 are this one's now).
-- Derived from the revision, never synchronised; encrypted with the rest of the database. A
-- revision whose declaration cannot be read has no row: no search finds it, and the
-- duplicates review names it unreadable.
CREATE TABLE application_search_households (
    revision_id    TEXT PRIMARY KEY REFERENCES application_revisions (id) ON DELETE CASCADE,
    code           TEXT NOT NULL,
    people         TEXT NOT NULL,
    -- The applicant's «Cognome Nome».
    applicant      TEXT NOT NULL,
    -- Every codice fiscale the declaration names, the applicant's first, as a JSON list.
    codici_fiscali TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO application_search_households (revision_id, code, people, applicant, codici_fiscali)
    SELECT s.revision_id, s.code, s.people, h.applicant, h.codici_fiscali
    FROM application_search s JOIN application_households h ON h.revision_id = s.revision_id;
DROP TABLE application_search;
DROP TABLE application_households;
ALTER TABLE application_search_households RENAME TO application_search;
