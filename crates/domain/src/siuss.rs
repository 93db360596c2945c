//! National reporting of social benefits to INPS (SIUSS, "prestazioni sociali"): the records of
//! the layout (flow `PS`, namespace `http://inps.it/Casellario`) and the checks a record must
//! pass before it is written. docs/siuss.md says how each field is filled.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The layout's namespace.
pub const NAMESPACE: &str = "http://inps.it/Casellario";

/// Italy, as `CodiceCittadinanza` and `CodiceNazione` write it.
pub const ITALY: &str = "380";

/// Sicily's code, as `CodiceRegione` writes it.
pub const SICILY: &str = "19";

/// The region (`CodiceRegione`) of a comune from its ISTAT code: the district's comuni are in
/// Sicily (provinces 081 to 089); `None` elsewhere.
pub fn region_of(istat: &str) -> Option<&'static str> {
    let province: u32 = istat.get(..3)?.parse().ok()?;
    (81..=89).contains(&province).then_some(SICILY)
}

/// Insert (`I`) or cancel (`C`) a record sent before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Operation {
    #[serde(rename = "I")]
    Insert,
    #[serde(rename = "C")]
    Cancel,
}

impl Operation {
    pub fn code(self) -> &'static str {
        match self {
            Operation::Insert => "I",
            Operation::Cancel => "C",
        }
    }
}

/// Who receives the benefit (`Beneficiario` with its `Anagrafica` and one `Indirizzo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Beneficiary {
    pub codice_fiscale: String,
    pub surname: String,
    pub name: String,
    pub birth_year: i32,
    /// Belfiore code of the place of birth.
    pub birth_place: String,
    /// `1` male, `2` female.
    pub gender: u8,
    pub citizenship: String,
    pub country: String,
    pub region: String,
    /// Six-digit ISTAT code of the comune of residence.
    pub comune: String,
}

/// The DSU (the ISEE declaration) the benefit was granted on: all three fields or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dsu {
    pub protocol: Option<String>,
    pub year: Option<i32>,
    pub date: Option<NaiveDate>,
}

/// One periodic benefit of one month (`PrestazioniSociali`), as servizio civico pays it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Benefit {
    pub operation: Operation,
    /// `PresenzaProvaMezzi`: 1 subject to ISEE.
    pub means_test: u8,
    /// `CaratterePrestazione`: 1 periodic.
    pub character: u8,
    pub dsu: Dsu,
    pub code: String,
    pub denomination: String,
    /// The comune's protocol of the application (or its case number).
    pub application_protocol: String,
    pub event_date: NaiveDate,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// `PeriodoErogazione`: months.
    pub months: u8,
    pub monthly_amount: Decimal,
    pub isee_threshold: Decimal,
    pub monthly_hours: Decimal,
    /// `PresaCarico`: 1 yes, 2 no.
    pub taken_in_charge: u8,
    /// `AreaUtenza`: 3 poverty and social exclusion.
    pub area: u8,
}

/// A beneficiary's record: who, and one benefit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub beneficiary: Beneficiary,
    pub benefit: Benefit,
}

/// A problem with one field of a record, in Italian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The layout's name of the field (`Cognome`, `DataDSU`).
    pub field: &'static str,
    pub message: String,
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

fn digits(text: &str, n: usize) -> bool {
    text.len() == n && text.bytes().all(|b| b.is_ascii_digit())
}

