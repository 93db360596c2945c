//! The install's operators: who may log in, with which role. Passwords arrive already hashed
//! (the app hashes them); this module never sees one in clear.

use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use sportello_domain::Role;

use crate::audit::{self, Actor};
use crate::{Result, Store, StoreError};

/// An operator as listed: never the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Operator {
    pub username: String,
    pub name: Option<String>,
    pub role: Role,
    pub disabled: bool,
}

/// What logging in needs to know of an operator.
#[derive(Debug, Clone)]
pub struct Login {
    pub operator: Operator,
    pub password_hash: String,
    /// Failed attempts since the last good one, and when the last failed.
    pub failures: u32,
    pub last_failure_at: Option<DateTime<FixedOffset>>,
}

fn role_of(text: &str, username: &str) -> Result<Role> {
    Role::parse(text)
        .ok_or_else(|| StoreError::Corrupt(format!("operators/{username}, colonna role: «{text}»")))
}

impl Store {
    /// Adds an operator; `Ok(false)` when the username is taken.
    pub fn add_operator(
        &mut self,
        operator: &Operator,
        password_hash: &str,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let added = tx.execute(
            "INSERT INTO operators (username, name, role, password_hash, created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (username) DO NOTHING",
            params![
                operator.username,
                operator.name,
                operator.role.as_str(),
                password_hash,
                at.to_rfc3339(),
                actor.0
            ],
        )? == 1;
        if added {
            audit::log(
                &tx,
                at,
                actor,
                "operator_add",
                "operator",
                Some(&operator.username),
                serde_json::json!({ "role": operator.role.as_str() }),
            )?;
        }
        tx.commit()?;
        Ok(added)
    }

    pub fn operators(&self) -> Result<Vec<Operator>> {
        let mut stmt = self.conn.prepare(
            "SELECT username, name, role, disabled FROM operators ORDER BY disabled, username",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>("username")?,
                r.get::<_, Option<String>>("name")?,
                r.get::<_, String>("role")?,
                r.get::<_, bool>("disabled")?,
            ))
        })?;
        rows.map(|row| {
            let (username, name, role, disabled) = row?;
            Ok(Operator {
                role: role_of(&role, &username)?,
                username,
                name,
                disabled,
            })
        })
        .collect()
    }

    /// What logging in as `username` checks, if there is such an operator.
    pub fn login_of(&self, username: &str) -> Result<Option<Login>> {
        let row = self
            .conn
            .query_row(
                "SELECT username, name, role, disabled, password_hash, failures, last_failure_at
                 FROM operators WHERE username = ?1",
                [username],
                |r| {
                    Ok((
                        r.get::<_, String>("username")?,
                        r.get::<_, Option<String>>("name")?,
                        r.get::<_, String>("role")?,
                        r.get::<_, bool>("disabled")?,
                        r.get::<_, String>("password_hash")?,
                        r.get::<_, u32>("failures")?,
                        r.get::<_, Option<String>>("last_failure_at")?,
                    ))
                },
            )
            .optional()?;
        let Some((username, name, role, disabled, password_hash, failures, last)) = row else {
            return Ok(None);
        };
        let last_failure_at = last
            .map(|t| {
                DateTime::parse_from_rfc3339(&t).map_err(|_| {
                    StoreError::Corrupt(format!(
                        "operators/{username}, colonna last_failure_at: «{t}»"
                    ))
                })
            })
            .transpose()?;
        Ok(Some(Login {
            operator: Operator {
                role: role_of(&role, &username)?,
                username,
                name,
                disabled,
            },
            password_hash,
            failures,
            last_failure_at,
        }))
    }

    /// Records the outcome of a login: a failure counts (and is audited), a success resets.
    pub fn record_login(
        &mut self,
        username: &str,
        succeeded: bool,
        at: DateTime<FixedOffset>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        if succeeded {
            tx.execute(
                "UPDATE operators SET failures = 0, last_failure_at = NULL WHERE username = ?1",
                [username],
            )?;
        } else {
            tx.execute(
                "UPDATE operators SET failures = failures + 1, last_failure_at = ?2
                 WHERE username = ?1",
                params![username, at.to_rfc3339()],
            )?;
            audit::log(
                &tx,
                at,
                &Actor(username.to_string()),
                "login_failed",
                "operator",
                Some(username),
                serde_json::json!({}),
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Sets an operator's password hash, audited as `action`; `enable` also lets a disabled
    /// operator in again (a reset by a responsabile).
    pub fn set_password(
        &mut self,
        username: &str,
        password_hash: &str,
        (action, enable): (&str, bool),
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE operators SET password_hash = ?2, failures = 0, last_failure_at = NULL,
             disabled = CASE WHEN ?3 THEN 0 ELSE disabled END WHERE username = ?1",
            params![username, password_hash, enable],
        )? == 1;
        if changed {
            audit::log(
                &tx,
                at,
                actor,
                action,
                "operator",
                Some(username),
                serde_json::json!({}),
            )?;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Disables an operator: it can no longer log in; what it did stays in the audit trail.
    pub fn disable_operator(
        &mut self,
        username: &str,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE operators SET disabled = 1 WHERE username = ?1 AND disabled = 0",
            [username],
        )? == 1;
        if changed {
            audit::log(
                &tx,
                at,
                actor,
                "operator_disable",
                "operator",
                Some(username),
                serde_json::json!({}),
            )?;
        }
        tx.commit()?;
        Ok(changed)
    }
}
