//! The install's operators: logging in, each operator's role, and their management by a
//! responsabile (or the capofila's coordinatore). Every use case checks the role through
//! [`Sportello::require`], against the permission table of `sportello_domain::roles`.

use std::time::Duration;

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use sportello_domain::roles::{Action, Role, check_new_password, check_username, roles_allowed};
pub use sportello_store::Operator;
use sportello_store::{Actor, DbKey, Store};

use crate::vault::{Slots, Unlocked};
use crate::{AppError, ErrorCode, Result, Sportello, now};

crate::area!(
    /// The install's operators.
    Operators,
    operators
);

/// Who is logging in.
#[derive(Clone)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({})", self.username)
    }
}

/// An operator to create, with the password they chose.
#[derive(Clone)]
pub struct NewOperator {
    pub username: String,
    pub name: Option<String>,
    pub role: Role,
    pub password: String,
}

/// From the third failed attempt in a row, each waits twice as long as the one before, up to
/// five minutes: guessing is slowed, a typo costs nothing.
pub(crate) fn wait_after(failures: u32) -> Duration {
    if failures < 3 {
        return Duration::ZERO;
    }
    Duration::from_secs((1u64 << (failures - 2).min(9)).min(300))
}

fn refused_login() -> AppError {
    AppError::new(
        ErrorCode::LoginFailed,
        "accesso negato: nome utente o password non corretti",
    )
}

/// Opens the install at `db` as the operator `credentials` name: their password unwraps the
/// database key from their slot, and the database confirms the slot is theirs and current.
pub(crate) fn log_in(
    db: &Path,
    credentials: &Credentials,
    at: DateTime<FixedOffset>,
) -> Result<(Store, DbKey, Operator)> {
    let username = credentials.username.as_str();
    let mut slots = Slots::load(db)?;
    let attempts = slots.attempts(username);
    let wait = wait_after(attempts.failures);
    if let Some(last) = attempts.last_failure_at {
        let since = (at - last).to_std().unwrap_or_default();
        if since < wait {
            let seconds = (wait - since).as_secs().max(1);
            return Err(AppError::new(
                ErrorCode::LoginThrottled,
                format!(
                    "troppi tentativi di accesso errati per {username}: riprovare tra {seconds} \
                     secondi"
                ),
            ));
        }
    }
    let (key, slot) = match slots.unlock(username, &credentials.password) {
        Unlocked::Key(key, slot) => (key, slot),
        Unlocked::NoSuchOperator => return Err(refused_login()),
        Unlocked::Disabled => return Err(disabled(username)),
        Unlocked::WrongPassword => {
            slots.record_failure(username, at)?;
            return Err(refused_login());
        }
    };
    let store = Store::open(db, &key)?;
    store.require_install()?;
    let login = store.login_of(username)?.ok_or_else(refused_login)?;
    if login.operator.disabled {
        return Err(disabled(username));
    }
    if login.key_slot.as_deref() != Some(slot.as_str()) {
        // A slot from before this operator's last password change: it opens the file, but
        // the password it was made with is no longer theirs.
        return Err(refused_login());
    }
    let failed = slots.clear_failures(username)?;
    if failed.failures > 0 {
        store.audit(
            at,
            &Actor(username.to_string()),
            "login_failed",
            "operator",
            Some(username),
            serde_json::json!({
                "failures": failed.failures,
                "last_failure_at": failed.last_failure_at.map(|t| t.to_rfc3339()),
            }),
        )?;
    }
    Ok((store, key, login.operator))
}

fn disabled(username: &str) -> AppError {
    AppError::new(
        ErrorCode::OperatorDisabled,
        format!(
            "l'operatore {username} è disattivato: un responsabile può riattivarlo con una nuova \
             password"
        ),
    )
}

/// Checks a new operator's username and password.
pub(crate) fn check_new(new: &NewOperator) -> Result<()> {
    check_username(&new.username).map_err(|e| AppError::new(ErrorCode::OperatorInvalid, e))?;
    check_new_password(&new.password).map_err(|e| AppError::new(ErrorCode::PasswordWeak, e))
}

impl Sportello {
    /// Gives `username` a slot for `password`, written before the database names it: a crash
    /// between the two leaves a password that opens nothing, which a reset (or the recovery
    /// key) mends; never a password that opens what it should not.
    fn write_slot(&self, username: &str, password: &str) -> Result<String> {
        let mut slots = Slots::load(&self.db_path)?;
        let id = slots.set_operator(username, password, &self.db_key);
        slots.save()?;
        Ok(id)
    }

