//! Opening a printed PDF with the system's viewer. Only files this window printed may be
//! opened, so the page can never make the system open anything else.

use std::path::PathBuf;

use tauri::State;

use super::{blocking, path_arg};
use crate::error::CommandError;
use crate::state::DesktopState;
use sportello_app::ErrorCode;

#[tauri::command]
pub async fn open_document(
    state: State<'_, DesktopState>,
    path: String,
) -> Result<(), CommandError> {
    let path: PathBuf = path_arg(&path, "path")?;
    if !state.was_printed(&path) {
        return Err(CommandError::new(
            ErrorCode::NotPrintedHere,
            format!(
                "Si possono aprire solo i documenti stampati in questa sessione: {} non lo è.",
                path.display()
            ),
        ));
    }
    blocking(move || {
        open::that_detached(&path).map_err(|err| {
            CommandError::new(
                ErrorCode::OpenFailed,
                format!(
                    "Il PDF è stato salvato in {}, ma non è stato possibile aprirlo ({}): \
                     aprirlo dalla cartella.",
                    path.display(),
                    sportello_app::io_reason(&err)
                ),
            )
        })
    })
    .await
}
