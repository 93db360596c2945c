//! The front office (segretariato sociale): what the district decides for every comune's desk.
//!
//! Kinds of back-office case (istruttoria) and the days each may take: district data, set by
//! the capofila (in the district file, `[[case_kinds]]`) and the same at every comune.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::add_working_days;

pub mod contact;
pub mod stats;

pub use contact::{
    Answer, CaseInput, Channel, CheckedContact, ContactInput, ContactProblem, Identity,
    Interlocutor, Need, PersonInput, ReferralInput, SentBy, check_contact,
};
pub use stats::{CaseFact, ContactFact, FrontOfficeStats, SatisfactionFact, front_office_stats};

/// The fewest and the most days a kind of case may be given.
pub const TARGET_DAYS: std::ops::RangeInclusive<u8> = 2..=30;

/// The kind that applies when the district names none.
pub const DEFAULT_KIND: &str = "generica";

/// A kind of back-office case and its target: a case opened on day D is due on D plus
/// `target_days` (calendar days, or working days when `working_days`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CaseKind {
    /// A short code: lowercase letters, digits and `-` or `_` (`contributo`).
    pub id: String,
    pub name: String,
    pub target_days: u8,
    #[serde(default)]
    pub working_days: bool,
}

impl CaseKind {
    /// `generica`, 30 calendar days: the kind when the district names none.
    pub fn default_kind() -> Self {
        Self {
            id: DEFAULT_KIND.into(),
            name: "Istruttoria generica".into(),
            target_days: *TARGET_DAYS.end(),
            working_days: false,
        }
    }

    /// What is wrong with this kind, in Italian, naming it.
    pub fn check(&self) -> Result<(), String> {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 40
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if !id_ok {
            return Err(format!(
                "tipo di istruttoria {:?}: il codice va scritto con lettere minuscole, cifre, \
                 - o _ (al massimo 40), ad esempio \"contributo\"",
                self.id
            ));
        }
        if self.name.trim().is_empty() || self.name.chars().count() > 200 {
            return Err(format!(
                "tipo di istruttoria {:?}: manca il nome (al massimo 200 caratteri)",
                self.id
            ));
        }
        if !TARGET_DAYS.contains(&self.target_days) {
            return Err(format!(
                "tipo di istruttoria {:?}: i giorni previsti ({}) vanno da {} a {}",
                self.id,
                self.target_days,
                TARGET_DAYS.start(),
                TARGET_DAYS.end()
            ));
        }
        Ok(())
    }
}

/// Checks a district's kinds: each valid, no code twice.
pub fn check_case_kinds(kinds: &[CaseKind]) -> Result<(), String> {
    let mut seen = std::collections::BTreeSet::new();
    for kind in kinds {
        kind.check()?;
        if !seen.insert(kind.id.as_str()) {
            return Err(format!(
                "il tipo di istruttoria {:?} è ripetuto: ogni codice una volta sola",
                kind.id
            ));
        }
    }
    Ok(())
}

/// The kinds that apply: the district's, or `generica` when it names none.
pub fn effective_case_kinds(kinds: &[CaseKind]) -> Vec<CaseKind> {
    if kinds.is_empty() {
        vec![CaseKind::default_kind()]
    } else {
        kinds.to_vec()
    }
}

/// The `[[case_kinds]]` of a TOML text (a district file or a file with those entries only).
pub fn case_kinds_from_toml(text: &str) -> Result<Vec<CaseKind>, String> {
    #[derive(Deserialize)]
    struct Only {
        #[serde(default)]
        case_kinds: Vec<CaseKind>,
    }
    let only: Only = toml::from_str(text).map_err(|e| crate::toml_text::reading_error(&e, text))?;
    check_case_kinds(&only.case_kinds)?;
    Ok(only.case_kinds)
}

/// The day a case of `kind` opened on `opened` is due: `target_days` later, in calendar days
/// or in working days ([`crate::calendar::is_working_day`]) as the kind says.
pub fn due_date(opened: NaiveDate, kind: &CaseKind) -> NaiveDate {
    if kind.working_days {
        add_working_days(opened, u32::from(kind.target_days))
    } else {
        opened + chrono::Days::new(u64::from(kind.target_days))
    }
}

/// Whether a case due on `due` and closed on `closed` was closed within its target: on the
/// due date itself it still is.
pub fn within_target(due: NaiveDate, closed: NaiveDate) -> bool {
    closed <= due
}

/// Whether an open case due on `due` is overdue on `today`: from the day after the due date.
pub fn overdue(due: NaiveDate, today: NaiveDate) -> bool {
    today > due
}