/// Checks `record` against the layout's rules: lengths, patterns, the DSU's three fields all
/// or none, start and end in one calendar year, positive amounts. Empty when it passes.
pub fn check(record: &Record) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut problem = |field: &'static str, message: String| {
        found.push(Finding { field, message });
    };
    let b = &record.beneficiary;
    let cf_ok = b.codice_fiscale.len() == 16
        && b.codice_fiscale
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if !cf_ok {
        problem(
            "CodiceFiscale",
            format!(
                "«{}»: servono 16 lettere maiuscole e cifre",
                b.codice_fiscale
            ),
        );
    }
    for (field, value) in [("Cognome", &b.surname), ("Nome", &b.name)] {
        let n = chars(value.trim());
        if n == 0 || n > 36 {
            problem(
                field,
                format!("«{value}» ha {n} caratteri: il tracciato ne ammette da 1 a 36"),
            );
        }
    }
    if !(1000..=9999).contains(&b.birth_year) {
        problem("AnnoNascita", format!("{}: servono 4 cifre", b.birth_year));
    }
    if chars(&b.birth_place) != 4 {
        problem(
            "LuogoNascita",
            format!(
                "«{}»: serve il codice catastale di 4 caratteri",
                b.birth_place
            ),
        );
    }
    if !matches!(b.gender, 1 | 2) {
        problem("Genere", format!("{}: 1 maschio, 2 femmina", b.gender));
    }
    for (field, value) in [
        ("CodiceCittadinanza", &b.citizenship),
        ("CodiceNazione", &b.country),
    ] {
        if !digits(value, 3) {
            problem(field, format!("«{value}»: servono 3 cifre"));
        }
    }
    if b.country == ITALY {
        if !digits(&b.region, 2) {
            problem("CodiceRegione", format!("«{}»: servono 2 cifre", b.region));
        }
        if !digits(&b.comune, 6) {
            problem(
                "CodiceComune",
                format!("«{}»: serve il codice ISTAT di 6 cifre", b.comune),
            );
        }
    }

    let p = &record.benefit;
    let dsu = [
        p.dsu.protocol.is_some(),
        p.dsu.year.is_some(),
        p.dsu.date.is_some(),
    ];
    if dsu.iter().any(|x| *x) && !dsu.iter().all(|x| *x) {
        problem(
            "DataDSU",
            "NumeroProtocolloDSU, AnnoProtocolloDSU e DataDSU vanno indicati tutti e tre o \
             nessuno"
                .to_string(),
        );
    }
    if let Some(protocol) = &p.dsu.protocol
        && (chars(protocol) == 0 || chars(protocol) > 30)
    {
        problem(
            "NumeroProtocolloDSU",
            format!("«{protocol}»: al massimo 30 caratteri"),
        );
    }
    if let Some(year) = p.dsu.year
        && !(1000..=9999).contains(&year)
    {
        problem("AnnoProtocolloDSU", format!("{year}: servono 4 cifre"));
    }
    if p.means_test == 1 && !dsu.iter().all(|x| *x) {
        problem(
            "PresenzaProvaMezzi",
            "la prestazione è soggetta a ISEE ma la domanda non ha la DSU".to_string(),
        );
    }
    if !(5..=10).contains(&chars(&p.code)) {
        problem(
            "CodicePrestazione",
            format!("«{}»: da 5 a 10 caratteri", p.code),
        );
    }
    if !(10..=200).contains(&chars(&p.denomination)) {
        problem(
            "DenominazionePrestazione",
            format!("«{}»: da 10 a 200 caratteri", p.denomination),
        );
    }
    if !(1..=32).contains(&chars(&p.application_protocol)) {
        problem(
            "ProtocolloDomanda",
            format!("«{}»: da 1 a 32 caratteri", p.application_protocol),
        );
    }
    if p.start > p.end {
        problem(
            "DataFinePrestazione",
            format!(
                "la fine ({}) precede l'inizio ({})",
                p.end.format("%d/%m/%Y"),
                p.start.format("%d/%m/%Y")
            ),
        );
    }
    if p.start.year() != p.end.year() {
        problem(
            "DataFinePrestazione",
            format!(
                "inizio ({}) e fine ({}) devono essere nello stesso anno",
                p.start.format("%d/%m/%Y"),
                p.end.format("%d/%m/%Y")
            ),
        );
    }
    if !(1..=12).contains(&p.months) {
        problem("PeriodoErogazione", format!("{}: da 1 a 12 mesi", p.months));
    }
    if p.monthly_amount <= Decimal::ZERO {
        problem(
            "ImportoMensile",
            format!("{}: deve essere maggiore di zero", p.monthly_amount),
        );
    }
    if p.taken_in_charge == 1 && !matches!(p.area, 1..=3) {
        problem("AreaUtenza", format!("{}: 1, 2 o 3", p.area));
    }
    found
}

