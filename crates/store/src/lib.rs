//! The install's SQLite database: append-only migrations, records that carry what sync needs
//! (UUID v7 id, owner, version, content hash, tombstone) and the audit trail.

mod accreditation;
mod applications;
mod audit;
mod bandi;
mod civico;
mod contacts;
mod drafts;
mod encryption;
mod entries;
mod error;
pub mod failpoint;
mod front_office;
mod households;
mod install;
mod io_reason;
mod monitoring;
mod named_elsewhere;
mod objections;
mod operators;
mod quarantine;
mod rankings;
mod received;
mod record;
mod schema;
mod services;
mod siuss;
mod snapshot;
mod sync;
mod tables;
mod withdrawals;

use std::path::Path;

use rusqlite::Connection;

pub use accreditation::{
    NewAssessment, ProviderFiled, RegisterEntry, StatusChange, StoredAssessment,
    StoredProviderApplication, YearlyCheck,
};
pub use applications::{
    ApplicationFilter, Correction, FiledApplication, Listed, Listing, NewApplication, Revision,
    StoredApplication, Unreadable, highest_case_numbers,
};
pub use audit::{Actor, AuditEntry, AuditFilter, ChainBreak, ChainCheck, GENESIS_HASH};
pub use bandi::BandoSaved;
pub use civico::{AttendanceRow, Complaint, ListedPayment, ParticipantCheck, StoredCallEvent};
pub use contacts::{
    ContactAdded, ContactScope, DiaryEntry, DueCase, NewContact, NewSatisfaction, PERSON_KEY_HEX,
    StoredCase, StoredContact, person_key,
};
pub use drafts::StoredDraft;
pub use encryption::DbKey;
pub use entries::EntriesSaved;
pub use error::StoreError;
pub use front_office::{CaseKindsSaved, StoredCaseKind};
pub use households::{Household, Households};
pub use install::{AcceptedDistrict, DISTRICT_ACCEPTED_SEQ, Install};
pub use io_reason::io_reason;
pub use monitoring::StoredForm;
pub use named_elsewhere::{NamedElsewhere, digest};
pub use objections::{Decision, NewObjection, Objection};
pub use operators::{Login, Operator};
pub use rankings::{NewRanking, StoredRanking};
pub use received::{Checked, CheckedRecords, RecordCheck};
pub use record::{Record, SyncMeta};
pub use schema::{OLDEST_READABLE_SCHEMA, SCHEMA_VERSION};
pub use services::{ServiceQuery, ServiceScope, ServicesSaved, StoredService};
pub use siuss::SiussFlow;
pub use sync::{
    ApplyError, ApplySummary, BundleOut, Direction, ImportLogEntry, Incoming, Peer, SmallCache,
    Snapshot, TableCounts,
};
pub use withdrawals::{Withdrawal, WithdrawalChange};

pub type Result<T> = std::result::Result<T, StoreError>;

/// How long a statement waits for another process's write before it is refused as busy.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Turns the write-ahead log on. A database still in the old journal mode takes an exclusive
/// lock for that, and SQLite refuses it at once rather than wait (it would deadlock a reader
/// upgrading its lock): when two processes open the same old database after an update, the
/// second one tries again, for as long as any statement waits.
fn wal_mode(conn: &Connection) -> Result<()> {
    let started = std::time::Instant::now();
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && started.elapsed() < BUSY_WAIT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            done => return Ok(done?),
        }
    }
}

/// An open install database.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if missing) the database at `path`, encrypted under `key`, and brings
    /// its schema up to date. The database holds personal data: every page of it, of its
    /// `-wal` and of its `-shm` is encrypted, and the files are readable by their owner only
    /// (0600, in a new folder 0700). A database in clear is refused untouched.
    pub fn open(path: &Path, key: &DbKey) -> Result<Self> {
        encryption::refuse_plain(path)?;
        let conn = Self::create_private(path)?;
        encryption::unlock(&conn, key)?;
        Self::with_connection(conn)
    }

    /// Refuses the file at `path` if it is a database in clear (another program's, or one
    /// made before encryption), reading only its first bytes.
    pub fn refuse_plain(path: &Path) -> Result<()> {
        encryption::refuse_plain(path)
    }

    /// A database file in clear, for the benchmark that measures what encryption costs
    /// (docs/benchmarks.md). No install is ever opened this way.
    #[doc(hidden)]
    pub fn open_in_clear_for_benchmarks(path: &Path) -> Result<Self> {
        Self::with_connection(Self::create_private(path)?)
    }

    fn create_private(path: &Path) -> Result<Connection> {
        private::prepare(path).map_err(|(at, e)| StoreError::Io {
            path: at.display().to_string(),
            message: io_reason(&e),
        })?;
        Ok(Connection::open(path)?)
    }

    /// A private database in memory, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Self> {
        Self::with_connection(Connection::open_in_memory()?)
    }

    fn with_connection(mut conn: Connection) -> Result<Self> {
        conn.busy_timeout(BUSY_WAIT)?;
        // Before the first write: setting the journal mode already writes to the file.
        schema::refuse_foreign(&conn)?;
        wal_mode(&conn)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // Town-hall PCs lose power: a committed application must survive it.
        conn.pragma_update(None, "synchronous", "FULL")?;
        // Every page read from the file is decrypted: a 64 MiB cache (SQLite's default is
        // 2 MiB) keeps a large import's pages, and the front office statistics' index of ten
        // busy years, decrypted once (docs/benchmarks.md). It grows only as pages are read.
        conn.pragma_update(None, "cache_size", -65_536)?;
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

/// Owner-only permissions for the database files (Unix; elsewhere the user's profile folder
/// protects them).
mod private {
    use std::path::{Path, PathBuf};

    type Failed = (PathBuf, std::io::Error);

    /// Creates the missing folders 0700 and a missing database file 0600 (empty: SQLite makes
    /// it a database); an existing database and its `-wal`/`-shm`, from a release that left
    /// them readable by others, are narrowed to 0600 where the file system allows.
    pub(super) fn prepare(path: &Path) -> Result<(), Failed> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir).map_err(|e| (dir.to_path_buf(), e))?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                narrow(path);
                Ok(())
            }
            Err(e) => Err((path.to_path_buf(), e)),
        }
    }

    #[cfg(unix)]
    fn narrow(path: &Path) {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            let file = PathBuf::from(name);
            let open_to_others = std::fs::metadata(&file)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o077 != 0);
            if open_to_others {
                // Best effort: a FAT stick has no modes, and the database still opens.
                let _ = std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600));
            }
        }
    }

    #[cfg(not(unix))]
    fn narrow(_: &Path) {}
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    use super::Store;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn the_database_and_its_journal_are_the_owner_s_only() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("dati/comune/sportello.db");
        let key = super::DbKey::generate();
        let store = Store::open(&db, &key).unwrap();
        store
            .connection()
            .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        for file in ["sportello.db", "sportello.db-wal", "sportello.db-shm"] {
            assert_eq!(mode(&db.with_file_name(file)), 0o600, "{file}");
        }
        assert_eq!(mode(&dir.path().join("dati")), 0o700);
        assert_eq!(mode(&dir.path().join("dati/comune")), 0o700);
        drop(store);

        // A database an older release left readable by others is narrowed when opened.
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(Store::open(&db, &key).unwrap());
        assert_eq!(mode(&db), 0o600);
    }
}
