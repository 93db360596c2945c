//! Append-only migrations: a released migration is never edited; a change is a new one.

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
];

/// The schema version this binary writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The oldest schema whose bundle records this binary reads: the records' layout changed at
/// the versions listed in docs/bundle-format.md.
pub const OLDEST_READABLE_SCHEMA: i64 = 3;

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
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
        let tx = conn.transaction()?;
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
