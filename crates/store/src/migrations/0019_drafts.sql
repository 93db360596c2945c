-- Drafts of new applications, one per operator: the form as the window holds it while it is
-- typed, kept across restarts inside the encrypted database. Working material of this install
-- only: never synchronised, never in a bundle, not in the registry of persons. Filing the
-- application from it deletes it; so does «Scarta».
CREATE TABLE application_drafts (
    operator   TEXT PRIMARY KEY,
    -- The window's form as JSON, as typed (nothing in it is checked until it is filed).
    draft      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
