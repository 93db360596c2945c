//! The front office (segretariato sociale): what the district decides for every comune's desk.
//!
//! Kinds of back-office case (istruttoria) and the days each may take: district data, set by
//! the capofila (in the district file, `[[case_kinds]]`) and the same at every comune.

use serde::{Deserialize, Serialize};

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
}
