//! The front office (segretariato sociale): contacts recorded in seconds, the back office's
//! cases (work list, diary, reassignment, closing), a person's history, the scheda di invio,
//! satisfaction questionnaires and the observatory's statistics.
//!
//! Time is read once per action (`now()`); the rules are `sportello_domain::front_office`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sportello_domain::front_office::contact::area_label;
use sportello_domain::front_office::stats::FrontOfficeStats;
use sportello_domain::front_office::{
    self as rules, Answer, CASE_OUTCOME_CODES, ContactInput, DUE_SOON_DAYS, case_outcome_label,
    check_contact, effective_case_kinds, front_office_stats,
};
use sportello_store::{ApplicationFilter, ContactAdded, NewContact, StoredCase, StoredContact};

use crate::{Action, AppError, ErrorCode, Problem, Result, now};

mod csv;
pub(crate) mod input;

pub use csv::stats_csv;

crate::area!(
    /// The front office: contacts, cases, history, statistics.
    FrontOffice,
    front_office
);

/// Where the install keeps its own key for person digests when the district file has none.
const LOCAL_KEY_SETTING: &str = "front_office_person_key";

/// `contact add --json`: one line per contact stored, in the order given.
pub type ContactsAdded = Vec<ContactAdded>;

/// A case on the work list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct CaseView {
    #[serde(flatten)]
    pub case: StoredCase,
    /// Past its due date and still open.
    pub overdue: bool,
    /// Days from today to the due date (negative when overdue); none once closed.
    pub days_left: Option<i64>,
    pub within_target: Option<bool>,
}

/// A contact in a list, with its case's state.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ContactView {
    #[serde(flatten)]
    pub contact: StoredContact,
    pub overdue: bool,
}

/// A servizio civico (or other bando's) application of the person, in the history.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct HistoryApplication {
    pub application_code: String,
    pub case_number: String,
    pub bando: String,
    pub comune: String,
}

/// A person's history at this comune (`contact history --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct PersonHistory {
    pub codice_fiscale: String,
    pub contacts: Vec<ContactView>,
    /// The open cases among them.
    pub open_cases: Vec<CaseView>,
    pub applications: Vec<HistoryApplication>,
}

/// A case due soon or overdue, for the Home's to-do.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct CaseDue {
    pub id: i64,
    pub kind: String,
    #[cfg_attr(feature = "bindings", ts(type = "string"))]
    pub due_on: NaiveDate,
    pub overdue: bool,
    pub assigned_to: Option<String>,
}

/// A satisfaction questionnaire as typed (`satisfaction add`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SatisfactionInput {
    /// The day it was filled in; today when omitted.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub courtesy: Option<u8>,
    #[serde(default)]
    pub clarity: Option<u8>,
    #[serde(default)]
    pub waiting: Option<u8>,
    #[serde(default)]
    pub finding: Option<u8>,
    #[serde(default)]
    pub suggestion: Option<String>,
}

/// Checks the service codes a contact names against the map of services held here (the
/// district's entries and this comune's own, in use): one problem per unknown code, by index.
pub(crate) fn check_service_ids(
    app: &crate::Sportello,
    services: &[String],
) -> Result<Vec<(usize, String)>> {
    let mut unknown = Vec::new();
    for (index, code) in services.iter().enumerate() {
        let code = code.trim().to_lowercase();
        if !app.store.service_active(&code, &app.install.comune)? {
            unknown.push((
                index,
                format!(
                    "servizio «{code}» non presente nella mappa dei servizi in uso qui \
                     (services list)"
                ),
            ));
        }
    }
    Ok(unknown)
}

fn unknown_outcome(outcome: &str) -> AppError {
    AppError::new(
        ErrorCode::InputRefused,
        format!(
            "esito {outcome:?} non previsto, ammessi: {}",
            CASE_OUTCOME_CODES.join(", ")
        ),
    )
}

