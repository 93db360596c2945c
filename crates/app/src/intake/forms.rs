//! Filing applications: reading forms (JSON), checking them against the district's rules,
//! storing all of them or none.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::Value;
use sportello_domain::{ApplicationForm, intake};
use sportello_store::{ApplicationFilter, FiledApplication, NewApplication};

use super::Intake;
use super::fields::{self, ShapeProblem, WrittenNumbers};
use crate::{AppError, ErrorCode, Problem, Result, now};

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
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct FormCheck {
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// A filed application with the warnings it was accepted with.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
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
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (items, is_array) = json_items(
        text,
        "il file deve contenere una domanda (oggetto JSON) o un elenco di domande",
    )?;
    let written = Written::scan(text).into_items(is_array, items.len());
    let entries = items
        .into_iter()
        .zip(written)
        .enumerate()
        .map(|(i, (item, written))| {
            let record = format!("domanda {}", i + 1);
            form_from_value(item, &record, Naming::Json, &written).map(|(form, missing)| Parsed {
                record,
                form,
                naming: Naming::Json,
                missing,
            })
        })
        .collect();
    Ok(Batch { entries, is_array })
}

/// The items of a JSON text holding one object or an array of them, and whether it was an
/// array; `wrong_shape` is the refusal of anything else. A byte order mark (Windows editors
/// save UTF-8 with one, as they do CSV) is skipped.
pub(crate) fn json_items(text: &str, wrong_shape: &str) -> Result<(Vec<Value>, bool)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).map_err(|e| {
        AppError::new(
            ErrorCode::JsonInvalid,
            format!(
                "il file non è JSON valido (riga {}, colonna {}): controllarne la sintassi",
                e.line(),
                e.column()
            ),
        )
    })?;
    match value {
        Value::Array(items) => Ok((items, true)),
        Value::Object(_) => Ok((vec![value], false)),
        _ => Err(AppError::new(ErrorCode::JsonInvalid, wrong_shape)),
    }
}

/// Reads exactly one form (one JSON object): read, or refused with a problem per malformed
/// field.
pub(crate) fn parse_one_form(json: &str) -> Result<std::result::Result<Parsed, Vec<Problem>>> {
    let batch = parse_json_forms(json)?;
    match (batch.is_array, batch.entries.as_slice()) {
        (false, [entry]) => Ok(entry.clone()),
        _ => Err(AppError::new(
            ErrorCode::JsonInvalid,
            "serve una sola domanda (un oggetto JSON), non un elenco",
        )),
    }
}

/// What serde's `Value` forgets of a JSON text, by path: how each number was written, and
/// the keys written twice in one object (serde keeps the last one silently).
#[derive(Debug, Default)]
pub(crate) struct Written {
    numbers: WrittenNumbers,
    repeated: Vec<String>,
}

impl Written {
    /// Scans a text serde_json has read already, so well formed; paths as in `check_shape`
    /// (`isee.value`, `household[0].name`), under `[i]` for the items of an array.
    fn scan(text: &str) -> Self {
        let mut scanner = Scanner {
            text,
            at: 0,
            found: Self::default(),
        };
        scanner.value("");
        scanner.found
    }

    /// One part per form: the whole for one object, else each item's, its paths without
    /// the leading `[i].`.
    fn into_items(self, is_array: bool, count: usize) -> Vec<Self> {
        if !is_array {
            return vec![self];
        }
        let mut items: Vec<Self> = (0..count).map(|_| Self::default()).collect();
        let split = |path: &str| {
            let (index, inner) = path.strip_prefix('[')?.split_once("].")?;
            Some((index.parse::<usize>().ok()?, inner.to_string()))
        };
        for (path, text) in self.numbers {
            if let Some((i, inner)) = split(&path)
                && let Some(item) = items.get_mut(i)
            {
                item.numbers.insert(inner, text);
            }
        }
        for path in self.repeated {
            if let Some((i, inner)) = split(&path)
                && let Some(item) = items.get_mut(i)
            {
                item.repeated.push(inner);
            }
        }
        items
    }
}

