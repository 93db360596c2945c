//! Objections (opposizioni) to a provisional ranking and the capofila's decisions on them.
//! An objection is the comune of filing's row (it records it and, once accepted, writes the
//! correction that carried it out); a decision is the capofila's row, sent back to that comune
//! alone. Each side edits only its own rows.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::audit::{self, Actor};
use crate::record::{Record, new_id, next_version};
use crate::{Result, Store, StoreError};

/// An objection as held, with the capofila's decision once it arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Objection {
    pub id: String,
    pub application_code: String,
    pub bando: String,
    /// The comune of filing, which recorded the objection.
    pub comune: String,
    /// A factor of the breakdown (its key) or `exclusion`.
    pub about: String,
    /// The applicant's text.
    pub text: String,
    /// The day the comune received it (`aaaa-mm-gg`).
    #[cfg_attr(feature = "bindings", ts(type = "string"))]
    pub received_on: NaiveDate,
    /// Why it was admitted after its window closed, when it was.
    pub late_reason: Option<String>,
    pub operator: String,
    pub recorded_at: String,
    pub decision: Option<Decision>,
    /// The application's revision that carried out the accepted objection, and when.
    pub applied_revision: Option<i64>,
    pub applied_at: Option<String>,
}

/// The capofila's decision on an objection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Decision {
    /// `accolta` or `respinta`.
    pub outcome: String,
    pub reason: String,
    pub operator: String,
    pub decided_at: String,
}

/// An objection as the comune records it.
pub struct NewObjection<'a> {
    pub application_code: &'a str,
    pub about: &'a str,
    pub text: &'a str,
    pub received_on: NaiveDate,
    pub late_reason: Option<&'a str>,
}

