//! What every synchronised row carries (ARCHITECTURE.md, "Data ownership").

use std::collections::BTreeMap;

use rusqlite::Transaction;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::Result;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncMeta {
    /// UUID v7, made by the owner.
    pub id: Uuid,
    /// ISTAT code of the comune that owns (and alone edits) the row.
    pub owner: String,
    /// The owner's change counter when the row last changed.
    pub version: i64,
    /// SHA-256 (hex) of the row's content: [`content_hash`] of its wire fields.
    pub content_hash: String,
    /// Tombstone: the row was erased; its body is purged.
    pub deleted: bool,
}

/// One synchronised row: its table, sync metadata and content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub table: String,
    #[serde(flatten)]
    pub meta: SyncMeta,
    pub body: serde_json::Value,
}

/// The one content hash of every synchronised row: SHA-256 (hex) of its wire fields (the
/// fields its table's descriptor declares, as a bundle carries them) written as JSON with the
/// keys in sorted order. The owner computes it when writing; a receiver recomputes it.
pub(crate) fn content_hash(body: &Map<String, Value>) -> String {
    // Sorted explicitly: a `serde_json::Map` keeps insertion order when any crate of the
    // build enables `preserve_order`.
    let sorted: BTreeMap<&String, &Value> = body.iter().collect();
    let bytes = serde_json::to_vec(&sorted).expect("row content always serialises");
    hex::encode(Sha256::digest(bytes))
}

/// The first schema whose bundles carry [`content_hash`] (before, each table hashed its own
/// tuple); a receiver verifies the hashes of these and recomputes those of older ones.
pub(crate) const HASHED_SINCE_SCHEMA: i64 = 5;

/// A column holding JSON text, read back: what cannot be read is an error naming the table,
/// the row and the column, never a silent default.
pub(crate) fn json_text(text: &str, table: &str, row: &str, column: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|_| unreadable_json(table, row, column))
}

/// The error of a JSON column that cannot be read.
pub(crate) fn unreadable_json(table: &str, row: &str, column: &str) -> crate::StoreError {
    crate::StoreError::Corrupt(format!("{table}/{row}, colonna {column}: JSON illeggibile"))
}

/// Takes the next value of the owner's change counter.
pub(crate) fn next_version(tx: &Transaction) -> Result<i64> {
    Ok(tx.query_row(
        "UPDATE install SET change_seq = change_seq + 1 RETURNING change_seq",
        [],
        |r| r.get(0),
    )?)
}

pub(crate) fn new_id() -> Uuid {
    Uuid::now_v7()
}