struct Scanner<'a> {
    text: &'a str,
    at: usize,
    found: Written,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn value(&mut self, path: &str) {
        self.blank();
        match self.peek() {
            Some(b'{') => {
                self.at += 1;
                let mut keys = std::collections::BTreeSet::new();
                loop {
                    self.blank();
                    if self.peek() != Some(b'"') {
                        self.at += 1; // `}`
                        break;
                    }
                    let key = self.string();
                    let inner = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    self.blank();
                    self.at += 1; // `:`
                    if !keys.insert(key) {
                        self.found.repeated.push(inner.clone());
                    }
                    self.value(&inner);
                    self.blank();
                    if self.peek() == Some(b',') {
                        self.at += 1;
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                for i in 0.. {
                    self.blank();
                    let before = self.at;
                    if matches!(self.peek(), Some(b']') | None) {
                        self.at += 1;
                        break;
                    }
                    self.value(&format!("{path}[{i}]"));
                    self.blank();
                    if self.peek() == Some(b',') {
                        self.at += 1;
                    }
                    if self.at == before {
                        break;
                    }
                }
            }
            Some(b'"') => drop(self.string()),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.at;
                while matches!(
                    self.peek(),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    self.at += 1;
                }
                let number = self.text[start..self.at].to_string();
                self.found.numbers.insert(path.to_string(), number);
            }
            // true, false, null
            _ => {
                while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
                    self.at += 1;
                }
            }
        }
    }

    /// A string token, decoded (keys may be written with escapes).
    fn string(&mut self) -> String {
        let start = self.at;
        self.at += 1;
        while let Some(b) = self.peek() {
            self.at += if b == b'\\' { 2 } else { 1 };
            if b == b'"' {
                break;
            }
        }
        let token = self.text.get(start..self.at).unwrap_or_default();
        serde_json::from_str(token).unwrap_or_default()
    }
}

