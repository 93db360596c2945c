//! The draft of a new application: what the operator is typing in the window, kept in the
//! install's database (so encrypted with it) across restarts, one per operator. Only its
//! operator reads it back; filing the application from it deletes it (`add_application_json`).
//!
//! The audit trail records a discarded draft, not each save: a draft is saved as it is typed,
//! and what it becomes is recorded when it is filed.

use serde::Serialize;
use sportello_store::StoredDraft;

use super::Intake;
use crate::{AppError, ErrorCode, Result, now};

/// The largest draft kept. A form with a large household is a few kilobytes: more is not a
/// form being typed.
pub const DRAFT_MAX_BYTES: usize = 64 * 1024;

/// The operator's draft as the window gets it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct DraftView {
    /// The window's form as JSON, as it was typed.
    pub draft: String,
    /// When it was last saved (RFC 3339).
    pub updated_at: String,
}

impl From<StoredDraft> for DraftView {
    fn from(d: StoredDraft) -> Self {
        Self {
            draft: d.draft,
            updated_at: d.updated_at,
        }
    }
}

impl Intake<'_> {
    /// Keeps `json` (the window's form, a JSON object) as the operator's draft, replacing the
    /// one they had.
    pub fn save_draft(&mut self, json: &str) -> Result<DraftView> {
        self.require(crate::Action::FileApplications)?;
        if json.len() > DRAFT_MAX_BYTES {
            return Err(AppError::new(
                ErrorCode::DraftTooLarge,
                format!(
                    "la bozza è troppo grande per essere conservata ({} KB, al massimo {} KB): \
                     una domanda, anche con un nucleo familiare numeroso, ne occupa pochi",
                    json.len().div_ceil(1024),
                    DRAFT_MAX_BYTES / 1024
                ),
            ));
        }
        if serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json).is_err() {
            return Err(AppError::new(
                ErrorCode::JsonInvalid,
                "la bozza non è un modulo di domanda leggibile: non è stata conservata",
            ));
        }
        let saved = self.store.save_draft(json, now(), &self.actor)?;
        Ok(saved.into())
    }

    /// The operator's own draft, if they have one.
    pub fn draft(&self) -> Result<Option<DraftView>> {
        self.require(crate::Action::FileApplications)?;
        Ok(self.store.draft_of(&self.actor)?.map(DraftView::from))
    }

    /// Discards the operator's draft; `false` when there was none.
    pub fn discard_draft(&mut self) -> Result<bool> {
        self.require(crate::Action::FileApplications)?;
        let actor = self.actor.clone();
        Ok(self.0.store.discard_draft(now(), &actor)?)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::DRAFT_MAX_BYTES;
    use crate::intake::one_form::tests::{comune_with_bando, form};
    use crate::{NewOperator, Role};

    fn discards(app: &mut crate::Sportello) -> usize {
        app.audit()
            .list(&Default::default())
            .unwrap()
            .iter()
            .filter(|e| e.action == "draft_discard")
            .count()
    }

    #[test]
    fn a_draft_is_kept_per_operator_and_discarded_with_one_audit_entry() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = comune_with_bando(dir.path());
        assert_eq!(app.intake().draft().unwrap(), None);
        let typed = json!({ "applicant": { "surname": "Rossi", "name": "Mario" } }).to_string();
        let saved = app.intake().save_draft(&typed).unwrap();
        assert_eq!(saved.draft, typed);
        let again = json!({ "applicant": { "surname": "Rossi", "name": "Maria" } }).to_string();
        app.intake().save_draft(&again).unwrap();
        assert_eq!(app.intake().draft().unwrap().unwrap().draft, again);
        assert_eq!(discards(&mut app), 0);

        assert!(app.intake().discard_draft().unwrap());
        assert_eq!(app.intake().draft().unwrap(), None);
        assert_eq!(discards(&mut app), 1);
        assert!(!app.intake().discard_draft().unwrap());
        assert_eq!(discards(&mut app), 1);
    }

    #[test]
    fn absurd_drafts_are_refused_in_italian() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = comune_with_bando(dir.path());
        let huge = json!({ "override_note": "x".repeat(DRAFT_MAX_BYTES) }).to_string();
        let err = app.intake().save_draft(&huge).unwrap_err();
        assert_eq!(err.code, "draft_too_large");
        assert!(err.message.contains("troppo grande"), "{}", err.message);
        let err = app.intake().save_draft("[1, 2]").unwrap_err();
        assert_eq!(err.code, "json_invalid");
        assert_eq!(app.intake().draft().unwrap(), None);
    }

    #[test]
    fn filing_from_the_window_deletes_the_draft_and_a_refusal_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = comune_with_bando(dir.path());
        let mut wrong = form();
        wrong["applicant"]["surname"] = json!(" ");
        app.intake().save_draft(&wrong.to_string()).unwrap();
        app.intake()
            .add_application_json(&wrong.to_string())
            .unwrap_err();
        assert!(app.intake().draft().unwrap().is_some());

        app.intake().save_draft(&form().to_string()).unwrap();
        app.intake()
            .add_application_json(&form().to_string())
            .unwrap();
        assert_eq!(app.intake().draft().unwrap(), None);
        // Filing is the record of what the draft became: no discard entry.
        assert_eq!(discards(&mut app), 0);
    }

    #[test]
    fn only_who_files_applications_keeps_a_draft_and_each_sees_only_their_own() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = comune_with_bando(dir.path());
        app.intake().save_draft("{}").unwrap();
        for (username, role) in [("sportello", Role::Operatore), ("revisore", Role::Revisore)] {
            app.operators()
                .add(&NewOperator {
                    username: username.into(),
                    name: None,
                    role,
                    password: "una password lunga".into(),
                })
                .unwrap();
        }
        let db = app.db_path().to_path_buf();
        drop(app);
        let as_ = |username: &str| {
            crate::Sportello::open(
                &db,
                &crate::Credentials {
                    username: username.into(),
                    password: "una password lunga".into(),
                },
            )
            .unwrap()
        };
        let mut desk = as_("sportello");
        assert_eq!(desk.intake().draft().unwrap(), None);
        desk.intake().save_draft(r#"{"mine":true}"#).unwrap();
        drop(desk);
        let mut revisore = as_("revisore");
        for err in [
            revisore.intake().draft().unwrap_err(),
            revisore.intake().save_draft("{}").unwrap_err(),
            revisore.intake().discard_draft().unwrap_err(),
        ] {
            assert_eq!(err.code, "role_refused");
        }
    }
}
