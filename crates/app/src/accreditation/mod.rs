//! Accreditation of providers at the capofila (the notice, applications, the commission's
//! assessments, the register's statuses and yearly checks) and, at every install, the
//! register received with the publish bundles and the verification of certificates.
//!
//! An assessment names its outcome and, when accredited, the register number it reserves;
//! it is final once a coordinatore confirms it (`confirm`), which enters the provider in the
//! register. Assessing an application again is a correction: a new assessment that names the
//! one it corrects, with a reason, keeping the register number.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use sportello_domain::accreditation::{
    self, AssessmentInput, Notice, Outcome, ProviderApplication, Status,
};
use sportello_store::{NewAssessment, RegisterEntry, StatusChange, StoredAssessment, YearlyCheck};

use crate::{Action, AppError, ErrorCode, Problem, Result, TIME_ZONE, now};

pub(crate) mod certificate;

pub use certificate::{CERTIFICATE_MARK, RegisterPrinted, Verification};

crate::area!(
    /// Accreditation of providers: notice, applications, assessments, register, certificates.
    Accreditation,
    accreditation
);

/// The notice in force and where it comes from.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct NoticeView {
    /// False: the district's default (no notice imported).
    pub imported: bool,
    #[serde(flatten)]
    pub notice: Notice,
}

/// A filed application (`provider apply --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ProviderApplied {
    pub application_id: String,
    pub provider_id: String,
    pub new_provider: bool,
    pub tax_code: String,
    pub notice: String,
}

/// An assessment (`provider assess --json`, `provider confirm --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct AssessmentView {
    pub assessment_id: String,
    pub application_id: String,
    pub total: u32,
    pub pass_mark: u32,
    pub outcome: Outcome,
    pub reasons: Vec<String>,
    pub register_number: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    /// The assessment this one corrects.
    pub corrects: Option<String>,
    pub confirmed: bool,
    pub confirmed_by: Option<String>,
}

/// One entry of the register as shown (`provider list --json`): the entry's fields, its
/// `status` on today's date (scaduto once `valid_until` has passed), and names to show.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct RegisterLineView {
    #[serde(flatten)]
    pub entry: RegisterEntry,
    pub seat_name: String,
    pub service_names: Vec<String>,
}

/// The register held here (`provider list --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct RegisterView {
    /// When this copy was made: now at the capofila; at a comune, the last import of a
    /// capofila bundle (RFC 3339), none before the first.
    pub as_of: Option<String>,
    pub providers: Vec<RegisterLineView>,
}

/// An application with its assessments (`provider show ID --json`; `provider applications
/// --json` lists them all).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ProviderApplicationView {
    pub application_id: String,
    pub provider_id: String,
    pub filed_at: String,
    pub operator: String,
    /// The notice it was filed under (its gates and criteria are the ones to assess).
    pub notice: Notice,
    pub application: ProviderApplication,
    /// First to last; the last not corrected is the one in force.
    pub assessments: Vec<AssessmentView>,
}

/// A document or a registration near its expiry (the capofila's Home).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Expiring {
    pub register_number: String,
    pub legal_name: String,
    /// The document's kind (`durc`, `insurance` …); none for the registration itself.
    pub document: Option<String>,
    /// What expires, in Italian: the document's name, or `Iscrizione al registro`.
    pub what: String,
    pub expires: NaiveDate,
}

fn unknown(message: String) -> AppError {
    AppError::new(ErrorCode::UnknownProvider, message)
}

fn problems(record: &str, issues: Vec<accreditation::Issue>) -> Vec<Problem> {
    issues
        .into_iter()
        .map(|i| Problem {
            record: record.into(),
            field: i.field,
            code: i.code,
            message: i.message,
        })
        .collect()
}

pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(json: &str, what: &str) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        AppError::new(
            ErrorCode::JsonInvalid,
            format!(
                "{what} non valida: {}{}",
                if path == "." {
                    String::new()
                } else {
                    format!("{path}: ")
                },
                crate::civico::json_reason(&inner)
            ),
        )
    })
}

