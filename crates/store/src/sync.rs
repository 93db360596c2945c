//! The database side of sync: which records leave in a bundle, and applying a received
//! bundle's records in one transaction, only where the sender owns them and has a newer
//! version. Knows tables, not keys or files (that is `sportello-sync`).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset};
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{OptionalExtension, Statement, TransactionBehavior, params, params_from_iter};
use serde::Serialize;
use serde_json::Value;

use crate::audit::{self, Actor};
use crate::received::{Checked, CheckedRecords, RecordCheck};
use crate::record::{Record, SyncMeta};
use crate::tables::{self, SyncTable};
use crate::{Result, Store, StoreError};

const META: &[&str] = &["id", "owner", "version", "content_hash", "deleted"];

/// Why a received bundle's records cannot be applied. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("record {table}/{id} of comune {owner}, sent by comune {sender}")]
    NotOwned {
        table: String,
        id: String,
        owner: String,
        sender: String,
    },
    #[error("record {table}/{id}: {reason}")]
    Invalid {
        table: String,
        id: String,
        reason: String,
    },
    #[error("bundle {seq} of {sender} already imported with other content")]
    Fork { sender: String, seq: u64 },
    /// The sender lost data (a new PC, an older backup): what it sends clashes with what it
    /// sent before. Its records go back to it with the next publish bundle.
    #[error("bundle {seq} of {sender} comes from an install that lost data")]
    Restored { sender: String, seq: u64 },
    #[error("ranking {bando} version {received} is older than the version {held} held")]
    Rollback {
        bando: String,
        held: i64,
        received: i64,
    },
    /// The records could not be read to their end; the reader knows why. Nothing is applied.
    #[error("the records could not be read to their end")]
    Unread,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ApplyError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Store(e.into())
    }
}

/// Which way a bundle travels, and so which records it may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Comune → capofila: the comune's own records.
    Upload,
    /// Capofila → comune: the capofila's records, and the comune's own records it lacks
    /// (a new or restored install: *recupero dal capofila*).
    Publish,
}

/// A verified, decrypted bundle ready to be applied.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub sender: String,
    pub seq: u64,
    pub kind: String,
    pub header_hash: String,
    pub file_name: String,
    /// The range of the sender's own change counter the records cover.
    pub from_version: i64,
    pub to_version: i64,
    /// What the sender confirms having applied of ours: its highest version, and the number
    /// of the last of our bundles it imported.
    pub ack: i64,
    pub ack_seq: u64,
    /// The schema that wrote the records (the bundle header's).
    pub schema_version: i64,
    /// A publish bundle that returns this install's own applications: year → the highest case
    /// number among them ([`highest_case_numbers`](crate::highest_case_numbers), read in a
    /// first pass), so a number given again here moves past all of them. Empty otherwise.
    pub returned_case_numbers: HashMap<i64, i64>,
}

/// How many records of a table were new, newer than ours, or already held.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct TableCounts {
    pub new: u32,
    pub updated: u32,
    pub unchanged: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ApplySummary {
    /// The same file (same sender, number and header) was imported before: nothing changed.
    pub already_imported: bool,
    pub tables: BTreeMap<String, TableCounts>,
    /// Own records the capofila returned to this install (a new or restored one).
    #[serde(skip_serializing_if = "is_zero")]
    #[cfg_attr(feature = "bindings", ts(as = "Option<_>", optional))]
    pub recovered: u32,
    /// Case numbers this install had given again after losing data, moved past the ones the
    /// capofila returned: `2026/0000003 → 2026/0000017`. The receipts must be printed again.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "bindings", ts(as = "Option<_>", optional))]
    pub renumbered: Vec<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl ApplySummary {
    pub fn total(&self) -> TableCounts {
        self.tables
            .values()
            .fold(TableCounts::default(), |a, c| TableCounts {
                new: a.new + c.new,
                updated: a.updated + c.updated,
                unchanged: a.unchanged + c.unchanged,
            })
    }
}

/// The records an export carries, read as of one instant, and the highest version among them
/// (the `after` asked for when there are none): the range a bundle declares.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub records: Vec<Record>,
    pub to_version: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Peer {
    /// Highest of our versions the peer confirmed applying.
    pub acked_version: i64,
    /// Highest version of the peer's records applied here.
    pub applied_version: i64,
    /// The last of our bundles the peer confirmed importing: ours are numbered above it.
    pub acked_seq: u64,
    /// Capofila: the peer lacks its own records above this version; the next publish bundle
    /// returns them.
    pub recovery_from: Option<i64>,
}

/// A bundle this install wrote.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct BundleOut {
    pub recipient: String,
    pub seq: u64,
    pub kind: String,
    pub file_name: String,
    pub header_hash: String,
    pub records: usize,
    pub created_at: String,
    /// What the bundle acknowledged of the recipient's records.
    pub ack_version: i64,
    /// The highest version of this install's own records it carried.
    pub changes_to: i64,
}

