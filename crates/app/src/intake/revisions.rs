//! An application's history: its revisions and what changed between them, and the correction
//! that makes a new one (with its reason, audited). Earlier revisions never change.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use sportello_domain::{ApplicationForm, Bando, FactorLabel};
use sportello_store::{Correction, Revision, Withdrawal};

use super::Intake;
use super::forms::{parse_one_form, refused};
use super::listing::ApplicationView;
use crate::ranking::{PublishedRow, Stage};
use crate::{AppError, ErrorCode, Problem, Result, now};

/// One application as it stands, with every revision (`application show`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ApplicationDetail {
    pub application: ApplicationView,
    /// The current revision as a form: the JSON shape `application add` and
    /// `application correct` take, ready to be corrected.
    pub form: ApplicationForm,
    /// First (as filed) to last.
    pub revisions: Vec<RevisionView>,
    /// Filed at this install's comune: only there is it corrected, withdrawn, reprinted.
    pub own: bool,
    /// The applicant's withdrawal, in force or annulled (with its reason).
    pub withdrawal: Option<Withdrawal>,
    /// Its line in the latest published ranking held here (at a comune: the one the capofila
    /// sent), with the breakdown's factors as that version's bando names them.
    pub published: Option<PublishedLine>,
}

/// An application's line in a published ranking.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct PublishedLine {
    pub number: i64,
    pub stage: Stage,
    pub published_at: String,
    pub row: PublishedRow,
    pub factors: Vec<FactorLabel>,
}

/// One revision: who recorded it, when, why, and what it changed from the one before.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct RevisionView {
    pub revision: i64,
    pub recorded_at: String,
    pub operator: String,
    /// `None` for the application as filed.
    pub reason: Option<String>,
    /// Empty for the first revision.
    pub changes: Vec<FieldChange>,
}

/// A field whose value differs between two revisions: its path in the form's JSON shape
/// (`applicant.birth_date`, `household[1].dependent_minor`, `isee.value`) and both values
/// (`null` where the field was absent).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct FieldChange {
    pub field: String,
    pub before: Value,
    pub after: Value,
}

/// What a correction gave the application.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Corrected {
    pub application_code: String,
    pub case_number: String,
    pub revision: i64,
    pub warnings: Vec<Problem>,
}

impl Intake<'_> {
    /// The application `code` with its revisions and what each changed.
    pub fn application_detail(&self, code: &str) -> Result<ApplicationDetail> {
        self.require(crate::Action::ReadApplications)?;
        let stored = self
            .store
            .application_by_code(code)?
            .ok_or_else(|| unknown(code))?;
        let bando = stored.application.bando.clone();
        let revisions = self.store.revisions(code)?;
        let forms: Vec<Value> = revisions.iter().map(|r| form_json(&bando, r)).collect();
        let views: Vec<RevisionView> = revisions
            .iter()
            .enumerate()
            .map(|(i, r)| RevisionView {
                revision: r.revision,
                recorded_at: r.recorded_at.clone(),
                operator: r.operator.clone(),
                reason: r.reason.clone(),
                changes: match i {
                    0 => Vec::new(),
                    _ => changes(&forms[i - 1], &forms[i]),
                },
            })
            .collect();
        let form = ApplicationForm {
            bando,
            filed_at: Some(stored.application.filed_at),
            declaration: stored.application.declaration.clone(),
            override_note: stored.override_note.clone(),
            protocol_number: stored.protocol_number.clone(),
        };
        let published = self.published_outcomes()?.get(code).copied();
        let withdrawal = self.store.withdrawal(code)?;
        let line = self.published_line(&stored.application.bando, code)?;
        self.audit_read(
            "application_show",
            "application",
            Some(&stored.id.to_string()),
            serde_json::json!({
                "application_code": stored.application.code, "revisions": views.len(),
            }),
        )?;
        Ok(ApplicationDetail {
            own: stored.owner == self.install.comune,
            application: self.view(stored, published, withdrawal.clone()),
            form,
            revisions: views,
            withdrawal,
            published: line,
        })
    }

    /// Corrects this comune's application `code` with the whole form as it should now read
    /// (the JSON shape of `application add`, one object) and the reason: a new revision,
    /// checked like a new application. Refused, with nothing stored, when anything is wrong.
    pub fn correct_application(
        &mut self,
        code: &str,
        json: &str,
        reason: &str,
    ) -> Result<Corrected> {
        self.correct_for_objection(code, json, reason, None)
    }

    /// [`Self::correct_application`], carrying out the accepted objection `objection` of the
    /// application when given: the objection is marked applied with the new revision, in the
    /// same transaction.
    pub fn correct_for_objection(
        &mut self,
        code: &str,
        json: &str,
        reason: &str,
        objection: Option<&str>,
    ) -> Result<Corrected> {
        self.require(crate::Action::CorrectApplications)?;
        let at = now();
        let stored = self.owned(code, "correggerla")?;
        if let Some(w) = self.store.withdrawal(code)?.filter(|w| w.in_force()) {
            return Err(AppError::new(
                ErrorCode::ApplicationWithdrawn,
                format!(
                    "la domanda {code} è stata ritirata dal richiedente (rinuncia del {}): non \
                     si corregge; se la rinuncia è stata registrata per errore, annullarla prima",
                    w.withdrawn_on.format("%d/%m/%Y")
                ),
            ));
        }
        if let Some(id) = objection {
            self.objection_to_apply(code, id)?;
        }
        if reason.trim().is_empty() {
            return Err(AppError::new(
                ErrorCode::ReasonMissing,
                "manca il motivo della correzione: è obbligatorio e resta nello storico della \
                 domanda",
            ));
        }
        if let Some(p) = sportello_domain::intake::check_text("reason", reason, true) {
            return Err(AppError::new(
                p.code.parse().unwrap_or(ErrorCode::InputRefused),
                format!("motivo della correzione: {}", p.message),
            ));
        }
        let parsed = parse_one_form(json)?.map_err(refused)?;
        let mut check = self.check_parsed(
            &parsed.form,
            &parsed.record,
            parsed.naming,
            &parsed.missing,
            at,
            Some(code),
        );
        if parsed.form.bando != stored.application.bando {
            check.problems.push(Problem {
                record: parsed.record.clone(),
                field: parsed.naming.field("bando"),
                code: "bando_changed".into(),
                message: format!(
                    "una correzione non cambia il bando: la domanda {code} è del bando {}",
                    stored.application.bando
                ),
            });
        }
        if !check.problems.is_empty() {
            return Err(refused(check.problems));
        }
        let form = parsed.form;
        let revision = self.0.store.correct_application(
            code,
            &Correction {
                // Without a date, the correction keeps the filing date: it is not a new filing.
                filed_at: form.filed_at.unwrap_or(stored.application.filed_at),
                declaration: form.declaration,
                override_note: form.override_note.filter(|n| !n.trim().is_empty()),
                protocol_number: form.protocol_number,
                reason: reason.trim().to_string(),
                objection: objection.map(str::to_string),
            },
            at,
            &self.0.actor,
        )?;
        Ok(Corrected {
            application_code: code.to_string(),
            case_number: stored.case_number,
            revision,
            warnings: check.warnings,
        })
    }
}

