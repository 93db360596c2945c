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

impl Civico<'_> {
    /// Records the check of this comune's participant `code` from the JSON shape of `civico
    /// check` (`stage` itinere or finale, `date`, `tasks_done`, `training`, `skills`,
    /// `employed_after`): in itinere during the project, at the end once the service ended.
    pub fn record_check(&mut self, code: &str, json: &str) -> Result<()> {
        self.require(crate::Action::RecordCalls)?;
        let at = now();
        let check: sportello_store::ParticipantCheck = serde_json::from_str(json).map_err(|e| {
            refused(
                ErrorCode::JsonInvalid,
                format!("verifica non valida: {}", super::json_reason(&e)),
            )
        })?;
        let participants = self.participants()?;
        let Some(p) = participants.get(code) else {
            return Err(refused(
                ErrorCode::CallOutOfOrder,
                format!("la domanda {code} non ha un progetto di servizio civico in questo comune"),
            ));
        };
        let ended = {
            let stored = self.store.application_by_code(code)?;
            let bando = stored.map(|s| s.application.bando).unwrap_or_default();
            self.store
                .call_events(&bando)?
                .remove(code)
                .and_then(|e| e.last().map(|l| l.kind))
                .is_some_and(|k| {
                    matches!(
                        k,
                        sportello_domain::civico::CallEventKind::Completed
                            | sportello_domain::civico::CallEventKind::Ended
                    )
                })
        };
        let problem = match check.stage.as_str() {
            "itinere" if check.date < p.project.start || check.date > p.project.end => {
                Some(format!(
                    "la verifica in itinere del {} è fuori dal progetto (dal {} al {})",
                    check.date.format("%d/%m/%Y"),
                    p.project.start.format("%d/%m/%Y"),
                    p.project.end.format("%d/%m/%Y")
                ))
            }
            "itinere" => None,
            "finale" if !ended => {
                Some("la verifica finale si registra a servizio finito (civico end)".to_string())
            }
            "finale" => None,
            other => Some(format!(
                "fase «{other}» non prevista: itinere (durante il servizio) o finale"
            )),
        };
        if let Some(message) = problem {
            return Err(refused(ErrorCode::CallOutOfOrder, message));
        }
        if check.date > at.date_naive() {
            return Err(refused(
                ErrorCode::DateInvalid,
                format!(
                    "la data della verifica ({}) è nel futuro",
                    check.date.format("%d/%m/%Y")
                ),
            ));
        }
        if check.tasks_done.trim().is_empty() {
            return Err(refused(
                ErrorCode::ReasonMissing,
                "mancano le attività svolte".to_string(),
            ));
        }
        for (what, text) in [
            ("attività svolte", Some(check.tasks_done.as_str())),
            ("formazione", check.training.as_deref()),
            ("competenze", check.skills.as_deref()),
        ] {
            if let Some(p) =
                text.and_then(|t| sportello_domain::intake::check_text("text", t, true))
            {
                return Err(refused(
                    p.code.parse().unwrap_or(ErrorCode::InputRefused),
                    format!("{what}: {}", p.message),
                ));
            }
        }
        self.0.store.save_check(code, &check, at, &self.0.actor)?;
        Ok(())
    }
}
