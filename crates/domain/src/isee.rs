//! ISEE values and the DSU declaration they come from.
//!
//! Amounts are exact decimals, never floating point: a ranking decided by 0.01 euro must be
//! the same on every machine and forever.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::money::{self, group_thousands};

/// An ISEE value in euros: non-negative, cents at most, kept with exactly two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS), ts(type = "string"))]
pub struct Isee(Decimal);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IseeError {
    #[error("importo ISEE mancante: scrivere il valore in euro, ad esempio 3500,00")]
    Empty,
    #[error(
        "importo ISEE non valido: «{0}»; scrivere il valore in euro con la virgola per i decimali, ad esempio 3500,00 o 3.500,00"
    )]
    Malformed(String),
    /// One dot followed by exactly three digits, no comma: thousands or decimals?
    #[error("{}", ambiguous_message(.0))]
    Ambiguous(String),
    #[error("l'ISEE non può essere negativo: controllare il valore dell'attestazione")]
    Negative,
    #[error(
        "importo ISEE «{0}» con più di due decimali: si scrivono al massimo i centesimi, ad \
         esempio 12500, 12.500,00 o 12500,00; controllare il valore dell'attestazione"
    )]
    TooManyDecimals(String),
    #[error(
        "importo ISEE troppo grande (al massimo 999.999.999.999,99): controllare il valore \
         dell'attestazione"
    )]
    TooLarge,
}

impl IseeError {
    /// The reason as a stable word, the one `fixtures/euro-amounts.json` and the window use.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::Malformed(_) => "malformed",
            Self::Ambiguous(_) => "ambiguous",
            Self::Negative => "negative",
            Self::TooManyDecimals(_) => "too_many_decimals",
            Self::TooLarge => "too_large",
        }
    }
}

/// "12.500" → the forms that say twelve thousand five hundred, and the decimal reading when
/// there is one ("12,50").
fn ambiguous_message(input: &str) -> String {
    let (integer, fraction) = input
        .trim_matches(is_blank)
        .trim_start_matches('€')
        .trim_end_matches('€')
        .trim_matches(is_blank)
        .trim_start_matches('-')
        .split_once('.')
        .unwrap_or_default();
    let thousands = format!("{integer}{fraction}");
    let thousands = thousands.trim_start_matches('0');
    let thousands = if thousands.is_empty() { "0" } else { thousands };
    let grouped = group_thousands(thousands);
    let mut forms = vec![thousands.to_string()];
    if grouped != thousands {
        forms.push(format!("{grouped},00"));
    }
    forms.push(format!("{thousands},00"));
    let last = forms.pop().unwrap_or_default();
    let forms = if forms.is_empty() {
        last
    } else {
        format!("{} o {last}", forms.join(", "))
    };
    let decimals = match fraction.strip_suffix('0') {
        Some(cents) => format!("; per i decimali usare la virgola ({integer},{cents})"),
        None => String::new(),
    };
    format!(
        "importo ISEE ambiguo «{}»: un punto seguito da tre cifre può separare le migliaia o i \
         decimali; per le migliaia scrivere {forms}{decimals}",
        input.trim_matches(is_blank)
    )
}

/// The most an ISEE can read: twelve digits of euros (a thousand billion is a typing slip).
const MAX_EURO_DIGITS: usize = 12;

impl Isee {
    pub const ZERO: Isee = Isee(Decimal::from_parts(0, 0, 0, false, 2));

    pub fn new(value: Decimal) -> Result<Isee, IseeError> {
        if value < Decimal::ZERO {
            return Err(IseeError::Negative);
        }
        // normalize() also turns -0 into 0.
        let mut exact = value.normalize();
        if exact.scale() > 2 {
            return Err(IseeError::TooManyDecimals(exact.to_string()));
        }
        if exact.trunc().to_string().len() > MAX_EURO_DIGITS {
            return Err(IseeError::TooLarge);
        }
        exact.rescale(2);
        Ok(Isee(exact))
    }

    pub fn value(&self) -> Decimal {
        self.0
    }

    /// `€ 1.234,56`, as Italian readers expect ([`money::euro`]).
    pub fn to_euro(&self) -> String {
        money::euro(self.0)
    }
}

