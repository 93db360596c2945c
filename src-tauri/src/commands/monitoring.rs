//! Monitoraggio: the indicators of a half-year with their trend and targets, the table saved as
//! XLSX or CSV, the half-year forms of the plan's actions (filled, closed, corrected), and the
//! SIUSS flow to INPS with its check report.

use sportello_app::{
    FormSaved, MonitoringOverview, SiussExported, SiussSettings, StoredForm, parse_date,
};
use tauri::State;

use super::{path_arg, printed};
use crate::error::CommandError;
use crate::state::DesktopState;

/// The indicators of the half-year `period` (`AAAA-H1`) for the district (`comune` absent, at
/// the capofila) or one comune: with the half-year before, each comune's value, the trend over
/// the last half-years and the automatic summary.
#[tauri::command]
pub async fn monitoring_overview(
    state: State<'_, DesktopState>,
    period: String,
    comune: Option<String>,
) -> Result<MonitoringOverview, CommandError> {
    state
        .with_install(move |app| app.monitoring().overview(&period, comune.as_deref()))
        .await
}

/// Capofila: writes the half-year's monitoring report (relazione) of `period` to `out`.
#[tauri::command]
pub async fn monitoring_print_report(
    state: State<'_, DesktopState>,
    period: String,
    out: String,
) -> Result<String, CommandError> {
    let out = path_arg(&out, "out")?;
    printed(
        &state,
        state
            .with_install(move |app| app.monitoring().print_report(&period, &out))
            .await,
    )
}

/// Capofila: writes the plan's final report over the years `years` (`2025-2027`) to `out`.
#[tauri::command]
pub async fn monitoring_print_plan_report(
    state: State<'_, DesktopState>,
    years: String,
    out: String,
) -> Result<String, CommandError> {
    let out = path_arg(&out, "out")?;
    printed(
        &state,
        state
            .with_install(move |app| app.monitoring().print_plan_report(&years, &out))
            .await,
    )
}

/// Writes the indicators of the half-year `period` to `out` (`.xlsx` or `.csv`): at the
/// capofila the district's and each comune's, at a comune its own. Gives the path written.
#[tauri::command]
pub async fn monitoring_export(
    state: State<'_, DesktopState>,
    period: String,
    out: String,
) -> Result<String, CommandError> {
    let out = path_arg(&out, "out")?;
    state
        .with_install(move |app| {
            app.monitoring().export(&period, &out)?;
            Ok(out.display().to_string())
        })
        .await
        .map_err(|err| err.on_field("out"))
}

/// The half-year forms held here: this install's and, at the capofila, the comuni's.
#[tauri::command]
pub async fn monitoring_forms(
    state: State<'_, DesktopState>,
) -> Result<Vec<StoredForm>, CommandError> {
    state
        .with_install(move |app| app.monitoring().forms())
        .await
}

/// Writes a half-year form (the JSON shape of `monitor form add`); refused with each field's
/// problem.
#[tauri::command]
pub async fn monitoring_save_form(
    state: State<'_, DesktopState>,
    form: serde_json::Value,
) -> Result<FormSaved, CommandError> {
    state
        .with_install(move |app| app.monitoring().save_form(&form.to_string()))
        .await
}

/// Closes this install's open form `id`: read-only from now on.
#[tauri::command]
pub async fn monitoring_close_form(
    state: State<'_, DesktopState>,
    id: String,
) -> Result<(), CommandError> {
    state
        .with_install(move |app| app.monitoring().close_form(&id))
        .await
}

/// The ente code and the operator's codice fiscale remembered from the last SIUSS flow.
#[tauri::command]
pub async fn siuss_settings(state: State<'_, DesktopState>) -> Result<SiussSettings, CommandError> {
    state.with_install(move |app| app.siuss().settings()).await
}

/// Writes the SIUSS flow of the payments from `from` to `to` (`aaaa-mm-gg` or `gg/mm/aaaa`) to
/// `out` (`.xml` or `.csv`); refused, with every problem by person, when a record fails the
/// layout (nothing written then).
#[tauri::command]
pub async fn siuss_export(
    state: State<'_, DesktopState>,
    from: String,
    to: String,
    out: String,
    ente: String,
    operator_cf: String,
) -> Result<SiussExported, CommandError> {
    let out = path_arg(&out, "out")?;
    let from = parse_date(&from).map_err(|err| CommandError::from(err).on_field("from"))?;
    let to = parse_date(&to).map_err(|err| CommandError::from(err).on_field("to"))?;
    state
        .with_install(move |app| {
            app.siuss()
                .export(from, to, &out, Some(&ente), Some(&operator_cf))
        })
        .await
}
