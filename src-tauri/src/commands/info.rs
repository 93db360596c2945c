//! What the window shows about this installation.

use serde::Serialize;
use tauri::State;

use super::blocking;
use crate::error::CommandError;
use crate::state::DesktopState;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// Version of the desktop app (the workspace version).
    pub version: &'static str,
    /// The database file this window works on.
    pub db_path: String,
    /// Whether that file exists yet (it does not before the first setup).
    pub db_exists: bool,
}

#[tauri::command]
pub async fn app_info(state: State<'_, DesktopState>) -> Result<AppInfo, CommandError> {
    let db_path = state.db_path().to_path_buf();
    blocking(move || {
        let db_exists = db_path.try_exists().map_err(|err| {
            CommandError::new(
                "db_unreadable",
                format!(
                    "Impossibile verificare l'archivio {}: {err}. Controllare i permessi della \
                     cartella.",
                    db_path.display()
                ),
            )
        })?;
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION"),
            db_path: db_path.display().to_string(),
            db_exists,
        })
    })
    .await
}
