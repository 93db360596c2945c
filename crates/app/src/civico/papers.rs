//! The papers of a participant's project: the project itself, to be signed by the
//! participant, the tutor and the responsabile, and the lettera di avvio.

use std::path::{Path, PathBuf};

use super::{Civico, refused};
use crate::{ErrorCode, Result, now};

/// Which paper of the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectPaper {
    Project,
    StartLetter,
}

impl Civico<'_> {
    /// Writes the project paper of this comune's participant `code` to `out`.
    pub fn print_project(
        &mut self,
        code: &str,
        paper: ProjectPaper,
        out: &Path,
    ) -> Result<PathBuf> {
        self.require(crate::Action::PrintReceipts)?;
        let at = now();
        let participants = self.participants()?;
        let p = participants.get(code).ok_or_else(|| {
            refused(
                ErrorCode::CallOutOfOrder,
                format!(
                    "la domanda {code} non ha un progetto di servizio civico in questo comune \
                     (civico project)"
                ),
            )
        })?;
        let stored = self.store.application_by_code(code)?.ok_or_else(|| {
            refused(
                ErrorCode::UnknownApplication,
                format!("la domanda {code} non esiste in questa installazione"),
            )
        })?;
        let bando = self.bando(&stored.application.bando)?;
        let person = &stored.application.declaration.applicant.person;
        let comune = self.comune_name(&self.install.comune);
        let euro = sportello_domain::money::euro;
        let document = sportello_print::ProjectDocument {
            letterhead: self.0.documents().letterhead(format!("Comune di {comune}")),
            comune,
            bando_title: bando.title,
            application_code: code.to_string(),
            surname: person.surname.clone(),
            name: person.name.clone(),
            codice_fiscale: person.codice_fiscale.clone(),
            sector: p
                .rules
                .sectors
                .iter()
                .find(|s| s.id == p.project.sector)
                .map_or_else(|| p.project.sector.clone(), |s| s.name.clone()),
            site: p.project.site.clone(),
            office: p.project.office.clone(),
            tutor: p.project.tutor.clone(),
            start: p.project.start,
            end: p.project.end,
            weekly_hours: p.project.weekly_hours.normalize().to_string(),
            schedule: p.project.schedule.clone(),
            inail_position: p.project.inail_position.clone(),
            rc_policy: p.project.rc_policy.clone(),
            hourly_pay: euro(p.rules.hourly_pay),
            max_hours_day: p.rules.max_hours_day.normalize().to_string(),
            max_hours_month: p.rules.max_hours_month.normalize().to_string(),
            issued_on: at.date_naive(),
        };
        let (bytes, action) = match paper {
            ProjectPaper::Project => (
                sportello_print::project_document(&document),
                "print_project",
            ),
            ProjectPaper::StartLetter => (
                sportello_print::start_letter(&document),
                "print_start_letter",
            ),
        };
        let bytes = bytes.map_err(|e| refused(ErrorCode::PrintFailed, e.to_string()))?;
        crate::files::write_atomically(out, &bytes, false)?;
        self.audit_read(
            action,
            "application",
            Some(&stored.id.to_string()),
            serde_json::json!({ "application_code": code }),
        )?;
        Ok(out.to_path_buf())
    }
}
