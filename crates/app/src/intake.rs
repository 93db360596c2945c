//! Filing applications: reading forms (JSON), checking them against the district's rules,
//! storing all of them or none.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::Value;
use sportello_domain::{ApplicationForm, intake};
use sportello_store::{FiledApplication, NewApplication};

use crate::fields;
use crate::{AppError, Problem, Result, Sportello, now};

/// A form read from the user's input, with how the user names it.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// "domanda 2", "riga 7".
    pub record: String,
    pub form: ApplicationForm,
    /// How this input names a JSON field (CSV files use Italian headers).
    pub naming: Naming,
    /// Required fields the input left out (JSON paths): the form holds placeholders there, so
    /// the rest is checked too; they refuse it.
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    Json,
    Csv,
}

impl Naming {
    pub(crate) fn field(self, json_path: &str) -> String {
        match self {
            Naming::Json => json_path.to_string(),
            Naming::Csv => fields::csv_header(json_path),
        }
    }
}

/// The outcome of checking one form: problems refuse it, warnings do not.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FormCheck {
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// A filed application with the warnings it was accepted with.
#[derive(Debug, Clone, Serialize)]
pub struct Filed {
    pub case_number: String,
    pub application_code: String,
    pub codice_fiscale: String,
    pub surname: String,
    pub name: String,
    pub warnings: Vec<Problem>,
}

/// Forms read from one input, each read or refused with its problems. Every record is checked
/// before anything is stored, so the user sees every problem at once.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub entries: Vec<std::result::Result<Parsed, Vec<Problem>>>,
    /// The input was an array (JSON) or a table (CSV): the output mirrors it.
    pub is_array: bool,
}

/// Reads one JSON object or an array of them.
pub fn parse_json_forms(text: &str) -> Result<Batch> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        AppError::new(
            "json_invalid",
            format!(
                "il file non è JSON valido (riga {}, colonna {}): controllarne la sintassi",
                e.line(),
                e.column()
            ),
        )
    })?;
    let (items, is_array) = match value {
        Value::Array(items) => (items, true),
        Value::Object(_) => (vec![value], false),
        _ => {
            return Err(AppError::new(
                "json_invalid",
                "il file deve contenere una domanda (oggetto JSON) o un elenco di domande",
            ));
        }
    };
    let entries = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let record = format!("domanda {}", i + 1);
            form_from_value(item, &record, Naming::Json).map(|(form, missing)| Parsed {
                record,
                form,
                naming: Naming::Json,
                missing,
            })
        })
        .collect();
    Ok(Batch { entries, is_array })
}

/// Reads exactly one form (one JSON object): read, or refused with a problem per malformed
/// field.
pub(crate) fn parse_one_form(json: &str) -> Result<std::result::Result<Parsed, Vec<Problem>>> {
    let batch = parse_json_forms(json)?;
    match (batch.is_array, batch.entries.as_slice()) {
        (false, [entry]) => Ok(entry.clone()),
        _ => Err(AppError::new(
            "json_invalid",
            "serve una sola domanda (un oggetto JSON), non un elenco",
        )),
    }
}

/// Turns a JSON value into a form and the required fields it left out; refuses it, naming
/// every malformed field, when it cannot be read at all.
pub(crate) fn form_from_value(
    mut value: Value,
    record: &str,
    naming: Naming,
) -> std::result::Result<(ApplicationForm, Vec<String>), Vec<Problem>> {
    let missing = fields::fill_missing(&mut value);
    let problem = |path: &str, message: String| Problem {
        record: record.to_string(),
        field: naming.field(path),
        code: "field_invalid".into(),
        message,
    };
    let mut problems: Vec<Problem> = missing
        .iter()
        .map(|path| problem(path, MISSING.into()))
        .collect();
    let malformed = fields::check_shape(&value);
    if !malformed.is_empty() {
        problems.extend(malformed.iter().map(|(path, m)| problem(path, m.clone())));
        return Err(problems);
    }
    serde_path_to_error::deserialize(value)
        .map(|mut form: ApplicationForm| {
            form.declaration.normalize();
            (form, missing)
        })
        .map_err(|e| {
            let path = e.path().to_string();
            problems.push(problem(&path, format!("valore non valido ({})", e.inner())));
            problems
        })
}

const MISSING: &str = "campo obbligatorio mancante";

pub(crate) fn refused(problems: Vec<Problem>) -> AppError {
    let n = problems.len();
    AppError::refused(
        format!(
            "dati rifiutati ({n} {}): nessuna domanda è stata salvata; correggere e riprovare",
            if n == 1 { "problema" } else { "problemi" }
        ),
        problems,
    )
}