    /// The logged-in operator's new password, audited as `action` (`enable`: a recovery also
    /// lets a disabled responsabile in again).
    pub(crate) fn set_own_password(
        &mut self,
        new_password: &str,
        action: (&str, bool),
    ) -> Result<()> {
        check_new_password(new_password).map_err(|e| AppError::new(ErrorCode::PasswordWeak, e))?;
        let username = self.operator.username.clone();
        let slot = self.write_slot(&username, new_password)?;
        self.store
            .set_key_slot(&username, &slot, action, now(), &self.actor)?;
        Ok(())
    }

    /// Refuses, naming the roles that may, unless the operator's role allows `action`.
    pub(crate) fn require(&self, action: Action) -> Result<()> {
        if self.operator.role.allows(action) {
            return Ok(());
        }
        let allowed = roles_allowed(action);
        let roles: Vec<&str> = allowed.iter().map(|r| r.as_str()).collect();
        let only_capofila = if allowed.iter().all(|r| r.capofila_only()) {
            format!(
                ", che ha solo il comune capofila ({})",
                self.install.district.capofila
            )
        } else {
            String::new()
        };
        Err(AppError::new(
            ErrorCode::RoleRefused,
            format!(
                "{} richiede il ruolo {}{only_capofila}; l'operatore {} ha il ruolo {}",
                capitalised(action.label_it()),
                roles.join(" o "),
                self.operator.username,
                self.operator.role.as_str()
            ),
        ))
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

impl Operators<'_> {
    /// Adds an operator with a role (a coordinatore only at the capofila).
    pub fn add(&mut self, new: &NewOperator) -> Result<Operator> {
        self.require(Action::ManageOperators)?;
        check_new(new)?;
        if new.role.capofila_only() && !self.install.is_capofila() {
            return Err(AppError::new(
                ErrorCode::OperatorInvalid,
                "il ruolo coordinatore esiste solo al comune capofila",
            ));
        }
        let operator = Operator {
            username: new.username.clone(),
            name: new.name.clone().filter(|n| !n.trim().is_empty()),
            role: new.role,
            disabled: false,
        };
        if self.store.login_of(&new.username)?.is_some() {
            return Err(AppError::new(
                ErrorCode::OperatorInvalid,
                format!("esiste già un operatore {}", new.username),
            ));
        }
        let slot = self.0.write_slot(&new.username, &new.password)?;
        self.0
            .store
            .add_operator(&operator, &slot, now(), &self.0.actor)?;
        Ok(operator)
    }

    pub fn list(&self) -> Result<Vec<Operator>> {
        self.require(Action::ManageOperators)?;
        Ok(self.store.operators()?)
    }

    /// Disables an operator (not oneself): they can no longer log in.
    pub fn disable(&mut self, username: &str) -> Result<()> {
        self.require(Action::ManageOperators)?;
        if username == self.operator.username {
            return Err(AppError::new(
                ErrorCode::OperatorInvalid,
                "non si può disattivare sé stessi: lo fa un altro responsabile",
            ));
        }
        if !self
            .0
            .store
            .disable_operator(username, now(), &self.0.actor)?
        {
            return Err(unknown_or_disabled(username));
        }
        // Their password no longer opens the database either.
        let mut slots = Slots::load(&self.db_path)?;
        slots.disable_operator(username);
        slots.save()
    }

    /// The logged-in operator sets a new password.
    pub fn change_password(&mut self, new_password: &str) -> Result<()> {
        self.0
            .set_own_password(new_password, ("password_change", false))
    }

    /// A responsabile sets a new password for another operator (who had forgotten theirs, or
    /// was disabled: a reset lets them in again).
    pub fn reset_password(&mut self, username: &str, new_password: &str) -> Result<()> {
        self.require(Action::ManageOperators)?;
        check_new_password(new_password).map_err(|e| AppError::new(ErrorCode::PasswordWeak, e))?;
        if self.store.login_of(username)?.is_none() {
            return Err(unknown_or_disabled(username));
        }
        let slot = self.0.write_slot(username, new_password)?;
        self.0.store.set_key_slot(
            username,
            &slot,
            ("password_reset", true),
            now(),
            &self.0.actor,
        )?;
        Ok(())
    }
}

fn unknown_or_disabled(username: &str) -> AppError {
    AppError::new(
        ErrorCode::OperatorInvalid,
        format!("nessun operatore {username} (attivo) in questa installazione"),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The first operator of the installs in this crate's tests.
    pub(crate) fn first() -> NewOperator {
        NewOperator {
            username: "prova".into(),
            name: None,
            role: Role::Responsabile,
            password: "password-di-prova".into(),
        }
    }

    #[test]
    fn failures_slow_the_next_attempt_down_from_the_third() {
        assert_eq!(wait_after(0), Duration::ZERO);
        assert_eq!(wait_after(2), Duration::ZERO);
        assert_eq!(wait_after(3), Duration::from_secs(2));
        assert_eq!(wait_after(4), Duration::from_secs(4));
        assert_eq!(wait_after(30), Duration::from_secs(300));
    }
}
