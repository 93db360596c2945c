//! The district ranking (graduatoria) of a bando.

use sportello_domain::{RankedApplication, rank};
use sportello_store::ApplicationFilter;

use crate::{Result, Sportello};

impl Sportello {
    /// Ranks every application of the bando held by this install: at the capofila, the whole
    /// district; at a comune, a preview of its own applications.
    pub fn compute_ranking(&self, bando_id: &str) -> Result<Vec<RankedApplication>> {
        let bando = self.bando(bando_id)?;
        let applications: Vec<_> = self
            .store
            .applications(&ApplicationFilter {
                bando: Some(bando.id.clone()),
                comune: None,
            })?
            .into_iter()
            .map(|s| s.application)
            .collect();
        Ok(rank(&bando, &applications))
    }
}