fn view(a: &StoredAssessment, pass_mark: u32) -> AssessmentView {
    AssessmentView {
        assessment_id: a.id.clone(),
        application_id: a.application_id.clone(),
        total: a.total,
        pass_mark,
        outcome: a.outcome,
        reasons: a.reasons.clone(),
        register_number: a.register_number.clone(),
        valid_from: a.valid_from,
        valid_until: a.valid_until,
        corrects: a.corrects.clone(),
        confirmed: a.confirmed_at.is_some(),
        confirmed_by: a.confirmed_by.clone(),
    }
}

impl Accreditation<'_> {
    /// The notice in force: the last imported, or the district's default.
    pub fn notice(&self) -> Result<NoticeView> {
        self.require(Action::ReadRegister)?;
        Ok(match self.store.notice()? {
            Some(notice) => NoticeView {
                imported: true,
                notice,
            },
            None => NoticeView {
                imported: false,
                notice: Notice::default(),
            },
        })
    }

    /// The capofila imports a notice (TOML): from now on the one that applies to new
    /// applications.
    pub fn import_notice(&mut self, toml: &str) -> Result<NoticeView> {
        self.require(Action::AccreditProviders)?;
        self.require_capofila("l'avviso di accreditamento")?;
        let at = now();
        let notice =
            Notice::from_toml(toml).map_err(|e| AppError::new(ErrorCode::NoticeInvalid, e))?;
        let actor = self.actor.clone();
        self.store.save_notice(&notice, at, &actor)?;
        Ok(NoticeView {
            imported: true,
            notice,
        })
    }

    /// Files a provider's application (JSON), checked against the notice in force.
    pub fn apply(&mut self, json: &str) -> Result<ProviderApplied> {
        self.require(Action::AccreditProviders)?;
        self.require_capofila("l'istanza di accreditamento")?;
        let at = now();
        let mut application: ProviderApplication = parse_json(json, "istanza")?;
        let notice = self.notice()?.notice;
        notice
            .accepts_on(at.with_timezone(&TIME_ZONE).date_naive())
            .map_err(|e| AppError::new(ErrorCode::InputRefused, e))?;
        let comuni: Vec<&str> = self
            .install
            .district
            .comuni
            .iter()
            .map(|c| c.istat.as_str())
            .collect();
        let issues = application.check(&notice, &comuni);
        if !issues.is_empty() {
            return Err(AppError::refused(
                "istanza di accreditamento non valida",
                problems("istanza", issues),
            ));
        }
        let actor = self.actor.clone();
        let filed = self
            .store
            .file_provider_application(&application, &notice, at, &actor)?;
        Ok(ProviderApplied {
            application_id: filed.application_id,
            provider_id: filed.provider_id,
            new_provider: filed.new_provider,
            tax_code: application.tax_code,
            notice: notice.id,
        })
    }

    /// The commission's assessment of application `id` (JSON). When the application was
    /// assessed before, this is a correction: `reason` is required, the latest assessment is
    /// the one corrected and its register number is kept.
    pub fn assess(
        &mut self,
        application_id: &str,
        json: &str,
        reason: Option<&str>,
    ) -> Result<AssessmentView> {
        self.require(Action::AccreditProviders)?;
        self.require_capofila("la valutazione delle istanze di accreditamento")?;
        let at = now();
        let today = at.with_timezone(&TIME_ZONE).date_naive();
        let input: AssessmentInput = parse_json(json, "valutazione")?;
        let stored = self
            .store
            .provider_application(application_id)?
            .ok_or_else(|| unknown(format!("nessuna istanza {application_id}")))?;
        let judged = accreditation::assess(&stored.notice, &input).map_err(|issues| {
            AppError::refused("valutazione non valida", problems("valutazione", issues))
        })?;
        let previous = self.store.assessments_of(application_id)?.pop();
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if previous.is_some() && reason.is_none() {
            return Err(AppError::new(
                ErrorCode::ReasonMissing,
                "l'istanza è già stata valutata: una nuova valutazione la corregge e ne va \
                 indicato il motivo",
            ));
        }
        let accredited = judged.outcome == Outcome::Accreditato;
        let keep = previous.as_ref().and_then(|p| p.register_number.clone());
        // A correction keeps the validity the register already runs on.
        let valid_from = accredited.then(|| {
            previous
                .as_ref()
                .and_then(|p| p.valid_from)
                .unwrap_or(today)
        });
        let valid_until = valid_from.map(|from| stored.notice.valid_until(from));
        let data = serde_json::to_string(&input).expect("plain data serialises");
        let actor = self.actor.clone();
        let recorded = self.store.record_assessment(
            &NewAssessment {
                application_id,
                corrects: previous.as_ref().map(|p| p.id.as_str()),
                reason,
                data: &data,
                total: judged.total,
                outcome: judged.outcome,
                reasons: &judged.reasons,
                keep_number: keep.as_deref(),
                valid_from,
                valid_until,
            },
            at,
            &actor,
        )?;
        Ok(view(&recorded, judged.pass_mark))
    }

    /// Every application recorded, first filed first, with its assessments.
    pub fn applications(&self) -> Result<Vec<ProviderApplicationView>> {
        self.require(Action::AccreditProviders)?;
        self.require_capofila("l'elenco delle istanze di accreditamento")?;
        self.store
            .provider_application_ids()?
            .iter()
            .map(|id| self.application_view(id))
            .collect()
    }

    /// Application `id` with its assessments.
    pub fn application(&self, id: &str) -> Result<ProviderApplicationView> {
        self.require(Action::AccreditProviders)?;
        self.require_capofila("le istanze di accreditamento")?;
        self.application_view(id)
    }

    fn application_view(&self, id: &str) -> Result<ProviderApplicationView> {
        let stored = self
            .store
            .provider_application(id)?
            .ok_or_else(|| unknown(format!("nessuna istanza {id}")))?;
        let pass_mark = stored.notice.pass_mark;
        Ok(ProviderApplicationView {
            assessments: self
                .store
                .assessments_of(id)?
                .iter()
                .map(|a| view(a, pass_mark))
                .collect(),
            application_id: stored.id,
            provider_id: stored.provider_id,
            filed_at: stored.filed_at,
            operator: stored.operator,
            notice: stored.notice,
            application: stored.application,
        })
    }

    /// A coordinatore confirms an assessment: final from now; an accredited provider enters
    /// the register (or its entry is updated by a correction); a correction that no longer
    /// accredits revokes the entry.
    pub fn confirm(&mut self, assessment_id: &str) -> Result<AssessmentView> {
        self.require(Action::ConfirmAssessments)?;
        self.require_capofila("la conferma delle valutazioni")?;
        let at = now();
        let today = at.with_timezone(&TIME_ZONE).date_naive();
        let a = self
            .store
            .assessment(assessment_id)?
            .ok_or_else(|| unknown(format!("nessuna valutazione {assessment_id}")))?;
        if a.confirmed_at.is_some() {
            return Err(AppError::new(
                ErrorCode::AssessmentClosed,
                format!("la valutazione {assessment_id} è già confermata"),
            ));
        }
        if let Some(by) = &a.corrected_by {
            return Err(AppError::new(
                ErrorCode::AssessmentClosed,
                format!("la valutazione {assessment_id} è stata corretta dalla valutazione {by}"),
            ));
        }
        let stored = self
            .store
            .provider_application(&a.application_id)?
            .ok_or_else(|| unknown(format!("nessuna istanza {}", a.application_id)))?;
        let held = match &a.register_number {
            Some(n) => self.store.register_entry(n)?,
            None => None,
        };
        let operator = self.actor.0.clone();
        let entry = match (a.outcome, &a.register_number, held) {
            (Outcome::Accreditato, Some(number), held) => {
                let p = &stored.application;
                let mut history = held.as_ref().map(|h| h.history.clone()).unwrap_or_default();
                let status = match &held {
                    Some(h) => h.status,
                    None => {
                        history.push(StatusChange {
                            status: Status::Attivo,
                            on: today,
                            reason: "iscrizione nel registro".into(),
                            operator: operator.clone(),
                        });
                        Status::Attivo
                    }
                };
                Some(RegisterEntry {
                    register_number: number.clone(),
                    entered_on: held.as_ref().map_or(today, |h| h.entered_on),
                    tax_code: p.tax_code.clone(),
                    legal_name: p.legal_name.clone(),
                    legal_form: p.legal_form.clone(),
                    seat_istat: p.seat_istat.clone(),
                    offices: p.offices.clone(),
                    representative_name: p.legal_representative.name.clone(),
                    representative_role: p.legal_representative.role.clone(),
                    services: p.services.clone(),
                    comuni: p.comuni.clone(),
                    score: a.total,
                    valid_from: a.valid_from.unwrap_or(today),
                    valid_until: a
                        .valid_until
                        .unwrap_or_else(|| stored.notice.valid_until(today)),
                    status,
                    history,
                    documents: p.documents.clone(),
                    checks: held.map(|h| h.checks).unwrap_or_default(),
                })
            }
            (Outcome::NonAccreditato, Some(_), Some(mut h)) if h.status != Status::Revocato => {
                h.status = Status::Revocato;
                h.history.push(StatusChange {
                    status: Status::Revocato,
                    on: today,
                    reason: format!(
                        "valutazione corretta: {}",
                        a.reason.clone().unwrap_or_default()
                    ),
                    operator: operator.clone(),
                });
                Some(h)
            }
            _ => None,
        };
        let actor = self.actor.clone();
        self.store
            .confirm_assessment(assessment_id, entry.as_ref(), at, &actor)?;
        let confirmed = self
            .store
            .assessment(assessment_id)?
            .ok_or_else(|| unknown(format!("nessuna valutazione {assessment_id}")))?;
        Ok(view(&confirmed, stored.notice.pass_mark))
    }

    /// The register held here, filtered by service and by comune covered.
    pub fn register(&self, service: Option<&str>, comune: Option<&str>) -> Result<RegisterView> {
        self.register_at(service, comune, now())
    }

    pub(crate) fn register_at(
        &self,
        service: Option<&str>,
        comune: Option<&str>,
        at: DateTime<FixedOffset>,
    ) -> Result<RegisterView> {
        self.require(Action::ReadRegister)?;
        let today = at.with_timezone(&TIME_ZONE).date_naive();
        let notice = self.store.notice()?.unwrap_or_default();
        let providers = self
            .store
            .register()?
            .into_iter()
            .filter(|e| service.is_none_or(|s| e.services.iter().any(|x| x == s)))
            .filter(|e| comune.is_none_or(|c| e.comuni.iter().any(|x| x == c)))
            .map(|e| self.line(e, &notice, today))
            .collect();
        Ok(RegisterView {
            as_of: self.register_as_of(at)?,
            providers,
        })
    }

    fn line(&self, mut e: RegisterEntry, notice: &Notice, today: NaiveDate) -> RegisterLineView {
        e.status = accreditation::status_on(e.status, e.valid_until, today);
        RegisterLineView {
            seat_name: self.comune_name(&e.seat_istat),
            service_names: e.services.iter().map(|s| notice.service_name(s)).collect(),
            entry: e,
        }
    }

    /// The date of the register held here: now at the capofila, the last import of the
    /// capofila's bundles at a comune.
    pub(crate) fn register_as_of(&self, at: DateTime<FixedOffset>) -> Result<Option<String>> {
        if self.install.is_capofila() {
            return Ok(Some(at.to_rfc3339()));
        }
        Ok(self
            .store
            .last_import_from(&self.install.district.capofila)?)
    }

    fn entry(&self, number: &str) -> Result<RegisterEntry> {
        self.store
            .register_entry(number)?
            .ok_or_else(|| unknown(format!("nessun ente iscritto con il numero {number}")))
    }

    /// Sets a registration's status (attivo, sospeso, revocato) from `on`, with its reason.
    pub fn set_status(
        &mut self,
        number: &str,
        status: &str,
        reason: &str,
        on: NaiveDate,
    ) -> Result<RegisterLineView> {
        self.require(Action::AccreditProviders)?;
        self.require_capofila("lo stato delle iscrizioni al registro")?;
        let at = now();
        let Some(to) = Status::settable(status) else {
            return Err(AppError::new(
                ErrorCode::StatusRefused,
                format!(
                    "stato «{status}» non ammesso: attivo, sospeso o revocato (scaduto segue \
                     dalla data)"
                ),
            ));
        };
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::new(
                ErrorCode::ReasonMissing,
                "manca il motivo del cambio di stato",
            ));
        }
        self.change_entry(number, "provider_status", at, |entry, operator| {
            accreditation::check_status_change(entry.status, to, entry.valid_until, on)
                .map_err(|e| AppError::new(ErrorCode::StatusRefused, e))?;
            entry.status = to;
            entry.history.push(StatusChange {
                status: to,
                on,
                reason: reason.into(),
                operator: operator.into(),
            });
            Ok(())
        })
    }

    /// Changes register entry `number` by `edit` (given the operator's username), audited
    /// as `action`; the entry as it reads now.
    fn change_entry(
        &mut self,
        number: &str,
        action: &str,
        at: DateTime<FixedOffset>,
        edit: impl FnOnce(&mut RegisterEntry, &str) -> Result<()>,
    ) -> Result<RegisterLineView> {
        let mut entry = self.entry(number)?;
        let actor = self.actor.clone();
        edit(&mut entry, &actor.0)?;
        self.store
            .update_register_entry(&entry, action, at, &actor)?;
        let notice = self.store.notice()?.unwrap_or_default();
        Ok(self.line(entry, &notice, at.with_timezone(&TIME_ZONE).date_naive()))
    }

    /// Records a yearly check (DURC, insurance, staff) of a registration.
    pub fn record_check(
        &mut self,
        number: &str,
        on: NaiveDate,
        passed: bool,
        note: &str,
    ) -> Result<RegisterLineView> {
        self.require(Action::AccreditProviders)?;
        self.require_capofila("le verifiche annuali degli enti accreditati")?;
        let at = now();
        self.change_entry(number, "provider_check", at, |entry, operator| {
            entry.checks.push(YearlyCheck {
                on,
                passed,
                note: note.trim().into(),
                operator: operator.into(),
            });
            Ok(())
        })
    }

    /// Replaces a registered provider's document (a renewed DURC, a new policy).
    pub fn renew_document(
        &mut self,
        number: &str,
        kind: &str,
        json: &str,
    ) -> Result<RegisterLineView> {
        self.require(Action::AccreditProviders)?;
        self.require_capofila("i documenti degli enti accreditati")?;
        let at = now();
        let document: accreditation::Document = parse_json(json, "documento")?;
        let issues = accreditation::check_document(kind, &document);
        if !issues.is_empty() {
            return Err(AppError::refused(
                "documento non valido",
                problems("documento", issues),
            ));
        }
        self.change_entry(number, "provider_document", at, |entry, _| {
            entry.documents.insert(kind.into(), document);
            Ok(())
        })
    }
}

