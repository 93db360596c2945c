//! What every command can reach through `tauri::State`: the database location and the opened
//! install behind a `Mutex`, used only on the blocking thread pool.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use sportello_app::{Actor, Sportello};

use crate::commands::blocking;
use crate::error::CommandError;

/// Shared by all commands for the life of the window.
pub struct DesktopState {
    db_path: PathBuf,
    operator: Actor,
    /// `None` until the first command that needs the install opens it (never at start-up, which
    /// runs on the main thread), or after a command panicked while holding it.
    install: Arc<Mutex<Option<Sportello>>>,
}

impl DesktopState {
    pub fn new(db_path: PathBuf, operator: Actor) -> Self {
        Self {
            db_path,
            operator,
            install: Arc::new(Mutex::new(None)),
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
            let mut guard = slot.lock().unwrap_or_else(|poisoned| {
                // A command panicked mid-use: drop that handle (SQLite rolls back whatever it
                // left open) and open the database afresh below.
                let mut guard = poisoned.into_inner();
                *guard = None;
                guard
            });
            let app = match guard.take() {
                Some(app) => guard.insert(app),
                None => guard.insert(Sportello::open(&db_path, operator)?),
            };
            Ok(work(app)?)
        })
        .await
    }
}

/// The operator's name in the audit trail: `SPORTELLO_OPERATOR`, else the system user (the
/// same rule as the `sportello` command).
pub fn operator_from_env() -> Actor {
    let name = ["SPORTELLO_OPERATOR", "USER", "USERNAME"]
        .into_iter()
        .find_map(|var| std::env::var(var).ok().filter(|name| !name.is_empty()))
        .unwrap_or_else(|| "operatore".into());
    Actor(name)
}
