//! Monitoring of the plan: the indicators, each defined once as data over named counts, and the
//! half-year periods they are computed for. Counts are figures, never people: a comune sends
//! its counts, the capofila adds them up and computes the district's indicators from the sums
//! (a ratio of sums, never an average of ratios).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

mod summary;
pub use summary::{Movement, number, quantity, summary};

/// Named counts of one comune (or of the district) over one period: `civico.hours` → 312.5.
pub type Counts = BTreeMap<String, Decimal>;

/// A period, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// `AAAA-H1` (1 January to 30 June) or `AAAA-H2` (1 July to 31 December).
    pub fn half_year(text: &str) -> Option<Period> {
        let (year, half) = text.trim().split_once('-')?;
        let year: i32 = year.parse().ok()?;
        let (from, to) = match half.to_ascii_uppercase().as_str() {
            "H1" => ((1, 1), (6, 30)),
            "H2" => ((7, 1), (12, 31)),
            _ => return None,
        };
        Some(Period {
            from: NaiveDate::from_ymd_opt(year, from.0, from.1)?,
            to: NaiveDate::from_ymd_opt(year, to.0, to.1)?,
        })
    }

    /// The half-year `day` falls in.
    pub fn half_year_of(day: NaiveDate) -> Period {
        let half = if day.month() <= 6 { "H1" } else { "H2" };
        Period::half_year(&format!("{}-{half}", day.year())).expect("a real half-year")
    }

    /// `AAAA-H1` when the period is a half-year.
    pub fn half_year_name(&self) -> Option<String> {
        let half = if self.from.month() == 1 { "H1" } else { "H2" };
        let name = format!("{}-{half}", self.from.year());
        (Period::half_year(&name) == Some(*self)).then_some(name)
    }

    /// The period just before, as long: the previous half-year for a half-year, otherwise the
    /// same number of days ending the day before `from`.
    pub fn previous(&self) -> Period {
        if let Some(day) = self.from.pred_opt()
            && self.half_year_name().is_some()
        {
            return Period::half_year_of(day);
        }
        let days = (self.to - self.from).num_days();
        let to = self.from.pred_opt().unwrap_or(self.from);
        Period {
            from: to - chrono::Duration::days(days),
            to,
        }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// How an indicator's value comes from the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formula {
    /// The count itself.
    Count(&'static str),
    /// `numerator / denominator × scale` (a share in percent is `scale` 100); none when the
    /// denominator is zero.
    Ratio {
        numerator: &'static str,
        denominator: &'static str,
        scale: u32,
    },
}

impl Formula {
    /// The counts it reads.
    pub fn counts(&self) -> Vec<&'static str> {
        match self {
            Formula::Count(c) => vec![c],
            Formula::Ratio {
                numerator,
                denominator,
                ..
            } => vec![numerator, denominator],
        }
    }

    /// The value over `counts` (a missing count is zero), rounded to two decimals.
    pub fn value(&self, counts: &Counts) -> Option<Decimal> {
        let get = |name: &str| counts.get(name).copied().unwrap_or_default();
        let value = match self {
            Formula::Count(c) => get(c),
            Formula::Ratio {
                numerator,
                denominator,
                scale,
            } => {
                let d = get(denominator);
                if d.is_zero() {
                    return None;
                }
                get(numerator) * Decimal::from(*scale) / d
            }
        };
        Some(
            value
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                .normalize(),
        )
    }
}

/// Whether a target is a floor or a ceiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    AtLeast,
    AtMost,
}

/// An indicator of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indicator {
    pub id: &'static str,
    pub name: &'static str,
    /// The action of the plan it belongs to (`Azione 21 – Servizio civico`).
    pub action: &'static str,
    pub formula: Formula,
    pub unit: &'static str,
    pub target: Option<(Direction, u32)>,
}

impl Indicator {
    /// Whether `value` misses the target; `None` without a target or a value.
    pub fn misses(&self, value: Option<Decimal>) -> Option<bool> {
        let (direction, target) = self.target?;
        let value = value?;
        let target = Decimal::from(target);
        Some(match direction {
            Direction::AtLeast => value < target,
            Direction::AtMost => value > target,
        })
    }
}

pub const CIVICO: &str = "Azione 21 – Servizio civico";

pub const FRONT_OFFICE: &str = "Azione 7 – Segretariato sociale";
pub const ACCREDITATION: &str = "Azione 5 – Accreditamento";

