//! The Accreditamento screens: at the capofila the notice, the providers' applications, the
//! commission's assessment and its confirmation, the register's statuses, yearly checks and
//! documents, the attestato and the public register; at every install the register received
//! and the verification of an attestato.

use sportello_app::{
    AppError, AssessmentView, ErrorCode, NoticeView, ProviderApplicationView, ProviderApplied,
    RegisterLineView, RegisterPrinted, RegisterView, Verification, io_reason, parse_date,
};
use tauri::State;

use super::{path_arg, printed};
use crate::error::CommandError;
use crate::state::DesktopState;

/// The notice in force (the district's default until one is imported).
#[tauri::command]
pub async fn accreditation_notice(
    state: State<'_, DesktopState>,
) -> Result<NoticeView, CommandError> {
    state
        .with_install(move |app| app.accreditation().notice())
        .await
}

/// Reads the notice's TOML file at `path` and makes it the one in force.
#[tauri::command]
pub async fn accreditation_import_notice(
    state: State<'_, DesktopState>,
    path: String,
) -> Result<NoticeView, CommandError> {
    let path = path_arg(&path, "path")?;
    state
        .with_install(move |app| {
            let text = std::fs::read_to_string(&path).map_err(|err| {
                AppError::new(
                    ErrorCode::FileUnreadable,
                    format!(
                        "impossibile leggere il file dell'avviso {}: {}",
                        path.display(),
                        io_reason(&err)
                    ),
                )
            })?;
            app.accreditation().import_notice(&text)
        })
        .await
        .map_err(|err| err.on_field("path"))
}

/// Files a provider's application (the JSON shape of `provider apply`).
#[tauri::command]
pub async fn accreditation_apply(
    state: State<'_, DesktopState>,
    application: serde_json::Value,
) -> Result<ProviderApplied, CommandError> {
    state
        .with_install(move |app| app.accreditation().apply(&application.to_string()))
        .await
}

/// Every application recorded, with its assessments.
#[tauri::command]
pub async fn accreditation_applications(
    state: State<'_, DesktopState>,
) -> Result<Vec<ProviderApplicationView>, CommandError> {
    state
        .with_install(move |app| app.accreditation().applications())
        .await
}

/// The commission's assessment of application `id` (the JSON shape of `provider assess`);
/// `reason` when it corrects an earlier one.
#[tauri::command]
pub async fn accreditation_assess(
    state: State<'_, DesktopState>,
    id: String,
    assessment: serde_json::Value,
    reason: Option<String>,
) -> Result<AssessmentView, CommandError> {
    state
        .with_install(move |app| {
            app.accreditation()
                .assess(&id, &assessment.to_string(), reason.as_deref())
        })
        .await
}

/// A coordinatore confirms assessment `id`: the provider enters the register.
#[tauri::command]
pub async fn accreditation_confirm(
    state: State<'_, DesktopState>,
    id: String,
) -> Result<AssessmentView, CommandError> {
    state
        .with_install(move |app| app.accreditation().confirm(&id))
        .await
}

/// The register held here, filtered by service and by comune (empty: all).
#[tauri::command]
pub async fn accreditation_register(
    state: State<'_, DesktopState>,
    service: Option<String>,
    comune: Option<String>,
) -> Result<RegisterView, CommandError> {
    let service = service.filter(|s| !s.is_empty());
    let comune = comune.filter(|c| !c.is_empty());
    state
        .with_install(move |app| {
            app.accreditation()
                .register(service.as_deref(), comune.as_deref())
        })
        .await
}

/// Sets registration `number` to `status` (attivo, sospeso, revocato) from `on`.
#[tauri::command]
pub async fn accreditation_set_status(
    state: State<'_, DesktopState>,
    number: String,
    status: String,
    reason: String,
    on: String,
) -> Result<RegisterLineView, CommandError> {
    state
        .with_install(move |app| {
            let on = parse_date(&on)?;
            app.accreditation()
                .set_status(&number, &status, &reason, on)
        })
        .await
}

/// Records a yearly check of registration `number`.
#[tauri::command]
pub async fn accreditation_record_check(
    state: State<'_, DesktopState>,
    number: String,
    on: String,
    passed: bool,
    note: String,
) -> Result<RegisterLineView, CommandError> {
    state
        .with_install(move |app| {
            let on = parse_date(&on)?;
            app.accreditation().record_check(&number, on, passed, &note)
        })
        .await
}

/// Replaces document `kind` of registration `number` (`{"number", "date", "expires"}`).
#[tauri::command]
pub async fn accreditation_renew_document(
    state: State<'_, DesktopState>,
    number: String,
    kind: String,
    document: serde_json::Value,
) -> Result<RegisterLineView, CommandError> {
    state
        .with_install(move |app| {
            app.accreditation()
                .renew_document(&number, &kind, &document.to_string())
        })
        .await
}

/// Writes the attestato of registration `number` to `out`.
#[tauri::command]
pub async fn accreditation_print_certificate(
    state: State<'_, DesktopState>,
    number: String,
    out: String,
) -> Result<String, CommandError> {
    let out = path_arg(&out, "out")?;
    printed(
        &state,
        state
            .with_install(move |app| app.accreditation().print_certificate(&number, &out))
            .await,
    )
}

/// Writes the public register (the PDF at `out`, the CSV next to it).
#[tauri::command]
pub async fn accreditation_print_register(
    state: State<'_, DesktopState>,
    out: String,
) -> Result<RegisterPrinted, CommandError> {
    let out = path_arg(&out, "out")?;
    let done = state
        .with_install(move |app| app.accreditation().print_register(&out))
        .await
        .map_err(|err| err.on_field("out"))?;
    state.remember_printed(done.pdf.clone().into());
    Ok(done)
}

/// Verifies the attestato's PDF at `path`, or the QR text `text` when no path is given.
#[tauri::command]
pub async fn accreditation_verify(
    state: State<'_, DesktopState>,
    path: Option<String>,
    text: Option<String>,
) -> Result<Verification, CommandError> {
    let path = match path.filter(|p| !p.trim().is_empty()) {
        Some(p) => Some(path_arg(&p, "path")?),
        None => None,
    };
    state
        .with_install(move |app| match &path {
            Some(path) => app.accreditation().verify_pdf(path),
            None => app
                .accreditation()
                .verify_text(text.as_deref().unwrap_or_default()),
        })
        .await
        .map_err(|err| err.on_field("path"))
}
