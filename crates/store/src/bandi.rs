//! Bandi: calls for applications, stored with the TOML they were read from.

use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use sportello_domain::Bando;

use crate::audit::{self, Actor};
use crate::record::{new_id, next_version};
use crate::{Result, Store, StoreError};

/// What saving a bando did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BandoSaved {
    Created,
    Updated,
    Unchanged,
}

impl Store {
    /// Stores a bando of this install (the capofila's), or replaces the one with the same id
    /// when its text changed.
    pub fn save_bando(
        &mut self,
        bando: &Bando,
        toml: &str,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<BandoSaved> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let owner = crate::install::own_comune(&tx)?;
        let outcome = save(&tx, bando, toml, &owner, true, at, actor)?;
        tx.commit()?;
        Ok(outcome)
    }

    pub fn bando(&self, code: &str) -> Result<Option<Bando>> {
        let toml: Option<String> = self
            .conn
            .query_row(
                "SELECT toml FROM bandi WHERE code = ?1 AND deleted = 0",
                [code],
                |r| r.get(0),
            )
            .optional()?;
        toml.map(|t| parse(&t)).transpose()
    }

    /// Every bando, the most recently opened first.
    pub fn bandi(&self) -> Result<Vec<Bando>> {
        let mut stmt = self
            .conn
            .prepare("SELECT toml FROM bandi WHERE deleted = 0 ORDER BY opens DESC, code")?;
        let texts = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        texts.iter().map(|t| parse(t)).collect()
    }

    /// The TOML text a bando was read from.
    pub fn bando_toml(&self, code: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT toml FROM bandi WHERE code = ?1 AND deleted = 0",
                [code],
                |r| r.get(0),
            )
            .optional()?)
    }
}

/// A received bando: its TOML is a bando, and the same one as its columns say.
pub(crate) fn check_received(
    body: &serde_json::Map<String, serde_json::Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    let text = |key: &str| body[key].as_str().unwrap_or_default();
    let bando = Bando::from_toml(text("toml")).map_err(|e| format!("toml: {e}"))?;
    let agrees = bando.id == text("code")
        && bando.title == text("title")
        && bando.opens.to_string() == text("opens")
        && bando.closes.to_string() == text("closes");
    if agrees {
        Ok(())
    } else {
        Err("toml: diverso da codice, titolo o date del bando".into())
    }
}

/// The capofila's bando supersedes a copy an install imported itself under another id.
pub(crate) fn supersede_local_copy(
    tx: &rusqlite::Connection,
    record: &crate::record::Record,
) -> std::result::Result<(), crate::sync::ApplyError> {
    tx.execute(
        "DELETE FROM bandi WHERE code = ?1 AND id <> ?2",
        params![record.body["code"].as_str(), record.meta.id.to_string()],
    )?;
    Ok(())
}

/// The capofila's bando received with its district file, stored as the capofila's row (this
/// install's counter untouched): a later publish bundle replaces it with the capofila's own.
pub(crate) fn save_capofilas(
    tx: &Transaction,
    bando: &Bando,
    toml: &str,
    capofila: &str,
    at: DateTime<FixedOffset>,
    actor: &Actor,
) -> Result<BandoSaved> {
    save(tx, bando, toml, capofila, false, at, actor)
}

/// Stores `bando` as `owner`'s row; `own`: this install's, taking the next version.
fn save(
    tx: &Transaction,
    bando: &Bando,
    toml: &str,
    owner: &str,
    own: bool,
    at: DateTime<FixedOffset>,
    actor: &Actor,
) -> Result<BandoSaved> {
    let existing: Option<(String, String)> = tx
        .query_row(
            "SELECT id, toml FROM bandi WHERE code = ?1",
            [&bando.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let outcome = match existing {
        Some((_, held)) if held == toml => BandoSaved::Unchanged,
        Some((id, _)) => {
            let version = if own { next_version(tx)? } else { 0 };
            tx.execute(
                "UPDATE bandi SET version = ?2, title = ?3, opens = ?4, closes = ?5, toml = ?6
                 WHERE id = ?1",
                params![
                    id,
                    version,
                    bando.title,
                    bando.opens.to_string(),
                    bando.closes.to_string(),
                    toml
                ],
            )?;
            crate::tables::stamp(tx, "bandi", &id)?;
            BandoSaved::Updated
        }
        None => {
            let version = if own { next_version(tx)? } else { 0 };
            let id = new_id().to_string();
            tx.execute(
                "INSERT INTO bandi (id, owner, version, content_hash, code, title, opens,
                 closes, toml) VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8)",
                params![
                    id,
                    owner,
                    version,
                    bando.id,
                    bando.title,
                    bando.opens.to_string(),
                    bando.closes.to_string(),
                    toml
                ],
            )?;
            crate::tables::stamp(tx, "bandi", &id)?;
            BandoSaved::Created
        }
    };
    if outcome != BandoSaved::Unchanged {
        audit::log(
            tx,
            at,
            actor,
            if outcome == BandoSaved::Created {
                "bando_create"
            } else {
                "bando_update"
            },
            "bando",
            Some(&bando.id),
            serde_json::json!({ "title": bando.title }),
        )?;
    }
    Ok(outcome)
}

fn parse(toml: &str) -> Result<Bando> {
    Bando::from_toml(toml).map_err(|e| StoreError::Corrupt(e.to_string()))
}