/// One line of the import history.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ImportLogEntry {
    pub at: String,
    pub actor: String,
    pub file_name: String,
    pub sender: Option<String>,
    pub bundle_seq: Option<i64>,
    pub outcome: String,
    pub code: Option<String>,
    pub message: Option<String>,
    #[cfg_attr(feature = "bindings", ts(as = "Option<ApplySummary>"))]
    pub summary: Option<Value>,
}

impl Store {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    pub fn delete_setting(&self, key: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM settings WHERE key = ?1", [key])?;
        Ok(())
    }

    pub fn peer(&self, comune: &str) -> Result<Peer> {
        peer_in(&self.conn, comune)
    }

    /// Capofila: a comune's install was replaced (a new PC, enrolled again). Saves the trust
    /// list that names its new key and, in the same transaction, schedules the return of all
    /// its own records with the next publish bundle: the new install holds none of them.
    pub fn replace_peer(&mut self, comune: &str, trust_key: &str, trust_json: &str) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![trust_key, trust_json],
        )?;
        tx.execute(
            "INSERT INTO peers (comune, recovery_from) VALUES (?1, 0)
             ON CONFLICT (comune) DO UPDATE SET recovery_from = 0",
            [comune],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The owner's change counter: the highest version this install has given a row.
    pub fn change_seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT change_seq FROM install", [], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
    }

    /// The records travelling `direction` owned by `owner` whose version is above `after`,
    /// table by table in apply order, read in one transaction: a change committed meanwhile
    /// is either wholly in the snapshot or above its `to_version`, so the next export
    /// carries it. Each record carries its table's declared fields only.
    pub fn records_since(&self, direction: Direction, owner: &str, after: i64) -> Result<Snapshot> {
        let (records, to_version) = self.stream_since(
            direction,
            owner,
            after,
            |count, _| Ok(Vec::with_capacity(count as usize)),
            |out: &mut Vec<Record>, record| {
                out.push(record);
                Ok::<_, StoreError>(())
            },
        )?;
        Ok(Snapshot {
            records,
            to_version,
        })
    }

    /// The same records as [`Store::records_since`], handed to `each` one at a time rather than
    /// held: `begin` learns first how many there are and the highest version among them (so a
    /// bundle's manifest can announce them), then `each` takes them table by table, in the
    /// order they apply (`tables::in_apply_order`). Returns what
    /// `begin` made and the snapshot's `to_version`. The page cache stays small meanwhile (the
    /// counting included), so a first export of a large comune reads its rows in bounded memory.
    pub fn stream_since<S, E: From<StoreError>>(
        &self,
        direction: Direction,
        owner: &str,
        after: i64,
        begin: impl FnOnce(u64, i64) -> std::result::Result<S, E>,
        each: impl FnMut(&mut S, Record) -> std::result::Result<(), E>,
    ) -> std::result::Result<(S, i64), E> {
        let cache = SmallCache::set(&self.conn)?;
        let streamed = self.stream_within_small_cache(direction, owner, after, begin, each);
        cache.restore(&self.conn)?;
        streamed
    }

    fn stream_within_small_cache<S, E: From<StoreError>>(
        &self,
        direction: Direction,
        owner: &str,
        after: i64,
        begin: impl FnOnce(u64, i64) -> std::result::Result<S, E>,
        mut each: impl FnMut(&mut S, Record) -> std::result::Result<(), E>,
    ) -> std::result::Result<(S, i64), E> {
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(StoreError::from)?;
        let names = tables::in_apply_order(direction);
        let (mut count, mut to_version) = (0u64, after);
        for name in &names {
            let (n, max): (i64, Option<i64>) = self
                .conn
                .query_row(
                    &format!(
                        "SELECT COUNT(*), MAX(version) FROM {name} WHERE owner = ?1 AND version > ?2"
                    ),
                    params![owner, after],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(StoreError::from)?;
            count += n as u64;
            to_version = to_version.max(max.unwrap_or(after));
        }
        let mut state = begin(count, to_version)?;
        for (i, name) in names.into_iter().enumerate() {
            if i > 0 {
                crate::failpoint::hit("export-between-tables");
            }
            let table = tables::table(name).expect("tables in apply order are declared");
            // In the table's own order: sorting by version would hold every row read (SQLite
            // sorts in memory), and rows of one table never refer to each other.
            let mut stmt = self
                .conn
                .prepare(&format!(
                    "SELECT {}, {} FROM {name} WHERE owner = ?1 AND version > ?2",
                    META.join(", "),
                    table.field_list()
                ))
                .map_err(StoreError::from)?;
            let mut rows = stmt
                .query(params![owner, after])
                .map_err(StoreError::from)?;
            while let Some(row) = rows.next().map_err(StoreError::from)? {
                each(&mut state, record_of(name, table, row)?)?;
            }
        }
        tx.finish().map_err(StoreError::from)?;
        Ok((state, to_version))
    }

    /// What a publish bundle to `recipient` carries: this install's publish records, each
    /// table's as its recipient gets them, and the recipient's own records it lacks (a new or
    /// restored install: *recupero*).
    pub fn publish_snapshot(&self, own: &str, recipient: &str) -> Result<Snapshot> {
        let snapshot = self.records_since(Direction::Publish, own, 0)?;
        let mut by_table: Vec<(&'static str, Vec<Record>)> =
            tables::in_apply_order(Direction::Publish)
                .into_iter()
                .map(|t| (t, Vec::new()))
                .collect();
        for r in snapshot.records {
            if let Some((_, list)) = by_table.iter_mut().find(|(t, _)| *t == r.table) {
                list.push(r);
            }
        }
        let mut records = Vec::new();
        for (name, list) in by_table {
            match tables::table(name).and_then(|t| t.for_recipient) {
                Some(view) => records.extend(view(list, recipient)),
                None => records.extend(list),
            }
        }
        if let Some(from) = self.peer(recipient)?.recovery_from {
            records.extend(
                self.records_since(Direction::Upload, recipient, from)?
                    .records,
            );
        }
        Ok(Snapshot {
            records,
            to_version: snapshot.to_version,
        })
    }

    /// The highest bundle number imported from `sender` (0 when none).
    pub fn last_bundle_in(&self, sender: &str) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(MAX(seq), 0) FROM bundles_in WHERE sender = ?1",
            [sender],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// The highest version of this install's own records sent to `recipient` (0 when none).
    pub fn last_sent_version(&self, recipient: &str) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(MAX(changes_to), 0) FROM bundles_out WHERE recipient = ?1",
            [recipient],
            |r| r.get(0),
        )?)
    }

    /// The entries of the last import (one `bundle import` of one or more files: they share
    /// its time), in the order they were tried.
    pub fn last_import_batch(&self) -> Result<Vec<ImportLogEntry>> {
        let last: Option<String> = self
            .conn
            .query_row(
                "SELECT at FROM import_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        match last {
            Some(at) => self.import_log_rows("WHERE at = ?1 ORDER BY seq", [at]),
            None => Ok(Vec::new()),
        }
    }

    /// The number and header hash of the last bundle written for `recipient`.
    pub fn last_bundle_out(&self, recipient: &str) -> Result<Option<(u64, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT seq, header_hash FROM bundles_out WHERE recipient = ?1
                 ORDER BY seq DESC LIMIT 1",
                [recipient],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
            )
            .optional()?)
    }

    /// Keeps the exact bytes of a bundle before the file is written.
    pub fn save_bundle_out(
        &mut self,
        out: &BundleOut,
        bytes: &[u8],
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        // A first upload can be tens of megabytes: written into its row (whose last column it
        // is, `0034_bundle_bytes_last.sql`) piece by piece through a small page cache, it is
        // never copied whole into SQLite's memory.
        let cache = SmallCache::set(&self.conn)?;
        let saved = self.insert_bundle_out(out, bytes, at, actor);
        cache.restore(&self.conn)?;
        saved
    }

    fn insert_bundle_out(
        &mut self,
        out: &BundleOut,
        bytes: &[u8],
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO bundles_out (recipient, seq, kind, file_name, header_hash, records,
             created_at, bytes, ack_version, changes_to)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, zeroblob(?8), ?9, ?10)",
            params![
                out.recipient,
                out.seq as i64,
                out.kind,
                out.file_name,
                out.header_hash,
                out.records as i64,
                out.created_at,
                bytes.len() as i64,
                out.ack_version,
                out.changes_to
            ],
        )?;
        let row = tx.last_insert_rowid();
        let mut blob = tx.blob_open(rusqlite::MAIN_DB, "bundles_out", "bytes", row, false)?;
        for (i, piece) in bytes.chunks(1 << 20).enumerate() {
            blob.write_at(piece, i << 20)?;
        }
        drop(blob);
        audit::log(
            &tx,
            at,
            actor,
            "bundle_export",
            "bundle",
            Some(&out.file_name),
            serde_json::json!({ "recipient": out.recipient, "seq": out.seq, "records": out.records }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Bundles written, newest first.
    pub fn bundles_out(&self, limit: usize) -> Result<Vec<BundleOut>> {
        let mut stmt = self.conn.prepare(
            "SELECT recipient, seq, kind, file_name, header_hash, records, created_at, ack_version,
             changes_to FROM bundles_out ORDER BY created_at DESC, seq DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(BundleOut {
                recipient: r.get("recipient")?,
                seq: r.get::<_, i64>("seq")? as u64,
                kind: r.get("kind")?,
                file_name: r.get("file_name")?,
                header_hash: r.get("header_hash")?,
                records: r.get::<_, i64>("records")? as usize,
                created_at: r.get("created_at")?,
                ack_version: r.get("ack_version")?,
                changes_to: r.get("changes_to")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records an import attempt that was refused (applied ones are logged by
    /// [`Store::apply_bundle`], in the same transaction).
    pub fn log_refused_import(
        &self,
        at: DateTime<FixedOffset>,
        actor: &Actor,
        file_name: &str,
        sender: Option<(&str, u64)>,
        refusal: (&str, &str),
    ) -> Result<()> {
        log_import(&self.conn, at, actor, file_name, sender, Err(refusal))
    }

    pub fn import_log(&self, limit: usize) -> Result<Vec<ImportLogEntry>> {
        self.import_log_rows(
            "ORDER BY seq DESC LIMIT ?1",
            rusqlite::params![limit as i64],
        )
    }

    /// The rows of the import log `tail` selects (a `WHERE`/`ORDER BY` clause).
    fn import_log_rows(
        &self,
        tail: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<ImportLogEntry>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT seq, at, actor, file_name, sender, bundle_seq, outcome, code, message, summary
             FROM import_log {tail}"
        ))?;
        let rows = stmt.query_map(params, |r| {
            let entry = ImportLogEntry {
                at: r.get("at")?,
                actor: r.get("actor")?,
                file_name: r.get("file_name")?,
                sender: r.get("sender")?,
                bundle_seq: r.get("bundle_seq")?,
                outcome: r.get("outcome")?,
                code: r.get("code")?,
                message: r.get("message")?,
                summary: None,
            };
            Ok((
                entry,
                r.get::<_, i64>("seq")?,
                r.get::<_, Option<String>>("summary")?,
            ))
        })?;
        rows.map(|row| {
            let (mut entry, seq, summary) = row?;
            if let Some(text) = summary {
                let key = seq.to_string();
                entry.summary = Some(crate::record::json_text(
                    &text,
                    "import_log",
                    &key,
                    "summary",
                )?);
            }
            Ok(entry)
        })
        .collect()
    }

    /// Applies a verified bundle in one transaction: all its records or none. With `dry_run`
    /// the transaction is rolled back, giving the summary of what importing would do. Within
    /// an import of several files ([`Store::begin_import`]) the bundle joins that transaction
    /// instead; a refusal there means the import is abandoned and done again file by file.
    pub fn apply_bundle(
        &mut self,
        incoming: &Incoming,
        records: impl CheckedRecords,
        direction: Direction,
        dry_run: bool,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> std::result::Result<ApplySummary, ApplyError> {
        let own = self.conn.is_autocommit();
        if own {
            self.begin_import()?;
        }
        let applied = apply_within(&self.conn, incoming, records, direction, at, actor);
        if !own {
            if let Err(ApplyError::Fork { .. } | ApplyError::Restored { .. }) = &applied {
                self.schedule_recovery(incoming, dry_run)?;
            }
            return applied;
        }
        match applied {
            Ok(summary) if !dry_run => {
                if let Err(e) = self.commit() {
                    return Err(match e.sqlite_error_code() {
                        Some(rusqlite::ErrorCode::ConstraintViolation) => ApplyError::Invalid {
                            table: "-".into(),
                            id: "-".into(),
                            reason: format!(
                                "riferimenti mancanti tra i record ({})",
                                constraint_it(&e)
                            ),
                        },
                        _ => e.into(),
                    });
                }
                Ok(summary)
            }
            Ok(summary) => {
                self.abandon_import();
                Ok(summary)
            }
            Err(e) => {
                self.abandon_import();
                // The sender lost data: what it must be sent back is remembered, whatever
                // happens to this bundle.
                if matches!(e, ApplyError::Fork { .. } | ApplyError::Restored { .. }) {
                    self.schedule_recovery(incoming, dry_run)?;
                }
                Err(e)
            }
        }
    }

    /// What checking the records of `incoming` needs, read once: the checks then run
    /// without the database, on whichever thread reads the records.
    pub fn record_check(&self, incoming: &Incoming, direction: Direction) -> Result<RecordCheck> {
        Ok(RecordCheck::new(
            crate::install::own_comune(&self.conn)?,
            incoming,
            direction,
        ))
    }

    /// Starts an import of several files as one transaction, committed by
    /// [`Store::commit_import`]: one sync of the write-ahead log for them all rather than one
    /// each. A bundle refused within it leaves the import to be abandoned and done again file
    /// by file, so each still applies whole or not at all.
    pub fn begin_import(&mut self) -> Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(())
    }

    /// Commits an import begun with [`Store::begin_import`]; on failure nothing of it is kept.
    pub fn commit_import(&mut self) -> Result<()> {
        Ok(self.commit()?)
    }

    /// Commits the import's transaction, or rolls it back if the commit fails.
    fn commit(&mut self) -> rusqlite::Result<()> {
        // The crash test kills the process here: everything applied, nothing committed.
        crate::failpoint::hit("import-before-commit");
        let committed = self.conn.execute_batch("COMMIT");
        if committed.is_err() {
            self.abandon_import();
        }
        committed
    }

    /// Drops what an unfinished import applied.
    pub fn abandon_import(&mut self) {
        if !self.conn.is_autocommit() {
            // Should the rollback fail too, SQLite rolls back when the connection closes.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// The work of [`Store::apply_bundle`], within a transaction its caller holds.
fn apply_within(
    tx: &rusqlite::Connection,
    incoming: &Incoming,
    mut records: impl CheckedRecords,
    direction: Direction,
    at: DateTime<FixedOffset>,
    actor: &Actor,
) -> std::result::Result<ApplySummary, ApplyError> {
    let sender = Some((incoming.sender.as_str(), incoming.seq));
    let held: Option<String> = tx
        .query_row(
            "SELECT header_hash FROM bundles_in WHERE sender = ?1 AND seq = ?2",
            params![incoming.sender, incoming.seq as i64],
            |r| r.get(0),
        )
        .optional()?;
    match held {
        Some(h) if h == incoming.header_hash => {
            let summary = ApplySummary {
                already_imported: true,
                ..Default::default()
            };
            log_import(tx, at, actor, &incoming.file_name, sender, Ok(&summary))?;
            return Ok(summary);
        }
        Some(_) => {
            // Export keeps a bundle's bytes before writing its file, so one install never
            // numbers two bundles alike: the sender lost data (a new PC, an older backup).
            return Err(ApplyError::Fork {
                sender: incoming.sender.clone(),
                seq: incoming.seq,
            });
        }
        None => {}
    }
    // Records of one bundle reference each other; check references once, at commit.
    tx.pragma_update(None, "defer_foreign_keys", true)?;
    let own = crate::install::own_comune(tx)?;
    let peer = peer_in(tx, &incoming.sender)?;
    let latest = incoming.seq > last_seq_in(tx, &incoming.sender)?;
    // The capofila acknowledges more of our records than we ever numbered: this install
    // is new or was restored from an older backup. What we numbered since our last
    // confirmed version may be unknown to the capofila under those numbers: numbered
    // again above its acknowledgement, so the next upload carries it.
    let regressed = direction == Direction::Publish
        && (incoming.ack > change_seq_in(tx)?
            || incoming.ack_seq > last_seq_out(tx, &incoming.sender)?);
    if regressed {
        restamp_own(tx, &own, peer.acked_version, incoming.ack)?;
    }
    let mut summary = ApplySummary::default();
    let mut statements = Statements {
        set_aside: crate::quarantine::any_set_aside(tx)?,
        ..Default::default()
    };
    let mut recovered_version = 0;
    let returned_max = &incoming.returned_case_numbers;
    // The revisions written, whose search texts follow once their applications are in.
    let mut revisions = Vec::new();
    while let Some(checked) = records.next() {
        let mut checked = checked?;
        let record = &checked.record;
        let counts = summary.tables.entry(record.table.clone()).or_default();
        let sender = if checked.recovering {
            summary.recovered += 1;
            recovered_version = recovered_version.max(record.meta.version);
            let renumbered = crate::applications::make_room_for(tx, record, returned_max)?;
            summary.renumbered.extend(renumbered);
            &own
        } else {
            &incoming.sender
        };
        let applied = apply_record(tx, &mut statements, &checked, sender, at)?;
        if matches!(applied, Applied::New | Applied::Updated)
            && record.table == "application_revisions"
        {
            let id = record.meta.id.to_string();
            let application = record.body["application_id"].as_str().unwrap_or_default();
            revisions.push((id, application.to_string(), checked.derived.take()));
        }
        match applied {
            Applied::New => counts.new += 1,
            Applied::Updated => counts.updated += 1,
            Applied::Unchanged => counts.unchanged += 1,
            // The sender numbered again after losing data.
            Applied::CaseNumberTaken => {
                return Err(ApplyError::Restored {
                    sender: incoming.sender.clone(),
                    seq: incoming.seq,
                });
            }
        }
        records.applied(checked);
    }
    drop(statements);
    for (id, application, derived) in revisions {
        crate::applications::index_received_revision(tx, &id, &application, derived)?;
    }
    if direction == Direction::Publish {
        // Our counter never falls below what we hold or what the capofila has of ours.
        tx.execute(
            "UPDATE install SET change_seq = MAX(change_seq, ?1, ?2)",
            params![recovered_version, incoming.ack],
        )?;
    }
    tx.execute(
        "INSERT INTO bundles_in (sender, seq, kind, header_hash, file_name, imported_at,
         summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            incoming.sender,
            incoming.seq as i64,
            incoming.kind,
            incoming.header_hash,
            incoming.file_name,
            at.to_rfc3339(),
            serde_json::to_string(&summary).expect("summary serialises"),
        ],
    )?;
    // Regressed without the records back, we do not hold what the capofila acknowledges:
    // keeping our acknowledgement low makes the next upload ask for them (see below).
    let acked = if regressed && summary.recovered == 0 {
        peer.acked_version
    } else {
        incoming.ack
    };
    // An upload that starts below what we last acknowledged to its sender comes from an
    // install that lost data: the next publish bundle returns the sender's own records
    // above that point. Decided by the latest bundle only.
    let recovery_from = if direction == Direction::Upload && latest {
        let announced: i64 = tx
            .query_row(
                "SELECT ack_version FROM bundles_out WHERE recipient = ?1 AND seq = ?2",
                params![incoming.sender, incoming.ack_seq as i64],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        (incoming.from_version < announced).then_some(incoming.from_version)
    } else {
        peer.recovery_from
    };
    tx.execute(
        "INSERT INTO peers (comune, acked_version, applied_version, acked_seq, recovery_from)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (comune) DO UPDATE SET
           acked_version = MAX(acked_version, excluded.acked_version),
           applied_version = MAX(applied_version, excluded.applied_version),
           acked_seq = MAX(acked_seq, excluded.acked_seq),
           recovery_from = excluded.recovery_from",
        params![
            incoming.sender,
            acked,
            incoming.to_version,
            incoming.ack_seq as i64,
            recovery_from
        ],
    )?;
    // Logged even when only previewing: the caller rolls the preview back.
    log_import(tx, at, actor, &incoming.file_name, sender, Ok(&summary))?;
    Ok(summary)
}

fn peer_in(conn: &rusqlite::Connection, comune: &str) -> Result<Peer> {
    Ok(conn
        .query_row(
            "SELECT acked_version, applied_version, acked_seq, recovery_from
             FROM peers WHERE comune = ?1",
            [comune],
            |r| {
                Ok(Peer {
                    acked_version: r.get("acked_version")?,
                    applied_version: r.get("applied_version")?,
                    acked_seq: r.get::<_, i64>("acked_seq")? as u64,
                    recovery_from: r.get("recovery_from")?,
                })
            },
        )
        .optional()?
        .unwrap_or_default())
}

fn last_seq_in(tx: &rusqlite::Connection, sender: &str) -> Result<u64> {
    Ok(tx.query_row(
        "SELECT COALESCE(MAX(seq), 0) FROM bundles_in WHERE sender = ?1",
        [sender],
        |r| r.get::<_, i64>(0),
    )? as u64)
}

fn last_seq_out(tx: &rusqlite::Connection, recipient: &str) -> Result<u64> {
    Ok(tx.query_row(
        "SELECT COALESCE(MAX(seq), 0) FROM bundles_out WHERE recipient = ?1",
        [recipient],
        |r| r.get::<_, i64>(0),
    )? as u64)
}

fn change_seq_in(tx: &rusqlite::Connection) -> Result<i64> {
    Ok(tx.query_row("SELECT change_seq FROM install", [], |r| r.get(0))?)
}

/// Gives every own row changed after `confirmed` a new version above `floor`, in the order
/// they were made.
fn restamp_own(tx: &rusqlite::Connection, own: &str, confirmed: i64, floor: i64) -> Result<()> {
    tx.execute(
        "UPDATE install SET change_seq = MAX(change_seq, ?1)",
        [floor],
    )?;
    for table in tables::in_apply_order(Direction::Upload) {
        let ids: Vec<String> = tx
            .prepare(&format!(
                "SELECT id FROM {table} WHERE owner = ?1 AND version > ?2 ORDER BY version"
            ))?
            .query_map(params![own, confirmed], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            let version = crate::record::next_version(tx)?;
            tx.execute(
                &format!("UPDATE {table} SET version = ?1 WHERE id = ?2"),
                params![version, id],
            )?;
        }
    }
    Ok(())
}

impl Store {
    /// An upload refused because its sender lost data: unless only previewing, the next
    /// publish bundle to it returns its own records above where this upload starts.
    fn schedule_recovery(&self, incoming: &Incoming, dry_run: bool) -> Result<()> {
        if !dry_run {
            self.conn.execute(
                "INSERT INTO peers (comune, recovery_from) VALUES (?1, ?2)
                 ON CONFLICT (comune) DO UPDATE SET recovery_from =
                   MIN(COALESCE(recovery_from, excluded.recovery_from), excluded.recovery_from)",
                params![incoming.sender, incoming.from_version],
            )?;
        }
        Ok(())
    }
}

/// One line of the import history, and its audit entry.
fn log_import(
    conn: &rusqlite::Connection,
    at: DateTime<FixedOffset>,
    actor: &Actor,
    file_name: &str,
    sender: Option<(&str, u64)>,
    outcome: std::result::Result<&ApplySummary, (&str, &str)>,
) -> Result<()> {
    // `text` cut to at most `max` bytes, on a character boundary.
    fn cut(text: &str, max: usize) -> &str {
        let mut end = text.len().min(max);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        &text[..end]
    }
    let (label, refusal, summary) = match outcome {
        Ok(s) if s.already_imported => ("already_imported", None, Some(s)),
        Ok(s) => ("applied", None, Some(s)),
        // A refused file's header can say anything at any length: the log keeps a bounded
        // part (the caller keeps record values out of the message).
        Err((code, message)) => ("refused", Some((code, cut(message, 2000))), None),
    };
    let sender = sender.map(|(comune, seq)| (cut(comune, 64), seq));
    conn.execute(
        "INSERT INTO import_log (at, actor, file_name, sender, bundle_seq, outcome, code,
         message, summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            at.to_rfc3339(),
            actor.0,
            file_name,
            sender.map(|s| s.0),
            sender.map(|s| s.1 as i64),
            label,
            refusal.map(|r| r.0),
            refusal.map(|r| r.1),
            summary.map(|s| serde_json::to_string(s).expect("summary serialises")),
        ],
    )?;
    audit::log(
        conn,
        at,
        actor,
        "bundle_import",
        "bundle",
        Some(file_name),
        serde_json::json!({ "outcome": label, "code": refusal.map(|r| r.0) }),
    )
}

enum Applied {
    New,
    Updated,
    Unchanged,
    /// Not written: a new application with a case number held for another of its comune.
    CaseNumberTaken,
}

/// Per bundle and table, the statements prepared once: a received row carries exactly its
/// table's declared fields, in their declared order.
struct TableStatements<'t> {
    held: Statement<'t>,
    insert: Statement<'t>,
    update: Statement<'t>,
}

#[derive(Default)]
struct Statements<'t> {
    tables: HashMap<&'static str, TableStatements<'t>>,
    /// Whether any row is set aside here. When none is, received rows are not compared with
    /// them: applying a bundle sets a row aside only next to one set aside already.
    set_aside: bool,
}

impl<'t> Statements<'t> {
    fn table(
        &mut self,
        tx: &'t rusqlite::Connection,
        table: &'static SyncTable,
    ) -> rusqlite::Result<&mut TableStatements<'t>> {
        if !self.tables.contains_key(table.name) {
            let name = table.name;
            let columns: Vec<&str> = META
                .iter()
                .copied()
                .chain(table.columns.iter().map(|c| c.name))
                .collect();
            let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
            let sets: Vec<String> = (1..)
                .zip(&columns)
                .skip(1)
                .map(|(i, n)| format!("{n} = ?{i}"))
                .collect();
            let insert = format!(
                "INSERT INTO {name} ({}) VALUES ({})",
                columns.join(", "),
                marks.join(", ")
            );
            let statements = TableStatements {
                held: tx.prepare(&format!(
                    "SELECT owner, version, content_hash FROM {name} WHERE id = ?1"
                ))?,
                insert: tx.prepare(&insert)?,
                update: tx.prepare(&format!(
                    "UPDATE {name} SET {} WHERE id = ?1",
                    sets.join(", ")
                ))?,
            };
            self.tables.insert(name, statements);
        }
        Ok(self.tables.get_mut(table.name).expect("just inserted"))
    }
}

/// Writes a checked record unless what is held is as new; `sender` is the comune it is
/// applied for (ourselves, for a record of ours the capofila returns).
fn apply_record<'t>(
    tx: &'t rusqlite::Connection,
    statements: &mut Statements<'t>,
    checked: &Checked,
    sender: &str,
    at: DateTime<FixedOffset>,
) -> std::result::Result<Applied, ApplyError> {
    let Checked {
        record,
        table,
        hash,
        ..
    } = checked;
    let table = *table;
    let id = record.meta.id.to_string();
    let invalid = |reason: String| ApplyError::Invalid {
        table: record.table.clone(),
        id: id.clone(),
        reason,
    };
    let not_owned = |owner: String| ApplyError::NotOwned {
        table: table.name.to_string(),
        id: id.clone(),
        owner,
        sender: sender.to_string(),
    };
    let set_aside = statements.set_aside;
    let statements = statements.table(tx, table)?;
    let meta = [
        ToSqlOutput::Borrowed(ValueRef::Text(id.as_bytes())),
        ToSqlOutput::Borrowed(ValueRef::Text(record.meta.owner.as_bytes())),
        ToSqlOutput::Owned(SqlValue::Integer(record.meta.version)),
        ToSqlOutput::Borrowed(ValueRef::Text(hash.as_bytes())),
        ToSqlOutput::Owned(SqlValue::Integer(i64::from(record.meta.deleted))),
    ];
    let mut values: Vec<ToSqlOutput> = Vec::with_capacity(meta.len() + table.columns.len());
    values.extend(meta);
    for column in table.columns {
        let v = &record.body[column.name];
        values.push(
            to_sql(v).ok_or_else(|| invalid(format!("{}: valore non ammesso", column.name)))?,
        );
    }
    let held: Option<(String, i64, String)> = statements
        .held
        .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    if let Some((owner, _, _)) = held.as_ref().filter(|(owner, _, _)| owner != sender) {
        // The row exists here under another owner: only its owner may change it.
        return Err(not_owned(owner.clone()));
    }
    let applied = match held {
        None if set_aside
            && crate::quarantine::still_set_aside(tx, table.name, &id, record.meta.version)? =>
        {
            return Ok(Applied::Unchanged);
        }
        None => Applied::New,
        Some((_, v, _)) if v < record.meta.version => Applied::Updated,
        Some((_, v, h)) if v == record.meta.version && h != *hash => {
            return Err(invalid(format!(
                "stessa versione {v} con contenuto diverso da quello già ricevuto"
            )));
        }
        Some(_) => return Ok(Applied::Unchanged),
    };
    if set_aside && crate::quarantine::joins_set_aside_parent(tx, table, record, at)? {
        return Ok(Applied::Unchanged);
    }
    if let Some(before_write) = table.before_write {
        before_write(tx, record)?;
    }
    let statement = if matches!(applied, Applied::New) {
        &mut statements.insert
    } else {
        &mut statements.update
    };
    match statement.execute(params_from_iter(values)) {
        Ok(_) => Ok(applied),
        Err(e)
            if matches!(applied, Applied::New)
                && e.sqlite_error().is_some_and(|e| {
                    e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                })
                && crate::applications::case_number_taken(tx, record)? =>
        {
            Ok(Applied::CaseNumberTaken)
        }
        Err(e) => Err(invalid(constraint_it(&e))),
    }
}

/// SQLite's constraint messages, said in Italian.
fn constraint_it(e: &rusqlite::Error) -> String {
    let text = e.to_string();
    let field = text.rsplit(": ").next().unwrap_or_default();
    if text.contains("NOT NULL constraint failed") {
        format!("campo obbligatorio mancante ({field})")
    } else if text.contains("CHECK constraint failed") {
        format!("valore non ammesso ({field})")
    } else if text.contains("UNIQUE constraint failed") {
        format!("valore già presente nel registro ({field})")
    } else if text.contains("FOREIGN KEY constraint failed") {
        "riferimento a un dato assente".to_string()
    } else {
        format!("dato non registrabile ({text})")
    }
}

pub(crate) fn to_json(v: ValueRef) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::from(hex::encode(b)),
    }
}

