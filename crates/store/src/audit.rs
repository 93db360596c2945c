//! The audit trail: who did what, when. Written in the same transaction as the change.

use chrono::{DateTime, FixedOffset};
use rusqlite::{Connection, params};
use serde::Serialize;

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
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            at.to_rfc3339(),
            actor.0,
            action,
            entity,
            entity_id,
            detail.to_string()
        ],
    )?;
    Ok(())
}

impl Store {
    /// Records an action that changes no row (an export, a print, a refused import).
    pub fn audit(
        &self,
        at: DateTime<FixedOffset>,
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: Option<&str>,
        detail: serde_json::Value,
    ) -> Result<()> {
        log(&self.conn, at, actor, action, entity, entity_id, detail)
    }

    /// The most recent entries, newest first.
    pub fn audit_entries(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, actor, action, entity, entity_id, detail
             FROM audit_log ORDER BY seq DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            let entry = AuditEntry {
                seq: r.get("seq")?,
                at: r.get("at")?,
                actor: r.get("actor")?,
                action: r.get("action")?,
                entity: r.get("entity")?,
                entity_id: r.get("entity_id")?,
                detail: serde_json::Value::Null,
            };
            Ok((entry, r.get::<_, String>("detail")?))
        })?;
        rows.map(|row| {
            let (mut entry, detail) = row?;
            let key = entry.seq.to_string();
            entry.detail = crate::record::json_text(&detail, "audit_log", &key, "detail")?;
            Ok(entry)
        })
        .collect()
    }
}
