//! One application form at a time, checked as it is typed and filed (the window sends the
//! documented JSON shape of `application add`, so both front ends share one validation path).

use super::Intake;
use super::forms::{Batch, Filed, FormCheck, parse_one_form};
use crate::{AppError, ErrorCode, Result, now};

impl Intake<'_> {
    /// Checks one form (the JSON shape of `application add`) as the operator types it:
    /// malformed fields, missing ones, and the district's rules on everything present.
    /// Nothing is stored.
    pub fn check_form_json(&self, json: &str) -> Result<FormCheck> {
        self.require(crate::Action::FileApplications)?;
        match parse_one_form(json)? {
            Ok(p) => Ok(self.check_parsed(&p.form, &p.record, p.naming, &p.missing, now(), None)),
            Err(problems) => Ok(FormCheck {
                problems,
                warnings: Vec::new(),
            }),
        }
    }

    /// Files one form (the JSON shape of `application add`) typed in the window, where it was
    /// the operator's draft: filed, the draft is deleted in the same transaction. Refused with
    /// every problem, each naming its field, when anything is wrong (the draft stays).
    pub fn add_application_json(&mut self, json: &str) -> Result<Filed> {
        self.require(crate::Action::FileApplications)?;
        let parsed = parse_one_form(json)?;
        let batch = Batch {
            entries: vec![parsed],
            is_array: false,
        };
        self.file_batch(&batch, true)?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::new(ErrorCode::InputEmpty, "nessuna domanda da registrare"))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::{Path, PathBuf};

    use serde_json::{Value, json};

    use crate::{Problem, Sportello, read_district_file};

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures")
            .join(name)
    }

    pub(crate) fn comune_with_bando(dir: &Path) -> Sportello {
        let district = read_district_file(&fixture("district-d48.toml"), None).unwrap();
        let mut app = Sportello::init(
            &dir.join("comune.db"),
            &district.toml,
            "089017",
            &crate::operators::tests::first(),
        )
        .unwrap();
        let bando = std::fs::read_to_string(fixture("bando-sc-2026-1.toml")).unwrap();
        app.settings().import_bando(&bando).unwrap();
        app
    }

    pub(crate) fn form() -> Value {
        json!({
            "bando": "SC-2026-1",
            "applicant": {
                "codice_fiscale": "BNCGLI92M55D636B", "surname": "Bianchi", "name": "Giulia",
                "birth_date": "1992-08-15", "sex": "F", "birth_place": "D636"
            },
            "isee": { "value": "3.500,00", "dsu_protocol": "INPS-ISEE-2026-AB123C789-00",
                      "dsu_date": "2026-01-15" },
            "resident": true, "unemployed": true, "unemployed_since": "2024-05-01"
        })
    }

    #[test]
    fn a_form_being_typed_reports_missing_fields_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = comune_with_bando(dir.path());
        let mut partial = form();
        partial["applicant"]
            .as_object_mut()
            .unwrap()
            .remove("birth_date");
        let check = app.intake().check_form_json(&partial.to_string()).unwrap();
        let fields: Vec<&str> = check.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["applicant.birth_date"]);
    }

    #[test]
    fn a_complete_form_is_checked_against_the_rules() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = comune_with_bando(dir.path());
        let mut wrong = form();
        wrong["applicant"]["codice_fiscale"] = json!("BNCGLI92M55D636A");
        let check = app.intake().check_form_json(&wrong.to_string()).unwrap();
        assert_eq!(check.problems.len(), 1);
        assert_eq!(check.problems[0].field, "applicant.codice_fiscale");
        assert_eq!(check.problems[0].code, "codice_fiscale_check");
        let right = app.intake().check_form_json(&form().to_string()).unwrap();
        assert!(right.problems.is_empty(), "{:?}", right.problems);
    }

    #[test]
    fn one_form_is_filed_and_an_array_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = comune_with_bando(dir.path());
        let filed = app
            .intake()
            .add_application_json(&form().to_string())
            .unwrap();
        assert!(
            filed.case_number.ends_with("/0000001"),
            "{}",
            filed.case_number
        );
        assert_eq!(filed.surname, "Bianchi");
        let listed = app
            .intake()
            .search_applications(&Default::default(), &filed.application_code)
            .unwrap();
        assert_eq!(listed.len(), 1);
        let array = Value::Array(vec![form()]).to_string();
        assert_eq!(
            app.intake().add_application_json(&array).unwrap_err().code,
            "json_invalid"
        );
    }

    #[test]
    fn a_refused_form_names_each_field_and_stores_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = comune_with_bando(dir.path());
        let mut wrong = form();
        wrong["applicant"]["surname"] = json!(" ");
        wrong["applicant"]["sex"] = json!("M");
        let err = app
            .intake()
            .add_application_json(&wrong.to_string())
            .unwrap_err();
        assert_eq!(err.code, "input_refused");
        let fields: Vec<&str> = err.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["applicant.surname", "applicant.sex"]);
        assert!(
            app.intake()
                .search_applications(&Default::default(), "")
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_person_in_another_application_of_the_bando_is_a_warning_but_not_in_its_correction() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = comune_with_bando(dir.path());
        let giulia = app
            .intake()
            .add_application_json(&form().to_string())
            .unwrap();
        let mut mario = form();
        mario["applicant"] = json!({
            "codice_fiscale": "RSSMRA80A01I754N", "surname": "Rossi", "name": "Mario",
            "birth_date": "1980-01-01", "sex": "M", "birth_place": "I754"
        });
        mario["household"] = json!([{
            "codice_fiscale": "BNCGLI92M55D636B", "surname": "Bianchi", "name": "Giulia",
            "birth_date": "1992-08-15", "sex": "F", "birth_place": "D636", "relation": "coniuge"
        }]);
        let check = app.intake().check_form_json(&mario.to_string()).unwrap();
        let named: Vec<&Problem> = check
            .warnings
            .iter()
            .filter(|w| w.code == "person_in_other_application")
            .collect();
        assert_eq!(named.len(), 1, "{:?}", check.warnings);
        assert_eq!(named[0].field, "household[0].codice_fiscale");
        assert!(
            named[0].message.contains(&format!(
                "Bianchi Giulia (BNCGLI92M55D636B) è già richiedente nella domanda {} (pratica {}) \
                 presentata in questo comune",
                giulia.application_code, giulia.case_number
            )),
            "{}",
            named[0].message
        );
        let filed = app
            .intake()
            .add_application_json(&mario.to_string())
            .unwrap();
        assert!(
            filed
                .warnings
                .iter()
                .any(|w| w.code == "person_in_other_application")
        );
        // Giulia's own correction names her in her own application: no warning about it, only
        // about Mario's, where she is a member.
        let corrected = app
            .intake()
            .correct_application(&giulia.application_code, &form().to_string(), "prova")
            .unwrap();
        let about: Vec<&str> = corrected
            .warnings
            .iter()
            .filter(|w| w.code == "person_in_other_application")
            .map(|w| w.message.as_str())
            .collect();
        assert_eq!(about.len(), 1, "{about:?}");
        assert!(
            about[0].contains(&format!(
                "nel nucleo familiare nella domanda {}",
                filed.application_code
            )),
            "{}",
            about[0]
        );
    }
}
