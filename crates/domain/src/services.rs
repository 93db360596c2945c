//! The map of services (*mappa dei servizi*): what exists in the territory, who provides it,
//! for whom and how to reach it. The capofila keeps the district catalogue, each comune adds
//! its local entries; the front office searches it while a citizen is at the desk.
//!
//! An entry as written in a services file (CSV with Italian headers, or TOML `[[service]]`
//! with the same keys), checked field by field with Italian messages; and when an entry is
//! flagged to the capofila (no provider, or not reviewed for `review_months`).

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The SIUSS areas of need: 1 family and minors, 2 disability and non-self-sufficiency,
/// 3 poverty and social exclusion.
pub const AREAS: std::ops::RangeInclusive<u8> = 1..=3;

/// Months after which an entry not reviewed is flagged, when the district file sets none.
pub const DEFAULT_REVIEW_MONTHS: u32 = 12;

/// The longest code of an entry.
pub const CODE_MAX: usize = 40;
/// The longest name or provider.
pub const NAME_MAX: usize = 200;
/// The longest of the descriptive texts (who it is for, access, documents …).
pub const TEXT_MAX: usize = 2000;

/// The Italian header of each field, in the order of the CSV: `id` and `nome`, `area` required.
pub const HEADERS: [&str; 12] = [
    "id",
    "nome",
    "ente",
    "area",
    "comuni",
    "destinatari",
    "accesso",
    "documenti",
    "costo",
    "dove",
    "orari",
    "contatti",
];

/// The SIUSS area's name.
pub fn area_name(area: u8) -> &'static str {
    match area {
        1 => "famiglia e minori",
        2 => "disabilità e non autosufficienza",
        3 => "povertà ed esclusione sociale",
        _ => "area sconosciuta",
    }
}

/// An entry of the map, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Service {
    /// A short code: lowercase letters, digits, `-` or `_` (`sad-anziani`).
    pub id: String,
    pub name: String,
    /// Who provides it (*ente*); none is flagged to the capofila.
    pub provider: Option<String>,
    /// The SIUSS area, 1 to 3.
    pub area: u8,
    /// The comuni covered (ISTAT codes); empty: every comune of the district (a comune's
    /// local entry: that comune).
    pub comuni: Vec<String>,
    /// Who it is for (*destinatari*).
    pub recipients: Option<String>,
    /// How to get it (*accesso*).
    pub access: Option<String>,
    /// Documents to bring (*documenti*).
    pub documents: Option<String>,
    /// What it costs the citizen (*costo*).
    pub cost: Option<String>,
    /// Where (*dove*).
    pub place: Option<String>,
    /// When (*orari*).
    pub hours: Option<String>,
    /// Telephone, e-mail … (*contatti*).
    pub contacts: Option<String>,
}

/// An entry as written in a file: every value text, the keys the CSV headers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceInput {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub nome: String,
    #[serde(default)]
    pub ente: String,
    #[serde(default, deserialize_with = "text_or_number")]
    pub area: String,
    #[serde(default)]
    pub comuni: String,
    #[serde(default)]
    pub destinatari: String,
    #[serde(default)]
    pub accesso: String,
    #[serde(default)]
    pub documenti: String,
    #[serde(default)]
    pub costo: String,
    #[serde(default)]
    pub dove: String,
    #[serde(default)]
    pub orari: String,
    #[serde(default)]
    pub contatti: String,
}

/// `area = 2` or `area = "2"` in TOML.
fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Text(String),
        Number(i64),
    }
    Ok(match Either::deserialize(d)? {
        Either::Text(t) => t,
        Either::Number(n) => n.to_string(),
    })
}

/// What is wrong with one field of an entry: the field's Italian header and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

impl ServiceInput {
    /// The value under a CSV header (one of [`HEADERS`]).
    pub fn set(&mut self, header: &str, value: String) {
        let slot = match header {
            "id" => &mut self.id,
            "nome" => &mut self.nome,
            "ente" => &mut self.ente,
            "area" => &mut self.area,
            "comuni" => &mut self.comuni,
            "destinatari" => &mut self.destinatari,
            "accesso" => &mut self.accesso,
            "documenti" => &mut self.documenti,
            "costo" => &mut self.costo,
            "dove" => &mut self.dove,
            "orari" => &mut self.orari,
            "contatti" => &mut self.contatti,
            _ => return,
        };
        *slot = value;
    }

