-- Every screen at ten years of data (issue 17): what an import writes for each revision.
--
-- The search texts kept as the households are (0035), in one B-tree keyed by revision: they were
-- a rowid table beside its key's index, two B-trees an import wrote into for every revision.
CREATE TABLE application_search_by_revision (
    revision_id TEXT PRIMARY KEY REFERENCES application_revisions (id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    people      TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO application_search_by_revision (revision_id, code, people)
    SELECT revision_id, code, people FROM application_search;
DROP TABLE application_search;
ALTER TABLE application_search_by_revision RENAME TO application_search;
