//! People named in the other comuni's applications, as the capofila tells each comune: per
//! bando, keyed digests of their codici fiscali. A comune holds only its own applications; with
//! these it can tell the operator that a person typed at the desk is already in an application
//! of another comune of the district, without ever holding that person's code, name or comune.
//!
//! The digests travel only inside publish bundles (encrypted to the one recipient) and each
//! row has its own random key, so a list is of no use outside the comune it was made for, and
//! two comuni's lists cannot be matched with each other. Who holds a row and its key can test
//! a codice fiscale they already know: exactly what the desk does.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::record::{Record, new_id, next_version};
use crate::{ApplicationFilter, Result, Store};

/// Hex characters of a digest: the first 16 bytes of the SHA-256, ample to tell codici fiscali
/// apart and half the size to carry.
const DIGEST_HEX: usize = 32;
const KEY_HEX: usize = 64;

/// The digest of codice fiscale `code` under a row's key (hex): SHA-256 of a label, the key
/// and the code as written in applications (uppercase), first 16 bytes.
pub fn digest(key_hex: &str, code: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"sportello named elsewhere v1\0");
    hasher.update(key_hex.as_bytes());
    hasher.update(b"\0");
    hasher.update(code.trim().to_uppercase().as_bytes());
    hex::encode(&hasher.finalize()[..DIGEST_HEX / 2])
}

/// What the capofila last told this comune of a bando's applications elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedElsewhere {
    pub digest_key: String,
    /// When the capofila computed the list (RFC 3339).
    pub as_of: String,
    pub digests: BTreeSet<String>,
}

impl NamedElsewhere {
    /// Whether codice fiscale `code` is named in another comune's application.
    pub fn names(&self, code: &str) -> bool {
        self.digests.contains(&digest(&self.digest_key, code))
    }
}

