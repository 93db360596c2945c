//! What the desktop window needs besides the CLI's use cases: the district file an operator
//! picks at first run, and one application form at a time, checked as it is typed and filed
//! (the window sends the documented JSON shape, so both front ends share one validation path).

use std::path::Path;

use sportello_domain::District;
/// The sync history's rows, as the window lists them.
pub use sportello_store::{BundleOut, ImportLogEntry};

use crate::files::read_file;
use crate::intake::{Batch, Filed, FormCheck, parse_one_form};
use crate::{AppError, Result, Sportello, now};

/// A district configuration file read from disk: its text (what `Sportello::init` takes) and
/// what it says (the comuni to choose from).
#[derive(Debug, Clone)]
pub struct DistrictFile {
    pub toml: String,
    pub district: District,
}

/// Reads and checks the district file chosen at first run.
pub fn read_district_file(path: &Path) -> Result<DistrictFile> {
    let bytes = read_file(path)?;
    let toml = String::from_utf8(bytes).map_err(|_| {
        AppError::new(
            "district_invalid",
            format!(
                "il file {} non è un file di testo del distretto: scegliere il file .toml \
                 ricevuto dal capofila",
                path.display()
            ),
        )
    })?;
    let district =
        District::from_toml(&toml).map_err(|e| AppError::new("district_invalid", e.to_string()))?;
    Ok(DistrictFile { toml, district })
}

impl Sportello {
    /// The district this install belongs to.
    pub fn district(&self) -> &District {
        &self.install.district
    }

    /// Checks one form (the JSON shape of `application add`) as the operator types it:
    /// malformed fields, missing ones, and the district's rules on everything present.
    /// Nothing is stored.
    pub fn check_form_json(&self, json: &str) -> Result<FormCheck> {
        match parse_one_form(json)? {
            Ok(p) => Ok(self.check_parsed(&p.form, &p.record, p.naming, &p.missing, now())),
            Err(problems) => Ok(FormCheck {
                problems,
                warnings: Vec::new(),
            }),
        }
    }

    /// Files one form (the JSON shape of `application add`); refused with every problem, each
    /// naming its field, when anything is wrong.
    pub fn add_application_json(&mut self, json: &str) -> Result<Filed> {
        let parsed = parse_one_form(json)?;
        let batch = Batch {
            entries: vec![parsed],
            is_array: false,
        };
        self.add_applications(&batch)?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::new("input_empty", "nessuna domanda da registrare"))
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::{Value, json};

    use super::*;
    use crate::Actor;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures")
            .join(name)
    }

    fn comune_with_bando(dir: &Path) -> Sportello {
        let district = read_district_file(&fixture("district-d48.toml")).unwrap();
        let mut app = Sportello::init(
            &dir.join("comune.db"),
            &district.toml,
            "089017",
            Actor("prova".into()),
        )
        .unwrap();
        let bando = std::fs::read_to_string(fixture("bando-sc-2026-1.toml")).unwrap();
        app.import_bando(&bando).unwrap();
        app
    }

    fn form() -> Value {
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
    fn a_district_file_lists_its_comuni() {
        let file = read_district_file(&fixture("district-d48.toml")).unwrap();
        assert_eq!(file.district.id, "D48");
        assert_eq!(file.district.capofila, "089017");
        assert!(file.district.comuni.iter().any(|c| c.name == "Floridia"));
        assert!(file.toml.contains("Siracusa"));
    }

    #[test]
    fn a_missing_or_foreign_district_file_is_refused_in_italian() {
        let missing = read_district_file(Path::new("/nessuna/cartella/distretto.toml"));
        assert_eq!(missing.unwrap_err().code, "file_unreadable");
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("spesa.toml");
        std::fs::write(&other, "pane = 2\n").unwrap();
        let err = read_district_file(&other).unwrap_err();
        assert_eq!(err.code, "district_invalid");
        assert!(err.message.contains("distretto"), "{}", err.message);
    }

    #[test]
    fn a_form_being_typed_reports_missing_fields_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let app = comune_with_bando(dir.path());
        let mut partial = form();
        partial["applicant"]
            .as_object_mut()
            .unwrap()
            .remove("birth_date");
        let check = app.check_form_json(&partial.to_string()).unwrap();
        let fields: Vec<&str> = check.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["applicant.birth_date"]);
    }

    #[test]
    fn a_complete_form_is_checked_against_the_rules() {
        let dir = tempfile::tempdir().unwrap();
        let app = comune_with_bando(dir.path());
        let mut wrong = form();
        wrong["applicant"]["codice_fiscale"] = json!("BNCGLI92M55D636A");
        let check = app.check_form_json(&wrong.to_string()).unwrap();
        assert_eq!(check.problems.len(), 1);
        assert_eq!(check.problems[0].field, "applicant.codice_fiscale");
        assert_eq!(check.problems[0].code, "codice_fiscale_check");
        let right = app.check_form_json(&form().to_string()).unwrap();
        assert!(right.problems.is_empty(), "{:?}", right.problems);
    }

    #[test]
    fn one_form_is_filed_and_an_array_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = comune_with_bando(dir.path());
        let filed = app.add_application_json(&form().to_string()).unwrap();
        assert!(
            filed.case_number.ends_with("/0000001"),
            "{}",
            filed.case_number
        );
        assert_eq!(filed.surname, "Bianchi");
        let listed = app
            .search_applications(&Default::default(), &filed.application_code)
            .unwrap();
        assert_eq!(listed.len(), 1);
        let array = Value::Array(vec![form()]).to_string();
        assert_eq!(
            app.add_application_json(&array).unwrap_err().code,
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
        let err = app.add_application_json(&wrong.to_string()).unwrap_err();
        assert_eq!(err.code, "input_refused");
        let fields: Vec<&str> = err.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["applicant.surname", "applicant.sex"]);
        assert!(
            app.search_applications(&Default::default(), "")
                .unwrap()
                .is_empty()
        );
    }
}
