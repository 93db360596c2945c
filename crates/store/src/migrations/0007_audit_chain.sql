-- The audit trail as a hash chain: each entry carries the hash of the entry before it
-- (prev_hash; 64 zeros for the first) and its own (hash), SHA-256 of its fields in the form
-- docs/formats.md gives (`store::audit`). The entries already written are chained in order of
-- seq by the step before this one (`audit::chain`, into temp.audit_chain). The table is rebuilt
-- so that both columns are NOT NULL: an entry that is not chained is refused.
CREATE TABLE audit_log_chained (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
INSERT INTO audit_log_chained
    (seq, at, actor, action, entity, entity_id, detail, prev_hash, hash)
SELECT a.seq, a.at, a.actor, a.action, a.entity, a.entity_id, a.detail, c.prev_hash, c.hash
FROM audit_log a JOIN temp.audit_chain c ON c.seq = a.seq
ORDER BY a.seq;
-- The numbers already given stay given (an entry removed from the end stays missing).
UPDATE sqlite_sequence
SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0))
WHERE name = 'audit_log_chained';
DROP TABLE audit_log;
ALTER TABLE audit_log_chained RENAME TO audit_log;
DROP TABLE temp.audit_chain;

-- Still append-only: the triggers refuse edits and deletions.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
