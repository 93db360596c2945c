//! The district-wide settings of each area, as Impostazioni shows them (read-only: the
//! capofila sets them with `sportello settings case-kinds`, the comuni receive them).

use sportello_app::CaseKinds;
use tauri::State;

use crate::error::CommandError;
use crate::state::DesktopState;

/// The front office's kinds of back-office case in force here.
#[tauri::command]
pub async fn case_kinds(state: State<'_, DesktopState>) -> Result<CaseKinds, CommandError> {
    state.with_install(|app| app.settings().case_kinds()).await
}
