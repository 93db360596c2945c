//! What a codice fiscale says, for the form's live check as the operator types.

use serde::Serialize;
use sportello_domain::Sex;
use sportello_domain::codice_fiscale::CodiceFiscale;

use super::Intake;
use crate::now;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct CodiceFiscaleInfo {
    pub valid: bool,
    /// Why it is not valid, in Italian.
    pub error: Option<String>,
    pub birth_date: Option<String>,
    pub sex: Option<Sex>,
    /// Belfiore code, and the comune's name when it is one of the district's.
    pub birth_place: Option<String>,
    pub birth_place_name: Option<String>,
}

impl Intake<'_> {
    pub fn codice_fiscale_info(&self, text: &str) -> CodiceFiscaleInfo {
        match CodiceFiscale::parse(text) {
            Err(e) => CodiceFiscaleInfo {
                valid: false,
                error: Some(e.to_string()),
                birth_date: None,
                sex: None,
                birth_place: None,
                birth_place_name: None,
            },
            Ok(cf) => {
                let decoded = cf.decode();
                let place_name = self
                    .install
                    .district
                    .comuni
                    .iter()
                    .find(|c| c.belfiore == decoded.place)
                    .map(|c| c.name.clone());
                CodiceFiscaleInfo {
                    valid: true,
                    error: None,
                    birth_date: cf.birth_date(now().date_naive()).map(|d| d.to_string()),
                    sex: Some(decoded.sex),
                    birth_place: Some(decoded.place),
                    birth_place_name: place_name,
                }
            }
        }
    }
}
