//! Complaints (reclami) about servizio civico, from the host office or from the participant:
//! recorded by the comune, handled and closed with how; counted by the half-year monitoring.

use chrono::NaiveDate;
use sportello_store::Complaint;

use super::{Civico, refused};
use crate::{ErrorCode, Result, now};

impl Civico<'_> {
    /// Records a complaint about this comune's participant `code` (one with a project), from
    /// `source` (`host` or `participant`), received on `on` (today when absent); its id.
    pub fn add_complaint(
        &mut self,
        code: &str,
        source: &str,
        text: &str,
        on: Option<NaiveDate>,
    ) -> Result<String> {
        self.require(crate::Action::RecordCalls)?;
        let at = now();
        let on = on.unwrap_or_else(|| at.date_naive());
        if !matches!(source, "host" | "participant") {
            return Err(refused(
                ErrorCode::InputRefused,
                format!(
                    "provenienza «{source}» non prevista: host (la sede che ospita) o participant \
                     (il partecipante)"
                ),
            ));
        }
        if !self.participants()?.contains_key(code) {
            return Err(refused(
                ErrorCode::CallOutOfOrder,
                format!(
                    "la domanda {code} non ha un progetto di servizio civico in questo comune: i \
                     reclami riguardano i partecipanti"
                ),
            ));
        }
        let text = text.trim();
        if text.is_empty() {
            return Err(refused(
                ErrorCode::ReasonMissing,
                "manca il testo del reclamo".to_string(),
            ));
        }
        if let Some(p) = sportello_domain::intake::check_text("text", text, true) {
            return Err(refused(
                p.code.parse().unwrap_or(ErrorCode::InputRefused),
                format!("testo del reclamo: {}", p.message),
            ));
        }
        if on > at.date_naive() {
            return Err(refused(
                ErrorCode::DateInvalid,
                format!(
                    "la data del reclamo ({}) è nel futuro",
                    on.format("%d/%m/%Y")
                ),
            ));
        }
        Ok(self
            .0
            .store
            .add_complaint(code, source, text, on, at, &self.0.actor)?)
    }

    /// Closes an open complaint of this comune with how it was handled.
    pub fn close_complaint(&mut self, id: &str, outcome: &str) -> Result<()> {
        self.require(crate::Action::RecordCalls)?;
        let at = now();
        let outcome = outcome.trim();
        if outcome.is_empty() {
            return Err(refused(
                ErrorCode::ReasonMissing,
                "manca l'esito: scrivere come è stato gestito il reclamo".to_string(),
            ));
        }
        if let Some(p) = sportello_domain::intake::check_text("outcome", outcome, true) {
            return Err(refused(
                p.code.parse().unwrap_or(ErrorCode::InputRefused),
                format!("esito del reclamo: {}", p.message),
            ));
        }
        self.0
            .store
            .close_complaint(id, outcome, at, &self.0.actor)?;
        Ok(())
    }

    /// The complaints held, oldest first; only the open ones when asked.
    pub fn complaints(&self, open_only: bool) -> Result<Vec<Complaint>> {
        self.require(crate::Action::ReadApplications)?;
        let mut list = self.store.complaints()?;
        if open_only {
            list.retain(|c| c.closed_at.is_none());
        }
        self.audit_read(
            "civico_complaint_list",
            "complaint",
            None,
            serde_json::json!({ "rows": list.len() }),
        )?;
        Ok(list)
    }
}
