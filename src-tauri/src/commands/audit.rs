//! The audit trail (the Attività screen): its entries by days and operator, and the check of
//! its hash chain. The app decides who may read it (`Action::ReadAudit`).

use sportello_app::{AuditEntryView, AuditQuery, ChainIntact};
use tauri::State;

use crate::error::CommandError;
use crate::state::DesktopState;

/// The entries of the days (Italian calendar days, both included) and operator asked, oldest
/// first.
#[tauri::command]
pub async fn audit_list(
    state: State<'_, DesktopState>,
    query: AuditQuery,
) -> Result<Vec<AuditEntryView>, CommandError> {
    state
        .with_install(move |app| app.audit().list(&query))
        .await
}

/// Checks the chain from the first entry to the last; refused with `audit_broken`, naming the
/// first broken entry.
#[tauri::command]
pub async fn audit_verify(state: State<'_, DesktopState>) -> Result<ChainIntact, CommandError> {
    state.with_install(|app| app.audit().verify()).await
}
