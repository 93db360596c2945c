//! The front office's district settings: kinds of back-office case, owned by the capofila.

use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use sportello_domain::CaseKind;

use crate::audit::{self, Actor};
use crate::record::{new_id, next_version};
use crate::{Result, Store, StoreError};

/// A kind of case as held here: the district's kind and whether it is still in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct StoredCaseKind {
    #[serde(flatten)]
    pub kind: CaseKind,
    pub active: bool,
}

/// What setting the kinds changed, by code.
pub type CaseKindsSaved = crate::entries::EntriesSaved;

impl crate::entries::Coded for CaseKind {
    fn code(&self) -> &str {
        &self.id
    }
}

impl crate::entries::Held for StoredCaseKind {
    type Entry = CaseKind;
    fn entry(&self) -> &CaseKind {
        &self.kind
    }
    fn active(&self) -> bool {
        self.active
    }
}

impl Store {
    /// The capofila sets the district's kinds of case: each new or changed kind takes the next
    /// version (and travels with the next publish bundles); a kind left out is kept, inactive.
    pub fn save_case_kinds(
        &mut self,
        kinds: &[CaseKind],
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<CaseKindsSaved> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let owner = crate::install::own_comune(&tx)?;
        let mut saved = CaseKindsSaved::default();
        let held = read_kinds(&tx)?;
        for change in crate::entries::changes(&held, kinds, &mut saved) {
            let (kind, active) = (change.entry, change.active);
            let version = next_version(&tx)?;
            let id: String = tx
                .query_row(
                    "SELECT id FROM case_kinds WHERE code = ?1",
                    [&kind.id],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or_else(|| new_id().to_string());
            tx.execute(
                "INSERT INTO case_kinds (id, owner, version, content_hash, code, name,
                 target_days, working_days, active) VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (id) DO UPDATE SET version = excluded.version, name = excluded.name,
                 target_days = excluded.target_days, working_days = excluded.working_days,
                 active = excluded.active",
                params![
                    id,
                    owner,
                    version,
                    kind.id,
                    kind.name,
                    kind.target_days,
                    kind.working_days,
                    active
                ],
            )?;
            crate::tables::stamp(&tx, "case_kinds", &id)?;
        }
        if saved.changed() {
            audit::log(
                &tx,
                at,
                actor,
                "case_kinds_set",
                "case_kinds",
                None,
                saved.audit_detail(),
            )?;
        }
        tx.commit()?;
        Ok(saved)
    }

    /// The kinds of case held here (the capofila's, received with its publish bundles), in
    /// use first, then by code.
    pub fn case_kinds(&self) -> Result<Vec<StoredCaseKind>> {
        read_kinds(&self.conn)
    }
}

fn read_kinds(conn: &rusqlite::Connection) -> Result<Vec<StoredCaseKind>> {
    let mut stmt = conn.prepare(
        "SELECT code, name, target_days, working_days, active FROM case_kinds
         WHERE deleted = 0 ORDER BY active DESC, code",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            CaseKind {
                id: r.get("code")?,
                name: r.get("name")?,
                target_days: r.get("target_days")?,
                working_days: r.get("working_days")?,
            },
            r.get::<_, bool>("active")?,
        ))
    })?;
    rows.map(|row| {
        let (kind, active) = row?;
        kind.check().map_err(|e| {
            StoreError::Corrupt(format!("case_kinds/{}, valori non validi: {e}", kind.id))
        })?;
        Ok(StoredCaseKind { kind, active })
    })
    .collect()
}

/// A received kind of case: one the domain accepts.
pub(crate) fn check_received(
    body: &serde_json::Map<String, serde_json::Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    let kind = CaseKind {
        id: body["code"].as_str().unwrap_or_default().into(),
        name: body["name"].as_str().unwrap_or_default().into(),
        target_days: body["target_days"]
            .as_u64()
            .and_then(|d| u8::try_from(d).ok())
            .unwrap_or(0),
        working_days: body["working_days"].as_i64() == Some(1),
    };
    kind.check()
}
