//! For the end-to-end tests and the benchmarks only (feature `inspection`, which no front end
//! enables): the database key and the install's keys, unwrapped with an operator's password,
//! so a test can read or damage the stored rows directly. It grants nothing an operator could
//! not do with their password and a SQLCipher shell; the front ends never call it.

use std::path::Path;

pub use sportello_store::DbKey;
use sportello_sync::InstallKeys;

use crate::vault::{Slots, Unlocked};
use crate::{AppError, Credentials, ErrorCode, Result, Sportello};

/// The database key of the install at `db`, with `credentials`.
pub fn database_key(db: &Path, credentials: &Credentials) -> Result<DbKey> {
    match Slots::load(db)?.unlock(&credentials.username, &credentials.password) {
        Unlocked::Key(key, _) => Ok(key),
        _ => Err(AppError::new(ErrorCode::LoginFailed, "accesso negato")),
    }
}

/// The install's current keys.
pub fn install_keys(db: &Path, key: &DbKey) -> Result<InstallKeys> {
    crate::trust::keys::load_current(db, key)
}

/// Replaces the install's current keys with `keys` (tests that sign with fixed test keys).
pub fn replace_install_keys(db: &Path, key: &DbKey, keys: &InstallKeys) -> Result<()> {
    crate::trust::keys::store_current(db, key, keys)
}

/// The install at `db` whose database file was decrypted in place (`sqlcipher_export` to a file
/// in clear, its `.slots` and `.keys` beside it), opened as `credentials` name: for the
/// benchmark that measures what encryption costs, the same use cases on the same rows.
pub fn open_in_clear(db: &Path, credentials: &Credentials) -> Result<Sportello> {
    let db_key = database_key(db, credentials)?;
    let store = sportello_store::Store::open_in_clear_for_benchmarks(db)?;
    let install = store.require_install()?;
    let operator = store
        .login_of(&credentials.username)?
        .map(|l| l.operator)
        .ok_or_else(|| AppError::new(ErrorCode::LoginFailed, "accesso negato"))?;
    Ok(Sportello::opened(store, db_key, install, operator, db))
}
