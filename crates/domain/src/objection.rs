//! Objections (opposizioni) to a provisional ranking: what an objection contests, how it is
//! decided, and the window open for them. The days are the bando's (`objection_days`); the
//! window is reckoned in Italian days from the provisional ranking's publication.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Days the applicant has to reply to a *preavviso di rigetto* (law 241/1990, art. 10-bis):
/// set by the law, not by the bando.
pub const PREAVVISO_REPLY_DAYS: u32 = 10;

/// What an objection contests: one factor of the points breakdown (its key, as
/// [`crate::Rules::factor_labels`] names them) or the exclusion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Contested {
    Factor(String),
    Exclusion,
}

impl Contested {
    /// Reads `about` as written on the command line (`exclusion`/`esclusione` or a factor
    /// key); `None` when it names neither.
    pub fn parse(about: &str, rules: &crate::Rules) -> Option<Self> {
        let about = about.trim();
        if matches!(about, "exclusion" | "esclusione") {
            return Some(Self::Exclusion);
        }
        rules
            .factor_labels()
            .into_iter()
            .find(|f| f.key == about)
            .map(|f| Self::Factor(f.key.to_string()))
    }

    /// The word stored and shown in JSON: the factor's key, or `exclusion`.
    pub fn key(&self) -> &str {
        match self {
            Self::Factor(key) => key,
            Self::Exclusion => "exclusion",
        }
    }

    /// The words `about` accepts, for a message.
    pub fn accepted(rules: &crate::Rules) -> Vec<String> {
        let mut words: Vec<String> = rules
            .factor_labels()
            .into_iter()
            .map(|f| f.key.to_string())
            .collect();
        words.push("exclusion".into());
        words
    }
}

/// The capofila's decision on an objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Accepted: the comune of filing corrects the application accordingly.
    Accolta,
    Respinta,
}

impl Outcome {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "accolta" => Some(Self::Accolta),
            "respinta" => Some(Self::Respinta),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accolta => "accolta",
            Self::Respinta => "respinta",
        }
    }
}

/// The objections window of a provisional ranking published on `published_on`, open for
/// `days` days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub published_on: NaiveDate,
    pub days: u32,
}

impl Window {
    /// The last day an objection is in time. The publication day is not counted (a term of
    /// days starts the day after the event, civil code art. 2963): published on 1 March with
    /// 10 days, the last day is 11 March.
    pub fn last_day(self) -> NaiveDate {
        self.published_on + Duration::days(i64::from(self.days))
    }

    /// Whether an objection filed on `day` (an Italian day) is in time.
    pub fn open_on(self, day: NaiveDate) -> bool {
        day <= self.last_day()
    }

    /// Whether the window is over on `day`: the definitive ranking may follow.
    pub fn closed_on(self, day: NaiveDate) -> bool {
        !self.open_on(day)
    }
}

/// The last day to reply to a *preavviso di rigetto* received on `received_on`.
pub fn preavviso_reply_by(received_on: NaiveDate) -> NaiveDate {
    received_on + Duration::days(i64::from(PREAVVISO_REPLY_DAYS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rules;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_window_leaves_out_the_publication_day_and_includes_the_last() {
        let window = Window {
            published_on: date(2026, 3, 1),
            days: 10,
        };
        assert_eq!(window.last_day(), date(2026, 3, 11));
        assert!(window.open_on(date(2026, 3, 1)));
        assert!(window.open_on(date(2026, 3, 11)));
        assert!(!window.open_on(date(2026, 3, 12)));
        assert!(!window.closed_on(date(2026, 3, 11)));
        assert!(window.closed_on(date(2026, 3, 12)));
    }

    #[test]
    fn the_window_crosses_months_and_years() {
        let window = Window {
            published_on: date(2026, 12, 28),
            days: 10,
        };
        assert_eq!(window.last_day(), date(2027, 1, 7));
        let one_day = Window {
            published_on: date(2028, 2, 28),
            days: 1,
        };
        assert_eq!(one_day.last_day(), date(2028, 2, 29));
    }

    #[test]
    fn the_preavviso_reply_term_is_ten_days_from_receipt() {
        assert_eq!(preavviso_reply_by(date(2026, 4, 25)), date(2026, 5, 5));
    }

    #[test]
    fn an_objection_contests_a_factor_of_the_breakdown_or_the_exclusion() {
        let rules = Rules::default();
        assert_eq!(
            Contested::parse("isee", &rules),
            Some(Contested::Factor("isee".into()))
        );
        assert_eq!(
            Contested::parse("esclusione", &rules),
            Some(Contested::Exclusion)
        );
        assert_eq!(
            Contested::parse("exclusion", &rules).unwrap().key(),
            "exclusion"
        );
        assert_eq!(Contested::parse("reddito", &rules), None);
        assert!(Contested::accepted(&rules).contains(&"housing".to_string()));
    }

    #[test]
    fn outcomes_are_the_italian_words() {
        assert_eq!(Outcome::parse("accolta"), Some(Outcome::Accolta));
        assert_eq!(Outcome::parse("respinta").unwrap().as_str(), "respinta");
        assert_eq!(Outcome::parse("accepted"), None);
    }
}
