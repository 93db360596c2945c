//! What every command can reach through `tauri::State`: the database location, the opened
//! install behind a `Mutex` (used only on the blocking thread pool), and the documents this
//! window printed (the only files it may ask the system to open).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use sportello_app::{Actor, ErrorCode, Sportello};

use crate::commands::blocking;
use crate::error::CommandError;

/// Shared by all commands for the life of the window.
pub struct DesktopState {
    db_path: PathBuf,
    operator: Actor,
    /// `None` until the first command that needs the install opens it (never at start-up, which
    /// runs on the main thread), or after a command panicked while holding it.
    install: Arc<Mutex<Option<Sportello>>>,
    /// PDFs written by this window's print commands.
    printed: Mutex<HashSet<PathBuf>>,
}

/// The slot of the opened install, even if a command panicked while holding it: that handle
/// is dropped (SQLite rolls back whatever it left open) and the next use opens it afresh.
fn lock_slot(slot: &Mutex<Option<Sportello>>) -> MutexGuard<'_, Option<Sportello>> {
    slot.lock().unwrap_or_else(|poisoned| {
        let mut guard = poisoned.into_inner();
        *guard = None;
        guard
    })
}

impl DesktopState {
    pub fn new(db_path: PathBuf, operator: Actor) -> Self {
        Self {
            db_path,
            operator,
            install: Arc::new(Mutex::new(None)),
            printed: Mutex::new(HashSet::new()),
        }
    }

    /// The database file this window works on, resolved once at start.
    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// Runs `work` on the opened install, on the blocking thread pool; opens the database on
    /// first use. Commands call this and nothing else to reach `sportello-app`.
    pub async fn with_install<T, F>(&self, work: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Sportello) -> sportello_app::Result<T> + Send + 'static,
    {
        let slot = Arc::clone(&self.install);
        let db_path = self.db_path.clone();
        let operator = self.operator.clone();
        blocking(move || {
            let mut guard = lock_slot(&slot);
            let app = match guard.take() {
                Some(app) => guard.insert(app),
                None => guard.insert(Sportello::open(&db_path, operator)?),
            };
            Ok(work(app)?)
        })
        .await
    }

    /// Creates the install's database with `create` (first run), keeps it open, and runs `then`
    /// on it. Refused when the database already exists: a window never re-initialises one.
    pub async fn create_install<T, C, F>(&self, create: C, then: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        C: FnOnce(&Path, Actor) -> sportello_app::Result<Sportello> + Send + 'static,
        F: FnOnce(&mut Sportello) -> sportello_app::Result<T> + Send + 'static,
    {
        let slot = Arc::clone(&self.install);
        let db_path = self.db_path.clone();
        let operator = self.operator.clone();
        blocking(move || {
            let mut guard = lock_slot(&slot);
            if guard.is_some() || db_path.exists() {
                return Err(CommandError::new(
                    ErrorCode::AlreadyInitialized,
                    format!(
                        "L'archivio {} esiste già: questa installazione è già configurata.",
                        db_path.display()
                    ),
                ));
            }
            let app = guard.insert(create(&db_path, operator)?);
            Ok(then(app)?)
        })
        .await
    }

    /// Remembers a document this window wrote, so that it may be opened.
    pub fn remember_printed(&self, path: PathBuf) {
        self.printed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(path);
    }

    /// Whether this window wrote `path` (the only files `open_document` opens).
    pub fn was_printed(&self, path: &Path) -> bool {
        self.printed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .contains(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn district_toml() -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/district-d48.toml");
        std::fs::read_to_string(path).expect("fixture district")
    }

    fn state_in(dir: &Path) -> DesktopState {
        DesktopState::new(dir.join("comune.db"), Actor("prova".into()))
    }

    #[test]
    fn an_install_is_created_once_and_then_opened() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let toml = district_toml();
        let comune = tauri::async_runtime::block_on(state.create_install(
            move |db, actor| Sportello::init(db, &toml, "089009", actor),
            |app| Ok(app.install_info().comune),
        ))
        .unwrap();
        assert_eq!(comune, "089009");
        assert!(state.db_path().exists());

        let toml = district_toml();
        let again = tauri::async_runtime::block_on(state.create_install(
            move |db, actor| Sportello::init(db, &toml, "089017", actor),
            |app| Ok(app.install_info().comune),
        ))
        .unwrap_err();
        assert_eq!(again.code, "already_initialized");

        // A fresh window on the same file opens it.
        let reopened = state_in(dir.path());
        let name = tauri::async_runtime::block_on(
            reopened.with_install(|app| Ok(app.install_info().comune_name)),
        )
        .unwrap();
        assert_eq!(name, "Floridia");
    }

    #[test]
    fn a_missing_database_is_reported_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let err = tauri::async_runtime::block_on(state.with_install(|app| Ok(app.install_info())))
            .unwrap_err();
        assert_eq!(err.code, "db_missing");
        assert!(!state.db_path().exists());
    }

    #[test]
    fn only_printed_documents_may_be_opened() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let pdf = dir.path().join("ricevuta.pdf");
        assert!(!state.was_printed(&pdf));
        state.remember_printed(pdf.clone());
        assert!(state.was_printed(&pdf));
        assert!(!state.was_printed(&dir.path().join("altro.pdf")));
    }
}
