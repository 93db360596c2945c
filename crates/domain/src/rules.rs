//! The servizio civico regulation as data.
//!
//! Every key has a default equal to the district's default regulation, so the `[rules]` table
//! of a bando names only what that bando changes; an unknown key is an error, so a typo never
//! silently falls back to a default. The rules are frozen into each bando, which is what lets a
//! published ranking be recomputed and explained later. `docs/regulation.md` lists the same
//! keys for the people who write bandi.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::application::Housing;
use crate::money;

/// Largest number of points (in absolute value) a single key may give: it keeps every score
/// far from integer overflow whatever a bando says.
pub const MAX_POINTS: i32 = 1000;
/// Largest age a bando may name.
pub const MAX_AGE: u32 = 120;

/// The regulation a bando applies. See the module documentation and `docs/regulation.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// `min_age`: youngest eligible age, in whole years on the bando's closing date (inclusive).
    pub min_age: u32,
    /// `max_age`: oldest eligible age, in whole years on the bando's closing date (inclusive).
    pub max_age: u32,
    /// `isee_ceiling`: highest eligible ISEE in euros (inclusive), written as a string
    /// (`"8000.00"`) so no amount goes through a binary float.
    #[serde(with = "amount")]
    pub isee_ceiling: Decimal,
    /// `isee_zero_points`: points for an ISEE of exactly zero.
    pub isee_zero_points: i32,
    /// `isee_bands`: points by ISEE band. A band covers (previous `up_to`, `up_to`], the first
    /// one starting above zero; the last must reach the ceiling.
    pub isee_bands: Vec<IseeBand>,
    /// `household_size_points`: points by household size, applicant included: the first entry
    /// for one member, the second for two ... the last for that many members or more.
    pub household_size_points: Vec<i32>,
    /// `dependent_minor_age`: a member declared dependent (*a carico*) is a dependent minor
    /// while younger than this, in whole years on the closing date; older, they score nothing
    /// and count for neither `single_parent_points` nor the `more_dependent_minors` tie-break.
    pub dependent_minor_age: u32,
    /// `dependent_minor_points`: points for each dependent minor ...
    pub dependent_minor_points: i32,
    /// `dependent_minor_max`: ... up to this total.
    pub dependent_minor_max: i32,
    /// `disability_points`: points for each household member with a certified disability,
    /// applicant included ...
    pub disability_points: i32,
    /// `disability_max`: ... up to this total.
    pub disability_max: i32,
    /// `single_parent_points`: points for a single parent with at least one dependent minor.
    pub single_parent_points: i32,
    /// `unemployment_bands`: points by whole months of unemployment up to the closing date; a
    /// band applies from its `from_months` to the next band's. The first starts at 0 months.
    pub unemployment_bands: Vec<UnemploymentBand>,
    /// `housing_eviction_points`: points when an eviction order is being executed.
    pub housing_eviction_points: i32,
    /// `housing_rent_points`: points for rent with a registered lease.
    pub housing_rent_points: i32,
    /// `housing_none_points`: points for any other housing.
    pub housing_none_points: i32,
    /// `older_applicant_age`: from this age (whole years on the closing date) the applicant
    /// gets `older_applicant_points`.
    pub older_applicant_age: u32,
    /// `older_applicant_points`: see `older_applicant_age`.
    pub older_applicant_points: i32,
    /// `previous_participation_points`: points (usually negative) for having taken part in
    /// the previous servizio civico bando.
    pub previous_participation_points: i32,
    /// `tie_break`: how equal scores are ordered, first criterion first. `application_code`
    /// must come last, so the order is total and reproducible.
    pub tie_break: Vec<TieBreak>,
    /// `objection_days`: days open for objections after the provisional ranking.
    pub objection_days: u32,
    /// `answer_days`: days a called applicant has to answer; afterwards the comune may record
    /// them as lapsed (decaduto).
    pub answer_days: u32,
    /// `replacement_divisor`: a participant who ends within the first 1/N of the service frees
    /// the place for the next idoneo of the same comune (3: the first third).
    pub replacement_divisor: u32,
    /// `service_min_months`, `service_max_months`: how long an individual project lasts, in
    /// whole months from its start (civil code reckoning, as ages).
    pub service_min_months: u32,
    pub service_max_months: u32,
    /// `max_hours_day`: most hours of service in one day (`"4"`).
    #[serde(with = "amount")]
    pub max_hours_day: Decimal,
    /// `max_hours_month`: most hours of service in one calendar month (`"80"`).
    #[serde(with = "amount")]
    pub max_hours_month: Decimal,
    /// `hourly_pay`: euros per hour of service (`"5.16"`).
    #[serde(with = "amount")]
    pub hourly_pay: Decimal,
    /// `sectors`: the sectors a project may be in, each `{id, name}`.
    pub sectors: Vec<Sector>,
    /// `start_target_days`: the service should start within this many days of the
    /// application (the plan's target); the comune's Home lists who nears it.
    pub start_target_days: u32,
    /// `siuss_code`: the code of INPS's table of social benefits the comuni report this
    /// bando's payments under to SIUSS (no code is specific to servizio civico: the district
    /// chooses one).
    pub siuss_code: String,
}

