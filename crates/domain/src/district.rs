//! The district: its comuni and which of them is the capofila. Configuration, not code, so
//! another district can use the product by changing this file only.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::front_office::{CaseKind, check_case_kinds};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct District {
    pub id: String,
    pub name: String,
    /// ISTAT code of the lead comune.
    pub capofila: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    pub comuni: Vec<Comune>,
    /// Kinds of back-office case at the front office; none: `generica`, 30 calendar days.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub case_kinds: Vec<CaseKind>,
    /// Months after which an entry of the map of services not reviewed is flagged to the
    /// capofila; none: 12.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services_review_months: Option<u32>,
    /// The front office's key (64 hex characters) for the keyed digest of a codice fiscale
    /// that lets the capofila recognise a returning person across comuni without the code
    /// (docs/bundle-format.md); without it each install uses a key of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comune {
    /// Six-digit ISTAT code: the key of a comune (postcodes are shared, never a key).
    pub istat: String,
    pub name: String,
    /// Cadastral (Belfiore) code, as found in codici fiscali.
    pub belfiore: String,
    /// The code people born here before the comune existed carry in their codice fiscale
    /// (Priolo Gargallo: Siracusa's I754 before 1979).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former_belfiore: Option<String>,
    /// Last birth date that may carry `former_belfiore`.
    #[serde(
        default,
        with = "optional_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub former_belfiore_until: Option<NaiveDate>,
    /// Residents, for the front office's figures per 1,000 residents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DistrictError {
    #[error("file del distretto non leggibile: {0}")]
    Syntax(String),
    #[error("file del distretto: {0}")]
    Invalid(String),
}

impl District {
    pub fn from_toml(text: &str) -> Result<Self, DistrictError> {
        let district: District = toml::from_str(text)
            .map_err(|e| DistrictError::Syntax(crate::toml_text::reading_error(&e, text)))?;
        district.validate()?;
        Ok(district)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a district always serialises")
    }

    fn validate(&self) -> Result<(), DistrictError> {
        let invalid = |m: String| Err(DistrictError::Invalid(m));
        if self.id.trim().is_empty() {
            return invalid("il campo id è vuoto".into());
        }
        if self.comuni.is_empty() {
            return invalid("nessun comune elencato in [[comuni]]".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for c in &self.comuni {
            if c.istat.len() != 6 || !c.istat.bytes().all(|b| b.is_ascii_digit()) {
                return invalid(format!(
                    "comune {:?}: il codice ISTAT {:?} deve avere 6 cifre",
                    c.name, c.istat
                ));
            }
            if !is_belfiore(&c.belfiore) {
                return invalid(format!(
                    "comune {:?}: il codice Belfiore {:?} deve essere una lettera e 3 cifre",
                    c.name, c.belfiore
                ));
            }
            if !seen.insert(c.istat.as_str()) {
                return invalid(format!("il codice ISTAT {} è ripetuto", c.istat));
            }
        }
        check_case_kinds(&self.case_kinds).map_err(DistrictError::Invalid)?;
        if self
            .services_review_months
            .is_some_and(|m| !(1..=60).contains(&m))
        {
            // The key as written in the file, for the coordinator who edits it.
            let key = "services_review_months";
            return invalid(format!(
                "{key}: i mesi dopo cui un servizio della mappa va rivisto vanno da 1 a 60"
            ));
        }
        if let Some(key) = &self.contact_key
            && (key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return invalid(format!(
                "{} deve avere 64 caratteri esadecimali (0-9, a-f)",
                "contact_key"
            ));
        }
        if self.comune(&self.capofila).is_none() {
            return invalid(format!(
                "il capofila {} non è tra i comuni del distretto",
                self.capofila
            ));
        }
        Ok(())
    }

    /// Months after which an entry of the map of services not reviewed is flagged.
    pub fn services_review_months(&self) -> u32 {
        self.services_review_months
            .unwrap_or(crate::services::DEFAULT_REVIEW_MONTHS)
    }

    pub fn comune(&self, istat: &str) -> Option<&Comune> {
        self.comuni.iter().find(|c| c.istat == istat)
    }

    pub fn is_capofila(&self, istat: &str) -> bool {
        self.capofila == istat
    }

    /// Whether a codice fiscale's place code fits a declared place of birth: the same code,
    /// or the former code of a comune for people born before it existed.
    pub fn birth_place_matches(
        &self,
        declared: &str,
        in_code: &str,
        birth_date: NaiveDate,
    ) -> bool {
        declared == in_code
            || self.comuni.iter().any(|c| {
                c.belfiore == declared
                    && c.former_belfiore.as_deref() == Some(in_code)
                    && c.former_belfiore_until
                        .is_none_or(|until| birth_date <= until)
            })
    }
}

/// An optional TOML date (`former_belfiore_until = 1979-12-31`).
mod optional_date {
    use chrono::NaiveDate;
    use serde::{Deserializer, Serializer};

    use crate::bando::toml_date;

    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => toml_date::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        toml_date::deserialize(d).map(Some)
    }
}

fn is_belfiore(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 4 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit)
}

/// Part of D48 as the rule tests need it: Priolo Gargallo carries its former code.
#[cfg(test)]
pub(crate) fn test_district() -> District {
    let comune = |istat: &str, name: &str, belfiore: &str| Comune {
        istat: istat.into(),
        name: name.into(),
        belfiore: belfiore.into(),
        former_belfiore: None,
        former_belfiore_until: None,
        population: None,
    };
    District {
        id: "D48".into(),
        name: "Siracusa".into(),
        capofila: "089017".into(),
        province: Some("SR".into()),
        comuni: vec![
            comune("089017", "Siracusa", "I754"),
            comune("089009", "Floridia", "D636"),
            comune("089005", "Canicattini Bagni", "B603"),
            Comune {
                former_belfiore: Some("I754".into()),
                former_belfiore_until: NaiveDate::from_ymd_opt(1979, 12, 31),
                ..comune("089021", "Priolo Gargallo", "M279")
            },
        ],
        case_kinds: Vec::new(),
        services_review_months: None,
        contact_key: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
former_belfiore = "Y001"
former_belfiore_until = 1979-12-31
"#;

    #[test]
    fn parses_a_district() {
        let d = District::from_toml(D99).unwrap();
        assert_eq!(d.comuni.len(), 2);
        assert!(d.is_capofila("999001"));
        assert!(!d.is_capofila("999002"));
        assert_eq!(d.comune("999002").unwrap().name, "Roccaverde");
    }

    #[test]
    fn refuses_a_capofila_outside_the_district() {
        let text = D99.replace("capofila = \"999001\"", "capofila = \"999009\"");
        assert!(matches!(
            District::from_toml(&text),
            Err(DistrictError::Invalid(m)) if m.contains("999009")
        ));
    }

    #[test]
    fn refuses_a_repeated_istat_code() {
        let text = D99.replace("istat = \"999002\"", "istat = \"999001\"");
        assert!(District::from_toml(&text).is_err());
    }

    #[test]
    fn former_place_code_matches_only_before_the_comune_existed() {
        let d = District::from_toml(D99).unwrap();
        let old = NaiveDate::from_ymd_opt(1970, 5, 1).unwrap();
        let young = NaiveDate::from_ymd_opt(1990, 5, 1).unwrap();
        assert!(d.birth_place_matches("Y002", "Y001", old));
        assert!(!d.birth_place_matches("Y002", "Y001", young));
        assert!(d.birth_place_matches("Y002", "Y002", young));
        assert!(!d.birth_place_matches("Y001", "Y002", old));
    }
}
