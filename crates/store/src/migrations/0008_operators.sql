-- The install's operators: each with one role, a password (argon2id, PHC string; never in
-- clear) and the count of failed logins since the last good one, which slows the next tries.
CREATE TABLE operators (
    username        TEXT PRIMARY KEY,
    name            TEXT,
    role            TEXT NOT NULL
                    CHECK (role IN ('operatore', 'responsabile', 'coordinatore', 'revisore')),
    password_hash   TEXT NOT NULL,
    disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failures        INTEGER NOT NULL DEFAULT 0,
    last_failure_at TEXT,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL
);
