//! The front office (segretariato sociale): contacts recorded at the desk, the back office's
//! cases (diary, reassignment, closing), a person's history, the scheda di invio, the
//! observatory's statistics; and the map of services searched while the operator types.

use sportello_app::{
    AppError, CaseView, ContactView, ContactsAdded, ErrorCode, FrontOfficeStats, PersonHistory,
    ServicesFile, ServicesImported, StaleService, StoredService, parse_date, stats_csv,
};
use tauri::State;

use super::{path_arg, printed};
use crate::error::CommandError;
use crate::state::DesktopState;

/// «impossibile `what` PATH: why», for a file the window named.
fn file_error(
    code: ErrorCode,
    what: &str,
    path: &std::path::Path,
    err: &std::io::Error,
) -> AppError {
    AppError::new(
        code,
        format!(
            "impossibile {what} {}: {}",
            path.display(),
            sportello_app::io_reason(err)
        ),
    )
}

/// Records one contact (the JSON shape of `contact add`).
#[tauri::command]
pub async fn front_office_add_contact(
    state: State<'_, DesktopState>,
    contact: serde_json::Value,
) -> Result<ContactsAdded, CommandError> {
    state
        .with_install(move |app| app.front_office().add_contacts(&contact.to_string()))
        .await
}

/// This comune's contacts from `from` to `to` (ISO dates, both optional), newest first.
#[tauri::command]
pub async fn front_office_contacts(
    state: State<'_, DesktopState>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Vec<ContactView>, CommandError> {
    state
        .with_install(move |app| {
            let from = from.as_deref().map(parse_date).transpose()?;
            let to = to.as_deref().map(parse_date).transpose()?;
            app.front_office().contacts(from, to, false, false)
        })
        .await
}

/// A person's contacts, open cases and applications.
#[tauri::command]
pub async fn front_office_history(
    state: State<'_, DesktopState>,
    codice_fiscale: String,
) -> Result<PersonHistory, CommandError> {
    state
        .with_install(move |app| app.front_office().history(&codice_fiscale))
        .await
        .map_err(|err| err.on_field("codice_fiscale"))
}

/// The open cases by due date; with `all`, then the closed ones.
#[tauri::command]
pub async fn front_office_cases(
    state: State<'_, DesktopState>,
    all: bool,
) -> Result<Vec<CaseView>, CommandError> {
    state
        .with_install(move |app| app.front_office().cases(all))
        .await
}

/// Closes case `number` on `date` with `outcome`.
#[tauri::command]
pub async fn front_office_close_case(
    state: State<'_, DesktopState>,
    number: i64,
    date: String,
    outcome: String,
    note: Option<String>,
) -> Result<CaseView, CommandError> {
    state
        .with_install(move |app| {
            app.front_office()
                .close_case(number, &date, &outcome, note.as_deref())
        })
        .await
}

/// A note in case `number`'s diary.
#[tauri::command]
pub async fn front_office_note_case(
    state: State<'_, DesktopState>,
    number: i64,
    text: String,
) -> Result<CaseView, CommandError> {
    state
        .with_install(move |app| app.front_office().note_case(number, &text))
        .await
}

/// Assigns case `number` to the operator `operator` (a username of this install).
#[tauri::command]
pub async fn front_office_assign_case(
    state: State<'_, DesktopState>,
    number: i64,
    operator: String,
) -> Result<CaseView, CommandError> {
    state
        .with_install(move |app| app.front_office().assign_case(number, operator.trim()))
        .await
        .map_err(|err| err.on_field("operator"))
}

/// Writes the scheda di invio of contact `number` to `out`.
#[tauri::command]
pub async fn front_office_print_referral(
    state: State<'_, DesktopState>,
    number: i64,
    out: String,
) -> Result<String, CommandError> {
    let out = path_arg(&out, "out")?;
    printed(
        &state,
        state
            .with_install(move |app| app.front_office().print_referral(number, &out))
            .await,
    )
}

/// The observatory's figures from `from` to `to`, of `comune` or of every comune held.
#[tauri::command]
pub async fn front_office_stats(
    state: State<'_, DesktopState>,
    from: String,
    to: String,
    comune: Option<String>,
) -> Result<FrontOfficeStats, CommandError> {
    state
        .with_install(move |app| app.front_office().stats(&from, &to, comune.as_deref()))
        .await
}

/// Writes the same figures as `sezione;voce;valore` lines to `out`; gives the path.
#[tauri::command]
pub async fn front_office_stats_csv(
    state: State<'_, DesktopState>,
    from: String,
    to: String,
    comune: Option<String>,
    out: String,
) -> Result<String, CommandError> {
    let out = path_arg(&out, "out")?;
    state
        .with_install(move |app| {
            let stats = app.front_office().stats(&from, &to, comune.as_deref())?;
            std::fs::write(&out, stats_csv(&stats))
                .map_err(|err| file_error(ErrorCode::FileWrite, "scrivere il file", &out, &err))?;
            Ok(out.display().to_string())
        })
        .await
        .map_err(|err| err.on_field("out"))
}

/// Every entry of the map of services held here.
#[tauri::command]
pub async fn services_list(
    state: State<'_, DesktopState>,
) -> Result<Vec<StoredService>, CommandError> {
    state.with_install(move |app| app.services().list()).await
}

/// The entries in use matching `text`, best first, in `area` and covering `comune` if given.
#[tauri::command]
pub async fn services_search(
    state: State<'_, DesktopState>,
    text: String,
    area: Option<u8>,
    comune: Option<String>,
    limit: Option<usize>,
) -> Result<Vec<StoredService>, CommandError> {
    state
        .with_install(move |app| app.services().search(&text, area, comune.as_deref(), limit))
        .await
}

/// Reads the services file at `path` (CSV or TOML): the district catalogue at the capofila,
/// this comune's local entries at a comune.
#[tauri::command]
pub async fn services_import(
    state: State<'_, DesktopState>,
    path: String,
) -> Result<ServicesImported, CommandError> {
    let path = path_arg(&path, "path")?;
    state
        .with_install(move |app| {
            let text = std::fs::read_to_string(&path).map_err(|err| {
                file_error(
                    ErrorCode::FileUnreadable,
                    "leggere il file dei servizi",
                    &path,
                    &err,
                )
            })?;
            app.services().import(&text, ServicesFile::of(&path))
        })
        .await
        .map_err(|err| err.on_field("path"))
}

/// Marks one of this install's own entries reviewed today.
#[tauri::command]
pub async fn services_review(
    state: State<'_, DesktopState>,
    code: String,
) -> Result<StoredService, CommandError> {
    state
        .with_install(move |app| app.services().review(&code))
        .await
}

/// Capofila: the entries flagged (no provider, not reviewed for months).
#[tauri::command]
pub async fn services_stale(
    state: State<'_, DesktopState>,
) -> Result<Vec<StaleService>, CommandError> {
    state.with_install(move |app| app.services().stale()).await
}

/// Writes the scheda informativa of entry `code` to `out`.
#[tauri::command]
pub async fn services_print(
    state: State<'_, DesktopState>,
    code: String,
    out: String,
) -> Result<String, CommandError> {
    let out = path_arg(&out, "out")?;
    printed(
        &state,
        state
            .with_install(move |app| app.services().print(&code, &out))
            .await,
    )
}