/// Writes "3500.00": the machine form, the one serialised.
impl fmt::Display for Isee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Reads what operators type: "3500", "3500.00", "3500,5", "3.500,00", "€ 3.500,00",
/// "3.500,00 €", and so every amount [`money::euro`] writes. The window's `parseEuro`
/// (ui/src/lib/format.ts) reads exactly the same; the shared cases are the `cases` list of
/// fixtures/euro-amounts.json.
///
/// A comma is always the decimal separator, and dots before it group thousands. Without a
/// comma, one dot followed by one or two digits is a decimal point ("3500.5", the JSON form
/// "3500.00"), several dots group thousands ("1.234.567"), and one dot followed by exactly three
/// digits is refused: "12.500" is twelve thousand five hundred to an Italian and twelve and a
/// half to a spreadsheet. At most two decimals are written ("3,500" is refused, not read as
/// 3,50), at most twelve digits of euros.
impl FromStr for Isee {
    type Err = IseeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Isee::new(parse_amount(s)?)
    }
}

impl Isee {
    /// Reads a JSON number as it was written (`3500`, `3500.5`, `1e3`): at most two decimals
    /// written, so `12.500` is refused like the string "12.500" is, though its value is 12.5.
    pub fn from_json_number(text: &str) -> Result<Isee, IseeError> {
        let text = text.trim();
        let too_many = || IseeError::TooManyDecimals(text.to_string());
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(at) => (&text[..at], Some(&text[at + 1..])),
            None => (text, None),
        };
        let (integer, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let integer = integer.strip_prefix('-').unwrap_or(integer);
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let exponent_ok = exponent.is_none_or(|e| {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            is_digits(e) && e.len() <= 3
        });
        if !is_digits(integer) || !digits(fraction) || !exponent_ok {
            return Err(IseeError::Malformed(text.to_string()));
        }
        if exponent.is_none() && fraction.len() > 2 {
            return Err(too_many());
        }
        let value = if let Some(exponent) = exponent {
            Decimal::from_scientific(text).map_err(|_| {
                if exponent.starts_with('-') {
                    too_many()
                } else {
                    IseeError::TooLarge
                }
            })?
        } else {
            Decimal::from_str_exact(mantissa).map_err(|_| IseeError::TooLarge)?
        };
        Isee::new(value)
    }
}

/// Blanks around an amount: spaces, tabs and the no-break spaces spreadsheets write.
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}' | '\u{202f}')
}

fn parse_amount(s: &str) -> Result<Decimal, IseeError> {
    let shown = s.trim_matches(is_blank);
    // The euro sign before or after the amount, not both.
    let text = match shown.strip_prefix('€') {
        Some(rest) => rest,
        None => shown.strip_suffix('€').unwrap_or(shown),
    }
    .trim_matches(is_blank);
    if text.is_empty() {
        return Err(IseeError::Empty);
    }
    let malformed = || IseeError::Malformed(shown.to_string());
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    // `None`: no decimal separator. `Some("")` ("3500,") is a typing slip, refused below.
    let (integer, fraction) = match text.split_once(',') {
        Some((integer, fraction)) => (ungroup(integer).ok_or_else(malformed)?, Some(fraction)),
        None => match text.split_once('.') {
            Some((integer, fraction)) if !fraction.contains('.') => {
                if fraction.len() == 3 && is_digits(integer) && is_digits(fraction) {
                    return Err(IseeError::Ambiguous(shown.to_string()));
                }
                (integer.to_string(), Some(fraction))
            }
            Some(_) => (ungroup(text).ok_or_else(malformed)?, None),
            None => (text.to_string(), None),
        },
    };
    if !is_digits(&integer) || fraction.is_some_and(|f| !is_digits(f)) {
        return Err(malformed());
    }
    let fraction = fraction.unwrap_or_default();
    if fraction.len() > 2 {
        return Err(IseeError::TooManyDecimals(shown.to_string()));
    }
    if integer.trim_start_matches('0').len() > MAX_EURO_DIGITS {
        return Err(IseeError::TooLarge);
    }
    let canonical = if fraction.is_empty() {
        integer
    } else {
        format!("{integer}.{fraction}")
    };
    let value = Decimal::from_str_exact(&canonical).map_err(|_| IseeError::TooLarge)?;
    if negative && !value.is_zero() {
        return Err(IseeError::Negative);
    }
    Ok(value)
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// "1.234.567" → "1234567"; `None` unless the groups are 1-3 digits (not starting with 0)
/// then exactly three digits each.
fn ungroup(s: &str) -> Option<String> {
    let mut groups = s.split('.');
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    if rest.is_empty() {
        return Some(first.to_string());
    }
    let first_ok = is_digits(first) && first.len() <= 3 && !first.starts_with('0');
    let rest_ok = rest.iter().all(|g| g.len() == 3 && is_digits(g));
    (first_ok && rest_ok).then(|| std::iter::once(first).chain(rest).collect())
}

impl Serialize for Isee {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Isee {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IseeVisitor)
    }
}

