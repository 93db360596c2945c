-- The map of services (mappa dei servizi). The district catalogue is the capofila's and is
-- published to the comuni (`services`); each comune's local entries are its own and travel up
-- to the capofila (`local_services`). One row per entry code (per comune for local entries);
-- an entry left out of a later import stays, inactive (`active` 0), so that contacts linked
-- to it keep its name. `comuni` lists the ISTAT codes covered, separated by one space, in
-- order; NULL covers every comune of the district (a local entry: its own comune).
-- `reviewed_on` is the day the entry was last imported changed or marked reviewed.
CREATE TABLE services (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    provider     TEXT,
    area         INTEGER NOT NULL CHECK (area BETWEEN 1 AND 3),
    comuni       TEXT,
    recipients   TEXT,
    access       TEXT,
    documents    TEXT,
    cost         TEXT,
    place        TEXT,
    hours        TEXT,
    contacts     TEXT,
    reviewed_on  TEXT NOT NULL,
    active       INTEGER NOT NULL CHECK (active IN (0, 1))
);

CREATE TABLE local_services (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    provider     TEXT,
    area         INTEGER NOT NULL CHECK (area BETWEEN 1 AND 3),
    comuni       TEXT,
    recipients   TEXT,
    access       TEXT,
    documents    TEXT,
    cost         TEXT,
    place        TEXT,
    hours        TEXT,
    contacts     TEXT,
    reviewed_on  TEXT NOT NULL,
    active       INTEGER NOT NULL CHECK (active IN (0, 1)),
    UNIQUE (owner, code)
);

-- Both kinds of entry as one list: `scope` says whose.
CREATE VIEW service_entries AS
    SELECT 'district' AS scope, id, owner, version, code, name, provider, area, comuni,
           recipients, access, documents, cost, place, hours, contacts, reviewed_on, active
    FROM services WHERE deleted = 0
    UNION ALL
    SELECT 'local' AS scope, id, owner, version, code, name, provider, area, comuni,
           recipients, access, documents, cost, place, hours, contacts, reviewed_on, active
    FROM local_services WHERE deleted = 0;

-- The full-text index of every entry (local, never synchronised; encrypted with the
-- database): FTS5 with the unicode61 tokenizer folding case and accents (`remove_diacritics
-- 2`: `Anziàni` is found by `anziani`), three columns weighed by the search (name, provider,
-- everything else), with prefix indexes of 2 and 3 letters for the first keystrokes, and
-- beside them, not indexed, what a search filters on and the entry's id, so that a search
-- reads only the index until it has the entries to show. Kept by the triggers below on every
-- write, local or received in a bundle. An FTS row's rowid is the entry's `key` in
-- `service_search_keys`, an explicit INTEGER PRIMARY KEY so that VACUUM (and backups made
-- with VACUUM INTO) never renumber it.
CREATE TABLE service_search_keys (
    key        INTEGER PRIMARY KEY,
    service_id TEXT NOT NULL UNIQUE
);

CREATE VIRTUAL TABLE service_search USING fts5(
    name, provider, body,
    service_id UNINDEXED, scope UNINDEXED, owner UNINDEXED, area UNINDEXED,
    comuni UNINDEXED, active UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

-- Indexes one entry again: inserting its id here drops its indexed row and, while the entry
-- is held and not deleted, writes it anew from `service_entries`. Every trigger of both
-- tables does only this.
CREATE VIEW service_search_feed (service_id) AS SELECT NULL WHERE 0;

CREATE TRIGGER service_search_feed_insert INSTEAD OF INSERT ON service_search_feed BEGIN
    -- Not `OR IGNORE`: the conflict policy of the statement that fired the trigger would
    -- override it.
    INSERT INTO service_search_keys (service_id)
    SELECT new.service_id
    WHERE NOT EXISTS (SELECT 1 FROM service_search_keys WHERE service_id = new.service_id);
    DELETE FROM service_search
    WHERE rowid = (SELECT key FROM service_search_keys WHERE service_id = new.service_id);
    INSERT INTO service_search (rowid, name, provider, body, service_id, scope, owner, area,
                                comuni, active)
    SELECT k.key, e.name, coalesce(e.provider, ''),
           concat_ws(' ', e.code, e.recipients, e.access, e.documents, e.cost, e.place,
                     e.hours, e.contacts),
           e.id, e.scope, e.owner, e.area, e.comuni, e.active
    FROM service_entries e JOIN service_search_keys k ON k.service_id = e.id
    WHERE e.id = new.service_id;
    DELETE FROM service_search_keys
    WHERE service_id = new.service_id
      AND NOT EXISTS (SELECT 1 FROM service_entries WHERE id = new.service_id);
END;

-- Every change but the content hash's (stamped after each write) and the review's.
CREATE TRIGGER services_search_insert AFTER INSERT ON services BEGIN
    INSERT INTO service_search_feed (service_id) VALUES (new.id);
END;

CREATE TRIGGER services_search_update AFTER UPDATE OF owner, deleted, code, name, provider,
    area, comuni, recipients, access, documents, cost, place, hours, contacts, active
    ON services BEGIN
    INSERT INTO service_search_feed (service_id) VALUES (new.id);
END;

CREATE TRIGGER services_search_delete AFTER DELETE ON services BEGIN
    INSERT INTO service_search_feed (service_id) VALUES (old.id);
END;

CREATE TRIGGER local_services_search_insert AFTER INSERT ON local_services BEGIN
    INSERT INTO service_search_feed (service_id) VALUES (new.id);
END;

CREATE TRIGGER local_services_search_update AFTER UPDATE OF owner, deleted, code, name,
    provider, area, comuni, recipients, access, documents, cost, place, hours, contacts, active
    ON local_services BEGIN
    INSERT INTO service_search_feed (service_id) VALUES (new.id);
END;

CREATE TRIGGER local_services_search_delete AFTER DELETE ON local_services BEGIN
    INSERT INTO service_search_feed (service_id) VALUES (old.id);
END;
