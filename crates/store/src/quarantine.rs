//! Rows set aside because they cannot be read: kept whole in `quarantined_records`, out of
//! every listing and ranking, with who set them aside and why. A later version of the same
//! row from its owner takes its place again.

use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde_json::{Map, Value};

use crate::audit::{self, Actor};
use crate::tables;
use crate::{Result, Store, StoreError};

impl Store {
    /// Sets aside the synchronised row `record` (`table/id`) and the rows that refer to it.
    /// Returns how many rows were set aside.
    pub fn quarantine_record(
        &mut self,
        record: &str,
        reason: &str,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<usize> {
        let unknown = || StoreError::UnknownRecord(record.to_string());
        let (table, id) = record.split_once('/').ok_or_else(unknown)?;
        let table = tables::table(table).ok_or_else(unknown)?.name;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let moved = set_aside(&tx, table, id, reason, at, actor)?;
        if moved == 0 {
            return Err(unknown());
        }
        // The reason may name people: the trail records the row only.
        audit::log(
            &tx,
            at,
            actor,
            "record_quarantine",
            table,
            Some(id),
            serde_json::json!({ "rows": moved }),
        )?;
        tx.commit()?;
        Ok(moved)
    }
}

/// Moves the row and, first, the rows referring to it; returns how many moved.
fn set_aside(
    tx: &Transaction,
    table: &'static str,
    id: &str,
    reason: &str,
    at: DateTime<FixedOffset>,
    actor: &Actor,
) -> Result<usize> {
    let mut moved = 0;
    for (child, column) in tables::referring_to(table) {
        let ids: Vec<String> = tx
            .prepare(&format!("SELECT id FROM {child} WHERE {column} = ?1"))?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for child_id in ids {
            moved += set_aside(tx, child, &child_id, reason, at, actor)?;
        }
    }
    let row: Option<(String, i64, Value)> = {
        let mut stmt = tx.prepare(&format!("SELECT * FROM {table} WHERE id = ?1"))?;
        let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
        stmt.query_row([id], |r| {
            let mut whole = Map::new();
            for (i, name) in names.iter().enumerate() {
                whole.insert(name.clone(), crate::sync::to_json(r.get_ref(i)?));
            }
            Ok((r.get("owner")?, r.get("version")?, Value::Object(whole)))
        })
        .optional()?
    };
    let Some((owner, version, whole)) = row else {
        return Ok(moved);
    };
    tx.execute(
        "INSERT INTO quarantined_records (tbl, id, owner, version, row, reason, quarantined_at,
         actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (tbl, id) DO UPDATE SET version = excluded.version, row = excluded.row,
           reason = excluded.reason, quarantined_at = excluded.quarantined_at,
           actor = excluded.actor",
        params![
            table,
            id,
            owner,
            version,
            whole.to_string(),
            reason,
            at.to_rfc3339(),
            actor.0
        ],
    )?;
    tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])?;
    Ok(moved + 1)
}

/// Whether any row is set aside.
pub(crate) fn any_set_aside(tx: &rusqlite::Connection) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM quarantined_records)",
        [],
        |r| r.get(0),
    )?)
}

/// Whether a received row is one set aside here, in this version or a later one: then it is
/// not written again. An older version set aside gives way to the newer one received.
pub(crate) fn still_set_aside(
    tx: &rusqlite::Connection,
    table: &str,
    id: &str,
    version: i64,
) -> Result<bool> {
    // Asked of every received row: prepared once per connection.
    let held: Option<i64> = tx
        .prepare_cached("SELECT version FROM quarantined_records WHERE tbl = ?1 AND id = ?2")?
        .query_row(params![table, id], |r| r.get(0))
        .optional()?;
    match held {
        Some(v) if v >= version => Ok(true),
        Some(_) => {
            tx.execute(
                "DELETE FROM quarantined_records WHERE tbl = ?1 AND id = ?2",
                params![table, id],
            )?;
            Ok(false)
        }
        None => Ok(false),
    }
}

/// A received row that refers to a row set aside here joins it: kept whole, not written, so
/// its sender's upload is not refused for a reference this install chose to set aside.
pub(crate) fn joins_set_aside_parent(
    tx: &rusqlite::Connection,
    table: &tables::SyncTable,
    record: &crate::record::Record,
    at: DateTime<FixedOffset>,
) -> Result<bool> {
    for (parent, column) in table.refers_to {
        let Some(parent_id) = record.body[*column].as_str() else {
            continue;
        };
        let aside: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM quarantined_records WHERE tbl = ?1 AND id = ?2)",
            )?
            .query_row(params![parent, parent_id], |r| r.get(0))?;
        if aside {
            tx.execute(
                "INSERT INTO quarantined_records (tbl, id, owner, version, row, reason,
                 quarantined_at, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '')
                 ON CONFLICT (tbl, id) DO UPDATE SET version = excluded.version,
                   row = excluded.row",
                params![
                    table.name,
                    record.meta.id.to_string(),
                    record.meta.owner,
                    record.meta.version,
                    record.body.to_string(),
                    format!("riferisce {parent}/{parent_id}, in quarantena"),
                    at.to_rfc3339(),
                ],
            )?;
            return Ok(true);
        }
    }
    Ok(false)
}