/// A JSON value as an SQL parameter, borrowing text rather than copying it.
fn to_sql(v: &Value) -> Option<ToSqlOutput<'_>> {
    Some(match v {
        Value::Null => ToSqlOutput::Owned(SqlValue::Null),
        Value::Bool(b) => ToSqlOutput::Owned(SqlValue::Integer(i64::from(*b))),
        Value::Number(n) => ToSqlOutput::Owned(match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64()?),
        }),
        Value::String(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        Value::Array(_) | Value::Object(_) => return None,
    })
}

impl Store {
    /// Applications held here (at the capofila: the district's).
    pub fn count_applications(&self) -> Result<usize> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM applications WHERE deleted = 0",
            [],
            |r| r.get::<_, i64>(0),
        )? as usize)
    }

    /// Own applications changed since the version the capofila acknowledged.
    pub fn applications_changed_since(&self, owner: &str, after: i64) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM applications WHERE owner = ?1 AND version > ?2",
            params![owner, after],
            |r| r.get(0),
        )?)
    }
}

/// One row of `name` as it travels.
fn record_of(name: &str, table: &SyncTable, row: &rusqlite::Row) -> Result<Record> {
    let body = table.body_of(row, META.len())?;
    let id: String = row.get("id")?;
    Ok(Record {
        table: name.to_string(),
        meta: SyncMeta {
            id: id
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("{name}/{id}, colonna id")))?,
            owner: row.get("owner")?,
            version: row.get("version")?,
            content_hash: row.get("content_hash")?,
            deleted: row.get("deleted")?,
        },
        body: Value::Object(body),
    })
}