/// A sector of servizio civico projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Sector {
    pub id: String,
    pub name: String,
}

/// One factor of the breakdown as the window and the documents name it, from the rules of the
/// bando (a bando that changes the age for the older applicant's points changes its label).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct FactorLabel {
    /// The field of the breakdown (`older_applicant` …).
    pub key: &'static str,
    /// A column title (`Età`).
    pub short: &'static str,
    /// What the window shows next to the points (`Età 50 anni o più`).
    pub label: String,
    /// The printed legend of the column (`Età: richiedente con almeno 50 anni`).
    pub legend: String,
}

/// Points for ISEE values above the previous band's `up_to` and at most this one's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IseeBand {
    #[serde(with = "amount")]
    pub up_to: Decimal,
    pub points: i32,
}

/// Points from `from_months` whole months of unemployment up to the next band's start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnemploymentBand {
    pub from_months: u32,
    pub points: i32,
}

/// One step of the tie-break chain between equal scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    /// Lower ISEE first.
    LowerIsee,
    /// More dependent minors first.
    MoreDependentMinors,
    /// Older applicant (earlier birth date) first.
    OlderApplicant,
    /// Earlier filing date and time first.
    EarlierFiling,
    /// Application code in ascending order: always last, it makes the order total.
    ApplicationCode,
}

impl TieBreak {
    /// The key as written in a bando.
    pub fn key(self) -> &'static str {
        match self {
            TieBreak::LowerIsee => "lower_isee",
            TieBreak::MoreDependentMinors => "more_dependent_minors",
            TieBreak::OlderApplicant => "older_applicant",
            TieBreak::EarlierFiling => "earlier_filing",
            TieBreak::ApplicationCode => "application_code",
        }
    }

    /// The criterion as printed in a ranking's notes.
    pub fn label_it(self) -> &'static str {
        match self {
            TieBreak::LowerIsee => "ISEE più basso",
            TieBreak::MoreDependentMinors => "più figli minori a carico",
            TieBreak::OlderApplicant => "richiedente più anziano",
            TieBreak::EarlierFiling => "domanda presentata prima",
            TieBreak::ApplicationCode => "codice della domanda in ordine crescente",
        }
    }
}

