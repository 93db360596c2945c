// Every command the window may call is listed here: tauri-build turns each into an `allow-<name>`
// permission, and only the permissions named in capabilities/ are granted. A command registered in
// lib.rs but missing here (or from the capability) is refused at run time.
const COMMANDS: &[&str] = &["app_info"];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