struct IseeVisitor;

impl de::Visitor<'_> for IseeVisitor {
    type Value = Isee;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("un importo ISEE in euro, come stringa (\"3500.00\") o numero")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Isee, E> {
        v.parse().map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Isee, E> {
        Isee::new(Decimal::from(v)).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Isee, E> {
        Isee::new(Decimal::from(v)).map_err(E::custom)
    }

    /// Through the number's shortest decimal text (3500.1 reads "3500.1"), never through
    /// binary arithmetic, so the value is the one written in the JSON. (The digits as written,
    /// `12.500` rather than 12.5, are not seen here: the app reads them from the JSON text.)
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Isee, E> {
        if !v.is_finite() {
            return Err(E::custom(IseeError::Malformed(v.to_string())));
        }
        Isee::from_json_number(&v.to_string()).map_err(E::custom)
    }
}

/// Which kind of ISEE a DSU gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum IseeKind {
    /// Valid until 31 December of the year the DSU was filed.
    #[default]
    Ordinario,
    /// After a change in work or income: valid six months.
    Corrente,
}

/// An ISEE value as declared, with the DSU it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct IseeDeclaration {
    pub value: Isee,
    /// INPS protocol of the DSU, kept as typed even when it is not well formed.
    pub dsu_protocol: String,
    /// The day the DSU was filed.
    pub dsu_date: NaiveDate,
    #[serde(default)]
    pub kind: IseeKind,
}

