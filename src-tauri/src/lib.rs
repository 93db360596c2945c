//! The desktop shell: Tauri commands, state and dialogs over `sportello-app`. No business logic
//! lives here; every command hands its work to the use-case layer off the main thread.

#[cfg(test)]
mod bindings;
mod commands;
mod db_location;
mod error;
mod state;
mod window_fit;

use std::process::ExitCode;

use tauri::{LogicalSize, Manager};

pub use db_location::{DB_ENV, DbLocationError, resolve_db_path};
pub use error::CommandError;
pub use state::DesktopState;

/// The label of the one window, in tauri.conf.json.
const MAIN_WINDOW: &str = "main";

/// Starts the window. Returns a failing exit code, after saying why on stderr, when the database
/// location cannot be resolved or the window cannot be created.
pub fn run() -> ExitCode {
    let db_path = match resolve_db_path(
        std::env::args_os().skip(1),
        std::env::var_os(DB_ENV),
        sportello_app::default_db_path(),
    ) {
        Ok(path) => path,
        Err(err) => {
            eprintln!("sportello-desktop: {err}");
            return ExitCode::from(2);
        }
    };

    let outcome = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(DesktopState::new(db_path))
        .setup(|app| {
            // The window of tauri.conf.json, created hidden: sized to the screen, then shown.
            let default = app
                .config()
                .app
                .windows
                .iter()
                .find(|w| w.label == MAIN_WINDOW)
                .map(|w| LogicalSize::new(w.width, w.height));
            if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
                match default {
                    Some(default) => window_fit::fit_and_show(&window, default)?,
                    None => window.show()?,
                }
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::info::app_info,
            commands::info::overview,
            commands::setup::read_district,
            commands::setup::setup,
            commands::session::login,
            commands::session::logout,
            commands::session::recover,
            commands::session::session,
            commands::trust::enrol_export,
            commands::trust::enrol_accept,
            commands::trust::district_export,
            commands::trust::district_accept,
            commands::trust::keys_view,
            commands::trust::rotate_keys,
            commands::trust::revoke_comune_key,
            commands::bandi::import_bando,
            commands::settings::case_kinds,
            commands::applications::district_comuni,
            commands::applications::search_applications,
            commands::applications::application_detail,
            commands::applications::correct_application,
            commands::applications::withdraw_application,
            commands::applications::annul_withdrawal,
            commands::applications::codice_fiscale_info,
            commands::applications::check_application,
            commands::applications::draft_read,
            commands::applications::draft_save,
            commands::applications::draft_discard,
            commands::applications::add_application,
            commands::applications::print_receipt,
            commands::documents::open_document,
            commands::sync::bundle_export,
            commands::sync::bundle_preview,
            commands::sync::bundle_import,
            commands::sync::sync_history,
            commands::ranking::compute_ranking,
            commands::ranking::latest_ranking,
            commands::ranking::publish_ranking,
            commands::ranking::publish_changes,
            commands::ranking::cross_comune_exclusions,
            commands::ranking::print_ranking,
            commands::ranking::duplicates,
            commands::civico::civico_calls,
            commands::civico::civico_overview,
            commands::civico::civico_record,
            commands::civico::civico_project_form,
            commands::civico::civico_set_project,
            commands::civico::civico_print_project,
            commands::civico::civico_attendance_month,
            commands::civico::civico_save_attendance,
            commands::civico::civico_payments,
            commands::civico::civico_print_payments,
            commands::civico::civico_print_attestato,
            commands::civico::civico_complaints,
            commands::civico::civico_add_complaint,
            commands::civico::civico_close_complaint,
            commands::front_office::front_office_add_contact,
            commands::front_office::front_office_contacts,
            commands::front_office::front_office_history,
            commands::front_office::front_office_cases,
            commands::front_office::front_office_close_case,
            commands::front_office::front_office_note_case,
            commands::front_office::front_office_assign_case,
            commands::front_office::front_office_print_referral,
            commands::front_office::front_office_stats,
            commands::front_office::front_office_stats_csv,
            commands::front_office::services_list,
            commands::front_office::services_search,
            commands::front_office::services_import,
            commands::front_office::services_review,
            commands::front_office::services_stale,
            commands::front_office::services_print,
            commands::accreditation::accreditation_notice,
            commands::accreditation::accreditation_import_notice,
            commands::accreditation::accreditation_apply,
            commands::accreditation::accreditation_applications,
            commands::accreditation::accreditation_assess,
            commands::accreditation::accreditation_confirm,
            commands::accreditation::accreditation_register,
            commands::accreditation::accreditation_set_status,
            commands::accreditation::accreditation_record_check,
            commands::accreditation::accreditation_renew_document,
            commands::accreditation::accreditation_print_certificate,
            commands::accreditation::accreditation_print_register,
            commands::accreditation::accreditation_verify,
            commands::objections::objections_list,
            commands::objections::objection_add,
            commands::objections::objection_decide,
            commands::objections::print_preavvisi,
            commands::monitoring::monitoring_export,
            commands::monitoring::monitoring_forms,
            commands::monitoring::monitoring_save_form,
            commands::monitoring::monitoring_close_form,
            commands::monitoring::siuss_settings,
            commands::monitoring::siuss_export,
            commands::monitoring::monitoring_overview,
            commands::monitoring::monitoring_print_report,
            commands::monitoring::monitoring_print_plan_report,
            commands::audit::audit_list,
            commands::audit::audit_verify,
            commands::backup::backup_create,
            commands::backup::backup_verify,
            commands::backup::print_recovery_sheet,
        ])
        .run(tauri::generate_context!());
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("sportello-desktop: impossibile avviare la finestra: {err}");
            ExitCode::FAILURE
        }
    }
}
