//! Warnings at the desk about people already named in another application of the same bando:
//! the ranking keeps one application per household, so the operator asks the applicant before
//! filing a second one.

use sportello_domain::ApplicationForm;
use sportello_store::ApplicationFilter;

use super::Intake;
use super::forms::Naming;
use crate::{Problem, Result};

impl Intake<'_> {
    /// A warning for each person of `form` (applicant or member) named in another application
    /// of its bando held here: this comune's, and at the capofila every comune's. Left out: the
    /// applicant's own application at this comune (refused as `applicant_already_applied`) and
    /// `except`, the application being corrected.
    pub(crate) fn named_elsewhere(
        &self,
        form: &ApplicationForm,
        record: &str,
        naming: Naming,
        except: Option<&str>,
    ) -> Result<Vec<Problem>> {
        let declaration = &form.declaration;
        let applicant = &declaration.applicant.person.codice_fiscale;
        let people = std::iter::once(("applicant".to_string(), &declaration.applicant.person))
            .chain(
                declaration
                    .household
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (format!("household[{i}]"), &m.person)),
            );
        let mut warnings = Vec::new();
        for (prefix, person) in people {
            let code = &person.codice_fiscale;
            if code.is_empty() {
                continue;
            }
            let filter = ApplicationFilter {
                bando: Some(form.bando.clone()),
                comune: None,
                person: Some(code.clone()),
            };
            for other in self.store.applications(&filter)?.applications {
                let a = &other.application;
                let own_comune = a.comune == self.install.comune;
                let own_applicant = a.declaration.applicant.person.codice_fiscale == *applicant;
                if Some(a.code.as_str()) == except || (own_comune && own_applicant) {
                    continue;
                }
                let role = if a.declaration.applicant.person.codice_fiscale == *code {
                    "richiedente"
                } else {
                    "nel nucleo familiare"
                };
                let where_ = if own_comune {
                    "in questo comune".to_string()
                } else {
                    format!("al comune di {}", self.comune_name(&a.comune))
                };
                warnings.push(Problem {
                    record: record.to_string(),
                    field: naming.field(&format!("{prefix}.codice_fiscale")),
                    code: "person_in_other_application".into(),
                    message: format!(
                        "{} {} ({code}) è già {role} nella domanda {} (pratica {}) presentata \
                         {where_} per questo bando: in graduatoria entra una sola domanda per \
                         nucleo familiare, la prima presentata; verificare con il richiedente \
                         chi fa parte del nucleo",
                        person.surname, person.name, a.code, other.case_number
                    ),
                });
            }
        }
        Ok(warnings)
    }
}
