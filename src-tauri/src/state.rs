//! What every command can reach through `tauri::State`.

use std::path::{Path, PathBuf};

/// Shared by all commands for the life of the window.
///
/// The opened install (the `sportello-app` handle on the database) joins this struct behind a
/// `Mutex` when the use-case layer lands; commands lock it inside `spawn_blocking`, never on the
/// main thread.
#[derive(Debug)]
pub struct DesktopState {
    db_path: PathBuf,
}

impl DesktopState {
    pub fn new(db_path: PathBuf) -> Self {
        Self { db_path }
    }

    /// The database file this window works on, resolved once at start.
    pub fn db_path(&self) -> &Path {
        &self.db_path
    }
}
