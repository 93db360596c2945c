//! The install's SQLite database: append-only migrations, records that carry what sync needs
//! (UUID v7 id, owner, version, content hash, tombstone) and the audit trail.

mod applications;
mod audit;
mod bandi;
mod error;
pub mod failpoint;
mod install;
mod rankings;
mod record;
mod schema;
mod sync;

use std::path::Path;

use rusqlite::Connection;

pub use applications::{
    ApplicationFilter, Correction, FiledApplication, NewApplication, Revision, StoredApplication,
};
pub use audit::{Actor, AuditEntry};
pub use bandi::BandoSaved;
pub use error::StoreError;
pub use install::Install;
pub use rankings::{NewRanking, StoredRanking};
pub use record::{Record, SyncMeta};
pub use schema::{OLDEST_READABLE_SCHEMA, SCHEMA_VERSION};
pub use sync::{
    ApplyError, ApplySummary, BundleOut, Direction, ImportLogEntry, Incoming, PUBLISH_TABLES, Peer,
    Snapshot, TableCounts, UPLOAD_TABLES,
};

pub type Result<T> = std::result::Result<T, StoreError>;

/// An open install database.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if missing) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
                path: dir.display().to_string(),
                message: e.to_string(),
            })?;
        }
        let conn = Connection::open(path)?;
        Self::with_connection(conn)
    }

    /// A private database in memory, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Self> {
        Self::with_connection(Connection::open_in_memory()?)
    }

    fn with_connection(mut conn: Connection) -> Result<Self> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // Town-hall PCs lose power: a committed application must survive it.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::migrate(&mut conn)?;
        Ok(Self { conn })
    }

    /// The raw connection, for the sync layer's own queries within this crate's schema.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}
