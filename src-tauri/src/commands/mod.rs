//! Tauri commands, one file per area. Each is `async` and hands its work to
//! [`blocking`], so the database is never touched on the main thread.

pub mod info;

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
