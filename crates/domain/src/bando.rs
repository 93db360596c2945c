//! A servizio civico bando: the call, its dates, the places each comune pays for, and the
//! regulation frozen into it.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::italian_day;
use crate::district::District;
use crate::rules::{Rules, RulesError};

/// A bando as the capofila writes it (a TOML file; `[rules]` names only what differs from the
/// district's default regulation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bando {
    pub id: String,
    pub title: String,
    /// First day applications are accepted (from its start, Italian time).
    #[serde(with = "toml_date")]
    pub opens: NaiveDate,
    /// Last day applications are accepted (to its end, Italian time): the date ages, ISEE
    /// validity and months of unemployment are reckoned on.
    #[serde(with = "toml_date")]
    pub closes: NaiveDate,
    /// Places by comune (ISTAT code): each comune pays its own participants.
    pub places: BTreeMap<String, u32>,
    #[serde(default)]
    pub rules: Rules,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BandoError {
    #[error("file del bando non leggibile: {0}")]
    Syntax(String),
    #[error("bando: il campo {0} è vuoto")]
    Empty(&'static str),
    #[error(
        "bando {id}: la data di apertura ({}) è successiva alla chiusura ({})",
        .opens.format("%d/%m/%Y"), .closes.format("%d/%m/%Y")
    )]
    DatesInverted {
        id: String,
        opens: NaiveDate,
        closes: NaiveDate,
    },
    #[error("bando {id}: il codice ISTAT {istat} in [places] non è un comune del distretto")]
    UnknownComune { id: String, istat: String },
    #[error("bando {id}, regole: {source}")]
    Rules {
        id: String,
        #[source]
        source: RulesError,
    },
}

impl Bando {
    /// Reads a bando and checks what can be checked without the district: non-empty id and
    /// title, dates in order, valid rules.
    pub fn from_toml(text: &str) -> Result<Self, BandoError> {
        let bando: Bando = toml::from_str(text)
            .map_err(|e| BandoError::Syntax(crate::toml_text::reading_error(&e, text)))?;
        bando.validate_alone()?;
        Ok(bando)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a bando always serialises")
    }

    /// Everything `from_toml` checks, plus: every comune given places belongs to `district`.
    pub fn validate(&self, district: &District) -> Result<(), BandoError> {
        self.validate_alone()?;
        match self
            .places
            .keys()
            .find(|istat| district.comune(istat).is_none())
        {
            Some(istat) => Err(BandoError::UnknownComune {
                id: self.id.clone(),
                istat: istat.clone(),
            }),
            None => Ok(()),
        }
    }

    fn validate_alone(&self) -> Result<(), BandoError> {
        if self.id.trim().is_empty() {
            return Err(BandoError::Empty("id"));
        }
        if self.title.trim().is_empty() {
            return Err(BandoError::Empty("title"));
        }
        if self.opens > self.closes {
            return Err(BandoError::DatesInverted {
                id: self.id.clone(),
                opens: self.opens,
                closes: self.closes,
            });
        }
        self.rules.validate().map_err(|source| BandoError::Rules {
            id: self.id.clone(),
            source,
        })
    }

    /// Whether an application received at `filed_at` falls in the bando's window: from the
    /// start of `opens` to the end of `closes`, in Italian time whatever the offset written.
    pub fn accepts_filing_at(&self, filed_at: DateTime<FixedOffset>) -> bool {
        (self.opens..=self.closes).contains(&italian_day(filed_at))
    }

    /// Places the bando gives `istat` (a comune not listed has none).
    pub fn places_for(&self, istat: &str) -> u32 {
        self.places.get(istat).copied().unwrap_or(0)
    }
}

/// Dates in files: read as TOML writes them (`closes = 2026-03-31`) or as quoted strings
/// (all chrono reads), written as strings (`"2026-03-31"`) so TOML and JSON agree.
pub(crate) mod toml_date {
    use std::fmt;

    use chrono::NaiveDate;
    use serde::de::{self, MapAccess, Visitor};
    use serde::{Deserialize, Deserializer, Serializer};
    use toml::value::Datetime;

    /// As an ISO string, the same in TOML and JSON.
    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&date.format("%Y-%m-%d"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        d.deserialize_any(DateVisitor)
    }

    /// The same for a date that may be absent.
    pub mod optional {
        use chrono::NaiveDate;
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            match date {
                Some(d) => s.serialize_some(&d.format("%Y-%m-%d").to_string()),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            #[derive(Deserialize)]
            struct Date(#[serde(with = "super")] NaiveDate);
            Ok(Option::<Date>::deserialize(d)?.map(|w| w.0))
        }
    }

    struct DateVisitor;

