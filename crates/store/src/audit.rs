//! The audit trail: who did what, when. Written in the same transaction as the change.
//!
//! The entries form a hash chain: each carries the hash of the entry before it (`prev_hash`,
//! 64 zeros for the first) and its own `hash`, the SHA-256 (lowercase hex) of the compact JSON
//! array `[seq, at, actor, action, entity, entity_id, detail, prev_hash]` — `seq` a number,
//! `entity_id` a string or `null`, every other value the column's text exactly as stored
//! (`detail` too: the JSON text as a string). Triggers refuse edits and deletions; someone who
//! goes around them with the file in hand changes an entry's content, or the numbering, and
//! [`Store::audit_verify`] names the first entry where the chain breaks.

use chrono::{DateTime, FixedOffset};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{Result, Store};

/// The operator acting, as the front end identifies them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor(pub String);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub detail: serde_json::Value,
    /// The hash of the entry before (64 zeros for the first).
    pub prev_hash: String,
    /// This entry's hash (module documentation).
    pub hash: String,
}

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Which entries to list: an interval of instants and an operator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Entries at or after this instant.
    pub from: Option<DateTime<FixedOffset>>,
    /// Entries before this instant.
    pub before: Option<DateTime<FixedOffset>>,
    /// Entries of this operator only.
    pub actor: Option<String>,
    /// At most this many of the entries selected, the newest (still listed oldest first).
    pub newest: Option<usize>,
}

/// What [`Store::audit_verify`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ChainCheck {
    /// Every entry is where it should be, with the content its hash was made from.
    Intact { entries: u64 },
    /// The first entry where the chain breaks.
    Broken { seq: i64, problem: ChainBreak },
}

/// How the chain breaks at an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChainBreak {
    /// Its content is not what its hash was made from (or its hash was changed).
    Altered,
    /// Its `prev_hash` is not the hash of the entry before it: that one was rewritten along
    /// with its hash, or this one was put in.
    Unlinked,
    /// The entry is missing: the numbering jumps from the one before to `next` (`None`: the
    /// entries from this one on were removed from the end).
    Missing { next: Option<i64> },
}

/// One entry's fields as the hash covers them.
struct Link<'a> {
    seq: i64,
    at: &'a str,
    actor: &'a str,
    action: &'a str,
    entity: &'a str,
    entity_id: Option<&'a str>,
    detail: &'a str,
    prev_hash: &'a str,
}

impl Link<'_> {
    /// SHA-256 (hex) of `[seq, at, actor, action, entity, entity_id, detail, prev_hash]` as
    /// compact JSON.
    fn hash(&self) -> String {
        let canonical = serde_json::to_string(&(
            self.seq,
            self.at,
            self.actor,
            self.action,
            self.entity,
            self.entity_id,
            self.detail,
            self.prev_hash,
        ))
        .expect("strings and numbers serialise");
        hex::encode(Sha256::digest(canonical.as_bytes()))
    }
}

/// The highest entry number ever given (SQLite's `AUTOINCREMENT` counter), 0 before any.
fn numbers_given(conn: &Connection) -> Result<i64> {
    Ok(conn
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'",
            [],
            |r| r.get::<_, Option<i64>>(0),
        )
        .optional()?
        .flatten()
        .unwrap_or(0))
}

/// The number the next entry takes and the hash it chains to. The number follows the highest
/// ever given (`sqlite_sequence`), so entries removed from the end leave a gap that
/// [`Store::audit_verify`] finds.
fn chain_end(conn: &Connection) -> Result<(i64, String)> {
    let last: Option<(i64, Option<String>)> = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let given = numbers_given(conn)?;
    Ok(match last {
        // An unreadable hash chains to an empty one: verification names the entry.
        Some((seq, hash)) => (seq.max(given) + 1, hash.unwrap_or_default()),
        None => (given + 1, GENESIS_HASH.to_string()),
    })
}

