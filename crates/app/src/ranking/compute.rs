//! The district ranking (graduatoria) of a bando.

use sportello_domain::{Bando, FactorLabel, RankedApplication, rank};
use sportello_store::{ApplicationFilter, Listing, StoredApplication};

use super::Ranking;
use crate::{AppError, ErrorCode, Result};

impl Ranking<'_> {
    /// Ranks every application of the bando held by this install: at the capofila, the whole
    /// district; at a comune, a preview of its own applications.
    pub fn compute(&self, bando_id: &str) -> Result<Vec<RankedApplication>> {
        self.require(crate::Action::ComputeRanking)?;
        Ok(self.rank_held(bando_id)?.0)
    }

    /// The breakdown's factors as the bando's rules name them (the window's labels).
    pub fn factor_labels(&self, bando_id: &str) -> Result<Vec<FactorLabel>> {
        self.require(crate::Action::ReadOutcomes)?;
        Ok(self.bando(bando_id)?.rules.factor_labels())
    }

    /// The ranking and the applications (each at its current revision) it was computed from:
    /// every application of the bando held here but the withdrawn ones.
    pub(crate) fn rank_held(
        &self,
        bando_id: &str,
    ) -> Result<(Vec<RankedApplication>, Vec<StoredApplication>)> {
        let bando = self.bando(bando_id)?;
        let listing = self.store.applications(&ApplicationFilter {
            bando: Some(bando.id.clone()),
            ..ApplicationFilter::default()
        })?;
        self.rank_listing(&bando, listing)
    }

    /// The ranking of the applications of `listing` (the bando's, or whole groups of them that
    /// no codice fiscale links to the others) but the withdrawn ones, and those applications.
    pub(crate) fn rank_listing(
        &self,
        bando: &Bando,
        listing: Listing,
    ) -> Result<(Vec<RankedApplication>, Vec<StoredApplication>)> {
        // A ranking without one of its applications would be wrong for everyone below it.
        if !listing.unreadable.is_empty() {
            let rows: Vec<String> = listing
                .unreadable
                .iter()
                .map(|u| format!("{} ({})", u.record, u.problem))
                .collect();
            return Err(AppError::new(
                ErrorCode::UnreadableRecords,
                format!(
                    "la graduatoria del bando {} non si può calcolare: {} non si {} leggere: {}. \
                     Il capofila può metterle in quarantena; una nuova versione inviata dal \
                     comune le sostituisce",
                    bando.id,
                    if rows.len() == 1 {
                        "una domanda"
                    } else {
                        "alcune domande"
                    },
                    if rows.len() == 1 { "può" } else { "possono" },
                    rows.join("; ")
                ),
            ));
        }
        // An application its applicant withdrew no longer competes.
        let withdrawals = self.store.withdrawals()?;
        let mut held = listing.applications;
        held.retain(|s| {
            !withdrawals
                .get(&s.application.code)
                .is_some_and(|w| w.in_force())
        });
        let applications: Vec<_> = held.iter().map(|s| s.application.clone()).collect();
        Ok((rank(bando, &applications), held))
    }
}
