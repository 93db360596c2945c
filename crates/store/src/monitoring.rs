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