pub(crate) fn log(
    conn: &Connection,
    at: DateTime<FixedOffset>,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: Option<&str>,
    detail: serde_json::Value,
) -> Result<()> {
    let (seq, prev_hash) = chain_end(conn)?;
    let at = at.to_rfc3339();
    let detail = detail.to_string();
    let link = Link {
        seq,
        at: &at,
        actor: &actor.0,
        action,
        entity,
        entity_id,
        detail: &detail,
        prev_hash: &prev_hash,
    };
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            seq,
            at,
            actor.0,
            action,
            entity,
            entity_id,
            detail,
            prev_hash,
            link.hash()
        ],
    )?;
    Ok(())
}

/// Migration 7, first step: the hashes of the entries written before the chain, in order of
/// `seq`, into `temp.audit_chain` (seq, prev_hash, hash), from which
/// `0007_audit_chain.sql` rebuilds the table.
pub(crate) fn chain(tx: &Transaction) -> Result<()> {
    tx.execute_batch(
        "CREATE TEMP TABLE audit_chain (
             seq       INTEGER PRIMARY KEY,
             prev_hash TEXT NOT NULL,
             hash      TEXT NOT NULL
         )",
    )?;
    let mut read = tx.prepare(
        "SELECT seq, at, actor, action, entity, entity_id, detail FROM audit_log ORDER BY seq",
    )?;
    let mut write =
        tx.prepare("INSERT INTO temp.audit_chain (seq, prev_hash, hash) VALUES (?1, ?2, ?3)")?;
    let mut rows = read.query([])?;
    let mut prev_hash = GENESIS_HASH.to_string();
    while let Some(r) = rows.next()? {
        let (seq, at, actor, action, entity, entity_id, detail): (
            i64,
            String,
            String,
            String,
            String,
            Option<String>,
            String,
        ) = (
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        );
        let hash = Link {
            seq,
            at: &at,
            actor: &actor,
            action: &action,
            entity: &entity,
            entity_id: entity_id.as_deref(),
            detail: &detail,
            prev_hash: &prev_hash,
        }
        .hash();
        write.execute(params![seq, prev_hash, hash])?;
        prev_hash = hash;
    }
    Ok(())
}

/// A column's text, `Some(None)` for NULL, `None` for a value that is not text (an entry
/// edited by hand).
fn text(r: &Row, column: &str) -> rusqlite::Result<Option<Option<String>>> {
    Ok(match r.get_ref(column)? {
        ValueRef::Null => Some(None),
        ValueRef::Text(t) => std::str::from_utf8(t).ok().map(|s| Some(s.to_string())),
        _ => None,
    })
}

/// One stored entry as verification reads it: `None` where a field is not as written.
struct StoredLink {
    seq: i64,
    fields: Option<[Option<String>; 8]>,
}

fn stored_link(r: &Row) -> rusqlite::Result<StoredLink> {
    let mut fields: [Option<String>; 8] = Default::default();
    let mut readable = true;
    let columns = [
        "at",
        "actor",
        "action",
        "entity",
        "entity_id",
        "detail",
        "prev_hash",
        "hash",
    ];
    for (field, column) in fields.iter_mut().zip(columns) {
        match text(r, column)? {
            Some(value) => *field = value,
            None => readable = false,
        }
    }
    Ok(StoredLink {
        seq: r.get("seq")?,
        fields: readable.then_some(fields),
    })
}

