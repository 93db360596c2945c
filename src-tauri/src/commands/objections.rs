//! Objections to the provisional ranking: recorded by the comune of filing, decided by the
//! capofila; the capofila's preavvisi di rigetto for the excluded.

use sportello_app::ObjectionView;
use tauri::State;

use super::path_arg;
use crate::error::CommandError;
use crate::state::DesktopState;

/// The objections held here, of `bando` (every bando when `None`).
#[tauri::command]
pub async fn objections_list(
    state: State<'_, DesktopState>,
    bando: Option<String>,
) -> Result<Vec<ObjectionView>, CommandError> {
    state
        .with_install(move |app| app.objections().list(bando.as_deref()))
        .await
}

/// Records an objection to application `code`: `about` a factor's key or `exclusion`; after
/// the window, only with `late_reason`.
#[tauri::command]
pub async fn objection_add(
    state: State<'_, DesktopState>,
    code: String,
    about: String,
    text: String,
    late_reason: Option<String>,
) -> Result<ObjectionView, CommandError> {
    let late = late_reason.filter(|r| !r.trim().is_empty());
    state
        .with_install(move |app| app.objections().add(&code, &about, &text, late.as_deref()))
        .await
}

/// The capofila's decision: `accolta` or `respinta`, with the reason.
#[tauri::command]
pub async fn objection_decide(
    state: State<'_, DesktopState>,
    id: String,
    outcome: String,
    reason: String,
) -> Result<ObjectionView, CommandError> {
    state
        .with_install(move |app| app.objections().decide(&id, &outcome, &reason))
        .await
}

/// Writes one preavviso di rigetto per excluded application into the folder `dir`.
#[tauri::command]
pub async fn print_preavvisi(
    state: State<'_, DesktopState>,
    bando: String,
    dir: String,
) -> Result<Vec<String>, CommandError> {
    let dir = path_arg(&dir, "dir")?;
    let written = state
        .with_install(move |app| app.documents().preavvisi(&bando, &dir))
        .await
        .map_err(|err| err.on_field("dir"))?;
    Ok(written
        .into_iter()
        .map(|path| {
            let shown = path.display().to_string();
            state.remember_printed(path);
            shown
        })
        .collect())
}
