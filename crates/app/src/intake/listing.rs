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

/// A page of the Domande list: the applications shown, in the list's order, and how many
/// there are in all.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ApplicationsPage {
    pub applications: Vec<ApplicationView>,
    /// Found by the search with the outcome chosen: the pages together.
    pub total: usize,
    /// Found by the search, whatever their outcome.
    pub found: usize,
}

/// Which published outcome the Domande list shows: the applications not ranked yet, or those
/// with this outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeChoice {
    NotRanked,
    Is(Outcome),
}

impl OutcomeChoice {
    /// The choice as the list's select sends it: empty for every outcome, `none` for the
    /// applications not ranked yet, else an outcome (`AMMESSO`, `IDONEO_NON_AMMESSO`,
    /// `ESCLUSO`).
    pub fn parse(text: Option<&str>) -> Result<Option<Self>> {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        if text == "none" {
            return Ok(Some(OutcomeChoice::NotRanked));
        }
        serde_json::from_value::<Outcome>(serde_json::Value::String(text.to_string()))
            .map(|o| Some(OutcomeChoice::Is(o)))
            .map_err(|_| {
                crate::AppError::new(
                    crate::ErrorCode::InputRefused,
                    format!("esito «{text}» sconosciuto: sceglierne uno dell'elenco"),
                )
            })
    }

    fn admits(self, published: Option<&(Option<u32>, Outcome)>) -> bool {
        match self {
            OutcomeChoice::NotRanked => published.is_none(),
            OutcomeChoice::Is(outcome) => published.is_some_and(|p| p.1 == outcome),
        }
    }
}

/// The Domande list's order: the published ranking first, by position, then the applications
/// not ranked yet; newest case number first among equals.
fn list_order(
    published: Option<&(Option<u32>, Outcome)>,
    case_number: &str,
) -> (bool, u32, std::cmp::Reverse<String>) {
    (
        published.is_none(),
        published.map_or(0, |p| p.0.unwrap_or(u32::MAX)),
        std::cmp::Reverse(case_number.to_string()),
    )
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
        // The store narrows on the folded search texts; the domain decides on what it read.
        let found = self.store.search_applications(filter, &query)?;
        let mut list = self.views(found.applications)?;
        list.retain(|a| query.matches(&a.application_code, &a.case_number, &a.declaration));
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

    /// A page of the applications found by `text` within the filter (as
    /// [`Intake::search_applications`] finds them) and with the outcome chosen: `limit` of
    /// them from `offset`, in the list's order. With nothing typed, the page is chosen by code
    /// and case number and only its applications are read and decoded.
    pub fn search_page(
        &self,
        filter: &ApplicationFilter,
        text: &str,
        outcome: Option<OutcomeChoice>,
        offset: usize,
        limit: usize,
    ) -> Result<ApplicationsPage> {
        self.require(crate::Action::ReadApplications)?;
        let query = Query::parse(text);
        let outcomes = self.published_outcomes()?;
        let admitted = |code: &str| outcome.is_none_or(|o| o.admits(outcomes.get(code)));
        let (applications, total, found) = if query == Query::Everything {
            let mut listed = self.store.listed(filter)?;
            let found = listed.len();
            listed.retain(|l| admitted(&l.code));
            listed.sort_by_cached_key(|l| list_order(outcomes.get(&l.code), &l.case_number));
            let page: Vec<String> = listed
                .iter()
                .skip(offset)
                .take(limit)
                .map(|l| l.code.clone())
                .collect();
            let stored = self.store.applications_by_code(&page)?.applications;
            (self.views_with(stored, &outcomes)?, listed.len(), found)
        } else {
            let stored = self.store.search_applications(filter, &query)?;
            let mut list = self.views_with(stored.applications, &outcomes)?;
            list.retain(|a| query.matches(&a.application_code, &a.case_number, &a.declaration));
            let found = list.len();
            list.retain(|a| admitted(&a.application_code));
            list.sort_by_cached_key(|a| {
                list_order(outcomes.get(&a.application_code), &a.case_number)
            });
            let total = list.len();
            (
                list.into_iter().skip(offset).take(limit).collect(),
                total,
                found,
            )
        };
        self.audit_read(
            "application_search",
            "application",
            None,
            serde_json::json!({
                "filter": audited(filter), "text": query != Query::Everything, "rows": total,
            }),
        )?;
        Ok(ApplicationsPage {
            applications,
            total,
            found,
        })
    }

    /// "Cognome Nome" of each application held here within the filter's bando and comune,
    /// by code: what the call list, the payments and the ranking show beside each row. Read
    /// like a listing (the same role, the same entry in the trail), without decoding the
    /// declarations.
    pub fn applicant_names(
        &self,
        filter: &ApplicationFilter,
    ) -> Result<std::collections::HashMap<String, String>> {
        self.require(crate::Action::ReadApplications)?;
        let names: std::collections::HashMap<String, String> =
            self.store.applicant_names(filter)?.into_iter().collect();
        self.audit_read(
            "application_search",
            "application",
            None,
            serde_json::json!({ "filter": audited(filter), "text": false, "rows": names.len() }),
        )?;
        Ok(names)
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
        let listing = self.store.applications(filter)?;
        Ok((self.views(listing.applications)?, listing.unreadable))
    }

    /// Stored applications as listed, with their published outcomes and withdrawals.
    fn views(&self, stored: Vec<StoredApplication>) -> Result<Vec<ApplicationView>> {
        self.views_with(stored, &self.published_outcomes()?)
    }

    /// [`Intake::views`] with the published outcomes already read.
    fn views_with(
        &self,
        stored: Vec<StoredApplication>,
        outcomes: &crate::ranking::PublishedOutcomes,
    ) -> Result<Vec<ApplicationView>> {
        let mut withdrawals = self.store.withdrawals()?;
        Ok(stored
            .into_iter()
            .map(|s| {
                let published = outcomes.get(&s.application.code).copied();
                let withdrawal = withdrawals.remove(&s.application.code);
                self.view(s, published, withdrawal)
            })
            .collect())
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
