//! Drafts of new applications: one per operator, the form as the window holds it while it is
//! typed, so that a restart loses nothing. Local working material: never synchronised. Saving
//! is not audited (it happens as the operator types); discarding one is.

use chrono::{DateTime, FixedOffset};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::audit::{self, Actor};
use crate::{Result, Store};

/// An operator's draft as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDraft {
    /// The window's form as JSON, as typed.
    pub draft: String,
    /// When it was last saved (RFC 3339, the install's clock).
    pub updated_at: String,
}

impl Store {
    /// Keeps `draft` as `actor`'s draft, replacing the one they had.
    pub fn save_draft(
        &self,
        draft: &str,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<StoredDraft> {
        let updated_at = at.to_rfc3339();
        self.conn.execute(
            "INSERT INTO application_drafts (operator, draft, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (operator) DO UPDATE SET draft = excluded.draft,
             updated_at = excluded.updated_at",
            params![actor.0, draft, updated_at],
        )?;
        Ok(StoredDraft {
            draft: draft.to_string(),
            updated_at,
        })
    }

    /// `actor`'s draft, if they have one.
    pub fn draft_of(&self, actor: &Actor) -> Result<Option<StoredDraft>> {
        Ok(self
            .conn
            .query_row(
                "SELECT draft, updated_at FROM application_drafts WHERE operator = ?1",
                [&actor.0],
                |r| {
                    Ok(StoredDraft {
                        draft: r.get("draft")?,
                        updated_at: r.get("updated_at")?,
                    })
                },
            )
            .optional()?)
    }

    /// Discards `actor`'s draft, recording that they did (never what it held); `false` when
    /// there was none, and nothing is recorded.
    pub fn discard_draft(&mut self, at: DateTime<FixedOffset>, actor: &Actor) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let discarded = delete_draft(&tx, actor)?;
        if discarded {
            audit::log(
                &tx,
                at,
                actor,
                "draft_discard",
                "application_draft",
                Some(&actor.0),
                serde_json::json!({}),
            )?;
        }
        tx.commit()?;
        Ok(discarded)
    }
}

/// Deletes `actor`'s draft within the caller's transaction; whether there was one.
pub(crate) fn delete_draft(conn: &Connection, actor: &Actor) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM application_drafts WHERE operator = ?1",
        [&actor.0],
    )? == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn discards(store: &Store) -> i64 {
        store
            .connection()
            .query_row(
                "SELECT count(*) FROM audit_log WHERE action = 'draft_discard'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    #[test]
    fn one_draft_per_operator_replaced_as_it_is_typed_and_discarded_once() {
        let mut store = Store::open_in_memory().unwrap();
        let rossi = Actor("rossi".into());
        let bianchi = Actor("bianchi".into());
        assert_eq!(store.draft_of(&rossi).unwrap(), None);

        store
            .save_draft(r#"{"a":1}"#, at("2026-03-02T10:41:00+01:00"), &rossi)
            .unwrap();
        store
            .save_draft(r#"{"a":2}"#, at("2026-03-02T10:42:00+01:00"), &rossi)
            .unwrap();
        store
            .save_draft(r#"{"b":1}"#, at("2026-03-02T10:43:00+01:00"), &bianchi)
            .unwrap();
        let held = store.draft_of(&rossi).unwrap().unwrap();
        assert_eq!(held.draft, r#"{"a":2}"#);
        assert_eq!(held.updated_at, "2026-03-02T10:42:00+01:00");
        // Typing leaves no trace in the audit trail.
        assert_eq!(discards(&store), 0);
        let entries: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
            .unwrap();
        assert_eq!(entries, 0);

        assert!(
            store
                .discard_draft(at("2026-03-02T10:44:00+01:00"), &rossi)
                .unwrap()
        );
        assert_eq!(store.draft_of(&rossi).unwrap(), None);
        assert_eq!(discards(&store), 1);
        // Nothing left to discard: nothing recorded.
        assert!(
            !store
                .discard_draft(at("2026-03-02T10:45:00+01:00"), &rossi)
                .unwrap()
        );
        assert_eq!(discards(&store), 1);
        // Another operator's draft is untouched.
        assert_eq!(
            store.draft_of(&bianchi).unwrap().unwrap().draft,
            r#"{"b":1}"#
        );
    }
}
