//! The Domande screen: the list with search and filters, the new-application form checked as
//! it is typed and kept as the operator's draft, filing, and the receipt.

use serde::Serialize;
use serde_json::Value;
use sportello_app::{
    ApplicationDetail, ApplicationFilter, ApplicationsPage, CodiceFiscaleInfo, Corrected,
    DraftView, Filed, FormCheck, OutcomeChoice, WithdrawalChanged,
};
use tauri::State;

use super::path_arg;
use crate::error::CommandError;
use crate::state::DesktopState;

/// A comune of the install's district, for filters and the birth-place hint.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DistrictComune {
    pub istat: String,
    pub name: String,
    pub belfiore: String,
}

/// The comuni of this install's district.
#[tauri::command]
pub async fn district_comuni(
    state: State<'_, DesktopState>,
) -> Result<Vec<DistrictComune>, CommandError> {
    state
        .with_install(|app| {
            Ok(app
                .install()
                .district
                .comuni
                .iter()
                .map(|c| DistrictComune {
                    istat: c.istat.clone(),
                    name: c.name.clone(),
                    belfiore: c.belfiore.clone(),
                })
                .collect())
        })
        .await
}

fn filter_of(bando: Option<String>, comune: Option<String>) -> ApplicationFilter {
    let given = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    ApplicationFilter {
        bando: given(bando),
        comune: given(comune),
        ..ApplicationFilter::default()
    }
}

/// A page of the applications matching `text` (name, codice fiscale, application code, case
/// number) within the bando and comune given, with their published outcome once known; with
/// `outcome`, only those not ranked yet (`none`) or with that outcome. `limit` rows from
/// `offset` in the list's order (every row when no limit is given).
#[tauri::command]
pub async fn search_applications(
    state: State<'_, DesktopState>,
    text: String,
    bando: Option<String>,
    comune: Option<String>,
    outcome: Option<String>,
    offset: Option<usize>,
    limit: Option<usize>,
) -> Result<ApplicationsPage, CommandError> {
    let filter = filter_of(bando, comune);
    state
        .with_install(move |app| {
            let outcome = OutcomeChoice::parse(outcome.as_deref())?;
            app.intake().search_page(
                &filter,
                &text,
                outcome,
                offset.unwrap_or(0),
                limit.unwrap_or(usize::MAX),
            )
        })
        .await
}

/// One application with every revision and what each changed.
#[tauri::command]
pub async fn application_detail(
    state: State<'_, DesktopState>,
    code: String,
) -> Result<ApplicationDetail, CommandError> {
    state
        .with_install(move |app| app.intake().application_detail(&code))
        .await
}

/// Corrects this comune's application `code` with the whole form as it should now read and
/// the reason: a new revision, checked like a new application.
#[tauri::command]
pub async fn correct_application(
    state: State<'_, DesktopState>,
    code: String,
    form: Value,
    reason: String,
    objection: Option<String>,
) -> Result<Corrected, CommandError> {
    let json = form.to_string();
    state
        .with_install(move |app| {
            app.intake()
                .correct_for_objection(&code, &json, &reason, objection.as_deref())
        })
        .await
}

/// Records the applicant's withdrawal of `code` on `on` (`aaaa-mm-gg`; today when absent).
#[tauri::command]
pub async fn withdraw_application(
    state: State<'_, DesktopState>,
    code: String,
    on: Option<String>,
    note: Option<String>,
) -> Result<WithdrawalChanged, CommandError> {
    state
        .with_install(move |app| {
            let on = on
                .as_deref()
                .filter(|d| !d.trim().is_empty())
                .map(sportello_app::parse_date)
                .transpose()?;
            app.intake()
                .withdraw_application(&code, on, note.as_deref())
        })
        .await
}

/// Annuls a withdrawal recorded by mistake, with the reason.
#[tauri::command]
pub async fn annul_withdrawal(
    state: State<'_, DesktopState>,
    code: String,
    reason: String,
) -> Result<WithdrawalChanged, CommandError> {
    state
        .with_install(move |app| app.intake().annul_withdrawal(&code, &reason))
        .await
}

/// What a codice fiscale says, as the operator types it.
#[tauri::command]
pub async fn codice_fiscale_info(
    state: State<'_, DesktopState>,
    text: String,
) -> Result<CodiceFiscaleInfo, CommandError> {
    state
        .with_install(move |app| Ok(app.intake().codice_fiscale_info(&text)))
        .await
}

/// Checks the form being typed (the JSON shape of `application add`); stores nothing.
#[tauri::command]
pub async fn check_application(
    state: State<'_, DesktopState>,
    form: Value,
) -> Result<FormCheck, CommandError> {
    let json = form.to_string();
    state
        .with_install(move |app| app.intake().check_form_json(&json))
        .await
}

/// The operator's draft of a new application, if they have one.
#[tauri::command]
pub async fn draft_read(state: State<'_, DesktopState>) -> Result<Option<DraftView>, CommandError> {
    state.with_install(|app| app.intake().draft()).await
}

/// Keeps `draft` (the window's form as JSON) as the operator's draft.
#[tauri::command]
pub async fn draft_save(
    state: State<'_, DesktopState>,
    draft: String,
) -> Result<DraftView, CommandError> {
    state
        .with_install(move |app| app.intake().save_draft(&draft))
        .await
}

/// Discards the operator's draft; `false` when there was none.
#[tauri::command]
pub async fn draft_discard(state: State<'_, DesktopState>) -> Result<bool, CommandError> {
    state.with_install(|app| app.intake().discard_draft()).await
}

/// Files the form, and deletes the operator's draft it was typed in; refused with every
/// problem by field, the form stays as typed (and the draft with it).
#[tauri::command]
pub async fn add_application(
    state: State<'_, DesktopState>,
    form: Value,
) -> Result<Filed, CommandError> {
    let json = form.to_string();
    state
        .with_install(move |app| app.intake().add_application_json(&json))
        .await
}

/// Writes the receipt of `application_code` to the file `out`; it may then be opened.
#[tauri::command]
pub async fn print_receipt(
    state: State<'_, DesktopState>,
    application_code: String,
    out: String,
) -> Result<String, CommandError> {
    let out = path_arg(&out, "out")?;
    let written = state
        .with_install(move |app| app.documents().receipt(&application_code, &out))
        .await
        .map_err(|err| err.on_field("out"))?;
    let shown = written.display().to_string();
    state.remember_printed(written);
    Ok(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_filters_mean_every_bando_and_comune() {
        let filter = filter_of(Some(" ".into()), None);
        assert_eq!(filter.bando, None);
        assert_eq!(filter.comune, None);
        let filter = filter_of(Some("SC-2026-1".into()), Some("089009".into()));
        assert_eq!(filter.bando.as_deref(), Some("SC-2026-1"));
        assert_eq!(filter.comune.as_deref(), Some("089009"));
    }
}
