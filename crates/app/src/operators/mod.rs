//! The install's operators: logging in, each operator's role, and their management by a
//! responsabile (or the capofila's coordinatore). Every use case checks the role through
//! [`Sportello::require`], against the permission table of `sportello_domain::roles`.

pub(crate) mod password;

use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use sportello_domain::roles::{Action, Role, check_new_password, check_username, roles_allowed};
pub use sportello_store::Operator;

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

/// Checks `credentials` against the install's operators: the operator, or why not.
pub(crate) fn authenticate(
    store: &mut sportello_store::Store,
    credentials: &Credentials,
    at: DateTime<FixedOffset>,
) -> Result<Operator> {
    if store.operators()?.is_empty() {
        return claim(store, credentials, at);
    }
    let Some(login) = store.login_of(&credentials.username)? else {
        // The same answer, after the same work, as a wrong password: whether a username
        // exists is not told.
        password::verify(&password::hash("-"), &credentials.password);
        return Err(refused_login());
    };
    let wait = wait_after(login.failures);
    if let Some(last) = login.last_failure_at {
        let since = (at - last).to_std().unwrap_or_default();
        if since < wait {
            let seconds = (wait - since).as_secs().max(1);
            return Err(AppError::new(
                ErrorCode::LoginThrottled,
                format!(
                    "troppi tentativi di accesso errati per {}: riprovare tra {seconds} secondi",
                    credentials.username
                ),
            ));
        }
    }
    if !password::verify(&login.password_hash, &credentials.password) {
        store.record_login(&credentials.username, false, at)?;
        return Err(refused_login());
    }
    if login.operator.disabled {
        return Err(AppError::new(
            ErrorCode::OperatorDisabled,
            format!(
                "l'operatore {} è disattivato: un responsabile può riattivarlo con una nuova \
                 password",
                credentials.username
            ),
        ));
    }
    if login.failures > 0 {
        store.record_login(&credentials.username, true, at)?;
    }
    Ok(login.operator)
}

/// A database made before operators existed has none: its first login claims it, as its
/// responsabile (the coordinatore at the capofila). Such a database was never protected (it
/// is not encrypted either), so claiming it reveals nothing its file did not.
fn claim(
    store: &mut sportello_store::Store,
    credentials: &Credentials,
    at: DateTime<FixedOffset>,
) -> Result<Operator> {
    let install = store.require_install()?;
    let operator = Operator {
        username: credentials.username.clone(),
        name: None,
        role: if install.is_capofila() {
            Role::Coordinatore
        } else {
            Role::Responsabile
        },
        disabled: false,
    };
    check_new(&NewOperator {
        username: operator.username.clone(),
        name: None,
        role: operator.role,
        password: credentials.password.clone(),
    })?;
    let actor = crate::Actor(operator.username.clone());
    store.add_operator(
        &operator,
        &password::hash(&credentials.password),
        at,
        &actor,
    )?;
    Ok(operator)
}

/// Checks a new operator's username and password.
pub(crate) fn check_new(new: &NewOperator) -> Result<()> {
    check_username(&new.username).map_err(|e| AppError::new(ErrorCode::OperatorInvalid, e))?;
    check_new_password(&new.password).map_err(|e| AppError::new(ErrorCode::PasswordWeak, e))
}

impl Sportello {
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
        let hash = password::hash(&new.password);
        if !self
            .0
            .store
            .add_operator(&operator, &hash, now(), &self.0.actor)?
        {
            return Err(AppError::new(
                ErrorCode::OperatorInvalid,
                format!("esiste già un operatore {}", new.username),
            ));
        }
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
        Ok(())
    }

    /// The logged-in operator sets a new password.
    pub fn change_password(&mut self, new_password: &str) -> Result<()> {
        check_new_password(new_password).map_err(|e| AppError::new(ErrorCode::PasswordWeak, e))?;
        let username = self.operator.username.clone();
        let hash = password::hash(new_password);
        self.0.store.set_password(
            &username,
            &hash,
            ("password_change", false),
            now(),
            &self.0.actor,
        )?;
        Ok(())
    }

    /// A responsabile sets a new password for another operator (who had forgotten theirs, or
    /// was disabled: a reset lets them in again).
    pub fn reset_password(&mut self, username: &str, new_password: &str) -> Result<()> {
        self.require(Action::ManageOperators)?;
        check_new_password(new_password).map_err(|e| AppError::new(ErrorCode::PasswordWeak, e))?;
        let hash = password::hash(new_password);
        if !self.0.store.set_password(
            username,
            &hash,
            ("password_reset", true),
            now(),
            &self.0.actor,
        )? {
            return Err(unknown_or_disabled(username));
        }
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