impl Intake<'_> {
    /// The application's line in the latest published ranking of its bando, if it has one.
    fn published_line(&self, bando: &str, code: &str) -> Result<Option<PublishedLine>> {
        let Some(latest) = self.latest_ranking_shared(bando)? else {
            return Ok(None);
        };
        // The labels of the rules the version was computed with, frozen with it.
        let factors = Bando::from_toml(&latest.bando_toml)
            .map(|b| b.rules.factor_labels())
            .unwrap_or_default();
        let ranking = &latest.ranking;
        Ok(ranking
            .rows
            .iter()
            .find(|r| r.application_code == code)
            .map(|row| PublishedLine {
                number: ranking.number,
                stage: ranking.stage,
                published_at: ranking.published_at.clone(),
                row: row.clone(),
                factors,
            }))
    }
}

pub(super) fn unknown(code: &str) -> AppError {
    AppError::new(
        ErrorCode::UnknownApplication,
        format!("la domanda {code} non esiste in questa installazione: controllare il codice"),
    )
}

/// A revision in the form's JSON shape, so changes are named by the paths operators know.
fn form_json(bando: &str, r: &Revision) -> Value {
    serde_json::to_value(ApplicationForm {
        bando: bando.to_string(),
        filed_at: Some(r.filed_at),
        declaration: r.declaration.clone(),
        override_note: r.override_note.clone(),
        protocol_number: r.protocol_number.clone(),
    })
    .expect("a form always serialises")
}

/// Every field whose value differs between `before` and `after`, in path order.
fn changes(before: &Value, after: &Value) -> Vec<FieldChange> {
    let (mut old, mut new) = (BTreeMap::new(), BTreeMap::new());
    flatten("", before, &mut old);
    flatten("", after, &mut new);
    let mut fields: Vec<&String> = old.keys().chain(new.keys()).collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter_map(|field| {
            let before = old.get(field).cloned().unwrap_or(Value::Null);
            let after = new.get(field).cloned().unwrap_or(Value::Null);
            (before != after).then(|| FieldChange {
                field: field.clone(),
                before,
                after,
            })
        })
        .collect()
}

/// The scalar leaves of `value` by path: `a.b`, `list[0].c`.
fn flatten(path: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let p = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                flatten(&p, v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{path}[{i}]"), v, out);
            }
        }
        Value::Null => {}
        scalar => {
            out.insert(path.to_string(), scalar.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn changes_name_each_field_by_its_path() {
        let before = json!({"applicant": {"birth_date": "1980-01-01", "name": "Mario"},
                            "household": [{"surname": "Rossi", "dependent_minor": true}],
                            "isee": {"value": "3500.00"}});
        let after = json!({"applicant": {"birth_date": "1880-01-01", "name": "Mario"},
                           "household": [],
                           "isee": {"value": "3500.00"}, "protocol_number": "12"});
        let found = changes(&before, &after);
        let fields: Vec<&str> = found.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "applicant.birth_date",
                "household[0].dependent_minor",
                "household[0].surname",
                "protocol_number"
            ]
        );
        assert_eq!(found[0].before, json!("1980-01-01"));
        assert_eq!(found[0].after, json!("1880-01-01"));
        assert_eq!(found[1].after, Value::Null);
        assert_eq!(found[3].before, Value::Null);
        assert!(changes(&before, &before).is_empty());
    }
}
