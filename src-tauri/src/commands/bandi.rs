//! Bandi at the capofila: a bando file imported from disk (comuni receive bandi with the
//! district file).

use sportello_app::BandoImported;
use tauri::State;

use super::path_arg;
use crate::error::CommandError;
use crate::state::DesktopState;

/// Reads the bando file at `path` and stores the bando (created, updated or unchanged).
#[tauri::command]
pub async fn import_bando(
    state: State<'_, DesktopState>,
    path: String,
) -> Result<BandoImported, CommandError> {
    let path = path_arg(&path, "path")?;
    state
        .with_install(move |app| {
            let text = std::fs::read_to_string(&path).map_err(|err| {
                sportello_app::AppError::new(
                    sportello_app::ErrorCode::FileUnreadable,
                    format!(
                        "impossibile leggere il file del bando {}: {}",
                        path.display(),
                        sportello_app::io_reason(&err)
                    ),
                )
            })?;
            app.settings().import_bando(&text)
        })
        .await
        .map_err(|err| err.on_field("path"))
}
