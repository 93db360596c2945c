//! Who runs the command: the operator's username from `--operator` or `SPORTELLO_OPERATOR`,
//! the password from `SPORTELLO_PASSWORD` or, at a terminal, a prompt that does not echo.
//! A new password (init, operator add, password, reset, recover) from `SPORTELLO_NEW_PASSWORD`,
//! or typed twice; the recovery key from `SPORTELLO_RECOVERY_KEY`, or typed.

use std::io::IsTerminal;
use std::path::Path;

use sportello_app::{AppError, Credentials, ErrorCode, RecoveryKey, Sportello};

fn required(what: &str) -> AppError {
    AppError::new(
        ErrorCode::LoginRequired,
        format!(
            "accesso richiesto: {what} (--operator NOME o SPORTELLO_OPERATOR; la password da \
             SPORTELLO_PASSWORD o digitata al terminale)"
        ),
    )
}

fn from_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn prompt(label: &str) -> Option<String> {
    if !std::io::stdin().is_terminal() {
        return None;
    }
    rpassword::prompt_password(label).ok()
}

/// The username given, or "accesso richiesto".
pub fn username(given: Option<&str>) -> Result<String, AppError> {
    given
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .ok_or_else(|| required("manca il nome dell'operatore"))
}

/// Opens the install as the operator at the keyboard.
pub fn open(db: &Path, operator: Option<&str>) -> Result<Sportello, AppError> {
    let username = username(operator)?;
    let password = from_env("SPORTELLO_PASSWORD")
        .or_else(|| prompt(&format!("Password di {username}: ")))
        .ok_or_else(|| required("manca la password"))?;
    Sportello::open(db, &Credentials { username, password })
}

/// A new password: from `SPORTELLO_NEW_PASSWORD`, or typed twice at a terminal.
pub fn new_password(whose: &str) -> Result<String, AppError> {
    if let Some(password) = from_env("SPORTELLO_NEW_PASSWORD") {
        return Ok(password);
    }
    let first = prompt(&format!(
        "Nuova password per {whose} (almeno 10 caratteri): "
    ))
    .ok_or_else(|| {
        AppError::new(
            ErrorCode::LoginRequired,
            "manca la nuova password: SPORTELLO_NEW_PASSWORD, o digitarla al terminale",
        )
    })?;
    let again = prompt("Ripetere la nuova password: ").unwrap_or_default();
    if again != first {
        return Err(AppError::new(
            ErrorCode::PasswordWeak,
            "le due password digitate sono diverse: nulla è cambiato",
        ));
    }
    Ok(first)
}

/// The install's recovery key: from `SPORTELLO_RECOVERY_KEY`, or typed at a terminal.
pub fn recovery_key() -> Result<RecoveryKey, AppError> {
    let text = from_env("SPORTELLO_RECOVERY_KEY")
        .or_else(|| prompt("Chiave di recupero (dal foglio di recupero): "))
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::RecoveryKeyInvalid,
                "manca la chiave di recupero: SPORTELLO_RECOVERY_KEY, o digitarla al terminale",
            )
        })?;
    RecoveryKey::parse(&text)
}