impl crate::Sportello {
    /// At the capofila: documents expiring within `DOCUMENT_NOTICE_DAYS` and registrations
    /// within `REGISTRATION_NOTICE_DAYS` of `today`, of registrations neither revoked nor
    /// expired, soonest first.
    pub(crate) fn accreditation_expiring(&self, today: NaiveDate) -> Result<Vec<Expiring>> {
        if !self.install.is_capofila() || !self.operator.role.allows(Action::AccreditProviders) {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for e in self.store.register()? {
            if matches!(
                accreditation::status_on(e.status, e.valid_until, today),
                Status::Revocato | Status::Scaduto
            ) {
                continue;
            }
            for (kind, doc) in &e.documents {
                if let Some(expires) = doc.expires
                    && accreditation::expiring(expires, today, accreditation::DOCUMENT_NOTICE_DAYS)
                {
                    out.push(Expiring {
                        register_number: e.register_number.clone(),
                        legal_name: e.legal_name.clone(),
                        document: Some(kind.clone()),
                        what: accreditation::DOCUMENT_KINDS
                            .iter()
                            .find(|(k, _)| k == kind)
                            .map_or_else(|| kind.clone(), |(_, name)| (*name).to_string()),
                        expires,
                    });
                }
            }
            if accreditation::expiring(
                e.valid_until,
                today,
                accreditation::REGISTRATION_NOTICE_DAYS,
            ) {
                out.push(Expiring {
                    register_number: e.register_number.clone(),
                    legal_name: e.legal_name.clone(),
                    document: None,
                    what: "Iscrizione al registro".into(),
                    expires: e.valid_until,
                });
            }
        }
        out.sort_by(|a, b| (a.expires, &a.register_number).cmp(&(b.expires, &b.register_number)));
        Ok(out)
    }
}

/// The day of an RFC 3339 instant in Italy.
pub(crate) fn italian_day(instant: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(instant)
        .ok()
        .map(|t| t.with_timezone(&TIME_ZONE).date_naive())
}