impl Store {
    /// Every objection held, oldest first, of one bando or all.
    pub fn objections(&self, bando: Option<&str>) -> Result<Vec<Objection>> {
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT} WHERE o.deleted = 0 AND a.deleted = 0 AND (?1 IS NULL OR a.bando = ?1)
             ORDER BY o.recorded_at, o.id"
        ))?;
        let rows = stmt.query_map([bando], |row| Ok(read(row)))?;
        rows.map(|r| r?).collect()
    }

    /// Objection `id`, if held.
    pub fn objection(&self, id: &str) -> Result<Option<Objection>> {
        self.conn
            .query_row(
                &format!("{SELECT} WHERE o.deleted = 0 AND o.id = ?1"),
                [id],
                |row| Ok(read(row)),
            )
            .optional()?
            .transpose()
    }

    /// Records an objection to this comune's application, audited; returns its id.
    pub fn record_objection(
        &mut self,
        new: &NewObjection,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<String> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let comune = crate::install::own_comune(&tx)?;
        let code = new.application_code;
        let application_id = crate::applications::own_application_id(&tx, code)?;
        let id = new_id().to_string();
        let version = next_version(&tx)?;
        tx.execute(
            "INSERT INTO objections (id, owner, version, content_hash, application_id, about,
             text, received_on, late_reason, operator, recorded_at)
             VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                id,
                comune,
                version,
                application_id,
                new.about,
                new.text,
                new.received_on.to_string(),
                new.late_reason,
                actor.0,
                at.to_rfc3339()
            ],
        )?;
        crate::tables::stamp(&tx, "objections", &id)?;
        // The applicant's text may name people: the trail records what is contested.
        audit::log(
            &tx,
            at,
            actor,
            "objection_record",
            "objection",
            Some(&id),
            serde_json::json!({
                "application_code": code, "about": new.about,
                "late": new.late_reason.is_some(),
            }),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Records the capofila's decision on objection `id`, audited. Refused as
    /// [`StoreError::Changed`] when it was decided meanwhile.
    pub fn decide_objection(
        &mut self,
        id: &str,
        outcome: &str,
        reason: &str,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let own = crate::install::own_comune(&tx)?;
        let comune: String = tx
            .query_row(
                "SELECT owner FROM objections WHERE id = ?1 AND deleted = 0",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::UnknownRecord(format!("opposizione {id}")))?;
        let decided: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM objection_decisions WHERE objection_id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if decided {
            return Err(StoreError::Changed(format!(
                "l'opposizione {id} è già stata decisa"
            )));
        }
        let decision_id = new_id().to_string();
        let version = next_version(&tx)?;
        tx.execute(
            "INSERT INTO objection_decisions (id, owner, version, content_hash, objection_id,
             comune, outcome, reason, operator, decided_at)
             VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                decision_id,
                own,
                version,
                id,
                comune,
                outcome,
                reason,
                actor.0,
                at.to_rfc3339()
            ],
        )?;
        crate::tables::stamp(&tx, "objection_decisions", &decision_id)?;
        audit::log(
            &tx,
            at,
            actor,
            "objection_decide",
            "objection",
            Some(id),
            serde_json::json!({ "outcome": outcome }),
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Marks objection `id` of application `application_id` as carried out by `revision`, in the
/// correction's transaction. Refused as [`StoreError::Changed`] when it is not an accepted
/// objection of that application still to be applied.
pub(crate) fn mark_applied(
    tx: &rusqlite::Transaction,
    id: &str,
    application_id: &str,
    revision: i64,
    at: DateTime<FixedOffset>,
) -> Result<()> {
    let version = next_version(tx)?;
    let changed = tx.execute(
        "UPDATE objections SET version = ?4, applied_revision = ?3, applied_at = ?5
         WHERE id = ?1 AND application_id = ?2 AND deleted = 0 AND applied_revision IS NULL
           AND EXISTS (SELECT 1 FROM objection_decisions d
                       WHERE d.objection_id = objections.id AND d.outcome = 'accolta')",
        params![id, application_id, revision, version, at.to_rfc3339()],
    )?;
    if changed != 1 {
        return Err(StoreError::Changed(format!(
            "l'opposizione {id} non è più un'opposizione accolta da applicare a questa domanda"
        )));
    }
    crate::tables::stamp(tx, "objections", id)
}

const SELECT: &str = "
    SELECT o.id, a.application_code, a.bando, o.owner, o.about, o.text, o.received_on,
           o.late_reason, o.operator, o.recorded_at, o.applied_revision, o.applied_at,
           d.outcome, d.reason, d.operator, d.decided_at
    FROM objections o JOIN applications a ON a.id = o.application_id
    LEFT JOIN objection_decisions d ON d.objection_id = o.id AND d.deleted = 0";

fn read(row: &rusqlite::Row) -> Result<Objection> {
    let id: String = row.get(0)?;
    let received: String = row.get(6)?;
    let outcome: Option<String> = row.get(12)?;
    Ok(Objection {
        received_on: received.parse().map_err(|_| {
            StoreError::Corrupt(format!("{}/{id}, colonna {}", "objections", "received_on"))
        })?,
        application_code: row.get(1)?,
        bando: row.get(2)?,
        comune: row.get(3)?,
        about: row.get(4)?,
        text: row.get(5)?,
        late_reason: row.get(7)?,
        operator: row.get(8)?,
        recorded_at: row.get(9)?,
        applied_revision: row.get(10)?,
        applied_at: row.get(11)?,
        decision: match outcome {
            Some(outcome) => Some(Decision {
                outcome,
                reason: row.get(13)?,
                operator: row.get(14)?,
                decided_at: row.get(15)?,
            }),
            None => None,
        },
        id,
    })
}

/// A received objection: its texts are clean, and a carried-out one names both its revision
/// and its time.
pub(crate) fn check_received(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    crate::tables::check_texts(
        body,
        &[
            ("about", false),
            ("text", true),
            ("late_reason", true),
            ("operator", false),
        ],
    )?;
    crate::tables::both_or_neither(
        body,
        "applied_revision",
        "applied_at",
        "applicazione senza revisione o senza data",
    )
}

/// A received decision: its texts are clean.
pub(crate) fn check_received_decision(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    crate::tables::check_texts(body, &[("reason", true), ("operator", false)])
}

/// A comune receives the decisions on its own objections only.
pub(crate) fn decisions_for_comune(records: Vec<Record>, comune: &str) -> Vec<Record> {
    records
        .into_iter()
        .filter(|r| r.body["comune"].as_str() == Some(comune))
        .collect()
}
