//! The home screen: what needs the operator's attention.

use serde::Serialize;
use sportello_store::{BundleOut, ImportLogEntry};
use sportello_sync::Role;

use crate::ranking::Stage;
use crate::{Result, Sportello};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Overview {
    pub install: crate::InstallInfo,
    pub fingerprint: String,
    /// Applications recorded here.
    pub applications: usize,
    /// Own applications in no bundle yet (a comune's to-do: export).
    pub unsent_applications: i64,
    /// Own applications sent in a bundle the capofila has not acknowledged yet.
    pub awaiting_applications: i64,
    /// Comuni whose keys the capofila trusts; at a comune, whether the capofila's key is known.
    pub enrolled_comuni: Vec<String>,
    pub capofila_trusted: bool,
    pub last_export: Option<BundleOut>,
    pub last_import: Option<ImportLogEntry>,
    /// Every file of the last import (one `bundle import` of one or more files).
    pub last_import_batch: Vec<ImportLogEntry>,
    pub bandi: Vec<BandoStatus>,
    /// When the last backup was made (RFC 3339), if ever.
    pub last_backup_at: Option<String>,
    /// A backup is due (none yet, or the last older than `REMINDER_DAYS`) and this operator
    /// may make it.
    pub backup_due: bool,
    /// Servizio civico: this comune's applicants not yet in service with fewer than
    /// `NEARING_DAYS` left before the start target (or past it), most urgent first.
    pub waiting_start: Vec<WaitingStart>,
    /// Servizio civico: applicants called more than the bando's days to answer ago without an
    /// answer (the comune may record the decadenza, which calls the next idoneo).
    pub answers_overdue: Vec<String>,
    /// Capofila, for who keeps the map of services: its entries in use without a provider or
    /// not reviewed for the district's months (`services stale` lists them).
    pub services_to_review: usize,
    /// Front office: open cases due within `DUE_SOON_DAYS` (3) or overdue, most urgent first
    /// (for who reads contacts).
    pub cases_due: Vec<crate::CaseDue>,
    /// Accreditation, at the capofila: providers' documents expiring within 30 days and
    /// registrations within 90 (already expired ones too, while the registration runs),
    /// soonest first.
    pub accreditation_expiring: Vec<crate::Expiring>,
}

/// An applicant of the call list still to start the service.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct WaitingStart {
    pub bando: String,
    pub application_code: String,
    pub days_since_filing: i64,
    pub over_target: bool,
}

/// How many days before the start target an applicant is listed on the Home.
pub const NEARING_DAYS: i64 = 10;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct BandoStatus {
    pub id: String,
    pub title: String,
    pub opens: String,
    pub closes: String,
    /// Latest published ranking: its number and stage, if any.
    pub ranking_number: Option<i64>,
    pub ranking_stage: Option<Stage>,
    pub ranking_published_at: Option<String>,
}

impl Sportello {
    pub fn overview(&self) -> Result<Overview> {
        let last_backup = self.last_backup_at()?;
        let backup_due = self.operator.role.allows(crate::Action::MakeBackups)
            && last_backup
                .is_none_or(|at| crate::now() - at > chrono::Duration::days(crate::REMINDER_DAYS));
        let trust = self.trust_list()?;
        let capofila = &self.install.district.capofila;
        let acked = self.store.peer(capofila)?.acked_version;
        let (unsent, awaiting) = if self.install.is_capofila() {
            (0, 0)
        } else {
            let own = &self.install.comune;
            let sent = self.store.last_sent_version(capofila)?.max(acked);
            let unsent = self.store.applications_changed_since(own, sent)?;
            let unacked = self.store.applications_changed_since(own, acked)?;
            (unsent, unacked - unsent)
        };
        let today = crate::now().date_naive();
        let mut bandi = Vec::new();
        let mut waiting_start = Vec::new();
        let mut answers_overdue = Vec::new();
        for b in self.store.bandi()? {
            // Only where a definitive ranking has come, and for who reads outcomes.
            if self.operator.role.allows(crate::Action::ReadOutcomes)
                && let Ok(calls) = self.comune_calls_watched(&b.id, today)
            {
                let target = i64::from(b.rules.start_target_days);
                answers_overdue.extend(
                    calls
                        .iter()
                        .filter(|c| c.answer_overdue)
                        .map(|c| c.application_code.clone()),
                );
                waiting_start.extend(
                    calls
                        .into_iter()
                        .filter(|c| {
                            c.start_date.is_none()
                                && crate::civico::waiting_start(c.state)
                                && c.days_since_filing >= target - NEARING_DAYS
                        })
                        .map(|c| WaitingStart {
                            bando: b.id.clone(),
                            application_code: c.application_code,
                            days_since_filing: c.days_since_filing,
                            over_target: c.over_target,
                        }),
                );
            }
            let latest = self.store.latest_ranking_head(&b.id)?;
            bandi.push(BandoStatus {
                opens: b.opens.to_string(),
                closes: b.closes.to_string(),
                ranking_number: latest.as_ref().map(|r| r.0),
                ranking_stage: latest.as_ref().and_then(|r| Stage::parse(&r.1)),
                ranking_published_at: latest.map(|r| r.2),
                id: b.id,
                title: b.title,
            });
        }
        Ok(Overview {
            install: self.install_info(),
            fingerprint: self.key_fingerprint()?,
            applications: self.store.count_applications()?,
            unsent_applications: unsent,
            awaiting_applications: awaiting,
            enrolled_comuni: trust
                .entries()
                .iter()
                .filter(|e| e.role == Role::Comune && e.comune != self.install.comune)
                .map(|e| e.comune.clone())
                .collect(),
            capofila_trusted: trust.capofila().is_some(),
            last_export: self.store.bundles_out(1)?.into_iter().next(),
            last_import: self.store.import_log(1)?.into_iter().next(),
            last_import_batch: self.store.last_import_batch()?,
            bandi,
            last_backup_at: last_backup.map(|t| t.to_rfc3339()),
            backup_due,
            waiting_start: {
                waiting_start.sort_by_key(|w| std::cmp::Reverse(w.days_since_filing));
                waiting_start
            },
            answers_overdue,
            services_to_review: if self.install.is_capofila()
                && self.operator.role.allows(crate::Action::ManageServices)
            {
                self.stale_services(today)?.len()
            } else {
                0
            },
            cases_due: self.cases_due()?,
            accreditation_expiring: self.accreditation_expiring(today)?,
        })
    }
}
