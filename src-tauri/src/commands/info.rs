//! What the window shows about this installation: who and where it is, and what needs the
//! operator's attention (the Home screen).

use serde::Serialize;
use sportello_app::{ErrorCode, InstallInfo, Overview};
use tauri::State;

use super::blocking;
use crate::error::CommandError;
use crate::state::DesktopState;

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AppInfo {
    /// Version of the desktop app (the workspace version).
    pub version: &'static str,
    /// The database file this window works on.
    pub db_path: String,
    /// Whether that file exists yet (it does not before the first setup).
    pub db_exists: bool,
    /// Who and where this install is, once an operator is logged in (the database is opened
    /// only by logging in).
    pub install: Option<InstallInfo>,
    /// Where documents and bundles are proposed to be saved: `Sportello` in the user's
    /// documents folder (or home folder).
    pub documents_dir: Option<String>,
    /// The system's path separator, to propose file names inside `documents_dir`.
    pub path_separator: char,
}

#[tauri::command]
pub async fn app_info(state: State<'_, DesktopState>) -> Result<AppInfo, CommandError> {
    let db_path = state.db_path().to_path_buf();
    let shown_path = db_path.display().to_string();
    let db_exists = blocking(move || {
        db_path.try_exists().map_err(|err| {
            CommandError::new(
                ErrorCode::DbUnreadable,
                format!(
                    "Impossibile verificare l'archivio {}: {}. Controllare i permessi della \
                     cartella.",
                    db_path.display(),
                    sportello_app::io_reason(&err)
                ),
            )
        })
    })
    .await?;
    let install = match state.with_install(|app| Ok(app.install_info())).await {
        Ok(install) => Some(install),
        Err(err) if matches!(err.code, ErrorCode::LoginRequired) => None,
        Err(err) => return Err(err),
    };
    let documents_dir = dirs::document_dir()
        .or_else(dirs::home_dir)
        .map(|dir| dir.join("Sportello").display().to_string());
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        db_path: shown_path,
        db_exists,
        install,
        documents_dir,
        path_separator: std::path::MAIN_SEPARATOR,
    })
}

/// The Home screen: fingerprint, applications not yet sent, last bundles, bandi and their
/// ranking stage.
#[tauri::command]
pub async fn overview(state: State<'_, DesktopState>) -> Result<Overview, CommandError> {
    state.with_install(|app| app.overview()).await
}
