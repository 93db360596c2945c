//! Backups (Impostazioni → Backup) and the foglio di recupero. The app decides who may make
//! them (`Action::MakeBackups`) and checks a recovery key before printing it.

use sportello_app::{BackupChecked, BackupMade, RecoveryKey};
use tauri::State;

use super::path_arg;
use crate::error::CommandError;
use crate::state::DesktopState;

/// Writes a backup of the install at `out` (the install stays in use meanwhile).
#[tauri::command]
pub async fn backup_create(
    state: State<'_, DesktopState>,
    out: String,
) -> Result<BackupMade, CommandError> {
    let out = path_arg(&out, "out")?;
    state
        .with_install(move |app| app.backups().create(&out))
        .await
        .map_err(|err| err.on_field("out"))
}

/// Checks that the backup at `path` is this install's, opens and is whole; changes nothing.
#[tauri::command]
pub async fn backup_verify(
    state: State<'_, DesktopState>,
    path: String,
) -> Result<BackupChecked, CommandError> {
    let path = path_arg(&path, "path")?;
    state
        .with_install(move |app| app.backups().verify(&path))
        .await
        .map_err(|err| err.on_field("path"))
}

/// Writes the foglio di recupero with `recovery_key` (checked to be this install's) at `out`.
#[tauri::command]
pub async fn print_recovery_sheet(
    state: State<'_, DesktopState>,
    recovery_key: String,
    out: String,
) -> Result<String, CommandError> {
    let out = path_arg(&out, "out")?;
    let written = state
        .with_install(move |app| {
            let key = RecoveryKey::parse(&recovery_key)?;
            app.documents().recovery_sheet(&key, &out)
        })
        .await
        .map_err(|err| err.on_field("out"))?;
    let shown = written.display().to_string();
    state.remember_printed(written);
    Ok(shown)
}
