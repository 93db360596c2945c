//! What every synchronised row carries (ARCHITECTURE.md, "Data ownership").

use std::collections::BTreeMap;

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

impl Record {
    /// A record as a bundle's line holds it, taken apart without copying its body: serde's
    /// `flatten` would first buffer every field of every record received.
    pub fn from_line(line: Value) -> std::result::Result<Record, String> {
        let Value::Object(mut fields) = line else {
            return Err("il record non è un oggetto JSON".into());
        };
        let table = match fields.remove("table") {
            Some(Value::String(table)) => table,
            Some(_) => return Err(format!("campo {:?} non testo", "table")),
            None => return Err(format!("campo {:?} mancante", "table")),
        };
        let body = fields
            .remove("body")
            .ok_or_else(|| format!("campo {:?} mancante", "body"))?;
        let meta = serde_json::from_value(Value::Object(fields)).map_err(|e| e.to_string())?;
        Ok(Record { table, meta, body })
    }
}

/// The one content hash of every synchronised row: SHA-256 (hex) of its wire fields (the
/// fields its table's descriptor declares, as a bundle carries them) written as JSON with the
/// keys in sorted order. The owner computes it when writing; a receiver recomputes it.
pub(crate) fn content_hash(body: &Map<String, Value>) -> String {
    // Sorted explicitly: a `serde_json::Map` keeps insertion order when any crate of the
    // build enables `preserve_order`. Written straight into the hash: every record received
    // is hashed.
    let mut hasher = Sha256::new();
    let written = if body.keys().is_sorted() {
        serde_json::to_writer(&mut hasher, body)
    } else {
        serde_json::to_writer(&mut hasher, &body.iter().collect::<BTreeMap<_, _>>())
    };
    written.expect("row content always serialises");
    hex::encode(hasher.finalize())
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
pub(crate) fn next_version(tx: &rusqlite::Connection) -> Result<i64> {
    Ok(tx.query_row(
        "UPDATE install SET change_seq = change_seq + 1 RETURNING change_seq",
        [],
        |r| r.get(0),
    )?)
}

pub(crate) fn new_id() -> Uuid {
    Uuid::now_v7()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Record;

    #[test]
    fn a_line_reads_as_the_record_serde_reads() {
        let line = json!({
            "table": "applications", "id": "01890a5d-ac96-774b-bcce-b302099a8057",
            "owner": "089017", "version": 7, "content_hash": "ab", "deleted": false,
            "body": { "comune": "089017", "year": 2026 },
        });
        let record = Record::from_line(line.clone()).unwrap();
        assert_eq!(record, serde_json::from_value::<Record>(line).unwrap());
        assert_eq!(record.meta.version, 7);
        assert_eq!(record.body["year"], 2026);
    }

    #[test]
    fn a_line_without_its_parts_is_refused() {
        let whole = json!({
            "table": "applications", "id": "01890a5d-ac96-774b-bcce-b302099a8057",
            "owner": "089017", "version": 7, "content_hash": "ab", "deleted": false,
            "body": {},
        });
        for part in ["table", "body", "owner", "id", "version"] {
            let mut line = whole.clone();
            line.as_object_mut().unwrap().remove(part);
            assert!(Record::from_line(line).is_err(), "{part}");
        }
        assert!(Record::from_line(json!([1, 2])).is_err());
        let mut numbered = whole.clone();
        numbered["table"] = json!(3);
        assert!(Record::from_line(numbered).is_err());
    }
}
