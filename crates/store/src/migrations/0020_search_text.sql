-- The Domande search's folded text of each revision (`sportello_domain::search::SearchText`:
-- the application code; the applicant's name both ways round and every codice fiscale of the
-- household), written by the store with each revision (filed, corrected or imported) and, for
-- the revisions already held, by the Rust step of this migration. A search narrows on it in SQL
-- and decodes only the declarations it finds. Derived from the revision, never synchronised;
-- encrypted with the rest of the database. A revision whose declaration cannot be read has no
-- row: no search finds it (the listing names it among the unreadable ones).
CREATE TABLE application_search (
    revision_id TEXT PRIMARY KEY REFERENCES application_revisions (id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    people      TEXT NOT NULL
);