impl StoredLink {
    /// The problem with this entry, following the entry whose hash is `prev_hash`.
    fn check(&self, prev_hash: &str) -> Option<ChainBreak> {
        let Some(
            [
                at,
                actor,
                action,
                entity,
                entity_id,
                detail,
                stored_prev,
                hash,
            ],
        ) = &self.fields
        else {
            return Some(ChainBreak::Altered);
        };
        let (Some(at), Some(actor), Some(action), Some(entity), Some(detail), Some(hash)) =
            (at, actor, action, entity, detail, hash)
        else {
            return Some(ChainBreak::Altered);
        };
        let stored_prev = stored_prev.as_deref().unwrap_or_default();
        let computed = Link {
            seq: self.seq,
            at,
            actor,
            action,
            entity,
            entity_id: entity_id.as_deref(),
            detail,
            prev_hash: stored_prev,
        }
        .hash();
        if computed != *hash {
            Some(ChainBreak::Altered)
        } else if stored_prev != prev_hash {
            Some(ChainBreak::Unlinked)
        } else {
            None
        }
    }

    fn hash(&self) -> &str {
        self.fields
            .as_ref()
            .and_then(|f| f[7].as_deref())
            .unwrap_or_default()
    }
}

fn entry(r: &Row) -> rusqlite::Result<(AuditEntry, String)> {
    let entry = AuditEntry {
        seq: r.get("seq")?,
        at: r.get("at")?,
        actor: r.get("actor")?,
        action: r.get("action")?,
        entity: r.get("entity")?,
        entity_id: r.get("entity_id")?,
        detail: serde_json::Value::Null,
        prev_hash: r.get("prev_hash")?,
        hash: r.get("hash")?,
    };
    Ok((entry, r.get::<_, String>("detail")?))
}

fn with_detail(row: rusqlite::Result<(AuditEntry, String)>) -> Result<AuditEntry> {
    let (mut entry, detail) = row?;
    let key = entry.seq.to_string();
    entry.detail = crate::record::json_text(&detail, "audit_log", &key, "detail")?;
    Ok(entry)
}

impl Store {
    /// Records an action that changes no row (an export, a print, a refused import) or that
    /// reads personal data (an application shown, a listing): the entry alone, chained.
    pub fn audit(
        &self,
        at: DateTime<FixedOffset>,
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: Option<&str>,
        detail: serde_json::Value,
    ) -> Result<()> {
        // Immediate: the end of the chain read and the entry written with no writer between.
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        log(&tx, at, actor, action, entity, entity_id, detail)?;
        tx.commit()?;
        Ok(())
    }

