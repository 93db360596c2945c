//! What the front ends show: plain serialisable views over stored data.

use serde::Serialize;
use sportello_domain::search::Query;
use sportello_domain::{Declaration, Outcome};
use sportello_store::{ApplicationFilter, StoredApplication, Unreadable, Withdrawal};

use super::Intake;
use crate::{Result, Sportello};

/// An application as a role without access to personal data lists it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct OutcomeView {
    pub application_code: String,
    pub case_number: String,
    pub comune: String,
    pub comune_name: String,
    pub bando: String,
    pub filed_at: String,
    pub revision: i64,
    pub position: Option<u32>,
    pub outcome: Option<Outcome>,
}

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
    /// The applicant's withdrawal in force (rinuncia alla domanda): the application is left
    /// out of the next ranking.
    pub withdrawal: Option<Withdrawal>,
}

impl Intake<'_> {
    /// Applications found by `text` as a clerk types it (`sportello_domain::search`: a case
    /// number, an application code, or a part of a name or of any codice fiscale of the
    /// household; case, accents, spaces and apostrophes ignored), within the filter.
    pub fn search_applications(
        &self,
        filter: &ApplicationFilter,
        text: &str,
    ) -> Result<Vec<ApplicationView>> {
        self.require(crate::Action::ReadApplications)?;
        let query = Query::parse(text);
        let mut list = self.listing(filter)?.0;
        if query != Query::Everything {
            list.retain(|a| query.matches(&a.application_code, &a.case_number, &a.declaration));
        }
        // The text searched may be a name or a codice fiscale: the trail says only that there
        // was one.
        self.audit_read(
            "application_search",
            "application",
            None,
            serde_json::json!({
                "filter": audited(filter), "text": query != Query::Everything, "rows": list.len(),
            }),
        )?;
        Ok(list)
    }

    pub fn list_applications(&self, filter: &ApplicationFilter) -> Result<Vec<ApplicationView>> {
        self.require(crate::Action::ReadApplications)?;
        Ok(self.applications_listing(filter)?.0)
    }

    /// The applications as listed, and the stored rows that cannot be read (named, so the
    /// capofila can set them aside): one bad row never hides the others.
    pub fn applications_listing(
        &self,
        filter: &ApplicationFilter,
    ) -> Result<(Vec<ApplicationView>, Vec<Unreadable>)> {
        self.require(crate::Action::ReadApplications)?;
        let listing = self.listing(filter)?;
        self.audit_read(
            "application_list",
            "application",
            None,
            serde_json::json!({ "filter": audited(filter), "rows": listing.0.len() }),
        )?;
        Ok(listing)
    }

    /// The applications as a revisore sees them: codes, numbers and outcomes, no one's
    /// personal data (a search by codice fiscale needs a role that reads them).
    pub fn outcomes(&self, filter: &ApplicationFilter) -> Result<Vec<OutcomeView>> {
        if filter.person.is_some() {
            self.require(crate::Action::ReadApplications)?;
        }
        self.require(crate::Action::ReadOutcomes)?;
        let list: Vec<OutcomeView> = self
            .listing(filter)?
            .0
            .into_iter()
            .map(|a| OutcomeView {
                application_code: a.application_code,
                case_number: a.case_number,
                comune: a.comune,
                comune_name: a.comune_name,
                bando: a.bando,
                filed_at: a.filed_at,
                revision: a.revision,
                position: a.position,
                outcome: a.outcome,
            })
            .collect();
        self.audit_read(
            "application_outcomes",
            "application",
            None,
            serde_json::json!({ "filter": audited(filter), "rows": list.len() }),
        )?;
        Ok(list)
    }

    /// The listing, not audited: each caller records its own read.
    fn listing(
        &self,
        filter: &ApplicationFilter,
    ) -> Result<(Vec<ApplicationView>, Vec<Unreadable>)> {
        let outcomes = self.published_outcomes()?;
        let mut withdrawals = self.store.withdrawals()?;
        let listing = self.store.applications(filter)?;
        let views = listing
            .applications
            .into_iter()
            .map(|s| {
                let published = outcomes.get(&s.application.code).copied();
                let withdrawal = withdrawals.remove(&s.application.code);
                self.view(s, published, withdrawal)
            })
            .collect();
        Ok((views, listing.unreadable))
    }
}

/// A listing's filter as the audit trail records it: the bando and the comune; of a person's
/// codice fiscale, only that there was one.
fn audited(filter: &ApplicationFilter) -> serde_json::Value {
    serde_json::json!({
        "bando": filter.bando, "comune": filter.comune, "person": filter.person.is_some(),
    })
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
        withdrawal: Option<Withdrawal>,
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
            withdrawal: withdrawal.filter(Withdrawal::in_force),
        }
    }
}
