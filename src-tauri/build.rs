// Every command the window may call is listed here: tauri-build turns each into an `allow-<name>`
// permission, and only the permissions named in capabilities/ are granted. A command registered in
// lib.rs but missing here (or from the capability) is refused at run time.
const COMMANDS: &[&str] = &[
    "app_info",
    "overview",
    "read_district",
    "setup",
    "login",
    "logout",
    "recover",
    "session",
    "enrol_export",
    "enrol_accept",
    "district_export",
    "district_accept",
    "keys_view",
    "rotate_keys",
    "revoke_comune_key",
    "import_bando",
    "case_kinds",
    "district_comuni",
    "search_applications",
    "application_detail",
    "correct_application",
    "withdraw_application",
    "annul_withdrawal",
    "codice_fiscale_info",
    "check_application",
    "add_application",
    "print_receipt",
    "open_document",
    "bundle_export",
    "bundle_preview",
    "bundle_import",
    "sync_history",
    "compute_ranking",
    "latest_ranking",
    "publish_ranking",
    "publish_changes",
    "cross_comune_exclusions",
    "print_ranking",
    "duplicates",
    "audit_list",
    "audit_verify",
    "backup_create",
    "backup_verify",
    "print_recovery_sheet",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