impl fmt::Display for TieBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Why a set of rules cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("min_age: l'età minima ({min_age}) supera l'età massima ({max_age})")]
    AgeRange { min_age: u32, max_age: u32 },
    #[error("{key}: {value} anni non è un'età ammessa (al massimo {MAX_AGE})")]
    ImplausibleAge { key: &'static str, value: u32 },
    #[error("isee_ceiling: la soglia ISEE non può essere negativa ({})", money::euro(*.0))]
    NegativeCeiling(Decimal),
    #[error("{0}: l'elenco non può essere vuoto")]
    Empty(&'static str),
    #[error(
        "isee_bands: la fascia {index} arriva a {}, non oltre la fascia precedente ({})",
        money::euro(*.up_to), money::euro(*.previous)
    )]
    IseeBandsNotIncreasing {
        /// 1-based, as a person counts the bands.
        index: usize,
        up_to: Decimal,
        previous: Decimal,
    },
    #[error(
        "isee_bands: l'ultima fascia arriva a {}, sotto la soglia ISEE di {}",
        money::euro(*.last), money::euro(*.ceiling)
    )]
    IseeBandsBelowCeiling { last: Decimal, ceiling: Decimal },
    #[error("unemployment_bands: la prima fascia deve partire da 0 mesi, non da {0}")]
    UnemploymentBandsStart(u32),
    #[error(
        "unemployment_bands: la fascia {index} parte da {from_months} mesi, non dopo la fascia precedente"
    )]
    UnemploymentBandsNotIncreasing {
        /// 1-based, as a person counts the bands.
        index: usize,
        from_months: u32,
    },
    #[error("{key}: {value} punti fuori dall'intervallo ammesso (da -{MAX_POINTS} a {MAX_POINTS})")]
    PointsOutOfRange { key: String, value: i32 },
    #[error("{key}: {value} non ammesso, deve essere tra 0 e {MAX_POINTS}")]
    NegativePoints { key: &'static str, value: i32 },
    #[error("tie_break: il criterio {0} è ripetuto")]
    TieBreakRepeated(TieBreak),
    #[error(
        "tie_break: l'ultimo criterio deve essere application_code, perché l'ordine della graduatoria sia sempre completo"
    )]
    TieBreakNotTotal,
    #[error("objection_days: il termine per le opposizioni deve essere di almeno un giorno")]
    NoObjectionDays,
    #[error("answer_days: il termine per rispondere alla chiamata deve essere di almeno un giorno")]
    NoAnswerDays,
    #[error(
        "replacement_divisor: deve essere almeno 1 (1 = per tutto il servizio, 3 = il primo terzo)"
    )]
    NoReplacementDivisor,
    #[error(
        "service_min_months, service_max_months: la durata minima deve essere di almeno un mese e non superare la massima"
    )]
    ServiceMonths,
    #[error("{0}: deve essere maggiore di zero")]
    NotPositive(&'static str),
    #[error("sectors: serve almeno un settore, ciascuno con id e nome e senza id ripetuti")]
    Sectors,
    #[error(
        "siuss_code: «{0}» non è un codice della tabella INPS (da 5 a 10 caratteri, ad esempio A1.18)"
    )]
    SiussCode(String),
}

impl Rules {
    /// The breakdown's factors in its order, named with these rules' figures.
    pub fn factor_labels(&self) -> Vec<FactorLabel> {
        let age = self.older_applicant_age;
        let factor = |key, short, label: String, legend: &str| FactorLabel {
            key,
            short,
            label,
            legend: format!("{short}: {legend}"),
        };
        vec![
            factor("isee", "ISEE", "ISEE".into(), "fascia di valore ISEE"),
            factor(
                "household_size",
                "Nucl.",
                "Nucleo familiare".into(),
                "componenti del nucleo familiare",
            ),
            factor(
                "dependent_minors",
                "Minori",
                "Minori a carico".into(),
                "figli minori a carico",
            ),
            factor(
                "disability",
                "Disab.",
                "Disabilità".into(),
                "disabilità certificate nel nucleo",
            ),
            factor(
                "single_parent",
                "Genit.",
                "Genitore solo".into(),
                "genitore solo con minori a carico",
            ),
            factor(
                "unemployment",
                "Disoc.",
                "Disoccupazione".into(),
                "mesi di disoccupazione",
            ),
            factor(
                "housing",
                "Casa",
                "Abitazione".into(),
                "situazione abitativa",
            ),
            factor(
                "older_applicant",
                "Età",
                format!("Età {age} anni o più"),
                &format!("richiedente con almeno {age} anni"),
            ),
            factor(
                "previous_participation",
                "Prec.",
                "Partecipazione precedente".into(),
                "partecipazione al bando precedente",
            ),
        ]
    }
}

