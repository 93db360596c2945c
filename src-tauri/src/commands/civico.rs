//! The Servizio civico screens: the comune's call list with the scorrimento, the answers, the
//! individual project and its papers, the monthly attendance grid, the payment list, the
//! complaints and the attestato; at the capofila, every comune's calls.

use std::collections::HashMap;

use serde::Serialize;
use sportello_app::{
    ApplicationFilter, AttendanceImported, AttendanceMonth, CallEventKind, CallRecorded, CallView,
    Complaint, ComuneCalls, DayHours, ErrorCode, Payment, PaymentsPrinted, ProjectForm,
    ProjectPaper, ProjectSaved, Sportello, parse_date,
};
use tauri::State;

use super::{path_arg, printed};
use crate::error::CommandError;
use crate::state::DesktopState;

/// "Cognome Nome" of each application held here, by code.
fn applicants(app: &mut Sportello) -> sportello_app::Result<HashMap<String, String>> {
    app.intake().applicant_names(&ApplicationFilter::default())
}

/// A line of the call list with who it is (the comune's own applicants).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NamedCall {
    #[serde(flatten)]
    pub call: CallView,
    pub applicant: Option<String>,
}

/// This comune's call list for `bando`, in ranking order.
#[tauri::command]
pub async fn civico_calls(
    state: State<'_, DesktopState>,
    bando: String,
) -> Result<Vec<NamedCall>, CommandError> {
    state
        .with_install(move |app| {
            let calls = app.civico().calls(&bando)?;
            let names = applicants(app)?;
            Ok(calls
                .into_iter()
                .map(|call| NamedCall {
                    applicant: names.get(&call.application_code).cloned(),
                    call,
                })
                .collect())
        })
        .await
}

/// Every comune's calls (capofila).
#[tauri::command]
pub async fn civico_overview(
    state: State<'_, DesktopState>,
    bando: String,
) -> Result<Vec<ComuneCalls>, CommandError> {
    state
        .with_install(move |app| app.civico().overview(&bando))
        .await
}

/// Records a step of applicant `code`'s call on `on`: called (`note`: how), accepted,
/// renounced, lapsed, ended early (`note`: why) or completed.
#[tauri::command]
pub async fn civico_record(
    state: State<'_, DesktopState>,
    code: String,
    kind: CallEventKind,
    on: String,
    note: Option<String>,
) -> Result<CallRecorded, CommandError> {
    state
        .with_install(move |app| {
            let on = parse_date(&on)?;
            app.civico().record(&code, kind, on, note.as_deref())
        })
        .await
}

#[tauri::command]
pub async fn civico_project_form(
    state: State<'_, DesktopState>,
    code: String,
) -> Result<ProjectForm, CommandError> {
    state
        .with_install(move |app| app.civico().project_form(&code))
        .await
}

/// Records the project (the JSON shape of `civico project`).
#[tauri::command]
pub async fn civico_set_project(
    state: State<'_, DesktopState>,
    code: String,
    project: serde_json::Value,
) -> Result<ProjectSaved, CommandError> {
    state
        .with_install(move |app| app.civico().set_project(&code, &project.to_string()))
        .await
}

/// Writes the project (`project`) or the lettera di avvio (`avvio`) to `out`.
#[tauri::command]
pub async fn civico_print_project(
    state: State<'_, DesktopState>,
    code: String,
    paper: String,
    out: String,
) -> Result<String, CommandError> {
    let paper = match paper.as_str() {
        "project" => ProjectPaper::Project,
        "avvio" => ProjectPaper::StartLetter,
        other => {
            return Err(CommandError::new(
                ErrorCode::PaperUnknown,
                format!("Documento «{other}» sconosciuto: il progetto o la lettera di avvio."),
            )
            .on_field("paper"));
        }
    };
    let out = path_arg(&out, "out")?;
    printed(
        &state,
        state
            .with_install(move |app| app.civico().print_project(&code, paper, &out))
            .await,
    )
}

#[tauri::command]
pub async fn civico_attendance_month(
    state: State<'_, DesktopState>,
    code: String,
    month: String,
) -> Result<AttendanceMonth, CommandError> {
    state
        .with_install(move |app| app.civico().attendance_month(&code, &month))
        .await
}

/// Records participant `code`'s month as typed in the grid: every day or none.
#[tauri::command]
pub async fn civico_save_attendance(
    state: State<'_, DesktopState>,
    code: String,
    month: String,
    days: Vec<DayHours>,
) -> Result<AttendanceImported, CommandError> {
    state
        .with_install(move |app| app.civico().save_attendance_month(&code, &month, &days))
        .await
}

/// A line of the month's pay with who it is.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NamedPayment {
    #[serde(flatten)]
    pub payment: Payment,
    pub applicant: Option<String>,
}

#[tauri::command]
pub async fn civico_payments(
    state: State<'_, DesktopState>,
    month: String,
) -> Result<Vec<NamedPayment>, CommandError> {
    state
        .with_install(move |app| {
            let list = app.civico().payments(&month)?;
            let names = applicants(app)?;
            Ok(list
                .into_iter()
                .map(|payment| NamedPayment {
                    applicant: names.get(&payment.application_code).cloned(),
                    payment,
                })
                .collect())
        })
        .await
}

/// Prints and freezes the month's payment list (the PDF at `out`, the CSV next to it).
#[tauri::command]
pub async fn civico_print_payments(
    state: State<'_, DesktopState>,
    month: String,
    out: String,
) -> Result<PaymentsPrinted, CommandError> {
    let out = path_arg(&out, "out")?;
    let done = state
        .with_install(move |app| app.civico().print_payments(&month, &out))
        .await
        .map_err(|err| err.on_field("out"))?;
    state.remember_printed(done.pdf.clone().into());
    Ok(done)
}

#[tauri::command]
pub async fn civico_print_attestato(
    state: State<'_, DesktopState>,
    code: String,
    out: String,
) -> Result<String, CommandError> {
    let out = path_arg(&out, "out")?;
    printed(
        &state,
        state
            .with_install(move |app| app.civico().print_attestato(&code, &out))
            .await,
    )
}

#[tauri::command]
pub async fn civico_complaints(
    state: State<'_, DesktopState>,
    open_only: bool,
) -> Result<Vec<Complaint>, CommandError> {
    state
        .with_install(move |app| app.civico().complaints(open_only))
        .await
}

/// Records a complaint about participant `code` from `source` (`host` or `participant`),
/// received on `on` (today when empty); its id.
#[tauri::command]
pub async fn civico_add_complaint(
    state: State<'_, DesktopState>,
    code: String,
    source: String,
    text: String,
    on: Option<String>,
) -> Result<String, CommandError> {
    state
        .with_install(move |app| {
            let on = on
                .as_deref()
                .filter(|d| !d.trim().is_empty())
                .map(parse_date)
                .transpose()?;
            app.civico().add_complaint(&code, &source, &text, on)
        })
        .await
}

#[tauri::command]
pub async fn civico_close_complaint(
    state: State<'_, DesktopState>,
    id: String,
    outcome: String,
) -> Result<(), CommandError> {
    state
        .with_install(move |app| app.civico().close_complaint(&id, &outcome))
        .await
}