/// Every indicator, in the order of the report. docs/monitoring.md lists them with their counts.
pub const INDICATORS: &[Indicator] = &[
    Indicator {
        id: "sc_domande",
        name: "Domande di servizio civico ricevute",
        action: CIVICO,
        formula: Formula::Count("civico.applications"),
        unit: "domande",
        target: None,
    },
    Indicator {
        id: "sc_idonei",
        name: "Domande idonee (ammesse o in attesa di posto)",
        action: CIVICO,
        formula: Formula::Count("civico.eligible"),
        unit: "domande",
        target: None,
    },
    Indicator {
        id: "sc_ammessi",
        name: "Ammessi nella graduatoria",
        action: CIVICO,
        formula: Formula::Count("civico.admitted"),
        unit: "persone",
        target: None,
    },
    Indicator {
        id: "sc_in_attesa",
        name: "In attesa di avvio a fine periodo",
        action: CIVICO,
        formula: Formula::Count("civico.waiting"),
        unit: "persone",
        target: None,
    },
    Indicator {
        id: "sc_avviati",
        name: "Avviati al servizio nel periodo",
        action: CIVICO,
        formula: Formula::Count("civico.started"),
        unit: "persone",
        target: None,
    },
    Indicator {
        id: "sc_giorni_avvio",
        name: "Giorni medi dalla domanda all'avvio",
        action: CIVICO,
        formula: Formula::Ratio {
            numerator: "civico.start_days",
            denominator: "civico.started",
            scale: 1,
        },
        unit: "giorni",
        target: Some((Direction::AtMost, 60)),
    },
    Indicator {
        id: "sc_avvio_entro_obiettivo",
        name: "Avviati entro 60 giorni dalla domanda",
        action: CIVICO,
        formula: Formula::Ratio {
            numerator: "civico.started_within_target",
            denominator: "civico.started",
            scale: 100,
        },
        unit: "%",
        target: Some((Direction::AtLeast, 100)),
    },
    Indicator {
        id: "sc_in_servizio",
        name: "Partecipanti in servizio nel periodo",
        action: CIVICO,
        formula: Formula::Count("civico.in_service"),
        unit: "persone",
        target: None,
    },
    Indicator {
        id: "sc_ore",
        name: "Ore di servizio prestate",
        action: CIVICO,
        formula: Formula::Count("civico.hours"),
        unit: "ore",
        target: None,
    },
    Indicator {
        id: "sc_liquidato",
        name: "Compensi liquidati",
        action: CIVICO,
        formula: Formula::Count("civico.paid"),
        unit: "euro",
        target: None,
    },
    Indicator {
        id: "sc_reclami",
        name: "Reclami ricevuti",
        action: CIVICO,
        formula: Formula::Count("civico.complaints"),
        unit: "reclami",
        target: None,
    },
    Indicator {
        id: "sc_reclami_chiusi",
        name: "Reclami chiusi sul totale ricevuti",
        action: CIVICO,
        formula: Formula::Ratio {
            numerator: "civico.complaints_closed",
            denominator: "civico.complaints",
            scale: 100,
        },
        unit: "%",
        target: Some((Direction::AtLeast, 100)),
    },
    Indicator {
        id: "ss_contatti",
        name: "Contatti dello sportello",
        action: FRONT_OFFICE,
        formula: Formula::Count("fo.contacts"),
        unit: "contatti",
        target: None,
    },
    Indicator {
        id: "ss_contatti_per_mille",
        name: "Contatti ogni 1.000 residenti",
        action: FRONT_OFFICE,
        formula: Formula::Ratio {
            numerator: "fo.contacts",
            denominator: "fo.population",
            scale: 1000,
        },
        unit: "per mille",
        target: None,
    },
    Indicator {
        id: "ss_istruttorie_nei_termini",
        name: "Istruttorie chiuse nei termini",
        action: FRONT_OFFICE,
        formula: Formula::Ratio {
            numerator: "fo.closed_within_target",
            denominator: "fo.cases_closed",
            scale: 100,
        },
        unit: "%",
        target: Some((Direction::AtLeast, 100)),
    },
    Indicator {
        id: "ss_bisogni_senza_risposta",
        name: "Bisogni senza risposta nella mappa dei servizi",
        action: FRONT_OFFICE,
        formula: Formula::Count("fo.unmet_needs"),
        unit: "contatti",
        target: None,
    },
    Indicator {
        id: "ss_soddisfazione",
        name: "Soddisfazione media degli utenti (1–5)",
        action: FRONT_OFFICE,
        formula: Formula::Ratio {
            numerator: "fo.satisfaction_marks",
            denominator: "fo.satisfaction_answers",
            scale: 1,
        },
        unit: "punti",
        target: None,
    },
    Indicator {
        id: "acc_attivi",
        name: "Enti accreditati attivi",
        action: ACCREDITATION,
        formula: Formula::Count("acc.active"),
        unit: "enti",
        target: None,
    },
    Indicator {
        id: "acc_sospesi",
        name: "Enti accreditati sospesi",
        action: ACCREDITATION,
        formula: Formula::Count("acc.suspended"),
        unit: "enti",
        target: None,
    },
    Indicator {
        id: "acc_in_scadenza",
        name: "Iscrizioni in scadenza entro 90 giorni",
        action: ACCREDITATION,
        formula: Formula::Count("acc.expiring"),
        unit: "enti",
        target: None,
    },
];

