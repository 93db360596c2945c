//! Whole copies of the database, for backups: a consistent snapshot taken while the install is
//! in use, and the checks that a copy is whole.

use std::path::Path;

use crate::{Result, Store, StoreError};

impl Store {
    /// Writes a consistent copy of the database at `path` (a new file), encrypted under the
    /// same key: what was committed when it started, whatever other writers do meanwhile.
    pub fn snapshot_into(&self, path: &Path) -> Result<()> {
        let target = path.to_str().ok_or_else(|| StoreError::Io {
            path: path.display().to_string(),
            message: "percorso non rappresentabile".into(),
        })?;
        self.conn.execute("VACUUM INTO ?1", [target])?;
        Ok(())
    }

    /// What is wrong with the file, page by page (SQLCipher's check of every page's HMAC, then
    /// SQLite's of the b-trees); empty when it is whole.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        for pragma in ["PRAGMA cipher_integrity_check", "PRAGMA integrity_check"] {
            let mut stmt = self.conn.prepare(pragma)?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            for row in rows {
                let row = row?;
                if row != "ok" {
                    problems.push(row);
                }
            }
        }
        Ok(problems)
    }
}

#[cfg(test)]
mod tests {
    use crate::{DbKey, Store};

    #[test]
    fn a_snapshot_opens_with_the_same_key_and_is_whole() {
        let dir = tempfile::tempdir().unwrap();
        let key = DbKey::generate();
        let store = Store::open(&dir.path().join("a.db"), &key).unwrap();
        store.set_setting("prova", "valore").unwrap();
        let copy = dir.path().join("copia.db");
        store.snapshot_into(&copy).unwrap();
        store.set_setting("prova", "dopo").unwrap();
        let snapshot = Store::open(&copy, &key).unwrap();
        assert_eq!(
            snapshot.setting("prova").unwrap().as_deref(),
            Some("valore")
        );
        assert_eq!(snapshot.integrity_problems().unwrap(), Vec::<String>::new());
        assert!(Store::open(&copy, &DbKey::generate()).is_err());
    }
}
