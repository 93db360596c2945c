//! Trust between installs (the Impostazioni screen): a comune's enrolment file and the
//! capofila's district file, each accepted only once the fingerprint read by phone matches.

use std::path::{Path, PathBuf};

use sportello_app::{Accepted, AppError, ErrorCode, KeysView, ReplacedKey, Rotated, Sportello};
use tauri::State;

use super::path_arg;
use crate::error::CommandError;
use crate::state::DesktopState;

/// The form field a refusal concerns: a wrong fingerprint is the typed text's fault,
/// anything else the file's.
fn on_its_field(err: CommandError) -> CommandError {
    if err.code == ErrorCode::FingerprintMismatch {
        err.on_field("fingerprint")
    } else {
        err.on_field("file")
    }
}

fn fingerprint_arg(text: &str) -> Result<String, CommandError> {
    if text.trim().is_empty() {
        return Err(CommandError::new(
            ErrorCode::FingerprintMissing,
            "Scrivere l'impronta della chiave dettata per telefono dall'altro ufficio.",
        )
        .on_field("fingerprint"));
    }
    Ok(text.to_string())
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// The window asks for a folder: make sure it is one (the app would take a missing folder for
/// the name of the file to write).
fn folder(out: &Path) -> sportello_app::Result<()> {
    std::fs::create_dir_all(out).map_err(|err| {
        AppError::new(
            ErrorCode::FileWrite,
            format!(
                "impossibile creare la cartella {}: {}",
                out.display(),
                sportello_app::io_reason(&err)
            ),
        )
    })
}

/// Writes a file into the folder `out` (made if missing) with `write`; returns its path.
async fn export_into<W>(
    state: State<'_, DesktopState>,
    out: String,
    write: W,
) -> Result<String, CommandError>
where
    W: FnOnce(&mut Sportello, &Path) -> sportello_app::Result<PathBuf> + Send + 'static,
{
    let out = path_arg(&out, "out")?;
    state
        .with_install(move |app| {
            folder(&out)?;
            write(app, &out).map(|p| shown(&p))
        })
        .await
        .map_err(|err| err.on_field("out"))
}

/// Comune: writes its enrolment file (public keys, signed) into the folder `out`, made if
/// missing.
#[tauri::command]
pub async fn enrol_export(
    state: State<'_, DesktopState>,
    out: String,
) -> Result<String, CommandError> {
    export_into(state, out, |app, out| app.trust().enrol_export(out)).await
}

/// Reads the file `file` and accepts it with `accept` once the typed fingerprint is given.
async fn accept_with<A>(
    state: State<'_, DesktopState>,
    file: String,
    fingerprint: String,
    accept: A,
) -> Result<Accepted, CommandError>
where
    A: FnOnce(&mut Sportello, &Path, &str) -> sportello_app::Result<Accepted> + Send + 'static,
{
    let file = path_arg(&file, "file")?;
    let fingerprint = fingerprint_arg(&fingerprint)?;
    state
        .with_install(move |app| accept(app, &file, &fingerprint))
        .await
        .map_err(on_its_field)
}

/// Capofila: trusts the comune whose enrolment file is `file`.
#[tauri::command]
pub async fn enrol_accept(
    state: State<'_, DesktopState>,
    file: String,
    fingerprint: String,
) -> Result<Accepted, CommandError> {
    accept_with(state, file, fingerprint, |app, file, fp| {
        app.trust().enrol_accept(file, fp)
    })
    .await
}

/// Capofila: writes the signed district file (configuration, bandi, keys) into the folder `out`.
#[tauri::command]
pub async fn district_export(
    state: State<'_, DesktopState>,
    out: String,
) -> Result<String, CommandError> {
    export_into(state, out, |app, out| app.trust().district_export(out)).await
}

/// Comune: trusts the capofila's district file `file` and takes its bandi; `replace`: the
/// capofila changed key and the operator confirmed the new fingerprint by phone.
#[tauri::command]
pub async fn district_accept(
    state: State<'_, DesktopState>,
    file: String,
    fingerprint: String,
    replace: bool,
) -> Result<Accepted, CommandError> {
    accept_with(state, file, fingerprint, move |app, file, fp| {
        app.trust().district_accept(file, fp, replace)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_fingerprint_is_shown_next_to_the_fingerprint() {
        let err = on_its_field(CommandError::new(ErrorCode::FingerprintMismatch, "diversa"));
        assert_eq!(err.field.as_deref(), Some("fingerprint"));
        let err = on_its_field(CommandError::new(ErrorCode::BadSignature, "firma"));
        assert_eq!(err.field.as_deref(), Some("file"));
    }

    #[test]
    fn an_empty_fingerprint_is_refused_before_reading_the_file() {
        let err = fingerprint_arg(" \t").unwrap_err();
        assert_eq!(err.code, "fingerprint_missing");
        assert_eq!(err.field.as_deref(), Some("fingerprint"));
        assert_eq!(fingerprint_arg("ab12-cd").unwrap(), "ab12-cd");
    }
}

/// This install's key and the keys it trusts (Impostazioni → Chiavi).
#[tauri::command]
pub async fn keys_view(state: State<'_, DesktopState>) -> Result<KeysView, CommandError> {
    state.with_install(|app| app.trust().keys_view()).await
}

/// Comune: new keys, carried to the capofila by the next uploads.
#[tauri::command]
pub async fn rotate_keys(state: State<'_, DesktopState>) -> Result<Rotated, CommandError> {
    state.with_install(|app| app.trust().rotate_keys()).await
}

/// Capofila: a comune's key signs nothing from its next bundle on.
#[tauri::command]
pub async fn revoke_comune_key(
    state: State<'_, DesktopState>,
    comune: String,
) -> Result<ReplacedKey, CommandError> {
    state
        .with_install(move |app| app.trust().revoke_comune_key(&comune, None))
        .await
}