impl Default for Rules {
    /// The district's default regulation (`docs/regulation.md`).
    fn default() -> Self {
        let band = |up_to: i64, points| IseeBand {
            up_to: Decimal::new(up_to * 100, 2),
            points,
        };
        let months = |from_months, points| UnemploymentBand {
            from_months,
            points,
        };
        Rules {
            min_age: 18,
            max_age: 65,
            isee_ceiling: Decimal::new(800_000, 2),
            isee_zero_points: 50,
            isee_bands: vec![
                band(1000, 45),
                band(2000, 40),
                band(3000, 34),
                band(4000, 28),
                band(5000, 22),
                band(6000, 16),
                band(8000, 10),
            ],
            household_size_points: vec![2, 4, 6, 8, 10],
            dependent_minor_age: 18,
            dependent_minor_points: 2,
            dependent_minor_max: 8,
            disability_points: 5,
            disability_max: 10,
            single_parent_points: 6,
            unemployment_bands: vec![months(0, 0), months(6, 2), months(12, 4), months(24, 6)],
            housing_eviction_points: 6,
            housing_rent_points: 4,
            housing_none_points: 0,
            older_applicant_age: 50,
            older_applicant_points: 2,
            previous_participation_points: -5,
            tie_break: vec![
                TieBreak::LowerIsee,
                TieBreak::MoreDependentMinors,
                TieBreak::OlderApplicant,
                TieBreak::EarlierFiling,
                TieBreak::ApplicationCode,
            ],
            objection_days: 10,
            answer_days: 10,
            replacement_divisor: 3,
            service_min_months: 3,
            service_max_months: 6,
            max_hours_day: Decimal::new(4, 0),
            max_hours_month: Decimal::new(80, 0),
            hourly_pay: Decimal::new(516, 2),
            sectors: [
                ("manutenzione", "Manutenzione di edifici e spazi pubblici"),
                ("servizi_sociali", "Servizi sociali ausiliari"),
                ("ambiente", "Ambiente e verde pubblico"),
            ]
            .into_iter()
            .map(|(id, name)| Sector {
                id: id.into(),
                name: name.into(),
            })
            .collect(),
            start_target_days: 60,
            siuss_code: "A1.18".into(),
        }
    }
}

impl Rules {
    /// Checks that the rules can rank: ranges in order, bands increasing and covering the
    /// ceiling, points bounded, a total tie-break chain.
    pub fn validate(&self) -> Result<(), RulesError> {
        self.validate_ages()?;
        self.validate_isee()?;
        self.validate_unemployment()?;
        self.validate_points()?;
        self.validate_tie_break()?;
        if self.objection_days == 0 {
            return Err(RulesError::NoObjectionDays);
        }
        if self.answer_days == 0 {
            return Err(RulesError::NoAnswerDays);
        }
        if self.replacement_divisor == 0 {
            return Err(RulesError::NoReplacementDivisor);
        }
        self.validate_service()
    }

    fn validate_service(&self) -> Result<(), RulesError> {
        if self.service_min_months == 0 || self.service_min_months > self.service_max_months {
            return Err(RulesError::ServiceMonths);
        }
        for (key, value) in [
            ("max_hours_day", self.max_hours_day),
            ("max_hours_month", self.max_hours_month),
            ("hourly_pay", self.hourly_pay),
        ] {
            if value <= Decimal::ZERO {
                return Err(RulesError::NotPositive(key));
            }
        }
        let mut ids = std::collections::HashSet::new();
        let well_formed = self.sectors.iter().all(|s| {
            !s.id.trim().is_empty() && !s.name.trim().is_empty() && ids.insert(s.id.as_str())
        });
        if self.sectors.is_empty() || !well_formed {
            return Err(RulesError::Sectors);
        }
        if !(5..=10).contains(&self.siuss_code.chars().count()) {
            return Err(RulesError::SiussCode(self.siuss_code.clone()));
        }
        Ok(())
    }

    fn validate_ages(&self) -> Result<(), RulesError> {
        for (key, value) in [
            ("min_age", self.min_age),
            ("max_age", self.max_age),
            ("dependent_minor_age", self.dependent_minor_age),
            ("older_applicant_age", self.older_applicant_age),
        ] {
            if value > MAX_AGE {
                return Err(RulesError::ImplausibleAge { key, value });
            }
        }
        if self.min_age > self.max_age {
            return Err(RulesError::AgeRange {
                min_age: self.min_age,
                max_age: self.max_age,
            });
        }
        Ok(())
    }

    fn validate_isee(&self) -> Result<(), RulesError> {
        if self.isee_ceiling < Decimal::ZERO {
            return Err(RulesError::NegativeCeiling(self.isee_ceiling));
        }
        let mut previous = Decimal::ZERO;
        for (i, band) in self.isee_bands.iter().enumerate() {
            if band.up_to <= previous {
                return Err(RulesError::IseeBandsNotIncreasing {
                    index: i + 1,
                    up_to: band.up_to,
                    previous,
                });
            }
            previous = band.up_to;
        }
        match self.isee_bands.last() {
            None => Err(RulesError::Empty("isee_bands")),
            Some(last) if last.up_to < self.isee_ceiling => {
                Err(RulesError::IseeBandsBelowCeiling {
                    last: last.up_to,
                    ceiling: self.isee_ceiling,
                })
            }
            Some(_) => Ok(()),
        }
    }

