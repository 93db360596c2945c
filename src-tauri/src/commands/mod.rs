//! Tauri commands, one file per area. Each is `async` and hands its work to
//! [`blocking`] (through `DesktopState`), so the database is never touched on the main thread.
//! Every command that reads or writes a file takes its path as an argument: the native dialogs
//! run only in the window, and the window's tests pass paths of their own.

pub mod accreditation;
pub mod applications;
pub mod audit;
pub mod backup;
pub mod bandi;
pub mod civico;
pub mod documents;
pub mod front_office;
pub mod info;
pub mod monitoring;
pub mod objections;
pub mod ranking;
pub mod session;
pub mod settings;
pub mod setup;
pub mod sync;
pub mod trust;

use std::path::PathBuf;

use crate::error::CommandError;
use sportello_app::ErrorCode;

/// Runs `work` on Tauri's blocking thread pool and waits for it without holding the main thread.
pub(crate) async fn blocking<T, F>(work: F) -> Result<T, CommandError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, CommandError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|err| {
            CommandError::new(
                ErrorCode::Internal,
                format!(
                    "Errore interno: l'operazione si è interrotta ({err}). Riprovare; se si \
                     ripete, riavviare l'applicazione."
                ),
            )
        })?
}

/// A path typed or chosen in the window, for the form field `field`: required and absolute
/// (a relative path would depend on where the app was started from).
pub(crate) fn path_arg(text: &str, field: &str) -> Result<PathBuf, CommandError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CommandError::new(
            ErrorCode::PathMissing,
            "Indicare il percorso: scriverlo o sceglierlo con «Sfoglia…».",
        )
        .on_field(field));
    }
    let path = PathBuf::from(text);
    if !path.is_absolute() {
        return Err(CommandError::new(
            ErrorCode::PathRelative,
            format!(
                "Il percorso «{text}» è incompleto: indicare il percorso intero (ad esempio \
                 scegliendolo con «Sfoglia…»)."
            ),
        )
        .on_field(field));
    }
    Ok(path)
}

/// Remembers a document this window wrote (so it may open it) and gives its path; a refusal
/// concerns the form field `out`.
pub(crate) fn printed(
    state: &crate::state::DesktopState,
    written: Result<PathBuf, CommandError>,
) -> Result<String, CommandError> {
    let written = written.map_err(|err| err.on_field("out"))?;
    let shown = written.display().to_string();
    state.remember_printed(written);
    Ok(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_required() {
        let err = path_arg("  ", "cartella").unwrap_err();
        assert_eq!(err.code, "path_missing");
        assert_eq!(err.field.as_deref(), Some("cartella"));
    }

    #[test]
    fn a_relative_path_is_refused_with_what_was_typed() {
        let err = path_arg("pacchetti", "cartella").unwrap_err();
        assert_eq!(err.code, "path_relative");
        assert!(err.message.contains("«pacchetti»"), "{}", err.message);
    }

    #[test]
    fn an_absolute_path_is_kept_without_surrounding_spaces() {
        let root = std::env::temp_dir();
        let typed = format!(" {} ", root.join("uscita").display());
        assert_eq!(path_arg(&typed, "cartella").unwrap(), root.join("uscita"));
    }
}

/// Every desktop command is named in four places: tauri-build's list (build.rs, which makes
/// its permission), the capability that grants it, the handler list (lib.rs) and the window's
/// typed wrapper (ui/src/lib/api.ts). A command missing from one of them fails only at run
/// time, in the window: this test says which list lacks which command.
#[cfg(test)]
mod declared_once {
    use std::collections::BTreeSet;

    /// The words in `text` between each `open` and the `close` that follows it.
    fn between<'t>(text: &'t str, open: &str, close: &str) -> Vec<&'t str> {
        text.split(open)
            .skip(1)
            .filter_map(|rest| rest.split_once(close).map(|(word, _)| word))
            .collect()
    }

    #[test]
    fn between_finds_each_quoted_word() {
        assert_eq!(between("a>('x') b>('y')", ">('", "'"), ["x", "y"]);
    }

    fn build_rs() -> BTreeSet<String> {
        let text = include_str!("../../build.rs");
        let list = text
            .split_once("const COMMANDS")
            .and_then(|(_, rest)| rest.split_once("];"))
            .map(|(list, _)| list)
            .expect("build.rs lists COMMANDS");
        list.lines()
            .filter_map(|line| line.trim().strip_prefix('"')?.strip_suffix("\","))
            .map(str::to_string)
            .collect()
    }

    fn capability() -> BTreeSet<String> {
        let json: serde_json::Value =
            serde_json::from_str(include_str!("../../capabilities/default.json")).unwrap();
        json["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .filter_map(|p| p.strip_prefix("allow-"))
            .map(|p| p.replace('-', "_"))
            .collect()
    }

    fn handlers() -> BTreeSet<String> {
        let text = include_str!("../lib.rs");
        let list = text
            .split_once("generate_handler![")
            .and_then(|(_, rest)| rest.split_once(']'))
            .map(|(list, _)| list)
            .expect("lib.rs registers its handlers");
        list.split(',')
            .filter_map(|path| path.trim().rsplit("::").next())
            .filter(|name| !name.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn wrappers() -> BTreeSet<String> {
        let text = include_str!("../../../ui/src/lib/api.ts");
        between(text, ">('", "'")
            .into_iter()
            .chain(between(text, "call('", "'"))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn every_command_is_listed_granted_registered_and_wrapped() {
        let commands = build_rs();
        assert!(commands.len() > 20, "{commands:?}");
        for (what, names) in [
            ("capabilities/default.json", capability()),
            ("src/lib.rs", handlers()),
            ("ui/src/lib/api.ts", wrappers()),
        ] {
            let missing: Vec<&String> = commands.difference(&names).collect();
            let extra: Vec<&String> = names.difference(&commands).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{what}: missing {missing:?}, not in build.rs {extra:?}"
            );
        }
    }
}