/// Adds `other`'s counts into `into` (the district's counts are the comuni's sums).
pub fn add(into: &mut Counts, other: &Counts) {
    for (name, value) in other {
        *into.entry(name.clone()).or_default() += *value;
    }
}

/// The plan's actions a half-year form (scheda di monitoraggio) may be about.
pub const ACTIONS: &[(&str, &str)] = &[
    ("5", "Azione 5 – Accreditamento dei servizi"),
    ("6", "Azione 6 – Monitoraggio del piano"),
    ("7", "Azione 7 – Segretariato sociale"),
    ("21", "Azione 21 – Servizio civico"),
];

/// An operational objective of the action's sheet and how far it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ObjectiveProgress {
    pub objective: String,
    pub progress: String,
}

/// The money of an action in the half-year: allocated, committed (impegnato), paid
/// (liquidato), euros as decimal text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Budget {
    #[cfg_attr(feature = "bindings", ts(type = "string"))]
    pub allocated: Decimal,
    #[cfg_attr(feature = "bindings", ts(type = "string"))]
    pub committed: Decimal,
    #[cfg_attr(feature = "bindings", ts(type = "string"))]
    pub paid: Decimal,
}

/// The half-year form of one action, as its manager fills it (`monitor form add`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// `AAAA-H1` or `AAAA-H2`.
    pub period: String,
    /// One of [`ACTIONS`] by its number (`"21"`).
    pub action: String,
    pub manager: String,
    pub objectives: Vec<ObjectiveProgress>,
    pub activities: String,
    #[serde(default)]
    pub problems: Option<String>,
    #[serde(default)]
    pub corrective_steps: Option<String>,
    pub budget: Budget,
    /// People working on the action, in words (`2 assistenti sociali, 1 amministrativo`).
    pub staff: String,
}