impl Store {
    /// At the capofila, before its publish bundles: for each bando held and each comune of
    /// `recipients`, the digests of every codice fiscale named in the current revision of an
    /// application of that bando filed at another comune and not withdrawn, as of `at`. A row
    /// keeps its key.
    pub fn refresh_named_elsewhere(
        &mut self,
        recipients: &[String],
        at: DateTime<FixedOffset>,
    ) -> Result<()> {
        // A withdrawn application no longer competes: its people are not in the way.
        let withdrawals = self.withdrawals()?;
        let mut rows = Vec::new();
        for bando in self.bandi()? {
            let filter = ApplicationFilter {
                bando: Some(bando.id.clone()),
                ..ApplicationFilter::default()
            };
            let applications = self.applications(&filter)?.applications;
            for recipient in recipients {
                let codes: BTreeSet<&str> = applications
                    .iter()
                    .filter(|a| a.application.comune != *recipient)
                    .filter(|a| {
                        !withdrawals
                            .get(&a.application.code)
                            .is_some_and(|w| w.in_force())
                    })
                    .flat_map(|a| a.application.declaration.household_codici_fiscali())
                    .collect();
                rows.push((
                    bando.id.clone(),
                    recipient.clone(),
                    codes.into_iter().map(String::from).collect::<Vec<_>>(),
                ));
            }
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let owner = crate::install::own_comune(&tx)?;
        for (bando, recipient, codes) in rows {
            let held: Option<(String, String)> = tx
                .query_row(
                    "SELECT id, digest_key FROM named_elsewhere WHERE bando = ?1 AND recipient = ?2",
                    params![bando, recipient],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (id, key) = held.unwrap_or_else(|| (new_id().to_string(), new_key()));
            let digests: BTreeSet<String> = codes.iter().map(|c| digest(&key, c)).collect();
            let digests = serde_json::to_string(&digests).expect("digests serialise");
            let version = next_version(&tx)?;
            tx.execute(
                "INSERT INTO named_elsewhere (id, owner, version, content_hash, bando, recipient,
                 digest_key, as_of, digests) VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (id) DO UPDATE SET version = excluded.version,
                 as_of = excluded.as_of, digests = excluded.digests",
                params![
                    id,
                    owner,
                    version,
                    bando,
                    recipient,
                    key,
                    at.to_rfc3339(),
                    digests
                ],
            )?;
            crate::tables::stamp(&tx, "named_elsewhere", &id)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// What the capofila last told `recipient` (this comune) of the applications of `bando`
    /// elsewhere; `None` before its first publish bundle with them.
    pub fn named_elsewhere(&self, bando: &str, recipient: &str) -> Result<Option<NamedElsewhere>> {
        let row: Option<(String, String, String, String)> = self
            .conn
            .query_row(
                "SELECT id, digest_key, as_of, digests FROM named_elsewhere
                 WHERE bando = ?1 AND recipient = ?2 AND deleted = 0",
                params![bando, recipient],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((id, digest_key, as_of, digests)) = row else {
            return Ok(None);
        };
        let digests = crate::record::json_text(&digests, "named_elsewhere", &id, "digests")?;
        let digests = serde_json::from_value(digests).map_err(|_| {
            crate::StoreError::Corrupt(format!(
                "{}/{id}, colonna {}: atteso un elenco di impronte",
                "named_elsewhere", "digests"
            ))
        })?;
        Ok(Some(NamedElsewhere {
            digest_key,
            as_of,
            digests,
        }))
    }
}

fn new_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; KEY_HEX / 2];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A received row: a key of 32 bytes and a sorted list of digests, all lowercase hex.
pub(crate) fn check_received(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    if !is_hex(body["digest_key"].as_str().unwrap_or_default(), KEY_HEX) {
        return Err(format!(
            "{}: attese {KEY_HEX} cifre esadecimali minuscole",
            "digest_key"
        ));
    }
    let text = body["digests"].as_str().unwrap_or_default();
    let Ok(Value::Array(items)) = serde_json::from_str(text) else {
        return Err("digests: atteso un elenco JSON".into());
    };
    let mut before: Option<&str> = None;
    for item in &items {
        let Some(d) = item.as_str().filter(|d| is_hex(d, DIGEST_HEX)) else {
            return Err(format!(
                "digests: attese impronte di {DIGEST_HEX} cifre esadecimali minuscole"
            ));
        };
        if before.is_some_and(|b| b >= d) {
            return Err("digests: impronte non in ordine o ripetute".into());
        }
        before = Some(d);
    }
    Ok(())
}

/// A recipient gets only the rows made for it.
pub(crate) fn for_recipient(records: Vec<Record>, comune: &str) -> Vec<Record> {
    records
        .into_iter()
        .filter(|r| r.body["recipient"].as_str() == Some(comune))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_depends_on_the_key_and_on_the_code_as_filed() {
        let key = "00".repeat(32);
        let other = "01".repeat(32);
        let d = digest(&key, "RSSMRA80A01I754N");
        assert_eq!(d.len(), DIGEST_HEX);
        assert_eq!(d, digest(&key, " rssmra80a01i754n "));
        assert_ne!(d, digest(&other, "RSSMRA80A01I754N"));
        assert_ne!(d, digest(&key, "BNCGLI92M55D636B"));
    }

    #[test]
    fn a_received_row_is_a_key_and_sorted_digests() {
        let good = |digests: &str| {
            let mut body = Map::new();
            body.insert("digest_key".into(), Value::from("ab".repeat(32)));
            body.insert("digests".into(), Value::from(digests));
            body
        };
        let a = "0".repeat(32);
        let b = "1".repeat(32);
        assert_eq!(
            check_received(&good(&format!("[\"{a}\",\"{b}\"]")), "089017"),
            Ok(())
        );
        assert_eq!(check_received(&good("[]"), "089017"), Ok(()));
        for (digests, says) in [
            (format!("[\"{b}\",\"{a}\"]"), "non in ordine"),
            (format!("[\"{a}\",\"{a}\"]"), "ripetute"),
            ("[\"RSSMRA80A01I754N\"]".to_string(), "impronte di 32"),
            ("{}".to_string(), "elenco JSON"),
        ] {
            let err = check_received(&good(&digests), "089017").unwrap_err();
            assert!(err.contains(says), "{digests}: {err}");
        }
        let mut short_key = good("[]");
        short_key.insert("digest_key".into(), Value::from("AB".repeat(32)));
        assert!(
            check_received(&short_key, "089017")
                .unwrap_err()
                .starts_with("digest_key")
        );
    }
}
