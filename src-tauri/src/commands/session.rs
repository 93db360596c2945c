//! Who is at the keyboard: logging in and out, and the session the window shows (the operator,
//! and how long the window waits without keyboard or mouse before it locks).

use serde::Serialize;
use sportello_app::{Credentials, Operator};

use tauri::State;

use crate::error::CommandError;
use crate::state::DesktopState;

/// Minutes without keyboard or mouse activity after which the window locks (back to the login
/// screen, the operator logged out).
pub const IDLE_MINUTES: u32 = 15;

/// The operator logged in, as the window shows them.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Session {
    pub operator: Operator,
    /// Minutes without activity before the window locks.
    pub idle_minutes: u32,
}

impl Session {
    pub fn of(operator: Operator) -> Self {
        Self {
            operator,
            idle_minutes: IDLE_MINUTES,
        }
    }
}

/// Opens the install as `username`. A wrong username or password gets one answer, never which
/// of the two was wrong.
#[tauri::command]
pub async fn login(
    state: State<'_, DesktopState>,
    username: String,
    password: String,
) -> Result<Session, CommandError> {
    let credentials = Credentials {
        username: username.trim().to_string(),
        password,
    };
    state.login(credentials).await.map(Session::of)
}

/// A responsabile (or coordinatore) who lost their password sets a new one with the install's
/// recovery key, and is logged in.
#[tauri::command]
pub async fn recover(
    state: State<'_, DesktopState>,
    username: String,
    recovery_key: String,
    new_password: String,
) -> Result<Session, CommandError> {
    state
        .recover(username.trim().to_string(), recovery_key, new_password)
        .await
        .map(Session::of)
}

/// Closes the install: the window goes back to the login screen.
#[tauri::command]
pub async fn logout(state: State<'_, DesktopState>) -> Result<(), CommandError> {
    state.logout().await
}

/// The operator logged in, if any (`null` before login and after logout).
#[tauri::command]
pub async fn session(state: State<'_, DesktopState>) -> Result<Option<Session>, CommandError> {
    Ok(state.operator().await?.map(Session::of))
}