impl FrontOffice<'_> {
    /// The key of person digests: the district's, or this install's own.
    fn person_key_secret(&self) -> Result<String> {
        if let Some(key) = &self.install.district.contact_key {
            return Ok(key.to_lowercase());
        }
        if let Some(key) = self.store.setting(LOCAL_KEY_SETTING)? {
            return Ok(key);
        }
        let key = hex::encode(rand::random::<[u8; 32]>());
        self.store.set_setting(LOCAL_KEY_SETTING, &key)?;
        Ok(key)
    }

    /// Records contacts from a JSON text (one object or an array), all or none: a refusal
    /// names each contact, field and problem, and stores nothing.
    pub fn add_contacts(&mut self, text: &str) -> Result<ContactsAdded> {
        self.require(Action::RecordContacts)?;
        let at = now();
        let items = input::parse_items(text, "contatto")?;
        let kinds: Vec<_> = self
            .store
            .case_kinds()?
            .into_iter()
            .filter(|k| k.active)
            .map(|k| k.kind)
            .collect();
        let kinds = effective_case_kinds(&kinds);
        let mut problems = Vec::new();
        let mut checked = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let record = format!("contatto {}", i + 1);
            let input: ContactInput = match input::deserialize(item, &record) {
                Ok(input) => input,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
            match check_contact(&input, at, &self.install.district, &kinds) {
                Ok(c) => {
                    for (index, message) in check_service_ids(self, &c.services)? {
                        problems.push(Problem {
                            record: record.clone(),
                            field: format!("services[{index}]"),
                            code: "service_unknown".into(),
                            message,
                        });
                    }
                    checked.push(c);
                }
                Err(found) => problems.extend(found.into_iter().map(|p| Problem {
                    record: record.clone(),
                    field: p.field,
                    code: "field_invalid".into(),
                    message: p.message,
                })),
            }
        }
        if !problems.is_empty() {
            return Err(input::refused(problems, "nessun contatto è stato salvato"));
        }
        let secret = self.person_key_secret()?;
        let new: Vec<NewContact> = checked
            .iter()
            .map(|c| NewContact {
                contact: c,
                person_key: c
                    .identity
                    .as_ref()
                    .map(|i| sportello_store::person_key(&secret, &i.codice_fiscale)),
            })
            .collect();
        Ok(self.0.store.add_contacts(&new, at, &self.0.actor)?)
    }

    /// This comune's contacts from `from` to `to`; with `open`, those whose case is open;
    /// with `overdue`, those whose case is past its due date.
    pub fn contacts(
        &mut self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        open: bool,
        overdue: bool,
    ) -> Result<Vec<ContactView>> {
        self.require(Action::ReadContacts)?;
        let today = now().date_naive();
        let list: Vec<ContactView> = self
            .store
            .contacts(from, to, None)?
            .into_iter()
            .map(|c| contact_view(c, today))
            .filter(|c| {
                !open
                    || c.contact
                        .case
                        .as_ref()
                        .is_some_and(|k| k.closed_on.is_none())
            })
            .filter(|c| !overdue || c.overdue)
            .collect();
        self.audit_read(
            "contact_list",
            "contact",
            None,
            serde_json::json!({ "from": from, "to": to, "count": list.len() }),
        )?;
        Ok(list)
    }

    /// A person's history at this comune: contacts, open cases, applications to the bandi
    /// (servizio civico); an audited read.
    pub fn history(&mut self, codice_fiscale: &str) -> Result<PersonHistory> {
        self.require(Action::ReadContacts)?;
        let cf = sportello_domain::codice_fiscale::CodiceFiscale::parse(codice_fiscale)
            .map_err(|e| AppError::new(ErrorCode::InputRefused, e.to_string()))?;
        let today = now().date_naive();
        let contacts: Vec<ContactView> = self
            .store
            .contacts(None, None, Some(cf.as_str()))?
            .into_iter()
            .map(|c| contact_view(c, today))
            .collect();
        let open_cases = contacts
            .iter()
            .filter_map(|c| c.contact.case.clone())
            .filter(|k| k.closed_on.is_none())
            .map(|k| case_view(k, today))
            .collect();
        let filter = ApplicationFilter {
            person: Some(cf.as_str().to_string()),
            ..ApplicationFilter::default()
        };
        let applications = self
            .store
            .applications(&filter)?
            .applications
            .into_iter()
            .map(|a| HistoryApplication {
                application_code: a.application.code.clone(),
                case_number: a.case_number.clone(),
                bando: a.application.bando.clone(),
                comune: a.application.comune.clone(),
            })
            .collect();
        self.audit_read(
            "person_history",
            "person",
            None,
            serde_json::json!({ "contacts": contacts.len() }),
        )?;
        Ok(PersonHistory {
            codice_fiscale: cf.as_str().to_string(),
            contacts,
            open_cases,
            applications,
        })
    }

    /// The back office's work list: open cases by due date (overdue flagged), then, with
    /// `all`, the closed ones.
    pub fn cases(&mut self, all: bool) -> Result<Vec<CaseView>> {
        self.require(Action::ReadContacts)?;
        let today = now().date_naive();
        let cases = if all {
            self.store.cases()?
        } else {
            self.store.open_cases()?
        };
        Ok(cases.into_iter().map(|c| case_view(c, today)).collect())
    }

    /// Cases due within `DUE_SOON_DAYS` or overdue, most urgent first (the Home's to-do).
    pub fn cases_due(&self) -> Result<Vec<CaseDue>> {
        self.0.cases_due()
    }

    fn open_case(&self, number: i64) -> Result<StoredCase> {
        let case = self.store.case(number)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::UnknownRecord,
                format!(
                    "l'istruttoria n. {number} non esiste in questo comune (il numero è \
                         quello del contatto che l'ha aperta)"
                ),
            )
        })?;
        if let Some(closed) = case.closed_on {
            return Err(AppError::new(
                ErrorCode::InputRefused,
                format!(
                    "l'istruttoria n. {number} è già chiusa dal {}",
                    closed.format("%d/%m/%Y")
                ),
            ));
        }
        Ok(case)
    }

    /// Closes case `number` on `date` with `outcome` (a code of the outcomes), the note in
    /// its diary. Not before it opened, not in the future.
    pub fn close_case(
        &mut self,
        number: i64,
        date: &str,
        outcome: &str,
        note: Option<&str>,
    ) -> Result<CaseView> {
        self.require(Action::RecordContacts)?;
        let at = now();
        let on = crate::parse_date(date)?;
        if case_outcome_label(outcome).is_none() {
            return Err(unknown_outcome(outcome));
        }
        let case = self.open_case(number)?;
        if on < case.opened_on || on > at.date_naive() {
            return Err(AppError::new(
                ErrorCode::DateInvalid,
                format!(
                    "la data di chiusura va dal {} (apertura) a oggi",
                    case.opened_on.format("%d/%m/%Y")
                ),
            ));
        }
        let note = input::one_text("note", note, 4000)?;
        self.0
            .store
            .close_case(number, on, outcome, note.as_deref(), at, &self.0.actor)?;
        self.case_now(number)
    }

    /// A note or step in case `number`'s diary.
    pub fn note_case(&mut self, number: i64, text: &str) -> Result<CaseView> {
        self.require(Action::RecordContacts)?;
        let at = now();
        let text = input::one_text("text", Some(text), 4000)?.ok_or_else(|| {
            AppError::new(ErrorCode::InputEmpty, "la nota è vuota: scrivere il testo")
        })?;
        self.open_case(number)?;
        self.0.store.case_note(number, &text, at, &self.0.actor)?;
        self.case_now(number)
    }

    /// Assigns case `number` to `operator`, an operator of this install.
    pub fn assign_case(&mut self, number: i64, operator: &str) -> Result<CaseView> {
        self.require(Action::RecordContacts)?;
        let at = now();
        let known = self
            .store
            .operators()?
            .into_iter()
            .any(|o| o.username == operator && !o.disabled);
        if !known {
            return Err(AppError::new(
                ErrorCode::OperatorInvalid,
                format!("nessun operatore attivo {operator} in questa installazione"),
            ));
        }
        self.open_case(number)?;
        self.0
            .store
            .assign_case(number, operator, at, &self.0.actor)?;
        self.case_now(number)
    }

    fn case_now(&self, number: i64) -> Result<CaseView> {
        let today = now().date_naive();
        let case = self.store.case(number)?.expect("the case was just written");
        Ok(case_view(case, today))
    }

    /// Records whether the service took up the invio of contact `number` (on `date`, today
    /// when omitted).
    pub fn referral_taken_up(
        &mut self,
        number: i64,
        taken_up: bool,
        date: Option<&str>,
    ) -> Result<()> {
        self.require(Action::RecordContacts)?;
        let at = now();
        let on = date
            .map(crate::parse_date)
            .transpose()?
            .unwrap_or(at.date_naive());
        let contact = self.referral_contact(number)?;
        if on < contact.day || on > at.date_naive() {
            return Err(AppError::new(
                ErrorCode::DateInvalid,
                format!(
                    "la data va dal {} (invio) a oggi",
                    contact.day.format("%d/%m/%Y")
                ),
            ));
        }
        self.0
            .store
            .set_taken_up(number, taken_up, on, at, &self.0.actor)?;
        Ok(())
    }

    fn referral_contact(&self, number: i64) -> Result<StoredContact> {
        let contact = self.store.contact(number)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::UnknownRecord,
                format!("il contatto n. {number} non esiste in questo comune"),
            )
        })?;
        if contact.answer != Answer::Invio {
            return Err(AppError::new(
                ErrorCode::InputRefused,
                format!("il contatto n. {number} non è un invio a un servizio"),
            ));
        }
        Ok(contact)
    }

    /// Writes the scheda di invio of contact `number`, an invio; an audited read.
    pub fn print_referral(&mut self, number: i64, out: &Path) -> Result<PathBuf> {
        self.require(Action::RecordContacts)?;
        let c = self.referral_contact(number)?;
        let comune = self.comune_name(&self.install.comune);
        let person = match (&c.name, &c.surname) {
            (Some(n), Some(s)) => format!("{n} {s}"),
            _ => "Persona che ha chiesto di restare anonima".to_string(),
        };
        let paper = sportello_print::Referral {
            letterhead: self.0.documents().letterhead(format!("Comune di {comune}")),
            comune,
            number,
            day: c.day,
            person,
            codice_fiscale: c.codice_fiscale.clone(),
            to: c
                .referral_to
                .clone()
                .unwrap_or_else(|| c.services.join(", ")),
            services: c.services.clone(),
            needs: c
                .needs
                .iter()
                .map(|n| match &n.local_area {
                    Some(local) => format!("{} ({local})", area_label(n.area)),
                    None => area_label(n.area).to_string(),
                })
                .collect(),
            request: c.request.clone(),
            bring: c.referral_bring.clone(),
            operator: c.operator.clone(),
        };
        let bytes = sportello_print::referral(&paper)
            .map_err(|e| AppError::new(ErrorCode::PrintFailed, e.to_string()))?;
        crate::files::write_atomically(out, &bytes, false)?;
        self.audit_read(
            "print_referral",
            "contact",
            Some(&c.record_id),
            serde_json::json!({ "number": number }),
        )?;
        Ok(out.to_path_buf())
    }

    /// Records questionnaires from a JSON text (one object or an array), all or none.
    pub fn add_satisfaction(&mut self, text: &str) -> Result<usize> {
        self.require(Action::RecordContacts)?;
        let at = now();
        let items = input::parse_items(text, "questionario")?;
        let mut problems = Vec::new();
        let mut new = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let record = format!("questionario {}", i + 1);
            let s: SatisfactionInput = match input::deserialize(item, &record) {
                Ok(s) => s,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
            let mut problem = |field: &str, message: String| {
                problems.push(Problem {
                    record: record.clone(),
                    field: field.into(),
                    code: "field_invalid".into(),
                    message,
                })
            };
            let scores = [
                ("courtesy", s.courtesy),
                ("clarity", s.clarity),
                ("waiting", s.waiting),
                ("finding", s.finding),
            ];
            for (field, v) in scores {
                if v.is_some_and(|v| !(1..=5).contains(&v)) {
                    problem(field, "il punteggio va da 1 a 5".into());
                }
            }
            if scores.iter().all(|(_, v)| v.is_none()) {
                problem("courtesy", "il questionario non ha nessuna risposta".into());
            }
            let day = s.date.unwrap_or(at.date_naive());
            if day > at.date_naive() {
                problem("date", "la data è nel futuro".into());
            }
            let suggestion = match input::one_text("suggestion", s.suggestion.as_deref(), 4000) {
                Ok(t) => t,
                Err(e) => {
                    problem("suggestion", e.message);
                    None
                }
            };
            new.push(sportello_store::NewSatisfaction {
                day,
                courtesy: s.courtesy,
                clarity: s.clarity,
                waiting: s.waiting,
                finding: s.finding,
                suggestion,
            });
        }
        if !problems.is_empty() {
            return Err(input::refused(
                problems,
                "nessun questionario è stato salvato",
            ));
        }
        Ok(self.0.store.add_satisfaction(&new, at, &self.0.actor)?)
    }

    /// The observatory's statistics from `from` to `to`, of comune `comune` or of every comune
    /// held (at the capofila: the district).
    pub fn stats(&self, from: &str, to: &str, comune: Option<&str>) -> Result<FrontOfficeStats> {
        self.require(Action::ReadStatistics)?;
        let today = now().date_naive();
        let (from, to) = (crate::parse_date(from)?, crate::parse_date(to)?);
        if from > to {
            return Err(AppError::new(
                ErrorCode::DateInvalid,
                "il periodo finisce prima di cominciare: --from va prima di --to",
            ));
        }
        let district = &self.install.district;
        if let Some(c) = comune
            && district.comune(c).is_none()
        {
            return Err(AppError::new(
                ErrorCode::UnknownComune,
                format!("il comune {c} non fa parte del distretto {}", district.id),
            ));
        }
        // A comune holds its own records; the capofila everyone's.
        let counted: Vec<&sportello_domain::Comune> = match comune {
            Some(c) => district.comune(c).into_iter().collect(),
            None if self.install.is_capofila() => district.comuni.iter().collect(),
            None => district.comune(&self.install.comune).into_iter().collect(),
        };
        let population = counted
            .iter()
            .map(|c| c.population.map(u64::from))
            .sum::<Option<u64>>();
        let (contacts, cases, satisfaction) = self.store.front_office_facts(from, to)?;
        Ok(front_office_stats(
            &contacts,
            &cases,
            &satisfaction,
            from,
            to,
            today,
            comune,
            population,
        ))
    }
}

