//! What the front ends show: plain serialisable views over stored data.

use serde::Serialize;
use sportello_domain::{Declaration, Outcome};
use sportello_store::{ApplicationFilter, StoredApplication, Unreadable};

use super::Intake;
use crate::{Result, Sportello};

/// An application as listed (`application list --json`, the Domande screen).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ApplicationView {
    pub application_code: String,
    pub case_number: String,
    pub comune: String,
    pub comune_name: String,
    pub bando: String,
    pub filed_at: String,
    pub protocol_number: Option<String>,
    /// The current revision: 1 as filed, one more for each correction.
    pub revision: i64,
    #[serde(flatten)]
    pub declaration: Declaration,
    /// Position in the latest published ranking, once known.
    pub position: Option<u32>,
    pub outcome: Option<Outcome>,
}

impl Intake<'_> {
    /// Applications whose applicant's name, codice fiscale, application code or case number
    /// contains `text` (any case), within the filter.
    pub fn search_applications(
        &self,
        filter: &ApplicationFilter,
        text: &str,
    ) -> Result<Vec<ApplicationView>> {
        let needle = text.trim().to_lowercase();
        let mut list = self.list_applications(filter)?;
        if !needle.is_empty() {
            list.retain(|a| {
                let p = &a.declaration.applicant.person;
                [
                    format!("{} {}", p.surname, p.name),
                    format!("{} {}", p.name, p.surname),
                    p.codice_fiscale.clone(),
                    a.application_code.clone(),
                    a.case_number.clone(),
                ]
                .iter()
                .any(|field| field.to_lowercase().contains(&needle))
            });
        }
        Ok(list)
    }

    pub fn list_applications(&self, filter: &ApplicationFilter) -> Result<Vec<ApplicationView>> {
        Ok(self.applications_listing(filter)?.0)
    }

    /// The applications as listed, and the stored rows that cannot be read (named, so the
    /// capofila can set them aside): one bad row never hides the others.
    pub fn applications_listing(
        &self,
        filter: &ApplicationFilter,
    ) -> Result<(Vec<ApplicationView>, Vec<Unreadable>)> {
        let outcomes = self.published_outcomes()?;
        let listing = self.store.applications(filter)?;
        let views = listing
            .applications
            .into_iter()
            .map(|s| {
                let published = outcomes.get(&s.application.code).copied();
                self.view(s, published)
            })
            .collect();
        Ok((views, listing.unreadable))
    }
}

impl Sportello {
    pub(crate) fn comune_name(&self, istat: &str) -> String {
        self.install
            .district
            .comune(istat)
            .map_or_else(|| istat.to_string(), |c| c.name.clone())
    }

    pub(crate) fn view(
        &self,
        s: StoredApplication,
        published: Option<(Option<u32>, Outcome)>,
    ) -> ApplicationView {
        let a = s.application;
        ApplicationView {
            comune_name: self.comune_name(&a.comune),
            application_code: a.code,
            case_number: s.case_number,
            comune: a.comune,
            bando: a.bando,
            filed_at: a.filed_at.to_rfc3339(),
            protocol_number: s.protocol_number,
            revision: s.revision,
            declaration: a.declaration,
            position: published.and_then(|p| p.0),
            outcome: published.map(|p| p.1),
        }
    }
}
