//! Append-only migrations: a released migration is never edited; a change is a new one. Only
//! a step that derives local rows from the records may move to a later migration that derives
//! them again (0020's and 0035's, now 0037's): every database ends with the same rows.

use rusqlite::{Connection, Transaction};

use crate::{Result, StoreError};

/// One step of a migration: SQL, or a conversion of data that SQL alone cannot do.
enum Step {
    Sql(&'static str),
    Rust(fn(&Transaction) -> Result<()>),
}

const MIGRATIONS: &[&[Step]] = &[
    &[Step::Sql(include_str!("migrations/0001_foundation.sql"))],
    &[Step::Sql(include_str!("migrations/0002_sync.sql"))],
    &[
        Step::Sql(include_str!("migrations/0003_declared.sql")),
        Step::Rust(crate::applications::migrate_to_declared),
        Step::Sql(include_str!("migrations/0003_declared_cleanup.sql")),
    ],
    &[Step::Sql(include_str!("migrations/0004_recovery.sql"))],
    // One content hash for every synchronised table (`record::content_hash`).
    &[Step::Rust(crate::tables::stamp_all)],
    &[Step::Sql(include_str!("migrations/0006_case_kinds.sql"))],
    &[
        Step::Rust(crate::audit::chain),
        Step::Sql(include_str!("migrations/0007_audit_chain.sql")),
    ],
    &[Step::Sql(include_str!("migrations/0008_operators.sql"))],
    &[Step::Sql(include_str!("migrations/0009_key_slots.sql"))],
    &[Step::Sql(include_str!("migrations/0010_sent_versions.sql"))],
    &[Step::Sql(include_str!("migrations/0013_withdrawals.sql"))],
    &[Step::Sql(include_str!("migrations/0014_objections.sql"))],
    &[Step::Sql(include_str!("migrations/0015_civico_calls.sql"))],
    &[Step::Sql(include_str!(
        "migrations/0016_civico_projects.sql"
    ))],
    &[Step::Sql(include_str!(
        "migrations/0017_civico_attendance.sql"
    ))],
    &[Step::Sql(include_str!("migrations/0018_payment_lists.sql"))],
    &[Step::Sql(include_str!("migrations/0019_drafts.sql"))],
    // The search texts of the revisions held are derived at 0037, with their households.
    &[Step::Sql(include_str!("migrations/0020_search_text.sql"))],
    &[Step::Sql(include_str!(
        "migrations/0021_named_elsewhere.sql"
    ))],
    &[Step::Sql(include_str!(
        "migrations/0022_civico_complaints.sql"
    ))],
    &[Step::Sql(include_str!("migrations/0023_civico_checks.sql"))],
    &[Step::Sql(include_str!("migrations/0029_siuss.sql"))],
    // File numbers were set aside per branch; the order here is the order of release.
    &[Step::Sql(include_str!("migrations/0024_services.sql"))],
    &[Step::Sql(include_str!("migrations/0030_monitoring.sql"))],
    &[Step::Sql(include_str!(
        "migrations/0025_front_office_contacts.sql"
    ))],
    &[Step::Sql(include_str!(
        "migrations/0031_monitoring_forms.sql"
    ))],
    &[Step::Sql(include_str!("migrations/0030_accreditation.sql"))],
    &[Step::Sql(include_str!(
        "migrations/0032_attendance_by_day.sql"
    ))],
    &[Step::Sql(include_str!("migrations/0033_screens.sql"))],
    &[Step::Sql(include_str!(
        "migrations/0034_bundle_bytes_last.sql"
    ))],
    // The households of the revisions held are derived at 0037, with their search texts.
    &[Step::Sql(include_str!(
        "migrations/0035_screens_households.sql"
    ))],
    &[Step::Sql(include_str!(
        "migrations/0036_search_without_rowid.sql"
    ))],
    &[
        Step::Sql(include_str!("migrations/0037_search_households.sql")),
        Step::Rust(crate::applications::index_every_revision),
    ],
];

/// The schema version this binary writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The oldest schema whose bundle records this binary reads: the records' layout changed at
/// the versions listed in docs/bundle-format.md.
pub const OLDEST_READABLE_SCHEMA: i64 = 3;

/// Refuses someone else's SQLite file before anything is written to it: Sportello's first
/// migration sets `user_version` in the transaction that creates the tables, so tables at
/// version 0 are not ours. Only reads; call it before any pragma that writes (`journal_mode`).
pub(crate) fn refuse_foreign(conn: &Connection) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version != 0 {
        return Ok(());
    }
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if objects > 0 {
        return Err(StoreError::ForeignDatabase);
    }
    Ok(())
}

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    refuse_foreign(conn)?;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    // Rebuilding a table means dropping one that others reference: SQLite's procedure for
    // schema changes turns foreign keys off meanwhile and checks them before each commit.
    conn.pragma_update(None, "foreign_keys", false)?;
    let migrated = run(conn, found);
    conn.pragma_update(None, "foreign_keys", true)?;
    migrated
}

fn run(conn: &mut Connection, found: i64) -> Result<()> {
    for (i, steps) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        // Under the write lock, the version read again: another process opening the same old
        // database at the same moment (the window and the command line after an update) may
        // have applied this step meanwhile, and running it twice would fail half-way.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let now: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if now > i as i64 {
            continue;
        }
        for step in *steps {
            match step {
                Step::Sql(sql) => tx.execute_batch(sql)?,
                Step::Rust(convert) => convert(&tx)?,
            }
        }
        let broken: Option<String> = tx
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |r| r.get::<_, String>(0))?
            .next()
            .transpose()?;
        if let Some(table) = broken {
            return Err(StoreError::Corrupt(format!(
                "migrazione {}: riferimenti mancanti nella tabella {table}",
                i + 1
            )));
        }
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn someone_else_s_database_is_refused_and_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("altro.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE clienti (nome TEXT); INSERT INTO clienti VALUES ('x');")
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        let mut conn = Connection::open(&path).unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(matches!(err, StoreError::ForeignDatabase), "{err}");
        assert_eq!(err.code(), "db_foreign");
        assert!(err.to_string().contains("non è un database di Sportello"));
        drop(conn);
        assert_eq!(std::fs::read(&path).unwrap(), before);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["altro.db"]);
    }

    #[test]
    fn an_empty_file_becomes_a_database_and_ours_opens_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nuovo.db");
        std::fs::write(&path, b"").unwrap();
        migrate(&mut Connection::open(&path).unwrap()).unwrap();
        let mut conn = Connection::open(&path).unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }
}
