//! Tauri commands, one file per area. Each is `async` and hands its work to
//! [`blocking`] (through `DesktopState`), so the database is never touched on the main thread.
//! Every command that reads or writes a file takes its path as an argument: the native dialogs
//! run only in the window, and the window's tests pass paths of their own.

pub mod applications;
pub mod bandi;
pub mod documents;
pub mod info;
pub mod ranking;
pub mod setup;
pub mod sync;
pub mod trust;

use std::path::PathBuf;

use crate::error::CommandError;

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
                "internal",
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
            "path_missing",
            "Indicare il percorso: scriverlo o sceglierlo con «Sfoglia…».",
        )
        .on_field(field));
    }
    let path = PathBuf::from(text);
    if !path.is_absolute() {
        return Err(CommandError::new(
            "path_relative",
            format!(
                "Il percorso «{text}» è incompleto: indicare il percorso intero (ad esempio \
                 scegliendolo con «Sfoglia…»)."
            ),
        )
        .on_field(field));
    }
    Ok(path)
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
