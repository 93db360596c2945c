//! SIUSS flows sent from this comune and the records in force at INPS (local tables).

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{TransactionBehavior, params};

use crate::audit::{self, Actor};
use crate::{Result, Store, StoreError};

/// A flow about to be recorded as sent: its name and file, what it inserted and cancelled.
pub struct SiussFlow<'a> {
    pub name: &'a str,
    pub sent_on: NaiveDate,
    pub file: &'a str,
    /// (application code, `aaaa-mm`, the record as JSON).
    pub inserted: &'a [(String, String, String)],
    /// (application code, `aaaa-mm`) of records in force that this flow cancels.
    pub cancelled: &'a [(String, String)],
}

impl Store {
    /// The records in force at INPS, by (application code, `aaaa-mm`): the JSON sent.
    pub fn siuss_in_force(&self) -> Result<HashMap<(String, String), String>> {
        let mut stmt = self.conn.prepare(
            "SELECT application_code, month, record FROM siuss_sent WHERE cancelled_by IS NULL",
        )?;
        let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get::<_, String>(2)?)))?;
        let mut map = HashMap::new();
        for row in rows {
            let (key, record) = row?;
            map.insert(key, record);
        }
        Ok(map)
    }

    /// How many flows were sent on `day` (the next one's progressive is this plus one).
    pub fn siuss_flows_on(&self, day: NaiveDate) -> Result<u32> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM siuss_flows WHERE sent_on = ?1",
            [day.to_string()],
            |r| r.get(0),
        )?)
    }

    /// Records `flow` as sent, in one transaction: the cancelled records leave force, the
    /// inserted ones enter it. Audited with the counts (never the people).
    pub fn save_siuss_flow(
        &mut self,
        flow: &SiussFlow<'_>,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let records = i64::try_from(flow.inserted.len() + flow.cancelled.len()).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO siuss_flows (name, sent_on, sent_at, operator, file, records)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                flow.name,
                flow.sent_on.to_string(),
                at.to_rfc3339(),
                actor.0,
                flow.file,
                records
            ],
        )?;
        for (code, month) in flow.cancelled {
            let changed = tx.execute(
                "UPDATE siuss_sent SET cancelled_by = ?3
                 WHERE application_code = ?1 AND month = ?2 AND cancelled_by IS NULL",
                params![code, month, flow.name],
            )?;
            if changed != 1 {
                return Err(StoreError::Corrupt(format!(
                    "{}/{code}-{month}: nessun invio in vigore da annullare",
                    "siuss_sent"
                )));
            }
        }
        for (code, month, record) in flow.inserted {
            tx.execute(
                "INSERT INTO siuss_sent (application_code, month, flow, record)
                 VALUES (?1, ?2, ?3, ?4)",
                params![code, month, flow.name, record],
            )?;
        }
        audit::log(
            &tx,
            at,
            actor,
            "siuss_export",
            "siuss_flow",
            Some(flow.name),
            serde_json::json!({
                "inserted": flow.inserted.len(),
                "cancelled": flow.cancelled.len(),
            }),
        )?;
        tx.commit()?;
        Ok(())
    }
}
