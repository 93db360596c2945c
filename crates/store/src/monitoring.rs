//! Monitoring counts per half-year: this install's own, and the comuni's as received.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde_json::{Map, Value};

use crate::record::{new_id, next_version};
use crate::{Result, Store};

impl Store {
    /// Keeps this install's `counts` (JSON object of decimal texts) of `period`: a new version
    /// only when they changed, so an unchanged half-year does not travel again.
    pub fn save_monitoring_counts(
        &mut self,
        period: &str,
        counts: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let comune = crate::install::own_comune(&tx)?;
        let held: Option<String> = tx
            .query_row(
                "SELECT counts FROM monitoring_counts WHERE owner = ?1 AND period = ?2",
                params![comune, period],
                |r| r.get(0),
            )
            .optional()?;
        if held.as_deref() == Some(counts) {
            return Ok(false);
        }
        let version = next_version(&tx)?;
        let id: String = tx.query_row(
            "INSERT INTO monitoring_counts (id, owner, version, content_hash, period, counts,
             computed_at) VALUES (?1, ?2, ?3, '', ?4, ?5, ?6)
             ON CONFLICT (owner, period) DO UPDATE SET version = excluded.version,
               counts = excluded.counts, computed_at = excluded.computed_at
             RETURNING id",
            params![
                new_id().to_string(),
                comune,
                version,
                period,
                counts,
                at.to_rfc3339()
            ],
            |r| r.get(0),
        )?;
        crate::tables::stamp(&tx, "monitoring_counts", &id)?;
        tx.commit()?;
        Ok(true)
    }

    /// The counts of `period` held here, by owner comune (this install's and, at the capofila,
    /// every comune's received).
    pub fn monitoring_counts(&self, period: &str) -> Result<BTreeMap<String, String>> {
        let mut stmt = self.conn.prepare(
            "SELECT owner, counts FROM monitoring_counts WHERE period = ?1 AND deleted = 0",
        )?;
        let rows = stmt.query_map([period], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>().map_err(Into::into)
    }
}

/// `12`, `-3`, `312.5`: a decimal number as text.
fn decimal_text(v: &str) -> bool {
    let digits = v.strip_prefix('-').unwrap_or(v);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// A received row of counts: figures only — names of counts and decimal numbers, nothing else
/// (no text could carry a person).
pub(crate) fn check_received_counts(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    let period = body["period"].as_str().unwrap_or_default();
    let period_ok = period.len() == 7
        && period[..4].bytes().all(|b| b.is_ascii_digit())
        && matches!(&period[4..], "-H1" | "-H2");
    if !period_ok {
        return Err(format!("{}: non è un semestre AAAA-H1 o AAAA-H2", "period"));
    }
    let counts: Map<String, Value> = body["counts"]
        .as_str()
        .and_then(|t| serde_json::from_str(t).ok())
        .ok_or_else(|| format!("{}: non è un elenco di conteggi", "counts"))?;
    for (name, value) in &counts {
        let name_ok = !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_');
        let value_ok = value
            .as_str()
            .is_some_and(|v| v.len() <= 24 && decimal_text(v));
        if !name_ok || !value_ok {
            return Err(format!(
                "{}: ammessi solo nomi di conteggi e numeri",
                "counts"
            ));
        }
    }
    Ok(())
}

/// A half-year form as held (`monitor form list`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct StoredForm {
    pub id: String,
    /// The install that wrote it (ISTAT).
    pub comune: String,
    pub period: String,
    pub action: String,
    pub revision: i64,
    /// The form as written (JSON of `sportello_domain::monitoring::Form`).
    #[cfg_attr(feature = "bindings", ts(type = "unknown"))]
    pub form: Value,
    pub operator: String,
    pub recorded_at: String,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
}

