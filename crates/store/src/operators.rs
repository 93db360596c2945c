//! The install's operators: who may log in, with which role, and which key slot is theirs.
//! Passwords never reach this module: they wrap the database key in the app's key slots.

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
    /// The id of the key slot that logs this operator in; none once disabled.
    pub key_slot: Option<String>,
}

fn role_of(text: &str, username: &str) -> Result<Role> {
    Role::parse(text)
        .ok_or_else(|| StoreError::Corrupt(format!("operators/{username}, colonna role: «{text}»")))
}

impl Store {
    /// Adds an operator with its key slot; `Ok(false)` when the username is taken.
    pub fn add_operator(
        &mut self,
        operator: &Operator,
        key_slot: &str,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let added = tx.execute(
            "INSERT INTO operators (username, name, role, key_slot, created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (username) DO NOTHING",
            params![
                operator.username,
                operator.name,
                operator.role.as_str(),
                key_slot,
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
                "SELECT username, name, role, disabled, key_slot FROM operators
                 WHERE username = ?1",
                [username],
                |r| {
                    Ok((
                        r.get::<_, String>("username")?,
                        r.get::<_, Option<String>>("name")?,
                        r.get::<_, String>("role")?,
                        r.get::<_, bool>("disabled")?,
                        r.get::<_, Option<String>>("key_slot")?,
                    ))
                },
            )
            .optional()?;
        let Some((username, name, role, disabled, key_slot)) = row else {
            return Ok(None);
        };
        Ok(Some(Login {
            operator: Operator {
                role: role_of(&role, &username)?,
                username,
                name,
                disabled,
            },
            key_slot,
        }))
    }

    /// Names an operator's new key slot (a new password), audited as `action`; `enable` also
    /// lets a disabled operator in again (a reset by a responsabile).
    pub fn set_key_slot(
        &mut self,
        username: &str,
        key_slot: &str,
        (action, enable): (&str, bool),
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE operators SET key_slot = ?2,
             disabled = CASE WHEN ?3 THEN 0 ELSE disabled END
             WHERE username = ?1 AND (?3 OR disabled = 0)",
            params![username, key_slot, enable],
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
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE operators SET disabled = 1, key_slot = NULL
             WHERE username = ?1 AND disabled = 0",
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
