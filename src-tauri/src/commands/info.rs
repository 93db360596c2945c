//! What the window shows about this installation.

use serde::Serialize;
use sportello_app::InstallInfo;
use tauri::State;

use super::blocking;
use crate::error::CommandError;
use crate::state::DesktopState;

#[derive(Debug, Serialize)]
pub struct AppInfo {
    /// Version of the desktop app (the workspace version).
    pub version: &'static str,
    /// The database file this window works on.
    pub db_path: String,
    /// Whether that file exists yet (it does not before the first setup).
    pub db_exists: bool,
    /// Who and where this install is, once its database exists.
    pub install: Option<InstallInfo>,
}

#[tauri::command]
pub async fn app_info(state: State<'_, DesktopState>) -> Result<AppInfo, CommandError> {
    let db_path = state.db_path().to_path_buf();
    let shown_path = db_path.display().to_string();
    let db_exists = blocking(move || {
        db_path.try_exists().map_err(|err| {
            CommandError::new(
                "db_unreadable",
                format!(
                    "Impossibile verificare l'archivio {}: {err}. Controllare i permessi della \
                     cartella.",
                    db_path.display()
                ),
            )
        })
    })
    .await?;
    let install = if db_exists {
        Some(state.with_install(|app| Ok(app.install_info())).await?)
    } else {
        None
    };
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        db_path: shown_path,
        db_exists,
        install,
    })
}
