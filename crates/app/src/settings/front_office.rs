//! The front office's district settings: the kinds of back-office case and their target days.
//! The capofila sets them (from the district file at init, or a file of `[[case_kinds]]`
//! later); the comuni receive them with the publish bundles and only read them.

use serde::Serialize;
use sportello_domain::front_office::{case_kinds_from_toml, effective_case_kinds};
pub use sportello_store::{CaseKindsSaved, StoredCaseKind};

use super::Settings;
use crate::{AppError, ErrorCode, Result, Sportello, now};

/// The kinds that apply here, and whether they are the district's or the default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct CaseKinds {
    /// In use first, then by code.
    pub kinds: Vec<StoredCaseKind>,
    /// True when the district set none and `generica` (30 calendar days) applies.
    pub default: bool,
}

impl Settings<'_> {
    /// The kinds of back-office case in force here.
    pub fn case_kinds(&self) -> Result<CaseKinds> {
        let held = self.store.case_kinds()?;
        if held.iter().any(|k| k.active) {
            return Ok(CaseKinds {
                kinds: held,
                default: false,
            });
        }
        Ok(CaseKinds {
            kinds: effective_case_kinds(&[])
                .into_iter()
                .map(|kind| StoredCaseKind { kind, active: true })
                .collect(),
            default: true,
        })
    }

    /// Capofila: sets the district's kinds of case from the `[[case_kinds]]` of a TOML text
    /// (the district file's keys); a kind left out stays, inactive. They reach the comuni
    /// with the next publish bundles.
    pub fn set_case_kinds(&mut self, toml: &str) -> Result<CaseKindsSaved> {
        self.require(crate::Action::DistrictSettings)?;
        self.require_capofila("stabilire i tipi di istruttoria")?;
        let kinds = case_kinds_from_toml(toml).map_err(|e| {
            AppError::new(
                ErrorCode::CaseKindsInvalid,
                format!("tipi di istruttoria non validi: {e}"),
            )
        })?;
        if kinds.is_empty() {
            return Err(AppError::new(
                ErrorCode::CaseKindsInvalid,
                "il file non contiene nessun [[case_kinds]]: elencare almeno un tipo di \
                 istruttoria (id, name, target_days, working_days)",
            ));
        }
        self.0.save_case_kinds(&kinds)
    }
}

impl Sportello {
    /// Stores the kinds of case as the capofila's rows.
    pub(crate) fn save_case_kinds(
        &mut self,
        kinds: &[sportello_domain::CaseKind],
    ) -> Result<CaseKindsSaved> {
        Ok(self.store.save_case_kinds(kinds, now(), &self.actor)?)
    }
}
