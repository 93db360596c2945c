//! The district ranking (graduatoria) of a bando.

use sportello_domain::{RankedApplication, rank};
use sportello_store::{ApplicationFilter, StoredApplication};

use crate::{Result, Sportello};

impl Sportello {
    /// Ranks every application of the bando held by this install: at the capofila, the whole
    /// district; at a comune, a preview of its own applications.
    pub fn compute_ranking(&self, bando_id: &str) -> Result<Vec<RankedApplication>> {
        Ok(self.rank_held(bando_id)?.0)
    }

    /// The ranking and the applications (each at its current revision) it was computed from.
    pub(crate) fn rank_held(
        &self,
        bando_id: &str,
    ) -> Result<(Vec<RankedApplication>, Vec<StoredApplication>)> {
        let bando = self.bando(bando_id)?;
        let held = self.store.applications(&ApplicationFilter {
            bando: Some(bando.id.clone()),
            ..ApplicationFilter::default()
        })?;
        let applications: Vec<_> = held.iter().map(|s| s.application.clone()).collect();
        Ok((rank(&bando, &applications), held))
    }
}
