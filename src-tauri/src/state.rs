//! What every command can reach through `tauri::State`: the database location, the install
//! opened by the operator logged in, behind a `Mutex` (used only on the blocking thread pool),
//! and the documents this window printed (the only files it may ask the system to open).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use sportello_app::{Credentials, ErrorCode, Operator, Sportello};

use crate::commands::blocking;
use crate::error::CommandError;

/// Shared by all commands for the life of the window.
pub struct DesktopState {
    db_path: PathBuf,
    /// The install opened by the operator logged in: `None` until someone logs in (or creates
    /// the install on first run), after logging out, or after a command panicked while holding
    /// it. The password is never kept: logging in again is the only way back.
    install: Arc<Mutex<Option<Sportello>>>,
    /// PDFs written by this window's print commands.
    printed: Mutex<HashSet<PathBuf>>,
}

/// The slot of the opened install, even if a command panicked while holding it: that handle
/// is dropped (SQLite rolls back whatever it left open) and the operator logs in again.
fn lock_slot(slot: &Mutex<Option<Sportello>>) -> MutexGuard<'_, Option<Sportello>> {
    slot.lock().unwrap_or_else(|poisoned| {
        let mut guard = poisoned.into_inner();
        *guard = None;
        guard
    })
}

fn login_required() -> CommandError {
    CommandError::new(
        ErrorCode::LoginRequired,
        "accesso richiesto: entrare con nome utente e password",
    )
}

impl DesktopState {
    pub fn new(db_path: PathBuf) -> Self {
        Self {
            db_path,
            install: Arc::new(Mutex::new(None)),
            printed: Mutex::new(HashSet::new()),
        }
    }

