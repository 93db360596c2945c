-- The front office (segretariato sociale): contacts, back-office cases and satisfaction
-- questionnaires. What travels to the capofila is pseudonymised (docs/bundle-format.md §7):
-- the synchronised tables hold no name, codice fiscale or free text; those stay in the
-- `*_private` and diary tables, which never leave the install.
CREATE TABLE contacts (
    id              TEXT PRIMARY KEY,
    owner           TEXT NOT NULL,
    version         INTEGER NOT NULL,
    content_hash    TEXT NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0,
    comune          TEXT NOT NULL,
    day             TEXT NOT NULL,
    channel         TEXT NOT NULL,
    interlocutor    TEXT NOT NULL,
    sent_by         TEXT NOT NULL,
    -- Keyed digest of the codice fiscale (32 hex); NULL for an anonymous contact.
    person_key      TEXT,
    sex             TEXT,
    age_band        TEXT,
    residence_istat TEXT,
    -- JSON: [{"area": 1|2|3, "local_area": "…"}].
    needs           TEXT NOT NULL,
    answer          TEXT NOT NULL,
    -- JSON: the map's service codes.
    services        TEXT NOT NULL,
    unmet_need      INTEGER NOT NULL CHECK (unmet_need IN (0, 1)),
    -- An invio: whether the service took the person up, and when that was recorded.
    taken_up        INTEGER CHECK (taken_up IN (0, 1)),
    taken_up_on     TEXT,
    -- Local: the number the operators use (1, 2, …), NULL for rows received.
    number          INTEGER
);
-- The statistics read every contact of a period: this index holds what they read, so the
-- scan never touches the rows (200,000 contacts within 200 ms, docs/benchmarks.md).
CREATE INDEX contacts_stats ON contacts (day, comune, channel, interlocutor, sent_by,
    person_key, answer, unmet_need, needs, services) WHERE deleted = 0;
-- Who was seen before a period (new or returning persons).
CREATE INDEX contacts_person ON contacts (person_key, comune, day) WHERE deleted = 0;
CREATE UNIQUE INDEX contacts_number ON contacts (number) WHERE number IS NOT NULL;

-- Local only: who the person is and what was said, for this comune's desk.
CREATE TABLE contact_private (
    contact_id     TEXT PRIMARY KEY REFERENCES contacts (id),
    at             TEXT NOT NULL,
    codice_fiscale TEXT,
    surname        TEXT,
    name           TEXT,
    birth_date     TEXT,
    request        TEXT,
    referral_to    TEXT,
    referral_bring TEXT,
    operator       TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX contact_private_cf ON contact_private (codice_fiscale);

CREATE TABLE front_office_cases (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    contact_id   TEXT NOT NULL REFERENCES contacts (id),
    kind         TEXT NOT NULL,
    target_days  INTEGER NOT NULL CHECK (target_days BETWEEN 2 AND 30),
    working_days INTEGER NOT NULL CHECK (working_days IN (0, 1)),
    opened_on    TEXT NOT NULL,
    due_on       TEXT NOT NULL,
    closed_on    TEXT,
    outcome      TEXT,
    -- Local: the operator the case is assigned to.
    assigned_to  TEXT
);
CREATE INDEX front_office_cases_contact ON front_office_cases (contact_id);
-- What the statistics read of each case, without touching the rows.
CREATE INDEX front_office_cases_stats ON front_office_cases (opened_on, closed_on, due_on,
    outcome, owner) WHERE deleted = 0;

-- Local only: the case's diary (notes, steps, reassignments, the closing note).
CREATE TABLE case_diary (
    seq      INTEGER PRIMARY KEY,
    case_id  TEXT NOT NULL REFERENCES front_office_cases (id),
    at       TEXT NOT NULL,
    operator TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('nota', 'assegnazione', 'chiusura')),
    text     TEXT NOT NULL
);

CREATE TABLE satisfaction (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    comune       TEXT NOT NULL,
    day          TEXT NOT NULL,
    courtesy     INTEGER CHECK (courtesy BETWEEN 1 AND 5),
    clarity      INTEGER CHECK (clarity BETWEEN 1 AND 5),
    waiting      INTEGER CHECK (waiting BETWEEN 1 AND 5),
    finding      INTEGER CHECK (finding BETWEEN 1 AND 5)
);

-- Local only: the free suggestion written on a questionnaire.
CREATE TABLE satisfaction_suggestions (
    satisfaction_id TEXT PRIMARY KEY REFERENCES satisfaction (id),
    text            TEXT NOT NULL
);