/// The page cache while a whole table is read for export: a scan of every row would otherwise
/// fill the cache the statistics keep (docs/benchmarks.md), memory an export does not need as
/// it reads each page once.
pub struct SmallCache(i64);

/// 4 MiB (negative: kibibytes).
const EXPORT_CACHE_KIB: i64 = -4096;
/// 16 MiB: an import reads back the pages it writes (indexes, the rows it updates); this keeps
/// each decrypted about once (docs/benchmarks.md, "Encryption at rest") in bounded memory.
const IMPORT_CACHE_KIB: i64 = -16_384;

impl Store {
    /// Holds the page cache small until [`Store::restore_cache`]: for a pass that reads a large
    /// part of the database once (the counts recomputed before an upload), which would otherwise
    /// fill the cache other screens keep.
    pub fn small_cache(&self) -> Result<SmallCache> {
        SmallCache::set(&self.conn)
    }

    /// The page cache an import of bundles works with, until [`Store::restore_cache`].
    pub fn import_cache(&self) -> Result<SmallCache> {
        SmallCache::of(&self.conn, IMPORT_CACHE_KIB)
    }

    pub fn restore_cache(&self, cache: SmallCache) -> Result<()> {
        cache.restore(&self.conn)
    }
}

impl SmallCache {
    fn set(conn: &rusqlite::Connection) -> Result<Self> {
        Self::of(conn, EXPORT_CACHE_KIB)
    }

    fn of(conn: &rusqlite::Connection, kib: i64) -> Result<Self> {
        let size: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        conn.execute_batch(&format!("PRAGMA cache_size = {kib}"))?;
        Ok(Self(size))
    }

    fn restore(self, conn: &rusqlite::Connection) -> Result<()> {
        conn.execute_batch(&format!("PRAGMA cache_size = {}", self.0))?;
        Ok(())
    }
}
