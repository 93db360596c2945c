//! The install: which comune this database belongs to, in which district.

use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use sportello_domain::District;

use crate::audit::{self, Actor};
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct Install {
    /// ISTAT code of this install's comune: every application recorded here is filed there.
    pub comune: String,
    pub district: District,
    pub district_toml: String,
    pub created_at: String,
}

impl Install {
    pub fn is_capofila(&self) -> bool {
        self.district.is_capofila(&self.comune)
    }
}

/// The comune of this install: the owner of every row it makes.
pub(crate) fn own_comune(conn: &rusqlite::Connection) -> Result<String> {
    conn.query_row("SELECT comune FROM install", [], |r| r.get(0))
        .optional()?
        .ok_or(StoreError::NotInitialized)
}

impl Store {
    pub fn install(&self) -> Result<Option<Install>> {
        let row = self
            .conn
            .query_row(
                "SELECT comune, district_toml, created_at FROM install",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(comune, district_toml, created_at)| {
            let district = District::from_toml(&district_toml)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok(Install {
                comune,
                district,
                district_toml,
                created_at,
            })
        })
        .transpose()
    }

    /// The install, or the error that tells the user to run `init` first.
    pub fn require_install(&self) -> Result<Install> {
        self.install()?.ok_or(StoreError::NotInitialized)
    }

    /// Binds this database to a comune of a district. Done once.
    pub fn initialize(
        &mut self,
        district: &District,
        district_toml: &str,
        comune: &str,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<Install> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing: Option<String> = tx
            .query_row("SELECT comune FROM install", [], |r| r.get(0))
            .optional()?;
        if let Some(comune) = existing {
            return Err(StoreError::AlreadyInitialized { comune });
        }
        tx.execute(
            "INSERT INTO install (singleton, comune, district_id, district_toml, created_at)
             VALUES (1, ?1, ?2, ?3, ?4)",
            params![comune, district.id, district_toml, at.to_rfc3339()],
        )?;
        audit::log(
            &tx,
            at,
            actor,
            "init",
            "install",
            Some(comune),
            serde_json::json!({ "district": district.id }),
        )?;
        tx.commit()?;
        self.require_install()
    }

    /// Comune: applies a district file accepted from the capofila, all of it or nothing: the
    /// trust list that names the capofila's key, the district's configuration (comuni,
    /// places …) and its bandi, which stay the capofila's rows.
    pub fn accept_district(
        &mut self,
        accepted: &AcceptedDistrict,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<Install> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![accepted.trust_key, accepted.trust_json],
        )?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![DISTRICT_ACCEPTED_SEQ, accepted.seq.to_string()],
        )?;
        tx.execute(
            "UPDATE install SET district_toml = ?1",
            [accepted.district_toml],
        )?;
        for (bando, toml) in accepted.bandi {
            crate::bandi::save_capofilas(&tx, bando, toml, accepted.capofila, at, actor)?;
        }
        audit::log(
            &tx,
            at,
            actor,
            "district_accept",
            "install",
            None,
            serde_json::json!({ "seq": accepted.seq, "bandi": accepted.bandi.len() }),
        )?;
        tx.commit()?;
        self.require_install()
    }
}

/// The setting holding the number of the last district file a comune accepted: an older one
/// arriving late must not bring back an outdated configuration.
pub const DISTRICT_ACCEPTED_SEQ: &str = "district_seq_accepted";

/// A district file's contents, verified, ready to apply.
pub struct AcceptedDistrict<'a> {
    pub seq: u64,
    pub capofila: &'a str,
    pub district_toml: &'a str,
    pub bandi: &'a [(sportello_domain::Bando, String)],
    /// The setting the trust list lives in, and the list naming the capofila's key.
    pub trust_key: &'a str,
    pub trust_json: &'a str,
}