/// `AAAA-MM-GG`, as the layout writes dates.
pub fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// An amount as the layout writes it: a dot, two decimals.
pub fn amount(value: Decimal) -> String {
    format!("{:.2}", value)
}

/// The flow's name: `{ente}.PS.{AAAAMMGG}.{progressive of the day}`.
pub fn flow_name(ente: &str, sent_on: NaiveDate, progressive: u32) -> String {
    format!("{ente}.PS.{}.{progressive}", sent_on.format("%Y%m%d"))
}

/// The INPS code of an ente: 1 to 32 letters, digits, `.`, `-` or `_`.
pub fn check_ente(code: &str) -> Result<(), String> {
    let ok = (1..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "codice ente «{code}» non valido: da 1 a 32 lettere o cifre, come assegnato dall'INPS"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn record() -> Record {
        Record {
            beneficiary: Beneficiary {
                codice_fiscale: "RSSMRA80A41D636X".into(),
                surname: "Rossi".into(),
                name: "Maria".into(),
                birth_year: 1980,
                birth_place: "D636".into(),
                gender: 2,
                citizenship: ITALY.into(),
                country: ITALY.into(),
                region: SICILY.into(),
                comune: "089009".into(),
            },
            benefit: Benefit {
                operation: Operation::Insert,
                means_test: 1,
                character: 1,
                dsu: Dsu {
                    protocol: Some("INPS-ISEE-2026-100015838-00".into()),
                    year: Some(2026),
                    date: Some(day(2026, 1, 17)),
                },
                code: "A1.18".into(),
                denomination: "Servizio civico distrettuale 2026".into(),
                application_protocol: "2026/0000008".into(),
                event_date: day(2026, 11, 1),
                start: day(2026, 11, 2),
                end: day(2026, 11, 27),
                months: 1,
                monthly_amount: "412.80".parse().unwrap(),
                isee_threshold: "6000.00".parse().unwrap(),
                monthly_hours: "80".parse().unwrap(),
                taken_in_charge: 1,
                area: 3,
            },
        }
    }

    fn fields(r: &Record) -> Vec<&'static str> {
        check(r).into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn a_well_formed_record_passes() {
        assert_eq!(check(&record()), []);
    }

    #[test]
    fn a_surname_of_36_characters_passes_and_of_37_does_not() {
        let mut r = record();
        r.beneficiary.surname = "A".repeat(36);
        assert_eq!(fields(&r), Vec::<&str>::new());
        r.beneficiary.surname = "À".repeat(37);
        assert_eq!(fields(&r), ["Cognome"]);
    }

    #[test]
    fn the_dsu_goes_all_or_none() {
        let mut r = record();
        r.benefit.dsu.date = None;
        assert!(fields(&r).contains(&"DataDSU"));
        r.benefit.means_test = 4;
        r.benefit.dsu = Dsu {
            protocol: None,
            year: None,
            date: None,
        };
        assert_eq!(fields(&r), Vec::<&str>::new());
    }

    #[test]
    fn start_and_end_stay_in_one_year_and_amounts_are_positive() {
        let mut r = record();
        r.benefit.start = day(2026, 12, 28);
        r.benefit.end = day(2027, 1, 3);
        r.benefit.monthly_amount = Decimal::ZERO;
        assert_eq!(fields(&r), ["DataFinePrestazione", "ImportoMensile"]);
    }

    #[test]
    fn the_region_comes_from_the_province() {
        assert_eq!(region_of("089009"), Some("19"));
        assert_eq!(region_of("081001"), Some("19"));
        assert_eq!(region_of("058091"), None);
        assert_eq!(region_of(""), None);
    }

    #[test]
    fn flows_are_named_by_ente_day_and_progressive() {
        assert_eq!(
            flow_name("C089009", day(2027, 3, 10), 2),
            "C089009.PS.20270310.2"
        );
        assert!(check_ente("C089009").is_ok());
        assert!(check_ente("").is_err());
        assert!(check_ente(&"X".repeat(33)).is_err());
        assert_eq!(amount("59.3".parse().unwrap()), "59.30");
    }
}
