//! Importing and listing bandi.

use serde::Serialize;
use sportello_domain::Bando;
use sportello_store::BandoSaved;

use super::Settings;
use crate::{AppError, ErrorCode, Result, Sportello, now};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct BandoImported {
    pub id: String,
    pub title: String,
    /// created, updated or unchanged.
    #[cfg_attr(
        feature = "bindings",
        ts(type = "\"created\" | \"updated\" | \"unchanged\"")
    )]
    pub outcome: &'static str,
}

impl Settings<'_> {
    /// Capofila: reads a bando from its TOML text, checks it against the district, stores it.
    /// Bandi are the capofila's: the comuni receive them with the district file and the
    /// capofila's bundles, never import or change them themselves.
    pub fn import_bando(&mut self, toml: &str) -> Result<BandoImported> {
        self.require(crate::Action::DistrictSettings)?;
        self.require_capofila("importare un bando (i comuni lo ricevono dal capofila)")?;
        let bando = Bando::from_toml(toml)
            .map_err(|e| AppError::new(ErrorCode::BandoInvalid, e.to_string()))?;
        bando
            .validate(&self.install.district)
            .map_err(|e| AppError::new(ErrorCode::BandoInvalid, e.to_string()))?;
        let saved = self
            .0
            .store
            .save_bando(&bando, toml, now(), &self.0.actor)?;
        Ok(BandoImported {
            id: bando.id,
            title: bando.title,
            outcome: match saved {
                BandoSaved::Created => "created",
                BandoSaved::Updated => "updated",
                BandoSaved::Unchanged => "unchanged",
            },
        })
    }

    /// A bando held here, by its code.
    pub fn bando(&self, id: &str) -> Result<Bando> {
        self.0.bando(id)
    }

    pub fn bandi(&self) -> Result<Vec<Bando>> {
        Ok(self.store.bandi()?)
    }
}

impl Sportello {
    pub(crate) fn bando(&self, id: &str) -> Result<Bando> {
        self.store.bando(id)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::UnknownBando,
                format!(
                    "il bando {id} non esiste in questa installazione: il capofila lo importa e \
                     lo invia con il file del distretto"
                ),
            )
        })
    }
}