impl IseeDeclaration {
    /// Last day the ISEE is valid: 31 December of the DSU's year (ordinario), or six months
    /// after the DSU (corrente; from 31 August, the end of February).
    pub fn expiry(&self) -> NaiveDate {
        match self.kind {
            IseeKind::Ordinario => {
                NaiveDate::from_ymd_opt(self.dsu_date.year(), 12, 31).unwrap_or(NaiveDate::MAX)
            }
            IseeKind::Corrente => self
                .dsu_date
                .checked_add_months(Months::new(6))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    /// Whether the ISEE is valid on `date`: from the DSU's filing to the expiry, both included.
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.dsu_date <= date && date <= self.expiry()
    }
}

/// Whether a DSU protocol has the INPS shape `INPS-ISEE-2026-AB123C789-00`
/// (`^INPS-ISEE-\d{4}-[A-Z0-9]{9}-\d{2}$`, ASCII digits and uppercase letters only).
pub fn dsu_protocol_well_formed(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("INPS-ISEE-") else {
        return false;
    };
    let parts: Vec<&str> = rest.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [year, id, suffix] => {
            digits(year, 4)
                && id.len() == 9
                && id
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
                && digits(suffix, 2)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn isee(s: &str) -> Isee {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The cases the window's `parseEuro` is tested with too: both read amounts alike.
    #[test]
    fn reads_amounts_as_the_shared_fixture_says() {
        let cases = money::shared_cases("cases");
        assert!(cases.len() > 50);
        for case in &cases {
            let input = case["input"].as_str().unwrap();
            match (case["value"].as_str(), case["refused"].as_str()) {
                (Some(value), None) => assert_eq!(isee(input).to_string(), value, "{input:?}"),
                (None, Some(reason)) => {
                    let err = input.parse::<Isee>().unwrap_err();
                    assert_eq!(err.reason(), reason, "{input:?}: {err}");
                }
                _ => panic!("a case has a value or a refusal: {case}"),
            }
        }
    }

    #[test]
    fn an_ambiguous_dot_is_refused_with_the_forms_that_say_it() {
        let message = "12.500".parse::<Isee>().unwrap_err().to_string();
        assert_eq!(
            message,
            "importo ISEE ambiguo «12.500»: un punto seguito da tre cifre può separare le \
             migliaia o i decimali; per le migliaia scrivere 12500, 12.500,00 o 12500,00; per i \
             decimali usare la virgola (12,50)"
        );
        let message = "€ 1.234".parse::<Isee>().unwrap_err().to_string();
        assert!(
            message.ends_with("scrivere 1234, 1.234,00 o 1234,00"),
            "{message}"
        );
        let message = "0.500".parse::<Isee>().unwrap_err().to_string();
        assert!(
            message.contains("scrivere 500 o 500,00; per i decimali usare la virgola (0,50)"),
            "{message}"
        );
        // Grouped with a comma, or several groups: not ambiguous.
        assert_eq!(isee("12.500,00").to_string(), "12500.00");
        assert_eq!(isee("1.234.567").to_string(), "1234567.00");
        assert_eq!(isee("3.500,00").to_string(), "3500.00");
    }

    #[test]
    fn refusals_say_what_to_write() {
        let message = "3,500,00".parse::<Isee>().unwrap_err().to_string();
        assert!(message.contains("«3,500,00»") && message.contains("3.500,00"));
        let message = "3500,555".parse::<Isee>().unwrap_err().to_string();
        assert!(
            message.contains("«3500,555»") && message.contains("12500, 12.500,00 o 12500,00"),
            "{message}"
        );
        assert_eq!("-1".parse::<Isee>(), Err(IseeError::Negative));
        assert_eq!("".parse::<Isee>(), Err(IseeError::Empty));
    }

    #[test]
    fn new_keeps_cents_exactly() {
        assert_eq!(Isee::new(dec("3500.1")).unwrap().value(), dec("3500.10"));
        assert_eq!(Isee::new(dec("3500.1")).unwrap().value().scale(), 2);
        assert_eq!(Isee::new(dec("-0.00")).unwrap(), Isee::ZERO);
        assert_eq!(Isee::ZERO.to_string(), "0.00");
        assert_eq!(Isee::new(dec("-0.01")), Err(IseeError::Negative));
        assert_eq!(
            Isee::new(dec("0.001")),
            Err(IseeError::TooManyDecimals("0.001".into()))
        );
        assert_eq!(Isee::new(dec("0.010")).unwrap().to_string(), "0.01");
        assert_eq!(
            Isee::new(dec("999999999999.99")).unwrap().to_string(),
            "999999999999.99"
        );
        assert_eq!(Isee::new(dec("1000000000000")), Err(IseeError::TooLarge));
    }

    #[test]
    fn orders_by_value() {
        let mut values = [isee("8000"), isee("0"), isee("7999,99"), isee("1000.5")];
        values.sort();
        let texts: Vec<String> = values.iter().map(Isee::to_string).collect();
        assert_eq!(texts, ["0.00", "1000.50", "7999.99", "8000.00"]);
        assert!(isee("8000,00") <= isee("8.000,00"));
        assert_eq!(isee("8000,00"), isee("8.000,00"));
    }

    #[test]
    fn serialises_as_a_string_with_two_decimals() {
        assert_eq!(serde_json::to_string(&isee("3500")).unwrap(), "\"3500.00\"");
        assert_eq!(serde_json::to_string(&isee("0,5")).unwrap(), "\"0.50\"");
    }

    #[test]
    fn deserialises_from_strings_and_numbers_exactly() {
        let read = |json: &str| serde_json::from_str::<Isee>(json);
        assert_eq!(read("\"3500.00\"").unwrap(), isee("3500"));
        assert_eq!(read("\"3.500,10\"").unwrap(), isee("3500.1"));
        assert_eq!(read("3500").unwrap(), isee("3500"));
        assert_eq!(read("0").unwrap(), Isee::ZERO);
        // 0.1, 0.29 and 8000.01 have no exact binary form: the decimal text is what counts.
        assert_eq!(read("0.1").unwrap().value(), dec("0.10"));
        assert_eq!(read("0.29").unwrap().value(), dec("0.29"));
        assert_eq!(read("8000.01").unwrap().value(), dec("8000.01"));
        assert_eq!(read("3500.10").unwrap().value(), dec("3500.10"));
        assert_eq!(read("3500.0").unwrap(), isee("3500"));
        assert_eq!(read("1e3").unwrap(), isee("1000"));
        assert!(read("-1").unwrap_err().to_string().contains("negativo"));
        assert!(read("-0.5").is_err());
        assert!(
            read("0.001")
                .unwrap_err()
                .to_string()
                .contains("più di due decimali")
        );
        assert_eq!(read("1.5e-1").unwrap().value(), dec("0.15"));
        assert!(read("1e-3").is_err());
        assert!(
            read("1e300")
                .unwrap_err()
                .to_string()
                .contains("troppo grande")
        );
        assert!(read("\"abc\"").is_err());
        assert!(read("null").is_err());
        assert!(read("true").is_err());
    }

    /// The JSON number as written: `12.500` is refused like the string "12.500", though
    /// serde reads it as 12.5.
    #[test]
    fn json_numbers_have_at_most_two_decimals_as_written() {
        let read = |text: &str| Isee::from_json_number(text).map(|v| v.to_string());
        assert_eq!(read("3500"), Ok("3500.00".into()));
        assert_eq!(read("3500.5"), Ok("3500.50".into()));
        assert_eq!(read("3500.50"), Ok("3500.50".into()));
        assert_eq!(read("1e3"), Ok("1000.00".into()));
        assert_eq!(read("1.2345E2"), Ok("123.45".into()));
        assert_eq!(read("-0"), Ok("0.00".into()));
        for three in ["12.500", "3500.000", "0.001", "3500.555"] {
            let err = Isee::from_json_number(three).unwrap_err();
            assert_eq!(err, IseeError::TooManyDecimals(three.into()), "{three}");
            assert!(err.to_string().contains("12500, 12.500,00 o 12500,00"));
        }
        assert_eq!(read("-1"), Err(IseeError::Negative));
        assert_eq!(read("1e-3").unwrap_err().reason(), "too_many_decimals");
        assert_eq!(read("1000000000000"), Err(IseeError::TooLarge));
        assert_eq!(read("abc").unwrap_err().reason(), "malformed");
    }

    #[test]
    fn round_trips_through_json() {
        for input in ["0", "0,01", "7999,99", "8.000,00", "123456789,12"] {
            let value = isee(input);
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(serde_json::from_str::<Isee>(&json).unwrap(), value);
        }
    }

    #[test]
    fn to_euro_writes_the_value_as_documents_do() {
        assert_eq!(isee("3.500,5").to_euro(), "€ 3.500,50");
        assert_eq!(Isee::ZERO.to_euro(), "€ 0,00");
    }

    fn declaration(dsu: NaiveDate, kind: IseeKind) -> IseeDeclaration {
        IseeDeclaration {
            value: isee("3500"),
            dsu_protocol: "INPS-ISEE-2026-AB123C789-00".into(),
            dsu_date: dsu,
            kind,
        }
    }

    #[test]
    fn ordinario_lasts_until_the_end_of_the_year() {
        let d = declaration(date(2026, 1, 15), IseeKind::Ordinario);
        assert_eq!(d.expiry(), date(2026, 12, 31));
        assert!(!d.valid_on(date(2026, 1, 14)));
        assert!(d.valid_on(date(2026, 1, 15)));
        assert!(d.valid_on(date(2026, 12, 31)));
        assert!(!d.valid_on(date(2027, 1, 1)));
        let late = declaration(date(2025, 12, 31), IseeKind::Ordinario);
        assert_eq!(late.expiry(), date(2025, 12, 31));
        assert!(late.valid_on(date(2025, 12, 31)));
        assert!(!late.valid_on(date(2026, 1, 1)));
    }

    #[test]
    fn corrente_lasts_six_months() {
        let d = declaration(date(2026, 3, 15), IseeKind::Corrente);
        assert_eq!(d.expiry(), date(2026, 9, 15));
        assert!(d.valid_on(date(2026, 9, 15)));
        assert!(!d.valid_on(date(2026, 9, 16)));
        assert!(!d.valid_on(date(2026, 3, 14)));
        // Across the year end, unlike an ordinario.
        let autumn = declaration(date(2025, 10, 1), IseeKind::Corrente);
        assert_eq!(autumn.expiry(), date(2026, 4, 1));
        assert!(autumn.valid_on(date(2026, 1, 10)));
        // No 31 February: the end of the month.
        assert_eq!(
            declaration(date(2025, 8, 31), IseeKind::Corrente).expiry(),
            date(2026, 2, 28)
        );
        assert_eq!(
            declaration(date(2027, 8, 31), IseeKind::Corrente).expiry(),
            date(2028, 2, 29)
        );
    }

    #[test]
    fn declaration_json_shape() {
        let json = r#"{"value":"3500.00","dsu_protocol":"INPS-ISEE-2026-AB123C789-00","dsu_date":"2026-01-15"}"#;
        let d: IseeDeclaration = serde_json::from_str(json).unwrap();
        assert_eq!(d.kind, IseeKind::Ordinario);
        assert_eq!(d.value, isee("3500"));
        let written = serde_json::to_value(&d).unwrap();
        assert_eq!(written["kind"], "ordinario");
        assert_eq!(written["value"], "3500.00");
        let corrente: IseeDeclaration = serde_json::from_str(
            r#"{"value":1200.5,"dsu_protocol":"x","dsu_date":"2026-01-15","kind":"corrente"}"#,
        )
        .unwrap();
        assert_eq!(corrente.kind, IseeKind::Corrente);
        assert_eq!(corrente.value, isee("1200,50"));
        assert!(
            serde_json::from_str::<IseeDeclaration>(
                r#"{"value":"1","dsu_protocol":"x","dsu_date":"2026-01-15","kind":"Corrente"}"#
            )
            .is_err()
        );
    }

    #[test]
    fn dsu_protocol_shape() {
        for good in [
            "INPS-ISEE-2026-AB123C789-00",
            "INPS-ISEE-2025-000000000-99",
            "INPS-ISEE-2026-ABCDEFGHI-01",
        ] {
            assert!(dsu_protocol_well_formed(good), "{good}");
        }
        for bad in [
            "",
            "inps-isee-2026-AB123C789-00",
            "INPS-ISEE-2026-ab123c789-00",
            "INPS-ISEE-26-AB123C789-00",
            "INPS-ISEE-2026-AB123C78-00",
            "INPS-ISEE-2026-AB123C7890-00",
            "INPS-ISEE-2026-AB123C789-0",
            "INPS-ISEE-2026-AB123C789-000",
            "INPS-ISEE-2026-AB123C789",
            "INPS-ISEE-2026-AB123C789-00-",
            " INPS-ISEE-2026-AB123C789-00",
            "INPS-ISEE-2026-AB123C789-00 ",
            "INPS-ISEE-2026-AB12-C789-00",
            "INPS-ISEE-202A-AB123C789-00",
            "INPS-ISEE-2026-AB123C78É-00",
            "INPS-DSU-2026-AB123C789-00",
        ] {
            assert!(!dsu_protocol_well_formed(bad), "{bad}");
        }
    }

    proptest::proptest! {
        /// What `money::euro` writes, and the JSON form, read back to the same cents.
        #[test]
        fn formatted_amounts_read_back(cents in 0i64..1_000_000_000_000) {
            let value = Isee::new(Decimal::new(cents, 2)).unwrap();
            proptest::prop_assert_eq!(value.to_euro().parse::<Isee>().unwrap(), value);
            let json = serde_json::to_string(&value).unwrap();
            proptest::prop_assert_eq!(serde_json::from_str::<Isee>(&json).unwrap(), value);
            // A JSON number with the same digits reads the same, though it passes through f64.
            let number = value.to_string();
            proptest::prop_assert_eq!(serde_json::from_str::<Isee>(&number).unwrap(), value);
        }
    }
}