/// Turns a JSON value into a form and the required fields it left out; refuses it, naming
/// every malformed, unknown or repeated field, when it cannot be read at all. `written`: what
/// the JSON text says beyond the value (nothing, for a CSV row).
pub(crate) fn form_from_value(
    mut value: Value,
    record: &str,
    naming: Naming,
    written: &Written,
) -> std::result::Result<(ApplicationForm, Vec<String>), Vec<Problem>> {
    let missing = fields::fill_missing(&mut value);
    let problem = |path: &str, code: &str, message: String| Problem {
        record: record.to_string(),
        field: naming.field(path),
        code: code.into(),
        message,
    };
    let mut problems: Vec<Problem> = missing
        .iter()
        .map(|path| problem(path, "field_invalid", MISSING.into()))
        .collect();
    let mut malformed = fields::check_shape(&value, &written.numbers);
    malformed.extend(written.repeated.iter().map(|path| {
        ShapeProblem {
            path: path.clone(),
            code: "field_repeated",
            message: "campo scritto più volte nello stesso oggetto: tenerne uno solo, con il \
                  valore giusto"
                .into(),
        }
    }));
    if !malformed.is_empty() {
        problems.extend(
            malformed
                .into_iter()
                .map(|p| problem(&p.path, p.code, p.message)),
        );
        return Err(problems);
    }
    serde_path_to_error::deserialize(value)
        .map(|mut form: ApplicationForm| {
            form.declaration.normalize();
            (form, missing)
        })
        .map_err(|e| {
            let path = e.path().to_string();
            let message = format!("valore non valido ({})", e.inner());
            problems.push(problem(&path, "field_invalid", message));
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

impl Intake<'_> {
    /// Checks a form as the operator types it: nothing is stored.
    pub fn check_form(&self, form: &ApplicationForm) -> FormCheck {
        let mut form = form.clone();
        form.declaration.normalize();
        self.check_parsed(&form, "domanda", Naming::Json, &[], now(), None)
    }

    /// Checks a form; `missing` are required fields the input left out, reported as such
    /// (whatever the rules say of their placeholders is not). `correcting`: the code of the
    /// application the form corrects, which names its own people.
    pub(crate) fn check_parsed(
        &self,
        form: &ApplicationForm,
        record: &str,
        naming: Naming,
        missing: &[String],
        at: DateTime<FixedOffset>,
        correcting: Option<&str>,
    ) -> FormCheck {
        let mut check = self.check_rules(form, record, naming, at);
        match self.named_elsewhere(form, record, naming, correcting) {
            Ok(warnings) => check.warnings.extend(warnings),
            Err(e) => check.problems.push(Problem {
                record: record.to_string(),
                field: naming.field("applicant.codice_fiscale"),
                code: e.code.as_str().to_string(),
                message: e.message,
            }),
        }
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
                check.problems.push(to_problem(
                    "bando",
                    ErrorCode::from(&e).as_str(),
                    &e.to_string(),
                ));
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
        self.file_batch(batch, false)
    }

    /// Files every form or none; `from_draft`: they were typed in the operator's draft, which
    /// goes in the same transaction.
    pub(crate) fn file_batch(&mut self, batch: &Batch, from_draft: bool) -> Result<Vec<Filed>> {
        self.require(crate::Action::FileApplications)?;
        let at = now();
        let mut problems = Vec::new();
        let mut accepted = Vec::new();
        // (bando, applicant's codice fiscale) → the record of this input that filed it first.
        let mut in_batch: BTreeMap<(String, String), String> = BTreeMap::new();
        for entry in &batch.entries {
            let p = match entry {
                Ok(p) => p,
                Err(shape) => {
                    problems.extend(shape.iter().cloned());
                    continue;
                }
            };
            let mut check = self.check_parsed(&p.form, &p.record, p.naming, &p.missing, at, None);
            check
                .problems
                .extend(self.applied_before(p, &mut in_batch)?);
            if check.problems.is_empty() {
                accepted.push((p, check.warnings));
            } else {
                problems.extend(check.problems);
            }
        }
        if accepted.is_empty() && problems.is_empty() {
            return Err(AppError::new(
                ErrorCode::InputEmpty,
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
        let store = &mut self.0.store;
        let filed = if from_draft {
            store.file_applications_from_draft(&news, at, &self.0.actor)?
        } else {
            store.file_applications(&news, at, &self.0.actor)?
        };
        Ok(filed
            .into_iter()
            .zip(accepted)
            .map(|(f, (p, warnings))| filed_view(f, p, warnings))
            .collect())
    }
}

impl Intake<'_> {
    /// One application per applicant per bando at a comune: a second one (already filed here,
    /// or earlier in the same input) is refused, naming the first. To change what was declared
    /// the operator corrects that application. A withdrawn application does not count.
    fn applied_before(
        &self,
        p: &Parsed,
        in_batch: &mut BTreeMap<(String, String), String>,
    ) -> Result<Option<Problem>> {
        let applicant = &p.form.declaration.applicant.person;
        let code = &applicant.codice_fiscale;
        if code.is_empty() {
            return Ok(None);
        }
        let bando = &p.form.bando;
        let who = format!("{} {} ({code})", applicant.surname, applicant.name);
        let refusal = |message: String| Problem {
            record: p.record.clone(),
            field: p.naming.field("applicant.codice_fiscale"),
            code: "applicant_already_applied".into(),
            message,
        };
        // `person` also matches household members: only an application by the same applicant
        // counts.
        let filter = ApplicationFilter {
            bando: Some(bando.clone()),
            comune: Some(self.install.comune.clone()),
            person: Some(code.clone()),
        };
        let listing = self.store.applications(&filter)?;
        // A withdrawn application no longer counts: its applicant may apply again.
        let withdrawals = self.store.withdrawals()?;
        if let Some(first) = listing.applications.iter().find(|a| {
            a.application.declaration.applicant.person.codice_fiscale == *code
                && !withdrawals
                    .get(&a.application.code)
                    .is_some_and(|w| w.in_force())
        }) {
            return Ok(Some(refusal(format!(
                "{who} ha già presentato domanda per il bando {bando} in questo comune \
                 (pratica {}, domanda {}): si presenta una domanda sola per bando; per cambiare \
                 quanto dichiarato correggere quella domanda",
                first.case_number, first.application.code
            ))));
        }
        let key = (bando.clone(), code.clone());
        if let Some(first) = in_batch.get(&key) {
            return Ok(Some(refusal(format!(
                "{who} è già richiedente in {first} di questo file per il bando {bando}: si \
                 presenta una domanda sola per bando; togliere quella ripetuta"
            ))));
        }
        in_batch.insert(key, p.record.clone());
        Ok(None)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn form(isee_value: &str) -> String {
        format!(
            r#"{{"bando": "SC-2026-1", "resident": true, "unemployed": false,
                "applicant": {{"codice_fiscale": "RSSMRA80A01I754N", "surname": "Rossi",
                              "name": "Mario", "birth_date": "1980-01-01", "sex": "M",
                              "birth_place": "I754"}},
                "isee": {{"value": {isee_value}, "dsu_protocol": "INPS-ISEE-2026-AB123C789-00",
                         "dsu_date": "2026-01-15"}}}}"#
        )
    }

    fn problems(text: &str) -> Vec<Problem> {
        parse_json_forms(text)
            .unwrap()
            .entries
            .into_iter()
            .filter_map(|e| e.err())
            .flatten()
            .collect()
    }

    #[test]
    fn a_byte_order_mark_is_no_part_of_the_json() {
        let batch = parse_json_forms(&format!("\u{feff}{}", form("\"3500,00\""))).unwrap();
        let parsed = batch.entries[0].as_ref().unwrap();
        assert_eq!(
            parsed
                .form
                .declaration
                .isee
                .as_ref()
                .unwrap()
                .value
                .to_string(),
            "3500.00"
        );
    }

    #[test]
    fn an_amount_with_three_decimals_is_refused_written_as_a_number_or_a_string() {
        for (value, says) in [("12.500", "più di due decimali"), ("\"12.500\"", "ambiguo")] {
            let found = problems(&form(value));
            assert_eq!(found.len(), 1, "{value}: {found:?}");
            assert_eq!(found[0].field, "isee.value");
            assert!(found[0].message.contains(says), "{}", found[0].message);
            assert!(
                found[0].message.contains("12.500,00"),
                "{}",
                found[0].message
            );
        }
        assert_eq!(problems(&form("12.5")), []);
        assert_eq!(problems(&form("1e3")), []);
        // In an array, each item's numbers are its own.
        let two = format!("[{}, {}]", form("12.5"), form("7.125"));
        let found = problems(&two);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].record, "domanda 2");
    }

    #[test]
    fn a_key_written_twice_is_refused() {
        let text = form("\"1\"").replacen(
            r#""surname": "Rossi","#,
            r#""surname": "Rossi", "sur\u006eame": "Bianchi","#,
            1,
        );
        let found = problems(&text);
        assert_eq!(
            found
                .iter()
                .map(|p| (p.field.as_str(), p.code.as_str()))
                .collect::<Vec<_>>(),
            [("applicant.surname", "field_repeated")]
        );
    }

    #[test]
    fn the_scan_follows_nesting_and_escapes() {
        let written = Written::scan(
            r#"[ {"a": {"b": [1, -2.50e+1, {"c\"d": 0.125}]}, "s": "x\\\"{[", "t": true},
                 {"a": null, "a": 3} ]"#,
        );
        let numbers: Vec<(&str, &str)> = written
            .numbers
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        assert_eq!(
            numbers,
            [
                ("[0].a.b[0]", "1"),
                ("[0].a.b[1]", "-2.50e+1"),
                ("[0].a.b[2].c\"d", "0.125"),
                ("[1].a", "3"),
            ]
        );
        assert_eq!(written.repeated, ["[1].a"]);
        let items = written.into_items(true, 2);
        assert!(items[0].repeated.is_empty());
        assert_eq!(items[0].numbers.len(), 3);
        assert_eq!(items[1].repeated, ["a"]);
        assert_eq!(items[1].numbers["a"], "3");
    }
}