impl Store {
    /// The forms held here (this install's and, at the capofila, the comuni's), by half-year,
    /// action, comune and revision.
    pub fn monitoring_forms(&self) -> Result<Vec<StoredForm>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, owner, period, action, revision, form, operator, recorded_at, closed_at,
                    closed_by
             FROM monitoring_forms WHERE deleted = 0
             ORDER BY period, action, owner, revision",
        )?;
        let rows = stmt.query_map([], |r| {
            let form: String = r.get(5)?;
            Ok(StoredForm {
                id: r.get(0)?,
                comune: r.get(1)?,
                period: r.get(2)?,
                action: r.get(3)?,
                revision: r.get(4)?,
                form: serde_json::from_str(&form).unwrap_or(Value::Null),
                operator: r.get(6)?,
                recorded_at: r.get(7)?,
                closed_at: r.get(8)?,
                closed_by: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Writes this install's form of (`period`, `action`): the open revision takes the new
    /// text; when the latest is closed, a new open revision starts. Returns its id and
    /// revision. Audited.
    pub fn save_monitoring_form(
        &mut self,
        period: &str,
        action: &str,
        form: &str,
        at: DateTime<FixedOffset>,
        actor: &crate::Actor,
    ) -> Result<(String, i64)> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let comune = crate::install::own_comune(&tx)?;
        let latest: Option<(String, i64, Option<String>)> = tx
            .query_row(
                "SELECT id, revision, closed_at FROM monitoring_forms
                 WHERE owner = ?1 AND period = ?2 AND action = ?3
                 ORDER BY revision DESC LIMIT 1",
                params![comune, period, action],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let version = next_version(&tx)?;
        let (id, revision) = match latest {
            Some((id, revision, None)) => {
                tx.execute(
                    "UPDATE monitoring_forms SET version = ?2, form = ?3, operator = ?4,
                     recorded_at = ?5 WHERE id = ?1",
                    params![id, version, form, actor.0, at.to_rfc3339()],
                )?;
                (id, revision)
            }
            closed => {
                let id = new_id().to_string();
                let revision = closed.map_or(1, |(_, r, _)| r + 1);
                tx.execute(
                    "INSERT INTO monitoring_forms (id, owner, version, content_hash, period,
                     action, revision, form, operator, recorded_at)
                     VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        id,
                        comune,
                        version,
                        period,
                        action,
                        revision,
                        form,
                        actor.0,
                        at.to_rfc3339()
                    ],
                )?;
                (id, revision)
            }
        };
        crate::tables::stamp(&tx, "monitoring_forms", &id)?;
        crate::audit::log(
            &tx,
            at,
            actor,
            "monitoring_form_save",
            "monitoring_form",
            Some(&id),
            serde_json::json!({ "period": period, "action": action, "revision": revision }),
        )?;
        tx.commit()?;
        Ok((id, revision))
    }

    /// Closes this install's open form `id`: read-only from now on. `false` when no open
    /// form of this install has that id. Audited.
    pub fn close_monitoring_form(
        &mut self,
        id: &str,
        at: DateTime<FixedOffset>,
        actor: &crate::Actor,
    ) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let comune = crate::install::own_comune(&tx)?;
        let version = next_version(&tx)?;
        let changed = tx.execute(
            "UPDATE monitoring_forms SET version = ?3, closed_at = ?4, closed_by = ?5
             WHERE id = ?1 AND owner = ?2 AND closed_at IS NULL",
            params![id, comune, version, at.to_rfc3339(), actor.0],
        )?;
        if changed == 0 {
            return Ok(false);
        }
        crate::tables::stamp(&tx, "monitoring_forms", id)?;
        crate::audit::log(
            &tx,
            at,
            actor,
            "monitoring_form_close",
            "monitoring_form",
            Some(id),
            serde_json::json!({}),
        )?;
        tx.commit()?;
        Ok(true)
    }
}

/// A received form: its period and action well formed, its texts as at the desk, closing
/// fields together.
pub(crate) fn check_received_form(
    body: &Map<String, Value>,
    owner: &str,
) -> std::result::Result<(), String> {
    let mut counts_like = body.clone();
    counts_like.insert("counts".into(), Value::String("{}".into()));
    check_received_counts(&counts_like, owner)?;
    let form: sportello_domain::monitoring::Form = body["form"]
        .as_str()
        .and_then(|t| serde_json::from_str(t).ok())
        .ok_or_else(|| format!("{}: non è una scheda di monitoraggio", "form"))?;
    if form.period != body["period"].as_str().unwrap_or_default()
        || form.action != body["action"].as_str().unwrap_or_default()
        || !form.check().is_empty()
    {
        return Err(format!("{}: scheda incompleta o incoerente", "form"));
    }
    crate::tables::both_or_neither(
        body,
        "closed_at",
        "closed_by",
        "chiusura senza chi l'ha chiusa",
    )
}
