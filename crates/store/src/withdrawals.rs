//! Withdrawals (rinuncia alla domanda): the applicant gives up an application, the comune of
//! filing records it with the date on the signed rinuncia. One row per application, kept
//! forever: a withdrawal recorded by mistake is annulled with its reason, and a later
//! withdrawal of the same application writes the row again (a new version each time, so it
//! travels to the capofila).

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::audit::{self, Actor};
use crate::record::{new_id, next_version};
use crate::{Result, Store, StoreError};

/// A withdrawal as recorded, annulled or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Withdrawal {
    /// The date on the applicant's signed rinuncia (`aaaa-mm-gg`).
    #[cfg_attr(feature = "bindings", ts(type = "string"))]
    pub withdrawn_on: NaiveDate,
    pub note: Option<String>,
    /// Who recorded it, and when (RFC 3339).
    pub operator: String,
    pub recorded_at: String,
    /// Why it was annulled, when it was: the application competes again.
    pub annulled_reason: Option<String>,
    pub annulled_at: Option<String>,
}

impl Withdrawal {
    /// In force: the application is out of the ranking.
    pub fn in_force(&self) -> bool {
        self.annulled_at.is_none()
    }
}

/// A change of a withdrawal, as the use case asks for it.
pub enum WithdrawalChange<'a> {
    Record {
        on: NaiveDate,
        note: Option<&'a str>,
    },
    Annul {
        reason: &'a str,
    },
}

impl Store {
    /// Every withdrawal held (annulled ones too), by application code.
    pub fn withdrawals(&self) -> Result<std::collections::HashMap<String, Withdrawal>> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT} WHERE w.deleted = 0 AND a.deleted = 0"))?;
        let rows = stmt.query_map([], |row| Ok((row.get::<_, String>(0)?, read(row))))?;
        let mut map = std::collections::HashMap::new();
        for row in rows {
            let (code, withdrawal) = row?;
            map.insert(code, withdrawal?);
        }
        Ok(map)
    }

    /// The withdrawal of application `code`, annulled or not.
    pub fn withdrawal(&self, code: &str) -> Result<Option<Withdrawal>> {
        self.conn
            .query_row(
                &format!("{SELECT} WHERE w.deleted = 0 AND a.application_code = ?1"),
                [code],
                |row| Ok(read(row)),
            )
            .optional()?
            .transpose()
    }

    /// Records or annuls the withdrawal of this comune's application `code`, audited. Refused
    /// as [`StoreError::Changed`] when the application is not in the state the change starts
    /// from (withdrawn already, or not withdrawn): someone else changed it meanwhile.
    pub fn change_withdrawal(
        &mut self,
        code: &str,
        change: &WithdrawalChange,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let comune = crate::install::own_comune(&tx)?;
        let application_id = crate::applications::own_application_id(&tx, code)?;
        let held: Option<(String, bool)> = tx
            .query_row(
                "SELECT id, annulled_at IS NULL FROM application_withdrawals
                 WHERE application_id = ?1",
                [&application_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let in_force = held.as_ref().is_some_and(|(_, f)| *f);
        let at_text = at.to_rfc3339();
        let (id, action, details) = match change {
            WithdrawalChange::Record { on, note } => {
                if in_force {
                    return Err(StoreError::Changed(format!(
                        "la rinuncia alla domanda {code} è già registrata"
                    )));
                }
                let version = next_version(&tx)?;
                let id = match held {
                    Some((id, _)) => {
                        tx.execute(
                            "UPDATE application_withdrawals SET version = ?2, withdrawn_on = ?3,
                             note = ?4, operator = ?5, recorded_at = ?6, annulled_reason = NULL,
                             annulled_at = NULL WHERE id = ?1",
                            params![id, version, on.to_string(), note, actor.0, at_text],
                        )?;
                        id
                    }
                    None => {
                        let id = new_id().to_string();
                        tx.execute(
                            "INSERT INTO application_withdrawals (id, owner, version,
                             content_hash, application_id, withdrawn_on, note, operator,
                             recorded_at) VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8)",
                            params![
                                id,
                                comune,
                                version,
                                application_id,
                                on.to_string(),
                                note,
                                actor.0,
                                at_text
                            ],
                        )?;
                        id
                    }
                };
                // The note may name people: the trail records the date, not the text.
                let details = serde_json::json!({
                    "application_code": code, "withdrawn_on": on.to_string(),
                });
                (id, "application_withdraw", details)
            }
            WithdrawalChange::Annul { reason } => {
                let Some((id, true)) = held else {
                    return Err(StoreError::Changed(format!(
                        "la domanda {code} non ha una rinuncia in vigore da annullare"
                    )));
                };
                let version = next_version(&tx)?;
                tx.execute(
                    "UPDATE application_withdrawals SET version = ?2, annulled_reason = ?3,
                     annulled_at = ?4 WHERE id = ?1",
                    params![id, version, reason, at_text],
                )?;
                let details = serde_json::json!({ "application_code": code });
                (id, "application_withdrawal_annul", details)
            }
        };
        crate::tables::stamp(&tx, "application_withdrawals", &id)?;
        audit::log(
            &tx,
            at,
            actor,
            action,
            "application",
            Some(&application_id),
            details,
        )?;
        tx.commit()?;
        Ok(())
    }
}

const SELECT: &str = "
    SELECT a.application_code, w.id, w.withdrawn_on, w.note, w.operator, w.recorded_at,
           w.annulled_reason, w.annulled_at
    FROM application_withdrawals w JOIN applications a ON a.id = w.application_id";

fn read(row: &rusqlite::Row) -> Result<Withdrawal> {
    let id: String = row.get(1)?;
    let corrupt = |column: &str| {
        StoreError::Corrupt(format!(
            "{}/{id}, colonna {column}",
            "application_withdrawals"
        ))
    };
    let on: String = row.get(2)?;
    Ok(Withdrawal {
        withdrawn_on: on.parse().map_err(|_| corrupt("withdrawn_on"))?,
        note: row.get(3)?,
        operator: row.get(4)?,
        recorded_at: row.get(5)?,
        annulled_reason: row.get(6)?,
        annulled_at: row.get(7)?,
    })
}

/// A received withdrawal: its texts follow the desk's rule (no hidden characters, new lines
/// only in the notes), and an annulment carries both its reason and its time.
pub(crate) fn check_received(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    crate::tables::check_texts(
        body,
        &[
            ("note", true),
            ("operator", false),
            ("annulled_reason", true),
        ],
    )?;
    crate::tables::both_or_neither(
        body,
        "annulled_reason",
        "annulled_at",
        "annullamento senza motivo o senza data",
    )
}
