//! Warnings at the desk about people already named in another application of the same bando:
//! the ranking keeps one application per household, so the operator asks the applicant before
//! filing a second one. A comune knows its own applications, and of the other comuni's what the
//! capofila's last publish bundle told it (keyed digests of codici fiscali, never the codes).

use sportello_domain::calendar::italian_day;
use sportello_domain::{ApplicationForm, Person};
use sportello_store::ApplicationFilter;

use super::Intake;
use super::forms::Naming;
use crate::{Problem, Result};

impl Intake<'_> {
    /// A warning for each person of `form` (applicant or member) named in another application
    /// of its bando held here (this comune's, and at the capofila every comune's), and for each
    /// one the capofila says is named in another comune's. Left out: the applicant's own
    /// application at this comune (refused as `applicant_already_applied`), `except` (the
    /// application being corrected) and withdrawn applications.
    pub(crate) fn named_elsewhere(
        &self,
        form: &ApplicationForm,
        record: &str,
        naming: Naming,
        except: Option<&str>,
    ) -> Result<Vec<Problem>> {
        let declaration = &form.declaration;
        let applicant = &declaration.applicant.person.codice_fiscale;
        let people: Vec<(String, &Person)> =
            std::iter::once(("applicant".to_string(), &declaration.applicant.person))
                .chain(
                    declaration
                        .household
                        .iter()
                        .enumerate()
                        .map(|(i, m)| (format!("household[{i}]"), &m.person)),
                )
                .filter(|(_, p)| !p.codice_fiscale.is_empty())
                .collect();
        let warning = |prefix: &str, code: &str, message: String| Problem {
            record: record.to_string(),
            field: naming.field(&format!("{prefix}.codice_fiscale")),
            code: code.into(),
            message,
        };
        // A withdrawn application no longer competes: no one in it is in the way.
        let withdrawals = self.store.withdrawals()?;
        let withdrawn = |code: &str| withdrawals.get(code).is_some_and(|w| w.in_force());
        let mut warnings = Vec::new();
        for (prefix, person) in &people {
            let code = &person.codice_fiscale;
            let filter = ApplicationFilter {
                bando: Some(form.bando.clone()),
                comune: None,
                person: Some(code.clone()),
            };
            for other in self.store.applications(&filter)?.applications {
                let a = &other.application;
                let own_comune = a.comune == self.install.comune;
                let own_applicant = a.declaration.applicant.person.codice_fiscale == *applicant;
                if Some(a.code.as_str()) == except
                    || (own_comune && own_applicant)
                    || withdrawn(&a.code)
                {
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
                warnings.push(warning(
                    prefix,
                    "person_in_other_application",
                    format!(
                        "{} {} ({code}) è già {role} nella domanda {} (pratica {}) presentata \
                         {where_} per questo bando: {ONE_PER_HOUSEHOLD}",
                        person.surname, person.name, a.code, other.case_number
                    ),
                ));
            }
        }
        let Some(told) = self
            .store
            .named_elsewhere(&form.bando, &self.install.comune)?
        else {
            return Ok(warnings);
        };
        let as_of = chrono::DateTime::parse_from_rfc3339(&told.as_of)
            .map(|at| italian_day(at).format("%d/%m/%Y").to_string())
            .unwrap_or(told.as_of.clone());
        for (prefix, person) in &people {
            if told.names(&person.codice_fiscale) {
                warnings.push(warning(
                    prefix,
                    "person_in_other_comune",
                    format!(
                        "{} {} ({}) è già presente in una domanda di un altro comune del \
                         distretto per questo bando (secondo l'ultimo aggiornamento del capofila \
                         del {as_of}): {ONE_PER_HOUSEHOLD}",
                        person.surname, person.name, person.codice_fiscale
                    ),
                ));
            }
        }
        Ok(warnings)
    }
}

const ONE_PER_HOUSEHOLD: &str = "in graduatoria entra una sola domanda per nucleo familiare, la \
                                 prima presentata; verificare con il richiedente chi fa parte \
                                 del nucleo";
