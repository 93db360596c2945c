//! What the ranking says about each application: position, outcome, points and reasons.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use super::points::Breakdown;
use crate::application::Application;
use crate::isee::IseeKind;
use crate::money;

/// The outcome of an application in the ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum Outcome {
    /// Eligible, with a place in their comune.
    Ammesso,
    /// Eligible, but their comune's places went to applications ranked higher: called when
    /// one of those renounces (*scorrimento*).
    IdoneoNonAmmesso,
    /// Not eligible: see the reasons.
    Escluso,
}

impl Outcome {
    pub fn label_it(self) -> &'static str {
        match self {
            Outcome::Ammesso => "Ammesso",
            Outcome::IdoneoNonAmmesso => "Idoneo non ammesso",
            Outcome::Escluso => "Escluso",
        }
    }
}

/// Why an application is excluded. Serialised as its Italian message; [`Reason::code`] is the
/// stable code programs match on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reason {
    /// Received (Italian day `filed_on`) before the bando's opening day or after its
    /// closing day.
    FiledOutsideWindow {
        filed_on: NaiveDate,
        opens: NaiveDate,
        closes: NaiveDate,
    },
    Underage {
        age: u32,
        min_age: u32,
    },
    OverAge {
        age: u32,
        max_age: u32,
    },
    NotResident,
    NotUnemployed,
    OtherIncomeSupport,
    IseeMissing,
    IseeOverCeiling {
        isee: Decimal,
        ceiling: Decimal,
    },
    /// A DSU filed after the closing date (either kind), or an ordinario of another year.
    DsuNotValid {
        kind: IseeKind,
        dsu_date: NaiveDate,
        closes: NaiveDate,
    },
    /// An ISEE corrente filed by the closing date but expired before it (six months after
    /// the DSU, `expiry` being its last valid day).
    IseeCorrenteExpired {
        dsu_date: NaiveDate,
        expiry: NaiveDate,
        closes: NaiveDate,
    },
    /// Another application of the same household stands: its application code.
    SameHousehold {
        standing: String,
    },
}

impl Reason {
    pub fn code(&self) -> &'static str {
        match self {
            Reason::FiledOutsideWindow { .. } => "filed_outside_window",
            Reason::Underage { .. } => "underage",
            Reason::OverAge { .. } => "over_age",
            Reason::NotResident => "not_resident",
            Reason::NotUnemployed => "not_unemployed",
            Reason::OtherIncomeSupport => "other_income_support",
            Reason::IseeMissing => "isee_missing",
            Reason::IseeOverCeiling { .. } => "isee_over_ceiling",
            Reason::DsuNotValid { .. } => "dsu_not_valid",
            Reason::IseeCorrenteExpired { .. } => "isee_corrente_expired",
            Reason::SameHousehold { .. } => "same_household",
        }
    }

    /// The reason as the applicant reads it in the notice.
    pub fn message_it(&self) -> String {
        match self {
            Reason::FiledOutsideWindow {
                filed_on,
                opens,
                closes,
            } => format!(
                "domanda presentata il {}, fuori dal periodo del bando (dal {} al {})",
                italian(*filed_on),
                italian(*opens),
                italian(*closes)
            ),
            Reason::Underage { age, min_age } => format!(
                "età di {age} anni alla chiusura del bando, inferiore al minimo di {min_age} anni"
            ),
            Reason::OverAge { age, max_age } => format!(
                "età di {age} anni alla chiusura del bando, superiore al massimo di {max_age} anni"
            ),
            Reason::NotResident => "non residente in un comune del distretto".into(),
            Reason::NotUnemployed => "non in stato di disoccupazione".into(),
            Reason::OtherIncomeSupport => {
                "già beneficiario di altra misura di sostegno al reddito".into()
            }
            Reason::IseeMissing => "ISEE non dichiarato".into(),
            Reason::IseeOverCeiling { isee, ceiling } => format!(
                "ISEE di {} superiore alla soglia di {}",
                money::euro(*isee),
                money::euro(*ceiling)
            ),
            Reason::DsuNotValid {
                kind: IseeKind::Ordinario,
                dsu_date,
                closes,
            } => format!(
                "DSU del {} non valida alla chiusura del bando ({}): per l'ISEE ordinario serve \
                 una DSU presentata entro la chiusura e nello stesso anno ({})",
                italian(*dsu_date),
                italian(*closes),
                closes.format("%Y")
            ),
            Reason::DsuNotValid {
                kind: IseeKind::Corrente,
                dsu_date,
                closes,
            } => format!(
                "DSU del {} non valida alla chiusura del bando ({}): per l'ISEE corrente serve \
                 una DSU presentata entro la chiusura e non più di sei mesi prima",
                italian(*dsu_date),
                italian(*closes)
            ),
            Reason::IseeCorrenteExpired {
                dsu_date,
                expiry,
                closes,
            } => format!(
                "ISEE corrente della DSU del {}, valido sei mesi fino al {}: scaduto alla \
                 chiusura del bando ({})",
                italian(*dsu_date),
                italian(*expiry),
                italian(*closes)
            ),
            Reason::SameHousehold { standing } => {
                format!("altra domanda nel nucleo familiare (domanda {standing})")
            }
        }
    }
}

fn italian(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_it())
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.message_it())
    }
}

/// One line of the ranking. Its JSON carries the reasons twice: as Italian messages
/// (`reasons`) and as stable codes (`reason_codes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankedApplication {
    /// District position, from 1; `None` for excluded applications.
    pub position: Option<u32>,
    pub application_code: String,
    /// ISTAT code of the comune where it was filed (whose places it competes for).
    pub comune: String,
    pub score: i32,
    pub outcome: Outcome,
    pub breakdown: Breakdown,
    /// Empty unless excluded.
    pub reasons: Vec<Reason>,
}

impl RankedApplication {
    /// The line of an application not yet placed: no position, ESCLUSO until the ranking
    /// walks it.
    pub(crate) fn new(
        application: &Application,
        breakdown: Breakdown,
        reasons: Vec<Reason>,
    ) -> Self {
        RankedApplication {
            position: None,
            application_code: application.code.clone(),
            comune: application.comune.clone(),
            score: breakdown.score(),
            outcome: Outcome::Escluso,
            breakdown,
            reasons,
        }
    }

    /// The stable codes of the reasons, in the same order.
    pub fn reason_codes(&self) -> Vec<&'static str> {
        self.reasons.iter().map(Reason::code).collect()
    }
}

impl Serialize for RankedApplication {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("RankedApplication", 8)?;
        out.serialize_field("position", &self.position)?;
        out.serialize_field("application_code", &self.application_code)?;
        out.serialize_field("comune", &self.comune)?;
        out.serialize_field("score", &self.score)?;
        out.serialize_field("outcome", &self.outcome)?;
        out.serialize_field("breakdown", &self.breakdown)?;
        out.serialize_field("reasons", &self.reasons)?;
        out.serialize_field("reason_codes", &self.reason_codes())?;
        out.end()
    }
}