    /// The database file this window works on, resolved once at start.
    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// Runs `work` on the slot of the opened install, on the blocking thread pool.
    async fn with_slot<T, F>(&self, work: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        F: FnOnce(&Path, &mut Option<Sportello>) -> Result<T, CommandError> + Send + 'static,
    {
        let slot = Arc::clone(&self.install);
        let db_path = self.db_path.clone();
        blocking(move || work(&db_path, &mut lock_slot(&slot))).await
    }

    /// Opens the install as the operator `credentials` name (whoever was logged in before is
    /// logged out, even when these credentials are refused).
    pub async fn login(&self, credentials: Credentials) -> Result<Operator, CommandError> {
        self.with_slot(move |db_path, slot| {
            *slot = None;
            let app = slot.insert(Sportello::open(db_path, &credentials)?);
            Ok(app.operator().clone())
        })
        .await
    }

    /// Sets a new password for `username` with the recovery key and opens the install as them
    /// (whoever was logged in before is logged out).
    pub async fn recover(
        &self,
        username: String,
        recovery_key: String,
        new_password: String,
    ) -> Result<Operator, CommandError> {
        self.with_slot(move |db_path, slot| {
            *slot = None;
            let field = |e: sportello_app::AppError| {
                let field = match e.code {
                    ErrorCode::RecoveryKeyInvalid | ErrorCode::RecoveryKeyWrong => "recovery_key",
                    ErrorCode::PasswordWeak => "new_password",
                    _ => "username",
                };
                CommandError::from(e).on_field(field)
            };
            let key = sportello_app::RecoveryKey::parse(&recovery_key).map_err(field)?;
            let app = Sportello::recover(db_path, &username, &key, &new_password).map_err(field)?;
            Ok(slot.insert(app).operator().clone())
        })
        .await
    }

    /// Closes the install: nobody is logged in.
    pub async fn logout(&self) -> Result<(), CommandError> {
        self.with_slot(|_, slot| {
            *slot = None;
            Ok(())
        })
        .await
    }

    /// The operator logged in, if any.
    pub async fn operator(&self) -> Result<Option<Operator>, CommandError> {
        self.with_slot(|_, slot| Ok(slot.as_ref().map(|app| app.operator().clone())))
            .await
    }

    /// Runs `work` on the install opened by the operator logged in, on the blocking thread
    /// pool; refused with `login_required` when nobody is. Commands call this and nothing else
    /// to reach `sportello-app`.
    pub async fn with_install<T, F>(&self, work: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Sportello) -> sportello_app::Result<T> + Send + 'static,
    {
        self.with_slot(move |_, slot| match slot.as_mut() {
            Some(app) => Ok(work(app)?),
            None => Err(login_required()),
        })
        .await
    }

    /// Creates the install's database with `create` (first run, which also creates the first
    /// operator), keeps it open with that operator logged in, and runs `then` on it. Refused
    /// when the database already exists: a window never re-initialises one.
    pub async fn create_install<T, C, F>(&self, create: C, then: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        C: FnOnce(&Path) -> sportello_app::Result<Sportello> + Send + 'static,
        F: FnOnce(&mut Sportello) -> sportello_app::Result<T> + Send + 'static,
    {
        self.with_slot(move |db_path, slot| {
            if slot.is_some() || db_path.exists() {
                return Err(CommandError::new(
                    ErrorCode::AlreadyInitialized,
                    format!(
                        "L'archivio {} esiste già: questa installazione è già configurata.",
                        db_path.display()
                    ),
                ));
            }
            let app = slot.insert(create(db_path)?);
            Ok(then(app)?)
        })
        .await
    }

    /// Remembers a document this window wrote, so that it may be opened.
    pub fn remember_printed(&self, path: PathBuf) {
        self.printed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(path);
    }

    /// Whether this window wrote `path` (the only files `open_document` opens).
    pub fn was_printed(&self, path: &Path) -> bool {
        self.printed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .contains(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sportello_app::{NewOperator, Role};
    use tauri::async_runtime::block_on;

    fn district_toml() -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/district-d48.toml");
        std::fs::read_to_string(path).expect("fixture district")
    }

    fn state_in(dir: &Path) -> DesktopState {
        DesktopState::new(dir.join("comune.db"))
    }

    const PASSWORD: &str = "password-di-prova";

    fn first() -> NewOperator {
        NewOperator {
            username: "prova".into(),
            name: Some("Maria Prova".into()),
            role: Role::Operatore,
            password: PASSWORD.into(),
        }
    }

    fn credentials(password: &str) -> Credentials {
        Credentials {
            username: "prova".into(),
            password: password.into(),
        }
    }

    /// Creates the install of Floridia at `state`, its first operator logged in.
    fn create(state: &DesktopState, comune: &'static str) -> Result<String, CommandError> {
        let toml = district_toml();
        block_on(state.create_install(
            move |db| Sportello::init(db, &toml, comune, &first()),
            |app| Ok(app.install_info().comune),
        ))
    }

    #[test]
    fn an_install_is_created_once_with_its_operator_logged_in() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        assert_eq!(create(&state, "089009").unwrap(), "089009");
        assert!(state.db_path().exists());
        let operator = block_on(state.operator()).unwrap().expect("logged in");
        assert_eq!(operator.username, "prova");
        assert_eq!(
            operator.role,
            Role::Responsabile,
            "a comune's first operator"
        );

        let again = create(&state, "089017").unwrap_err();
        assert_eq!(again.code, "already_initialized");
        // Another window on the same file is not logged in, even though the file exists.
        let other = state_in(dir.path());
        assert_eq!(
            create(&other, "089017").unwrap_err().code,
            "already_initialized"
        );
    }

    #[test]
    fn nothing_is_reached_before_login_nor_after_logout() {
        let dir = tempfile::tempdir().unwrap();
        create(&state_in(dir.path()), "089009").unwrap();

        // A fresh window on the same file: nobody is logged in.
        let state = state_in(dir.path());
        let install_info =
            || block_on(state.with_install(|app| Ok(app.install_info().comune_name)));
        assert_eq!(install_info().unwrap_err().code, "login_required");
        assert!(block_on(state.operator()).unwrap().is_none());

        let refused = block_on(state.login(credentials("password-sbagliata"))).unwrap_err();
        assert_eq!(refused.code, "login_failed");
        assert_eq!(install_info().unwrap_err().code, "login_required");

        let operator = block_on(state.login(credentials(PASSWORD))).unwrap();
        assert_eq!(operator.name.as_deref(), Some("Maria Prova"));
        assert_eq!(install_info().unwrap(), "Floridia");

        block_on(state.logout()).unwrap();
        assert_eq!(install_info().unwrap_err().code, "login_required");
        assert!(block_on(state.operator()).unwrap().is_none());
    }

    #[test]
    fn a_refused_login_logs_out_whoever_was_logged_in() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        create(&state, "089009").unwrap();
        block_on(state.login(credentials("password-sbagliata"))).unwrap_err();
        assert!(block_on(state.operator()).unwrap().is_none());
    }

    #[test]
    fn a_missing_database_is_reported_at_login_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let err = block_on(state.login(credentials(PASSWORD))).unwrap_err();
        assert_eq!(err.code, "db_missing");
        assert!(!state.db_path().exists());
    }

    #[test]
    fn only_printed_documents_may_be_opened() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let pdf = dir.path().join("ricevuta.pdf");
        assert!(!state.was_printed(&pdf));
        state.remember_printed(pdf.clone());
        assert!(state.was_printed(&pdf));
        assert!(!state.was_printed(&dir.path().join("altro.pdf")));
    }
}