    impl<'de> Visitor<'de> for DateVisitor {
        type Value = NaiveDate;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("una data come 2026-03-31")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<NaiveDate, E> {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                E::custom(format!(
                    "data {text:?} non valida: scrivere ad esempio 2026-03-31"
                ))
            })
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<NaiveDate, A::Error> {
            let datetime = Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
            match (datetime.date, datetime.time, datetime.offset) {
                (Some(date), None, None) => NaiveDate::from_ymd_opt(
                    i32::from(date.year),
                    u32::from(date.month),
                    u32::from(date.day),
                )
                .ok_or_else(|| de::Error::custom(format!("la data {datetime} non esiste"))),
                _ => Err(de::Error::custom(format!(
                    "attesa una data senza ora, trovato {datetime}"
                ))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BANDO: &str = r#"
id = "SC-2026-1"
title = "Servizio civico distrettuale 2026"
opens = 2026-01-10
closes = 2026-03-31
[places]
"999001" = 20
"999002" = 6
"#;

    const D99: &str = r#"
id = "D99"
name = "Valle dei Test"
capofila = "999001"
[[comuni]]
istat = "999001"
name = "Fontebianca"
belfiore = "Y001"
[[comuni]]
istat = "999002"
name = "Roccaverde"
belfiore = "Y002"
"#;

    fn district() -> District {
        toml::from_str(D99).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reads_a_bando_with_the_default_rules() {
        let bando = Bando::from_toml(BANDO).unwrap();
        assert_eq!(bando.id, "SC-2026-1");
        assert_eq!(bando.opens, date(2026, 1, 10));
        assert_eq!(bando.closes, date(2026, 3, 31));
        assert_eq!(bando.places_for("999001"), 20);
        assert_eq!(bando.places_for("999002"), 6);
        assert_eq!(bando.places_for("999003"), 0);
        assert_eq!(bando.rules, Rules::default());
        assert_eq!(bando.validate(&district()), Ok(()));
    }

    #[test]
    fn the_documented_example_reads() {
        let doc = include_str!("../../../docs/regulation.md");
        let example = doc
            .split("```toml\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .unwrap();
        let bando = Bando::from_toml(example).unwrap();
        assert_eq!(bando.places_for("089017"), 20);
        assert_eq!(
            bando.rules,
            Rules {
                max_age: 60,
                isee_ceiling: "6000.00".parse().unwrap(),
                ..Rules::default()
            }
        );
    }

    #[test]
    fn rules_table_overrides_only_what_it_names() {
        let text = format!("{BANDO}[rules]\nmax_age = 60\nobjection_days = 15\n");
        let bando = Bando::from_toml(&text).unwrap();
        assert_eq!(
            bando.rules,
            Rules {
                max_age: 60,
                objection_days: 15,
                ..Rules::default()
            }
        );
    }

    #[test]
    fn invalid_rules_are_refused_with_the_bando_id() {
        let text = format!("{BANDO}[rules]\nmin_age = 70\n");
        let err = Bando::from_toml(&text).unwrap_err();
        assert!(matches!(
            err,
            BandoError::Rules {
                source: RulesError::AgeRange { .. },
                ..
            }
        ));
        assert!(
            err.to_string().starts_with("bando SC-2026-1, regole: "),
            "{err}"
        );
        let typo = format!("{BANDO}[rules]\nmin_eta = 20\n");
        assert!(
            matches!(Bando::from_toml(&typo), Err(BandoError::Syntax(m)) if m.contains("min_eta"))
        );
    }

    #[test]
    fn round_trips_through_toml() {
        let text = format!("{BANDO}[rules]\nisee_ceiling = \"7000.00\"\n");
        let bando = Bando::from_toml(&text).unwrap();
        let again = Bando::from_toml(&bando.to_toml()).unwrap();
        assert_eq!(again, bando);
        assert!(bando.to_toml().contains("closes = \"2026-03-31\""));
        let json = serde_json::to_string(&bando).unwrap();
        assert!(json.contains(r#""closes":"2026-03-31""#), "{json}");
        assert_eq!(serde_json::from_str::<Bando>(&json).unwrap(), bando);
    }

    #[test]
    fn accepts_quoted_dates_and_refuses_impossible_ones() {
        let quoted = BANDO.replace("closes = 2026-03-31", "closes = \"2026-03-31\"");
        assert_eq!(Bando::from_toml(&quoted).unwrap().closes, date(2026, 3, 31));
        let impossible = BANDO.replace("closes = 2026-03-31", "closes = \"2026-02-30\"");
        assert!(matches!(
            Bando::from_toml(&impossible),
            Err(BandoError::Syntax(_))
        ));
        let with_time = BANDO.replace("closes = 2026-03-31", "closes = 2026-03-31T12:00:00");
        assert!(
            matches!(Bando::from_toml(&with_time), Err(BandoError::Syntax(m)) if m.contains("senza ora"))
        );
    }

    #[test]
    fn refuses_closing_before_opening() {
        let text = BANDO.replace("opens = 2026-01-10", "opens = 2026-04-01");
        let err = Bando::from_toml(&text).unwrap_err();
        assert!(matches!(err, BandoError::DatesInverted { .. }));
        assert_eq!(
            err.to_string(),
            "bando SC-2026-1: la data di apertura (01/04/2026) è successiva alla chiusura (31/03/2026)"
        );
        // Opening and closing on the same day is a one-day bando.
        let one_day = BANDO.replace("opens = 2026-01-10", "opens = 2026-03-31");
        assert!(Bando::from_toml(&one_day).is_ok());
    }

    #[test]
    fn refuses_empty_id_or_title() {
        let no_id = BANDO.replace("id = \"SC-2026-1\"", "id = \" \"");
        assert_eq!(Bando::from_toml(&no_id), Err(BandoError::Empty("id")));
        let no_title = BANDO.replace(
            "title = \"Servizio civico distrettuale 2026\"",
            "title = \"\"",
        );
        assert_eq!(Bando::from_toml(&no_title), Err(BandoError::Empty("title")));
    }

    #[test]
    fn refuses_places_for_a_comune_outside_the_district() {
        let text = BANDO.replace("\"999002\" = 6", "\"089017\" = 6");
        let bando = Bando::from_toml(&text).unwrap();
        let err = bando.validate(&district()).unwrap_err();
        assert_eq!(
            err,
            BandoError::UnknownComune {
                id: "SC-2026-1".into(),
                istat: "089017".into()
            }
        );
        assert!(err.to_string().contains("089017"));
    }
}