impl crate::Sportello {
    /// Cases due within `DUE_SOON_DAYS` or overdue, most urgent first (the Home's to-do).
    pub(crate) fn cases_due(&self) -> Result<Vec<CaseDue>> {
        if !self.operator.role.allows(Action::ReadContacts) {
            return Ok(Vec::new());
        }
        let today = now().date_naive();
        let due_by = today + chrono::Days::new(DUE_SOON_DAYS.unsigned_abs());
        Ok(self
            .store
            .cases_due(due_by)?
            .into_iter()
            .map(|c| CaseDue {
                id: c.number,
                kind: c.kind,
                due_on: c.due_on,
                overdue: rules::overdue(c.due_on, today),
                assigned_to: c.assigned_to,
            })
            .collect())
    }
}

fn case_view(case: StoredCase, today: NaiveDate) -> CaseView {
    let open = case.closed_on.is_none();
    CaseView {
        overdue: open && rules::overdue(case.due_on, today),
        days_left: open.then(|| (case.due_on - today).num_days()),
        within_target: case.closed_on.map(|c| rules::within_target(case.due_on, c)),
        case,
    }
}

fn contact_view(contact: StoredContact, today: NaiveDate) -> ContactView {
    let overdue = contact
        .case
        .as_ref()
        .is_some_and(|c| c.closed_on.is_none() && rules::overdue(c.due_on, today));
    ContactView { contact, overdue }
}
