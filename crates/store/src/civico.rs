//! Servizio civico calls: the events a comune records for the applicants it calls from the
//! definitive ranking (`sportello_domain::civico` computes the call list from them). Each
//! event is a row of its own, written once.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde_json::{Map, Value};
use sportello_domain::civico::CallEventKind;

use crate::audit::{self, Actor};
use crate::record::{new_id, next_version};
use crate::{Result, Store, StoreError};

/// One event as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCallEvent {
    pub kind: CallEventKind,
    pub on: NaiveDate,
    pub note: Option<String>,
    pub operator: String,
    pub recorded_at: String,
}

impl Store {
    /// The events recorded for the applications of `bando`, by application code, each
    /// application's in the order they happened.
    pub fn call_events(&self, bando: &str) -> Result<HashMap<String, Vec<StoredCallEvent>>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.application_code, e.id, e.kind, e.happened_on, e.note, e.operator,
                    e.recorded_at
             FROM civico_events e JOIN applications a ON a.id = e.application_id
             WHERE e.deleted = 0 AND a.deleted = 0 AND a.bando = ?1
             ORDER BY e.happened_on, e.recorded_at, e.version",
        )?;
        let mut rows = stmt.query([bando])?;
        let mut map: HashMap<String, Vec<StoredCallEvent>> = HashMap::new();
        while let Some(row) = rows.next()? {
            let id: String = row.get(1)?;
            let corrupt =
                |column: &str| StoreError::Corrupt(format!("civico_events/{id}, colonna {column}"));
            let kind: String = row.get(2)?;
            let on: String = row.get(3)?;
            map.entry(row.get(0)?).or_default().push(StoredCallEvent {
                kind: CallEventKind::parse(&kind).ok_or_else(|| corrupt("kind"))?,
                on: on.parse().map_err(|_| corrupt("happened_on"))?,
                note: row.get(4)?,
                operator: row.get(5)?,
                recorded_at: row.get(6)?,
            });
        }
        Ok(map)
    }

    /// Records an event of this comune's application `code`, audited (the note may name
    /// people: the trail keeps the kind and the date).
    pub fn record_call_event(
        &mut self,
        code: &str,
        kind: CallEventKind,
        on: NaiveDate,
        note: Option<&str>,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let comune = crate::install::own_comune(&tx)?;
        let (application_id, owner): (String, String) = tx
            .query_row(
                "SELECT id, owner FROM applications WHERE application_code = ?1 AND deleted = 0",
                [code],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::UnknownApplication(code.to_string()))?;
        if owner != comune {
            return Err(StoreError::NotOwner {
                record: format!("domanda {code}"),
                owner,
            });
        }
        let id = new_id().to_string();
        let version = next_version(&tx)?;
        tx.execute(
            "INSERT INTO civico_events (id, owner, version, content_hash, application_id, kind,
             happened_on, note, operator, recorded_at)
             VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id,
                comune,
                version,
                application_id,
                kind.as_str(),
                on.to_string(),
                note,
                actor.0,
                at.to_rfc3339()
            ],
        )?;
        crate::tables::stamp(&tx, "civico_events", &id)?;
        audit::log(
            &tx,
            at,
            actor,
            &format!("civico_{}", kind.as_str()),
            "application",
            Some(&application_id),
            serde_json::json!({ "application_code": code, "on": on.to_string() }),
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// A received event: its note follows the desk's rule for texts.
pub(crate) fn check_received(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    for (column, multiline) in [("note", true), ("operator", false)] {
        if let Some(p) = body[column]
            .as_str()
            .and_then(|t| sportello_domain::intake::check_text(column, t, multiline))
        {
            return Err(format!("{column}: {}", p.code));
        }
    }
    Ok(())
}