/// How a back-office case ends: its code and the words the operator reads.
pub const CASE_OUTCOMES: &[(&str, &str)] = &[
    ("accolta", "accolta"),
    ("respinta", "respinta"),
    ("inviata_altro_servizio", "inviata ad altro servizio"),
    ("ritirata", "ritirata dal cittadino"),
];

/// The codes of [`CASE_OUTCOMES`].
pub const CASE_OUTCOME_CODES: &[&str] =
    &["accolta", "respinta", "inviata_altro_servizio", "ritirata"];

/// The words of outcome `code`, when it is one.
pub fn case_outcome_label(code: &str) -> Option<&'static str> {
    CASE_OUTCOMES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
}

/// A case's due date within this many days (or past it): on the Home's to-do.
pub const DUE_SOON_DAYS: i64 = 3;

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(id: &str, days: u8) -> CaseKind {
        CaseKind {
            id: id.into(),
            name: "Contributo economico".into(),
            target_days: days,
            working_days: false,
        }
    }

    #[test]
    fn targets_run_from_two_to_thirty_days() {
        assert!(kind("contributo", 2).check().is_ok());
        assert!(kind("contributo", 30).check().is_ok());
        let short = kind("contributo", 1).check().unwrap_err();
        assert!(short.contains("vanno da 2 a 30"), "{short}");
        assert!(kind("contributo", 31).check().is_err());
    }

    #[test]
    fn codes_are_short_words_and_never_repeated() {
        assert!(kind("Contributo", 10).check().is_err());
        assert!(kind("contributo economico", 10).check().is_err());
        let twice = check_case_kinds(&[kind("a", 10), kind("a", 12)]).unwrap_err();
        assert!(twice.contains("ripetuto"), "{twice}");
    }

    #[test]
    fn without_kinds_the_generic_one_of_thirty_calendar_days_applies() {
        let kinds = effective_case_kinds(&[]);
        assert_eq!(kinds, [CaseKind::default_kind()]);
        assert_eq!((kinds[0].target_days, kinds[0].working_days), (30, false));
        assert_eq!(effective_case_kinds(&[kind("a", 5)])[0].id, "a");
    }

    #[test]
    fn kinds_read_from_the_district_file_s_keys() {
        let kinds = case_kinds_from_toml(
            r#"
            [[case_kinds]]
            id = "contributo"
            name = "Contributo economico"
            target_days = 10
            working_days = true
            "#,
        )
        .unwrap();
        assert_eq!(kinds.len(), 1);
        assert!(kinds[0].working_days);
        let unknown = case_kinds_from_toml(
            "[[case_kinds]]\nid = \"a\"\nname = \"A\"\ntarget_days = 3\ngiorni = 4\n",
        )
        .unwrap_err();
        assert!(unknown.contains("giorni"), "{unknown}");
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_case_closed_on_its_due_date_is_within_target_the_next_day_is_not() {
        let opened = date(2026, 3, 2);
        let due = due_date(opened, &kind("contributo", 10));
        assert_eq!(due, date(2026, 3, 12));
        assert!(within_target(due, date(2026, 3, 12)));
        assert!(!within_target(due, date(2026, 3, 13)));
        assert!(!overdue(due, due));
        assert!(overdue(due, date(2026, 3, 13)));
    }

    #[test]
    fn working_day_kinds_skip_weekends_and_holidays() {
        let mut k = kind("contributo", 5);
        k.working_days = true;
        // Thursday 30 April 2026: 1 May (holiday), 2-3 (weekend) skipped: 4, 5, 6, 7, 8 May.
        assert_eq!(due_date(date(2026, 4, 30), &k), date(2026, 5, 8));
        k.working_days = false;
        assert_eq!(due_date(date(2026, 4, 30), &k), date(2026, 5, 5));
        // The default kind: 30 calendar days.
        assert_eq!(
            due_date(date(2026, 1, 31), &CaseKind::default_kind()),
            date(2026, 3, 2)
        );
    }

    #[test]
    fn outcomes_are_data_with_their_words() {
        assert_eq!(CASE_OUTCOMES.len(), CASE_OUTCOME_CODES.len());
        for ((code, _), c) in CASE_OUTCOMES.iter().zip(CASE_OUTCOME_CODES) {
            assert_eq!(code, c);
        }
        assert_eq!(
            case_outcome_label("inviata_altro_servizio"),
            Some("inviata ad altro servizio")
        );
        assert_eq!(case_outcome_label("forse"), None);
    }
}