    fn validate_unemployment(&self) -> Result<(), RulesError> {
        let Some(first) = self.unemployment_bands.first() else {
            return Err(RulesError::Empty("unemployment_bands"));
        };
        if first.from_months != 0 {
            return Err(RulesError::UnemploymentBandsStart(first.from_months));
        }
        for (i, pair) in self.unemployment_bands.windows(2).enumerate() {
            if pair[1].from_months <= pair[0].from_months {
                return Err(RulesError::UnemploymentBandsNotIncreasing {
                    index: i + 2,
                    from_months: pair[1].from_months,
                });
            }
        }
        Ok(())
    }

    fn validate_points(&self) -> Result<(), RulesError> {
        if self.household_size_points.is_empty() {
            return Err(RulesError::Empty("household_size_points"));
        }
        for (key, value) in [
            ("dependent_minor_points", self.dependent_minor_points),
            ("dependent_minor_max", self.dependent_minor_max),
            ("disability_points", self.disability_points),
            ("disability_max", self.disability_max),
        ] {
            // A per-person amount with a cap only makes sense counted upwards from zero.
            if !(0..=MAX_POINTS).contains(&value) {
                return Err(RulesError::NegativePoints { key, value });
            }
        }
        let named = [
            ("isee_zero_points", self.isee_zero_points),
            ("single_parent_points", self.single_parent_points),
            ("housing_eviction_points", self.housing_eviction_points),
            ("housing_rent_points", self.housing_rent_points),
            ("housing_none_points", self.housing_none_points),
            ("older_applicant_points", self.older_applicant_points),
            (
                "previous_participation_points",
                self.previous_participation_points,
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v));
        let listed = self
            .isee_bands
            .iter()
            .enumerate()
            .map(|(i, b)| (format!("isee_bands[{}].points", i + 1), b.points))
            .chain(
                self.household_size_points
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (format!("household_size_points[{}]", i + 1), *p)),
            )
            .chain(
                self.unemployment_bands
                    .iter()
                    .enumerate()
                    .map(|(i, b)| (format!("unemployment_bands[{}].points", i + 1), b.points)),
            );
        for (key, value) in named.chain(listed) {
            if !(-MAX_POINTS..=MAX_POINTS).contains(&value) {
                return Err(RulesError::PointsOutOfRange { key, value });
            }
        }
        Ok(())
    }

    fn validate_tie_break(&self) -> Result<(), RulesError> {
        for (i, step) in self.tie_break.iter().enumerate() {
            if self.tie_break[..i].contains(step) {
                return Err(RulesError::TieBreakRepeated(*step));
            }
        }
        if self.tie_break.last() != Some(&TieBreak::ApplicationCode) {
            return Err(RulesError::TieBreakNotTotal);
        }
        Ok(())
    }

    /// Points for an ISEE value: zero when it exceeds the ceiling.
    pub fn points_for_isee(&self, isee: Decimal) -> i32 {
        if isee > self.isee_ceiling {
            return 0;
        }
        if isee.is_zero() {
            return self.isee_zero_points;
        }
        self.isee_bands
            .iter()
            .find(|band| isee <= band.up_to)
            .map_or(0, |band| band.points)
    }

    /// Points for a household of `members` people, applicant included.
    pub fn points_for_household_size(&self, members: usize) -> i32 {
        let last = self.household_size_points.len().saturating_sub(1);
        let index = members.saturating_sub(1).min(last);
        self.household_size_points.get(index).copied().unwrap_or(0)
    }

    pub fn points_for_dependent_minors(&self, minors: usize) -> i32 {
        capped(
            minors,
            self.dependent_minor_points,
            self.dependent_minor_max,
        )
    }

    pub fn points_for_disabled_members(&self, disabled: usize) -> i32 {
        capped(disabled, self.disability_points, self.disability_max)
    }

    /// Points for whole months of unemployment; `None` (no date given) scores nothing.
    pub fn points_for_unemployment(&self, months: Option<u32>) -> i32 {
        let Some(months) = months else { return 0 };
        self.unemployment_bands
            .iter()
            .rev()
            .find(|band| band.from_months <= months)
            .map_or(0, |band| band.points)
    }

    pub fn points_for_housing(&self, housing: Housing) -> i32 {
        match housing {
            Housing::Eviction => self.housing_eviction_points,
            Housing::Rent => self.housing_rent_points,
            Housing::None => self.housing_none_points,
        }
    }
}

