//! The Sincronizzazione screen: bundles written, bundles previewed then imported, and the
//! history of both.

use std::path::PathBuf;

use serde::Serialize;
use sportello_app::{BundleOut, ErrorCode, ImportLogEntry, ImportReport};
use tauri::State;

use super::path_arg;
use crate::error::CommandError;
use crate::state::DesktopState;

/// How many past exports and imports the screen lists.
const HISTORY: usize = 50;

fn files_arg(files: &[String]) -> Result<Vec<PathBuf>, CommandError> {
    if files.is_empty() {
        return Err(CommandError::new(
            ErrorCode::FilesMissing,
            "Aggiungere almeno un pacchetto da importare.",
        )
        .on_field("files"));
    }
    files.iter().map(|f| path_arg(f, "files")).collect()
}

/// Writes the bundles this install owes into the folder `out`; returns the files written.
#[tauri::command]
pub async fn bundle_export(
    state: State<'_, DesktopState>,
    out: String,
) -> Result<Vec<String>, CommandError> {
    let out = path_arg(&out, "out")?;
    state
        .with_install(move |app| {
            Ok(app
                .exchange()
                .export(&out)?
                .iter()
                .map(|p| p.display().to_string())
                .collect())
        })
        .await
        .map_err(|err| err.on_field("out"))
}

/// What importing each file would do: new, updated, already there, or refused and why.
/// Nothing changes.
#[tauri::command]
pub async fn bundle_preview(
    state: State<'_, DesktopState>,
    files: Vec<String>,
) -> Result<Vec<ImportReport>, CommandError> {
    let files = files_arg(&files)?;
    state
        .with_install(move |app| app.exchange().preview(&files))
        .await
}

/// Imports each file on its own: a refused file is quarantined and does not stop the others.
#[tauri::command]
pub async fn bundle_import(
    state: State<'_, DesktopState>,
    files: Vec<String>,
) -> Result<Vec<ImportReport>, CommandError> {
    let files = files_arg(&files)?;
    state
        .with_install(move |app| app.exchange().import(&files))
        .await
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SyncHistory {
    /// Bundles written, newest first.
    pub exports: Vec<BundleOut>,
    /// Every import attempt, newest first.
    pub imports: Vec<ImportLogEntry>,
}

#[tauri::command]
pub async fn sync_history(state: State<'_, DesktopState>) -> Result<SyncHistory, CommandError> {
    state
        .with_install(|app| {
            Ok(SyncHistory {
                exports: app.exchange().exports(HISTORY)?,
                imports: app.exchange().imports(HISTORY)?,
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn importing_needs_at_least_one_file() {
        let err = files_arg(&[]).unwrap_err();
        assert_eq!(err.code, "files_missing");
        assert_eq!(err.field.as_deref(), Some("files"));
    }

    #[test]
    fn every_file_must_be_a_full_path() {
        let root = std::env::temp_dir();
        let good = root.join("a.sportello").display().to_string();
        let err = files_arg(&[good.clone(), "b.sportello".into()]).unwrap_err();
        assert_eq!(err.code, "path_relative");
        assert_eq!(files_arg(&[good]).unwrap(), [root.join("a.sportello")]);
    }
}
