-- The front office: kinds of back-office case (istruttoria) and their target days, district
-- data owned by the capofila and published to the comuni. A kind the capofila no longer uses
-- stays, inactive, so that cases opened under it keep their target.
CREATE TABLE case_kinds (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    target_days  INTEGER NOT NULL CHECK (target_days BETWEEN 2 AND 30),
    working_days INTEGER NOT NULL CHECK (working_days IN (0, 1)),
    active       INTEGER NOT NULL CHECK (active IN (0, 1))
);
