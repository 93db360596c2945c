//! The database is encrypted at rest by SQLCipher (AES-256 pages, HMAC per page, through
//! rusqlite's own feature): this module gives SQLCipher the install's key and refuses what it
//! cannot open, in Italian. Who may unwrap the key is the app's business (its key slots).

use std::io::Read;
use std::path::Path;

use rusqlite::Connection;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::{Result, StoreError};

/// The 256-bit key of an install's database. Zeroized when dropped; never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct DbKey([u8; 32]);

impl DbKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A new random key (the operating system's generator).
    pub fn generate() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(…)")
    }
}

/// What every SQLite file starts with when it is not encrypted.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Refuses a database that is not encrypted (another program's, or one made before
/// encryption), reading only its first bytes: nothing is written to it.
pub(crate) fn refuse_plain(path: &Path) -> Result<()> {
    let mut header = [0u8; 16];
    let read = std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut header));
    if read.is_ok() && &header == PLAIN_HEADER {
        return Err(StoreError::ForeignDatabase);
    }
    Ok(())
}

/// Keys the connection, before its first read. Fails when this build of SQLite has no
/// SQLCipher (a crate of the workspace built without the workspace's rusqlite features):
/// personal data would otherwise be written in clear.
pub(crate) fn unlock(conn: &Connection, key: &DbKey) -> Result<()> {
    let version: Option<String> = conn
        .query_row("PRAGMA cipher_version", [], |r| r.get(0))
        .ok();
    if version.is_none_or(|v| v.is_empty()) {
        return Err(StoreError::NoEncryption);
    }
    // SQLCipher logs a failed key to stderr by default; the caller reports it in Italian.
    conn.execute_batch("PRAGMA cipher_log_level = NONE")?;
    let mut pragma = zeroize::Zeroizing::new(format!(
        "PRAGMA key = \"x'{}'\"",
        hex::encode(key.as_bytes())
    ));
    let keyed = conn.execute_batch(&pragma);
    pragma.zeroize();
    keyed?;
    // The key is checked at the first read: a wrong one reads as "not a database".
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(()),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            Err(StoreError::WrongKey)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlcipher_is_built_in() {
        let conn = Connection::open_in_memory().unwrap();
        let version: String = conn
            .query_row("PRAGMA cipher_version", [], |r| r.get(0))
            .unwrap();
        assert!(version.starts_with('4'), "{version}");
    }

    #[test]
    fn the_file_is_unreadable_without_its_key_and_a_wrong_key_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cifrato.db");
        let key = DbKey::generate();
        {
            let conn = Connection::open(&path).unwrap();
            unlock(&conn, &key).unwrap();
            conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES ('RSSMRA80A01H163X');")
                .unwrap();
        }
        let raw = std::fs::read(&path).unwrap();
        assert!(!raw.windows(16).any(|w| w == b"RSSMRA80A01H163X"));
        assert!(!raw.starts_with(PLAIN_HEADER));
        refuse_plain(&path).unwrap();

        let conn = Connection::open(&path).unwrap();
        let err = unlock(&conn, &DbKey::generate()).unwrap_err();
        assert!(matches!(err, StoreError::WrongKey), "{err}");

        let conn = Connection::open(&path).unwrap();
        unlock(&conn, &key).unwrap();
        let x: String = conn.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(x, "RSSMRA80A01H163X");
    }

    #[test]
    fn a_database_in_clear_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chiaro.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t (x);")
            .unwrap();
        let err = refuse_plain(&path).unwrap_err();
        assert!(matches!(err, StoreError::ForeignDatabase), "{err}");
    }
}