impl Sportello {
    /// Checks a form as the operator types it: nothing is stored.
    pub fn check_form(&self, form: &ApplicationForm) -> FormCheck {
        let mut form = form.clone();
        form.declaration.normalize();
        self.check_parsed(&form, "domanda", Naming::Json, &[], now())
    }

    /// Checks a form; `missing` are required fields the input left out, reported as such
    /// (whatever the rules say of their placeholders is not).
    pub(crate) fn check_parsed(
        &self,
        form: &ApplicationForm,
        record: &str,
        naming: Naming,
        missing: &[String],
        at: DateTime<FixedOffset>,
    ) -> FormCheck {
        let check = self.check_rules(form, record, naming, at);
        let placeholder = |p: &Problem| missing.iter().any(|m| naming.field(m) == p.field);
        let mut problems: Vec<Problem> = missing
            .iter()
            .map(|path| Problem {
                record: record.to_string(),
                field: naming.field(path),
                code: "field_invalid".into(),
                message: MISSING.into(),
            })
            .collect();
        problems.extend(check.problems.into_iter().filter(|p| !placeholder(p)));
        FormCheck {
            problems,
            warnings: check
                .warnings
                .into_iter()
                .filter(|p| !placeholder(p))
                .collect(),
        }
    }

    fn check_rules(
        &self,
        form: &ApplicationForm,
        record: &str,
        naming: Naming,
        at: DateTime<FixedOffset>,
    ) -> FormCheck {
        let to_problem = |field: &str, code: &str, message: &str| Problem {
            record: record.to_string(),
            field: naming.field(field),
            code: code.to_string(),
            message: message.to_string(),
        };
        let mut check = FormCheck::default();
        let bando = match self.store.bando(&form.bando) {
            Ok(Some(b)) => Some(b),
            Ok(None) => {
                check.problems.push(to_problem(
                    "bando",
                    "unknown_bando",
                    &format!(
                        "il bando {:?} non esiste: importarlo prima o correggere il codice",
                        form.bando
                    ),
                ));
                None
            }
            Err(e) => {
                check
                    .problems
                    .push(to_problem("bando", e.code(), &e.to_string()));
                None
            }
        };
        let filed_at = form.filed_at.unwrap_or(at);
        match intake::check(
            form,
            &self.install.district,
            filed_at,
            bando.as_ref(),
            at.date_naive(),
        ) {
            Ok(warnings) => check.warnings.extend(
                warnings
                    .iter()
                    .map(|w| to_problem(&w.field, w.code, &w.message)),
            ),
            Err(problems) => check.problems.extend(
                problems
                    .iter()
                    .map(|p| to_problem(&p.field, p.code, &p.message)),
            ),
        }
        check
    }

    /// Files every form or none, and says what each got.
    pub fn add_applications(&mut self, batch: &Batch) -> Result<Vec<Filed>> {
        let at = now();
        let mut problems = Vec::new();
        let mut accepted = Vec::new();
        for entry in &batch.entries {
            let p = match entry {
                Ok(p) => p,
                Err(shape) => {
                    problems.extend(shape.iter().cloned());
                    continue;
                }
            };
            let check = self.check_parsed(&p.form, &p.record, p.naming, &p.missing, at);
            if check.problems.is_empty() {
                accepted.push((p, check.warnings));
            } else {
                problems.extend(check.problems);
            }
        }
        if accepted.is_empty() && problems.is_empty() {
            return Err(AppError::new(
                "input_empty",
                "nessuna domanda da registrare nel file",
            ));
        }
        if !problems.is_empty() {
            return Err(refused(problems));
        }
        let news: Vec<NewApplication> = accepted
            .iter()
            .map(|(p, _)| NewApplication {
                bando: p.form.bando.clone(),
                filed_at: p.form.filed_at.unwrap_or(at),
                declaration: p.form.declaration.clone(),
                override_note: p
                    .form
                    .override_note
                    .clone()
                    .filter(|n| !n.trim().is_empty()),
                protocol_number: p.form.protocol_number.clone(),
            })
            .collect();
        let filed = self.store.file_applications(&news, at, &self.actor)?;
        Ok(filed
            .into_iter()
            .zip(accepted)
            .map(|(f, (p, warnings))| filed_view(f, p, warnings))
            .collect())
    }
}

fn filed_view(f: FiledApplication, p: &Parsed, warnings: Vec<Problem>) -> Filed {
    let person = &p.form.declaration.applicant.person;
    Filed {
        case_number: f.case_number,
        application_code: f.application_code,
        codice_fiscale: person.codice_fiscale.clone(),
        surname: person.surname.clone(),
        name: person.name.clone(),
        warnings,
    }
}