impl Form {
    /// What is wrong with the form, field by field, in Italian.
    pub fn check(&self) -> Vec<(&'static str, String)> {
        let mut found = Vec::new();
        if Period::half_year(&self.period).is_none() {
            found.push((
                "period",
                format!("«{}»: il semestre si scrive AAAA-H1 o AAAA-H2", self.period),
            ));
        }
        if !ACTIONS.iter().any(|(n, _)| *n == self.action) {
            let known: Vec<&str> = ACTIONS.iter().map(|(n, _)| *n).collect();
            found.push((
                "action",
                format!(
                    "azione «{}» non prevista dal piano: una tra {}",
                    self.action,
                    known.join(", ")
                ),
            ));
        }
        for (field, text) in [
            ("manager", &self.manager),
            ("activities", &self.activities),
            ("staff", &self.staff),
        ] {
            if text.trim().is_empty() {
                found.push((field, "campo obbligatorio".into()));
            }
        }
        if self.objectives.is_empty()
            || self
                .objectives
                .iter()
                .any(|o| o.objective.trim().is_empty() || o.progress.trim().is_empty())
        {
            found.push((
                "objectives",
                "serve almeno un obiettivo operativo, ciascuno con lo stato di avanzamento".into(),
            ));
        }
        let b = &self.budget;
        if [b.allocated, b.committed, b.paid]
            .iter()
            .any(|v| v.is_sign_negative())
        {
            found.push(("budget", "gli importi non possono essere negativi".into()));
        }
        if b.paid > b.committed {
            found.push((
                "budget",
                format!(
                    "liquidato ({}) maggiore dell'impegnato ({})",
                    crate::money::euro(b.paid),
                    crate::money::euro(b.committed)
                ),
            ));
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn half_years_end_on_30_june_and_31_december() {
        let h1 = Period::half_year("2026-H1").unwrap();
        assert_eq!((h1.from, h1.to), (day(2026, 1, 1), day(2026, 6, 30)));
        assert!(h1.contains(day(2026, 6, 30)) && !h1.contains(day(2026, 7, 1)));
        assert_eq!(
            Period::half_year_of(day(2026, 7, 1)),
            Period::half_year("2026-H2").unwrap()
        );
        assert_eq!(h1.previous(), Period::half_year("2025-H2").unwrap());
        assert_eq!(h1.half_year_name().as_deref(), Some("2026-H1"));
        assert!(Period::half_year("2026-H3").is_none());
        let any = Period {
            from: day(2026, 3, 1),
            to: day(2026, 3, 10),
        };
        assert_eq!(any.half_year_name(), None);
        assert_eq!(
            any.previous(),
            Period {
                from: day(2026, 2, 19),
                to: day(2026, 2, 28)
            }
        );
    }

    #[test]
    fn the_half_year_turns_at_midnight_italian_time() {
        let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap();
        let h1 = Period::half_year("2026-H1").unwrap();
        let last = crate::calendar::italian_day(at("2026-06-30T23:59:00+02:00"));
        let first = crate::calendar::italian_day(at("2026-07-01T00:00:00+02:00"));
        // 22:30 UTC on 30 June is already 1 July in Italy.
        let utc = crate::calendar::italian_day(at("2026-06-30T22:30:00Z"));
        assert!(h1.contains(last));
        assert!(!h1.contains(first) && !h1.contains(utc));
    }

    #[test]
    fn ratios_need_a_denominator_and_round_to_the_cent() {
        let mut counts = Counts::new();
        counts.insert("a".into(), Decimal::from(2));
        counts.insert("b".into(), Decimal::from(3));
        let share = Formula::Ratio {
            numerator: "a",
            denominator: "b",
            scale: 100,
        };
        assert_eq!(share.value(&counts), Some("66.67".parse().unwrap()));
        let none = Formula::Ratio {
            numerator: "a",
            denominator: "c",
            scale: 1,
        };
        assert_eq!(none.value(&counts), None);
        assert_eq!(Formula::Count("c").value(&counts), Some(Decimal::ZERO));
    }

    #[test]
    fn targets_say_which_way_they_go() {
        let days = INDICATORS
            .iter()
            .find(|i| i.id == "sc_giorni_avvio")
            .unwrap();
        assert_eq!(days.misses(Some(Decimal::from(60))), Some(false));
        assert_eq!(days.misses(Some("60.5".parse().unwrap())), Some(true));
        assert_eq!(days.misses(None), None);
    }

    #[test]
    fn the_documentation_lists_every_indicator_and_count() {
        let doc = include_str!("../../../../docs/monitoring.md");
        for i in INDICATORS {
            assert!(
                doc.contains(&format!("| `{}` |", i.id)),
                "{} undocumented",
                i.id
            );
            for c in i.formula.counts() {
                assert!(
                    doc.contains(&format!("| `{c}` |")),
                    "count {c} undocumented"
                );
            }
        }
    }

    #[test]
    fn a_form_names_what_is_missing_and_money_paid_beyond_what_was_committed() {
        let form = Form {
            period: "2026-H3".into(),
            action: "99".into(),
            manager: " ".into(),
            objectives: vec![],
            activities: "Sportello aperto".into(),
            problems: None,
            corrective_steps: None,
            budget: Budget {
                allocated: Decimal::from(1000),
                committed: Decimal::from(500),
                paid: Decimal::from(600),
            },
            staff: "2".into(),
        };
        let fields: Vec<&str> = form.check().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            ["period", "action", "manager", "objectives", "budget"]
        );
    }

    #[test]
    fn indicators_are_defined_once() {
        let mut ids: Vec<&str> = INDICATORS.iter().map(|i| i.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), INDICATORS.len());
    }

    #[test]
    fn the_district_adds_the_comuni_counts() {
        let mut district = Counts::new();
        let one = Counts::from([("x".to_string(), Decimal::from(2))]);
        let two = Counts::from([
            ("x".to_string(), Decimal::from(3)),
            ("y".to_string(), Decimal::ONE),
        ]);
        add(&mut district, &one);
        add(&mut district, &two);
        assert_eq!(district["x"], Decimal::from(5));
        assert_eq!(district["y"], Decimal::ONE);
    }
}