    /// The entry, or every problem of its fields; `district` lists the ISTAT codes of the
    /// district's comuni.
    pub fn check(&self, district: &[&str]) -> Result<Service, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut problem = |field: &'static str, message: String| {
            problems.push(FieldProblem { field, message });
        };
        let id = self.id.trim().to_lowercase();
        let id_ok = !id.is_empty()
            && id.chars().count() <= CODE_MAX
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if id.is_empty() {
            problem("id", "manca il codice del servizio".into());
        } else if !id_ok {
            problem(
                "id",
                format!(
                    "il codice «{}» va scritto con lettere senza accenti, cifre, - o _ (al \
                     massimo {CODE_MAX}), ad esempio «sad-anziani»",
                    self.id.trim()
                ),
            );
        }
        let name = self.nome.trim();
        if name.is_empty() {
            problem("nome", "manca il nome del servizio".into());
        }
        let mut text = |field: &'static str, value: &str, max: usize, multiline: bool| {
            let value = value.trim();
            if value.chars().count() > max {
                problem(field, format!("testo più lungo di {max} caratteri"));
            } else if let Some(p) = crate::intake::check_text(field, value, multiline) {
                problem(field, p.message);
            }
            (!value.is_empty()).then(|| value.to_string())
        };
        let name = text("nome", name, NAME_MAX, false).unwrap_or_default();
        let provider = text("ente", &self.ente, NAME_MAX, false);
        let recipients = text("destinatari", &self.destinatari, TEXT_MAX, true);
        let access = text("accesso", &self.accesso, TEXT_MAX, true);
        let documents = text("documenti", &self.documenti, TEXT_MAX, true);
        let cost = text("costo", &self.costo, TEXT_MAX, true);
        let place = text("dove", &self.dove, TEXT_MAX, true);
        let hours = text("orari", &self.orari, TEXT_MAX, true);
        let contacts = text("contatti", &self.contatti, TEXT_MAX, true);
        let area = match self.area.trim().parse::<u8>() {
            Ok(a) if AREAS.contains(&a) => a,
            _ if self.area.trim().is_empty() => {
                problem(
                    "area",
                    "manca l'area: 1 famiglia e minori, 2 disabilità e non autosufficienza, \
                     3 povertà ed esclusione sociale"
                        .into(),
                );
                0
            }
            _ => {
                problem(
                    "area",
                    format!(
                        "area «{}» non valida: 1 famiglia e minori, 2 disabilità e non \
                         autosufficienza, 3 povertà ed esclusione sociale",
                        self.area.trim()
                    ),
                );
                0
            }
        };
        let mut comuni: Vec<String> = Vec::new();
        for code in self
            .comuni
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|c| !c.is_empty())
        {
            if !district.contains(&code) {
                problem(
                    "comuni",
                    format!(
                        "«{code}» non è il codice ISTAT di un comune del distretto (sei cifre, \
                         separati da spazi)"
                    ),
                );
            } else if comuni.iter().any(|c| c == code) {
                problem("comuni", format!("il comune {code} è ripetuto"));
            } else {
                comuni.push(code.to_string());
            }
        }
        comuni.sort();
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Service {
            id,
            name,
            provider,
            area,
            comuni,
            recipients,
            access,
            documents,
            cost,
            place,
            hours,
            contacts,
        })
    }
}

/// The `[[service]]` entries of a TOML services file.
pub fn services_from_toml(text: &str) -> Result<Vec<ServiceInput>, String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        #[serde(default)]
        service: Vec<ServiceInput>,
    }
    let file: File = toml::from_str(text).map_err(|e| crate::toml_text::reading_error(&e, text))?;
    Ok(file.service)
}

/// Why an entry is flagged to the capofila.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum StaleReason {
    /// No provider (*ente*) is named.
    NoProvider,
    /// Not reviewed for the district's months (12 by default).
    NotReviewed,
}

impl StaleReason {
    pub fn label_it(self) -> &'static str {
        match self {
            StaleReason::NoProvider => "senza ente",
            StaleReason::NotReviewed => "da rivedere",
        }
    }
}