    /// The most recent entries, newest first.
    pub fn audit_entries(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash
             FROM audit_log ORDER BY seq DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], entry)?;
        rows.map(with_detail).collect()
    }

    /// [`Store::audit_list`]'s query: the entries selected, newest first from the end of the
    /// trail (so a page of the newest stops early, `?4` of them, -1 for all), then put back
    /// oldest first.
    pub const AUDIT_LIST: &str = "SELECT * FROM (
             SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash
             FROM audit_log
             WHERE (?1 IS NULL OR julianday(at) >= julianday(?1))
               AND (?2 IS NULL OR julianday(at) < julianday(?2))
               AND (?3 IS NULL OR actor = ?3)
             ORDER BY seq DESC LIMIT ?4)
         ORDER BY seq";

    /// The entries the filter selects, oldest first. The instants compare as instants,
    /// whatever the UTC offset each entry was written with.
    pub fn audit_list(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare_cached(Self::AUDIT_LIST)?;
        let newest = filter
            .newest
            .map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let rows = stmt.query_map(
            params![
                filter.from.map(|t| t.to_rfc3339()),
                filter.before.map(|t| t.to_rfc3339()),
                filter.actor,
                newest
            ],
            entry,
        )?;
        rows.map(with_detail).collect()
    }

    /// Walks the chain from the first entry: each numbered one more than the one before
    /// (from 1), linked to it by `prev_hash`, with the hash of its own content; and none
    /// missing at the end. Reads one snapshot.
    pub fn audit_verify(&self) -> Result<ChainCheck> {
        let tx = self.conn.unchecked_transaction()?;
        let mut stmt = tx.prepare(
            "SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash
             FROM audit_log ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut expected = 1;
        let mut prev_hash = GENESIS_HASH.to_string();
        while let Some(r) = rows.next()? {
            let link = stored_link(r)?;
            if link.seq != expected {
                return Ok(ChainCheck::Broken {
                    seq: expected,
                    problem: ChainBreak::Missing {
                        next: Some(link.seq),
                    },
                });
            }
            if let Some(problem) = link.check(&prev_hash) {
                return Ok(ChainCheck::Broken {
                    seq: link.seq,
                    problem,
                });
            }
            prev_hash = link.hash().to_string();
            expected += 1;
        }
        drop(rows);
        if numbers_given(&tx)? >= expected {
            return Ok(ChainCheck::Broken {
                seq: expected,
                problem: ChainBreak::Missing { next: None },
            });
        }
        Ok(ChainCheck::Intact {
            entries: (expected - 1) as u64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    /// An entry of `who` at `when`.
    fn record(store: &Store, when: &str, who: &str) {
        store
            .audit(
                at(when),
                &Actor(who.into()),
                "application_list",
                "application",
                None,
                serde_json::json!({ "rows": 1 }),
            )
            .unwrap();
    }

    fn store_with(entries: usize) -> Store {
        let store = Store::open_in_memory().unwrap();
        for i in 0..entries {
            let who = if i % 2 == 0 { "anna" } else { "bruno" };
            record(&store, &format!("2026-03-01T1{i}:00:00+01:00"), who);
        }
        store
    }

    /// Runs `sql` on the audit trail as someone with the file would, the triggers dropped
    /// (tests/tests/audit.rs also puts them back).
    fn tamper(store: &Store, sql: &str) {
        let triggers = "DROP TRIGGER IF EXISTS audit_log_no_update;
                        DROP TRIGGER IF EXISTS audit_log_no_delete;";
        store
            .connection()
            .execute_batch(&format!("{triggers} {sql};"))
            .unwrap();
    }

    #[test]
    fn the_canonical_form_is_the_documented_json_array() {
        let link = Link {
            seq: 1,
            at: "2026-03-01T10:00:00+01:00",
            actor: "anna",
            action: "init",
            entity: "install",
            entity_id: None,
            detail: r#"{"district":"D48"}"#,
            prev_hash: GENESIS_HASH,
        };
        let canonical = format!(
            r#"[1,"2026-03-01T10:00:00+01:00","anna","init","install",null,"{{\"district\":\"D48\"}}","{GENESIS_HASH}"]"#
        );
        assert_eq!(
            link.hash(),
            hex::encode(Sha256::digest(canonical.as_bytes()))
        );
    }

    #[test]
    fn entries_chain_from_64_zeros_and_verify() {
        let store = store_with(5);
        let entries = store.audit_list(&AuditFilter::default()).unwrap();
        assert_eq!(
            entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        assert_eq!(entries[0].prev_hash, GENESIS_HASH);
        for pair in entries.windows(2) {
            assert_eq!(pair[1].prev_hash, pair[0].hash);
            assert_eq!(pair[0].hash.len(), 64);
        }
        assert_eq!(
            store.audit_verify().unwrap(),
            ChainCheck::Intact { entries: 5 }
        );
        assert_eq!(
            Store::open_in_memory().unwrap().audit_verify().unwrap(),
            ChainCheck::Intact { entries: 0 }
        );
    }

    /// Where verification finds the chain broken, and how.
    fn broken_at(store: &Store) -> (i64, ChainBreak) {
        match store.audit_verify().unwrap() {
            ChainCheck::Broken { seq, problem } => (seq, problem),
            intact => panic!("expected a broken chain, found {intact:?}"),
        }
    }

    /// Five entries, then `sql` behind the triggers.
    fn tampered(sql: &str) -> Store {
        let store = store_with(5);
        tamper(&store, sql);
        store
    }

    #[test]
    fn an_edited_entry_is_named() {
        let store = tampered("UPDATE audit_log SET detail = '{\"rows\":99}' WHERE seq = 3");
        assert_eq!(broken_at(&store), (3, ChainBreak::Altered));
        let store = tampered("UPDATE audit_log SET actor = x'00ff' WHERE seq = 2");
        assert_eq!(broken_at(&store), (2, ChainBreak::Altered), "not text");
    }

    #[test]
    fn an_entry_rewritten_with_its_hash_breaks_the_link_of_the_next() {
        let store = store_with(5);
        let e = &store.audit_list(&AuditFilter::default()).unwrap()[2];
        let forged = Link {
            seq: 3,
            at: &e.at,
            actor: "mallory",
            action: &e.action,
            entity: &e.entity,
            entity_id: e.entity_id.as_deref(),
            detail: &e.detail.to_string(),
            prev_hash: &e.prev_hash,
        }
        .hash();
        tamper(
            &store,
            &format!("UPDATE audit_log SET actor = 'mallory', hash = '{forged}' WHERE seq = 3"),
        );
        assert_eq!(broken_at(&store), (4, ChainBreak::Unlinked));
    }

    #[test]
    fn entries_removed_in_the_middle_at_the_start_or_at_the_end_are_missing() {
        let missing = |next| ChainBreak::Missing { next };
        let store = tampered("DELETE FROM audit_log WHERE seq = 3");
        assert_eq!(broken_at(&store), (3, missing(Some(4))));
        let store = tampered("DELETE FROM audit_log WHERE seq = 1");
        assert_eq!(broken_at(&store), (1, missing(Some(2))));
        let store = tampered("DELETE FROM audit_log WHERE seq >= 4");
        assert_eq!(broken_at(&store), (4, missing(None)));
        // The next entry keeps the gap: it does not take the number of the removed one.
        record(&store, "2026-03-02T10:00:00+01:00", "anna");
        assert_eq!(broken_at(&store), (4, missing(Some(6))));
    }

    #[test]
    fn entries_are_chained_or_refused() {
        let store = store_with(1);
        let unchained = store.connection().execute(
            "INSERT INTO audit_log (at, actor, action, entity, detail)
             VALUES ('2026-03-01T10:00:00+01:00', 'x', 'y', 'z', '{}')",
            [],
        );
        assert!(unchained.is_err());
    }

    #[test]
    fn the_list_filters_by_instant_whatever_the_offset_and_by_operator() {
        let store = Store::open_in_memory().unwrap();
        for (when, who) in [
            ("2026-03-01T23:30:00+01:00", "anna"),
            // The same day in Italy, written in UTC.
            ("2026-03-01T23:45:00+00:00", "bruno"),
            ("2026-03-02T00:00:00+01:00", "anna"),
        ] {
            record(&store, when, who);
        }
        let seqs = |filter: AuditFilter| -> Vec<i64> {
            store
                .audit_list(&filter)
                .unwrap()
                .iter()
                .map(|e| e.seq)
                .collect()
        };
        let day_2 = AuditFilter {
            from: Some(at("2026-03-02T00:00:00+01:00")),
            before: Some(at("2026-03-03T00:00:00+01:00")),
            actor: None,
            newest: None,
        };
        assert_eq!(seqs(day_2.clone()), [2, 3]);
        assert_eq!(
            seqs(AuditFilter {
                actor: Some("anna".into()),
                ..day_2
            }),
            [3]
        );
        assert_eq!(
            seqs(AuditFilter {
                before: Some(at("2026-03-02T00:00:00+01:00")),
                ..AuditFilter::default()
            }),
            [1]
        );
        // The newest of those selected, still oldest first.
        assert_eq!(
            seqs(AuditFilter {
                newest: Some(2),
                ..AuditFilter::default()
            }),
            [2, 3]
        );
        assert_eq!(
            seqs(AuditFilter {
                actor: Some("anna".into()),
                newest: Some(1),
                ..AuditFilter::default()
            }),
            [3]
        );
    }
}