/// `count` times `each`, at most `max`, without overflow for any count.
fn capped(count: usize, each: i32, max: i32) -> i32 {
    let total = i64::try_from(count)
        .unwrap_or(i64::MAX)
        .saturating_mul(i64::from(each));
    i32::try_from(total.min(i64::from(max))).unwrap_or(max)
}

/// Amounts travel as strings (`"8000.00"`): a TOML float would be refused, not rounded.
pub(crate) mod amount {
    use std::str::FromStr;

    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = String::deserialize(d)?;
        Decimal::from_str(text.trim()).map_err(|_| {
            D::Error::custom(format!(
                "importo {text:?} non valido: scrivere ad esempio \"8000.00\""
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Rules, String> {
        toml::from_str::<Rules>(text).map_err(|e| e.message().to_string())
    }

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn defaults_are_the_district_regulation_and_valid() {
        let rules = Rules::default();
        assert_eq!(rules.validate(), Ok(()));
        assert_eq!((rules.min_age, rules.max_age), (18, 65));
        assert_eq!(rules.dependent_minor_age, 18);
        assert_eq!(rules.isee_ceiling, dec("8000.00"));
        assert_eq!(rules.objection_days, 10);
        assert_eq!(rules.tie_break.last(), Some(&TieBreak::ApplicationCode));
    }

    #[test]
    fn an_empty_table_is_the_default_regulation() {
        assert_eq!(parse(""), Ok(Rules::default()));
    }

    #[test]
    fn overrides_change_only_what_they_name() {
        let rules =
            parse("max_age = 60\nisee_ceiling = \"6000.00\"\nprevious_participation_points = 0\n")
                .unwrap();
        assert_eq!(rules.max_age, 60);
        assert_eq!(rules.isee_ceiling, dec("6000.00"));
        assert_eq!(rules.previous_participation_points, 0);
        let expected = Rules {
            max_age: 60,
            isee_ceiling: dec("6000.00"),
            previous_participation_points: 0,
            ..Rules::default()
        };
        assert_eq!(rules, expected);
        assert_eq!(rules.validate(), Ok(()));
    }

    #[test]
    fn a_misspelt_key_is_an_error() {
        let err = parse("max_eta = 60\n").unwrap_err();
        assert!(err.contains("max_eta"), "{err}");
    }

    #[test]
    fn amounts_must_be_strings() {
        assert!(parse("isee_ceiling = 8000.0\n").is_err());
        assert!(
            parse("isee_ceiling = \"ottomila\"\n")
                .unwrap_err()
                .contains("ottomila")
        );
    }

    #[test]
    fn round_trips_through_toml() {
        let text = toml::to_string(&Rules::default()).unwrap();
        assert_eq!(parse(&text), Ok(Rules::default()));
    }

    /// docs/regulation.md lists every key with its true default: each row, read back as
    /// `key = default`, must give exactly the default rules.
    #[test]
    fn the_regulation_doc_matches_the_defaults() {
        let doc = include_str!("../../../docs/regulation.md");
        let rows: Vec<(&str, &str)> = doc
            .lines()
            .filter_map(|line| {
                let cells: Vec<&str> = line.split(" | ").collect();
                let key = cells.first()?.strip_prefix("| `")?.strip_suffix('`')?;
                let default = cells.last()?.strip_suffix(" |")?;
                Some((key, default.trim_matches('`')))
            })
            .collect();
        let documented: Vec<&str> = rows.iter().map(|(key, _)| *key).collect();
        let table = toml::Table::try_from(Rules::default()).unwrap();
        let mut keys: Vec<&str> = table.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut sorted = documented.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, keys, "keys documented in docs/regulation.md");
        for (key, default) in rows {
            assert_eq!(
                parse(&format!("{key} = {default}\n")),
                Ok(Rules::default()),
                "docs/regulation.md, default of {key}"
            );
        }
    }

    #[test]
    fn isee_points_at_every_band_edge() {
        let rules = Rules::default();
        let cases = [
            ("0", 50),
            ("0.00", 50),
            ("0.01", 45),
            ("1000.00", 45),
            ("1000.01", 40),
            ("2000.00", 40),
            ("2000.01", 34),
            ("3000.00", 34),
            ("3000.01", 28),
            ("4000.00", 28),
            ("4000.01", 22),
            ("5000.00", 22),
            ("5000.01", 16),
            ("6000.00", 16),
            ("6000.01", 10),
            ("8000.00", 10),
            ("8000.01", 0),
        ];
        for (isee, points) in cases {
            assert_eq!(rules.points_for_isee(dec(isee)), points, "ISEE {isee}");
        }
    }

    #[test]
    fn a_lower_ceiling_scores_nothing_above_it() {
        let rules = Rules {
            isee_ceiling: dec("5500.00"),
            ..Rules::default()
        };
        assert_eq!(rules.validate(), Ok(()));
        assert_eq!(rules.points_for_isee(dec("5500.00")), 16);
        assert_eq!(rules.points_for_isee(dec("5500.01")), 0);
    }

    #[test]
    fn household_size_points_with_the_last_for_five_or_more() {
        let rules = Rules::default();
        let got: Vec<i32> = (1..=7)
            .map(|n| rules.points_for_household_size(n))
            .collect();
        assert_eq!(got, [2, 4, 6, 8, 10, 10, 10]);
    }

    #[test]
    fn per_person_points_stop_at_their_cap() {
        let rules = Rules::default();
        let minors: Vec<i32> = (0..=6)
            .map(|n| rules.points_for_dependent_minors(n))
            .collect();
        assert_eq!(minors, [0, 2, 4, 6, 8, 8, 8]);
        let disabled: Vec<i32> = (0..=3)
            .map(|n| rules.points_for_disabled_members(n))
            .collect();
        assert_eq!(disabled, [0, 5, 10, 10]);
        assert_eq!(rules.points_for_dependent_minors(usize::MAX), 8);
    }

    #[test]
    fn unemployment_points_at_every_band_edge() {
        let rules = Rules::default();
        let cases = [
            (None, 0),
            (Some(0), 0),
            (Some(5), 0),
            (Some(6), 2),
            (Some(11), 2),
            (Some(12), 4),
            (Some(23), 4),
            (Some(24), 6),
            (Some(400), 6),
        ];
        for (months, points) in cases {
            assert_eq!(rules.points_for_unemployment(months), points, "{months:?}");
        }
    }

    #[test]
    fn housing_points() {
        let rules = Rules::default();
        assert_eq!(rules.points_for_housing(Housing::Eviction), 6);
        assert_eq!(rules.points_for_housing(Housing::Rent), 4);
        assert_eq!(rules.points_for_housing(Housing::None), 0);
    }

    #[test]
    fn refuses_an_inverted_age_range() {
        let rules = parse("min_age = 30\nmax_age = 29\n").unwrap();
        let err = rules.validate().unwrap_err();
        assert_eq!(
            err,
            RulesError::AgeRange {
                min_age: 30,
                max_age: 29
            }
        );
        assert!(err.to_string().contains("età minima"), "{err}");
    }

    #[test]
    fn refuses_bands_that_do_not_reach_the_ceiling() {
        let rules = parse("isee_ceiling = \"9000.00\"\n").unwrap();
        let err = rules.validate().unwrap_err();
        assert!(matches!(err, RulesError::IseeBandsBelowCeiling { .. }));
        assert_eq!(
            err.to_string(),
            "isee_bands: l'ultima fascia arriva a € 8.000,00, sotto la soglia ISEE di € 9.000,00"
        );
    }

    #[test]
    fn refuses_bands_out_of_order_or_starting_at_zero() {
        let rules = parse(
            "isee_bands = [{ up_to = \"3000.00\", points = 30 }, { up_to = \"2000.00\", points = 20 }, { up_to = \"8000.00\", points = 5 }]\n",
        )
        .unwrap();
        assert!(matches!(
            rules.validate(),
            Err(RulesError::IseeBandsNotIncreasing { index: 2, .. })
        ));
        let rules = parse("isee_bands = [{ up_to = \"0.00\", points = 30 }, { up_to = \"8000.00\", points = 5 }]\n")
            .unwrap();
        assert!(matches!(
            rules.validate(),
            Err(RulesError::IseeBandsNotIncreasing { index: 1, .. })
        ));
        assert_eq!(
            parse("isee_bands = []\n").unwrap().validate(),
            Err(RulesError::Empty("isee_bands"))
        );
    }

    #[test]
    fn refuses_bad_unemployment_bands() {
        let late_start = parse("unemployment_bands = [{ from_months = 3, points = 1 }]\n").unwrap();
        assert_eq!(
            late_start.validate(),
            Err(RulesError::UnemploymentBandsStart(3))
        );
        let repeated = parse(
            "unemployment_bands = [{ from_months = 0, points = 0 }, { from_months = 6, points = 1 }, { from_months = 6, points = 2 }]\n",
        )
        .unwrap();
        assert_eq!(
            repeated.validate(),
            Err(RulesError::UnemploymentBandsNotIncreasing {
                index: 3,
                from_months: 6
            })
        );
    }

    #[test]
    fn refuses_an_open_ended_tie_break() {
        let rules = parse("tie_break = [\"application_code\", \"lower_isee\"]\n").unwrap();
        assert_eq!(rules.validate(), Err(RulesError::TieBreakNotTotal));
        let rules = parse("tie_break = []\n").unwrap();
        assert_eq!(rules.validate(), Err(RulesError::TieBreakNotTotal));
        let rules =
            parse("tie_break = [\"lower_isee\", \"lower_isee\", \"application_code\"]\n").unwrap();
        assert_eq!(
            rules.validate(),
            Err(RulesError::TieBreakRepeated(TieBreak::LowerIsee))
        );
        // A shorter chain is fine as long as it ends with the code.
        let rules = parse("tie_break = [\"earlier_filing\", \"application_code\"]\n").unwrap();
        assert_eq!(rules.validate(), Ok(()));
        assert!(parse("tie_break = [\"sorteggio\"]\n").is_err());
    }

    #[test]
    fn refuses_unbounded_points_and_negative_caps() {
        let rules = parse("household_size_points = [2, 4, 1000000]\n").unwrap();
        assert_eq!(
            rules.validate(),
            Err(RulesError::PointsOutOfRange {
                key: "household_size_points[3]".into(),
                value: 1_000_000
            })
        );
        let rules = parse("dependent_minor_max = -1\n").unwrap();
        assert!(matches!(
            rules.validate(),
            Err(RulesError::NegativePoints {
                key: "dependent_minor_max",
                ..
            })
        ));
        let rules = parse("household_size_points = []\n").unwrap();
        assert_eq!(
            rules.validate(),
            Err(RulesError::Empty("household_size_points"))
        );
    }

    #[test]
    fn refuses_a_negative_ceiling() {
        let rules = parse("isee_ceiling = \"-0.01\"\n").unwrap();
        assert_eq!(
            rules.validate(),
            Err(RulesError::NegativeCeiling(dec("-0.01")))
        );
        assert_eq!(
            rules.validate().unwrap_err().to_string(),
            "isee_ceiling: la soglia ISEE non può essere negativa (€ -0,01)"
        );
    }

    #[test]
    fn refuses_no_objection_window_and_implausible_ages() {
        assert_eq!(
            parse("objection_days = 0\n").unwrap().validate(),
            Err(RulesError::NoObjectionDays)
        );
        assert_eq!(
            parse("max_age = 650\n").unwrap().validate(),
            Err(RulesError::ImplausibleAge {
                key: "max_age",
                value: 650
            })
        );
        assert_eq!(
            parse("dependent_minor_age = 121\n").unwrap().validate(),
            Err(RulesError::ImplausibleAge {
                key: "dependent_minor_age",
                value: 121
            })
        );
        assert_eq!(
            parse("dependent_minor_age = 120\n").unwrap().validate(),
            Ok(())
        );
    }
}

#[cfg(test)]
mod factor_label_tests {
    use super::*;

    #[test]
    fn the_older_applicants_label_follows_the_bandos_age() {
        let mut rules = Rules::default();
        let older = |r: &Rules| {
            r.factor_labels()
                .into_iter()
                .find(|f| f.key == "older_applicant")
                .unwrap()
        };
        assert_eq!(older(&rules).label, "Età 50 anni o più");
        rules.older_applicant_age = 55;
        assert_eq!(older(&rules).label, "Età 55 anni o più");
        assert_eq!(older(&rules).legend, "Età: richiedente con almeno 55 anni");
        // One label per field of the breakdown, in its order.
        let keys: Vec<&str> = rules.factor_labels().iter().map(|f| f.key).collect();
        let breakdown = serde_json::to_value(crate::Breakdown::default()).unwrap();
        let fields: Vec<&str> = breakdown
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted_keys = keys.clone();
        sorted_keys.sort_unstable();
        let mut sorted_fields = fields.clone();
        sorted_fields.sort_unstable();
        assert_eq!(sorted_keys, sorted_fields);
    }
}