/// Why an entry last reviewed on `reviewed_on` is flagged on `today`: no provider, or
/// `months` or more gone by since its review (reviewed on 10 March, 12 months: flagged from
/// 10 March of the next year).
pub fn stale_reasons(
    provider: Option<&str>,
    reviewed_on: NaiveDate,
    today: NaiveDate,
    months: u32,
) -> Vec<StaleReason> {
    let mut reasons = Vec::new();
    if provider.is_none_or(|p| p.trim().is_empty()) {
        reasons.push(StaleReason::NoProvider);
    }
    let due = reviewed_on
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX);
    if today >= due {
        reasons.push(StaleReason::NotReviewed);
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    const D48: [&str; 3] = ["089017", "089009", "089021"];

    fn input() -> ServiceInput {
        ServiceInput {
            id: "sad-anziani".into(),
            nome: "Assistenza domiciliare anziani".into(),
            ente: "Comune di Siracusa".into(),
            area: "2".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_entry_is_read_trimmed_and_lower_case() {
        let mut i = input();
        i.id = " SAD-Anziani ".into();
        i.comuni = "089021 089009".into();
        let s = i.check(&D48).unwrap();
        assert_eq!(s.id, "sad-anziani");
        assert_eq!(s.comuni, ["089009", "089021"]);
        assert_eq!(s.area, 2);
        assert_eq!(s.recipients, None);
    }

    #[test]
    fn id_name_and_area_are_required_and_each_problem_names_its_field() {
        let problems = ServiceInput::default().check(&D48).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["id", "nome", "area"]);
    }

    #[test]
    fn areas_run_from_one_to_three() {
        for (area, ok) in [
            ("1", true),
            ("3", true),
            ("0", false),
            ("4", false),
            ("x", false),
        ] {
            let mut i = input();
            i.area = area.into();
            assert_eq!(i.check(&D48).is_ok(), ok, "{area}");
        }
    }

    #[test]
    fn comuni_must_be_of_the_district_and_not_repeated() {
        let mut i = input();
        i.comuni = "089017 999001".into();
        let p = i.check(&D48).unwrap_err();
        assert_eq!(p[0].field, "comuni");
        assert!(p[0].message.contains("999001"), "{}", p[0].message);
        i.comuni = "089017 089017".into();
        assert!(i.check(&D48).unwrap_err()[0].message.contains("ripetuto"));
    }

    #[test]
    fn codes_with_spaces_or_accents_and_hidden_characters_are_refused() {
        let mut i = input();
        i.id = "sad anziani".into();
        assert_eq!(i.check(&D48).unwrap_err()[0].field, "id");
        i.id = "caffè".into();
        assert_eq!(i.check(&D48).unwrap_err()[0].field, "id");
        let mut i = input();
        i.nome = "Assistenza\u{202e}".into();
        assert_eq!(i.check(&D48).unwrap_err()[0].field, "nome");
    }

    #[test]
    fn toml_entries_use_the_csv_keys() {
        let entries = services_from_toml(
            "[[service]]\nid = \"sad\"\nnome = \"Assistenza domiciliare\"\narea = 2\n\
             comuni = \"089017\"\n",
        )
        .unwrap();
        assert_eq!(entries[0].area, "2");
        assert!(entries[0].check(&D48).is_ok());
        let err = services_from_toml("[[service]]\nid = \"sad\"\nname = \"x\"\n").unwrap_err();
        assert!(err.contains("name"), "{err}");
    }

    #[test]
    fn an_entry_is_flagged_twelve_months_after_its_review_or_without_provider() {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let reviewed = day("2025-03-10");
        assert!(stale_reasons(Some("ASP"), reviewed, day("2026-03-09"), 12).is_empty());
        assert_eq!(
            stale_reasons(Some("ASP"), reviewed, day("2026-03-10"), 12),
            [StaleReason::NotReviewed]
        );
        assert_eq!(
            stale_reasons(None, reviewed, day("2025-03-10"), 12),
            [StaleReason::NoProvider]
        );
        assert_eq!(
            stale_reasons(Some(" "), day("2024-02-29"), day("2025-02-28"), 12),
            [StaleReason::NoProvider, StaleReason::NotReviewed]
        );
    }
}
