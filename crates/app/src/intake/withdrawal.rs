//! The applicant's withdrawal (rinuncia alla domanda): recorded at the comune of filing with
//! the date on the signed rinuncia, audited, sent to the capofila with the next bundle; the
//! next ranking leaves the application out. A withdrawal recorded by mistake is annulled, with
//! its reason, by a role that corrects applications.

use chrono::NaiveDate;
use serde::Serialize;
use sportello_store::{Withdrawal, WithdrawalChange};

use super::Intake;
use crate::{AppError, ErrorCode, Result, TIME_ZONE, now};

/// An application's withdrawal as it stands after a change (`application withdraw --json`,
/// `application annul-withdrawal --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct WithdrawalChanged {
    pub application_code: String,
    pub case_number: String,
    pub withdrawal: Withdrawal,
}

impl Intake<'_> {
    /// Records that the applicant withdrew application `code` on `on` (the date on the signed
    /// rinuncia, today when not given: not after today, not before the filing day), with an
    /// optional note.
    pub fn withdraw_application(
        &mut self,
        code: &str,
        on: Option<NaiveDate>,
        note: Option<&str>,
    ) -> Result<WithdrawalChanged> {
        self.require(crate::Action::WithdrawApplications)?;
        let at = now();
        let on = on.unwrap_or_else(|| at.date_naive());
        let stored = self.owned(code, "registrare la rinuncia")?;
        if let Some(w) = self.store.withdrawal(code)?.filter(|w| w.in_force()) {
            return Err(AppError::new(
                ErrorCode::ApplicationWithdrawn,
                format!(
                    "la rinuncia alla domanda {code} è già registrata (del {})",
                    w.withdrawn_on.format("%d/%m/%Y")
                ),
            ));
        }
        let filed_on = stored
            .application
            .filed_at
            .with_timezone(&TIME_ZONE)
            .date_naive();
        if on > at.date_naive() {
            return Err(AppError::new(
                ErrorCode::DateInvalid,
                format!(
                    "la data della rinuncia ({}) è nel futuro: indicare la data scritta sulla \
                     rinuncia firmata",
                    on.format("%d/%m/%Y")
                ),
            ));
        }
        if on < filed_on {
            return Err(AppError::new(
                ErrorCode::DateInvalid,
                format!(
                    "la data della rinuncia ({}) è precedente alla presentazione della domanda \
                     ({}): controllare la data scritta sulla rinuncia firmata",
                    on.format("%d/%m/%Y"),
                    filed_on.format("%d/%m/%Y")
                ),
            ));
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if let Some(p) = note.and_then(|n| sportello_domain::intake::check_text("note", n, true)) {
            return Err(AppError::new(
                p.code.parse().unwrap_or(ErrorCode::InputRefused),
                format!("nota della rinuncia: {}", p.message),
            ));
        }
        self.0.store.change_withdrawal(
            code,
            &WithdrawalChange::Record { on, note },
            at,
            &self.0.actor,
        )?;
        self.changed(stored)
    }

    /// Annuls the withdrawal of application `code` recorded by mistake: the application
    /// competes again from the next ranking. The reason is required and stays in the record.
    pub fn annul_withdrawal(&mut self, code: &str, reason: &str) -> Result<WithdrawalChanged> {
        self.require(crate::Action::CorrectApplications)?;
        let at = now();
        let stored = self.owned(code, "annullare la rinuncia")?;
        if !self.store.withdrawal(code)?.is_some_and(|w| w.in_force()) {
            return Err(AppError::new(
                ErrorCode::NotWithdrawn,
                format!("la domanda {code} non ha una rinuncia registrata da annullare"),
            ));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::new(
                ErrorCode::ReasonMissing,
                "manca il motivo dell'annullamento della rinuncia: è obbligatorio e resta nella \
                 storia della domanda",
            ));
        }
        if let Some(p) = sportello_domain::intake::check_text("reason", reason, true) {
            return Err(AppError::new(
                p.code.parse().unwrap_or(ErrorCode::InputRefused),
                format!("motivo dell'annullamento: {}", p.message),
            ));
        }
        self.0.store.change_withdrawal(
            code,
            &WithdrawalChange::Annul { reason },
            at,
            &self.0.actor,
        )?;
        self.changed(stored)
    }

    fn changed(&self, stored: sportello_store::StoredApplication) -> Result<WithdrawalChanged> {
        let code = stored.application.code;
        let withdrawal = self.store.withdrawal(&code)?.ok_or_else(|| {
            AppError::new(ErrorCode::Internal, "rinuncia registrata ma non riletta")
        })?;
        Ok(WithdrawalChanged {
            application_code: code,
            case_number: stored.case_number,
            withdrawal,
        })
    }

    /// This comune's application `code`, for a change only its comune of filing makes.
    pub(crate) fn owned(
        &self,
        code: &str,
        what: &str,
    ) -> Result<sportello_store::StoredApplication> {
        let stored = self
            .store
            .application_by_code(code)?
            .ok_or_else(|| super::revisions::unknown(code))?;
        if stored.owner != self.install.comune {
            return Err(AppError::new(
                ErrorCode::NotOwner,
                format!(
                    "la domanda {code} è stata presentata al comune {}: solo quel comune può {what}",
                    self.comune_name(&stored.owner)
                ),
            ));
        }
        Ok(stored)
    }
}
