//! The codice fiscale of a person (16 characters): parsing with the check character, decoding
//! of birth date, sex and place (omocodia included), encoding from personal data, and the
//! cross-check of a code against what the operator typed.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::application::{Person, Sex};
use crate::calendar::{PLAUSIBLE_AGE_YEARS, plausible_birth_date};
use crate::district::District;

const LENGTH: usize = 16;

/// Month letters, January to December.
const MONTHS: [u8; 12] = *b"ABCDEHLMPRST";

/// Letters that replace the digits 0-9 in an omocode.
const OMOCODIA: [u8; 10] = *b"LMNPQRSTUV";

/// Worth of a character in an odd (1st, 3rd, ...) position, indexed by 0-9 or A-Z.
const ODD: [u32; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

/// A syntactically valid codice fiscale with a correct check character, normalised to
/// uppercase without surrounding spaces.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CodiceFiscale(String);

/// What a character position must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Letter,
    /// A digit, or the letter that replaces it in an omocode.
    DigitOrOmocodia,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Expected::Letter => "una lettera",
            Expected::DigitOrOmocodia => "una cifra (o una lettera di omocodia da L a V)",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodiceFiscaleError {
    #[error("il codice fiscale deve avere 16 caratteri, ne ha {found}")]
    WrongLength { found: usize },
    #[error(
        "carattere non valido in posizione {position} del codice fiscale: «{found}», ci vuole {expected}"
    )]
    BadCharacter {
        /// One-based, as an operator counts.
        position: usize,
        found: char,
        expected: Expected,
    },
    #[error(
        "la lettera del mese «{found}» (posizione 9) non è valida: ammesse A B C D E H L M P R S T"
    )]
    InvalidMonth { found: char },
    #[error(
        "il giorno di nascita {found:02} (posizioni 10-11) non è valido: 01-31 per gli uomini, 41-71 per le donne"
    )]
    InvalidDay { found: u32 },
    #[error("carattere di controllo errato: è «{found}», dovrebbe essere «{expected}»")]
    WrongCheckCharacter { expected: char, found: char },
}

impl CodiceFiscaleError {
    /// A stable code for the UI, so it never matches on messages.
    pub fn code(&self) -> &'static str {
        match self {
            CodiceFiscaleError::WrongLength { .. } => "codice_fiscale_length",
            CodiceFiscaleError::BadCharacter { .. } => "codice_fiscale_character",
            CodiceFiscaleError::InvalidMonth { .. } => "codice_fiscale_month",
            CodiceFiscaleError::InvalidDay { .. } => "codice_fiscale_day",
            CodiceFiscaleError::WrongCheckCharacter { .. } => "codice_fiscale_check",
        }
    }
}

/// The data a codice fiscale carries, omocodia letters turned back into digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub year_2digits: u8,
    /// 1 to 12.
    pub month: u32,
    /// Day of the month, 1 to 31 (the +40 for women removed).
    pub day: u32,
    pub sex: Sex,
    /// Belfiore code of the comune, or `Z` + 3 digits for a foreign country.
    pub place: String,
}

impl CodiceFiscale {
    pub fn parse(s: &str) -> Result<CodiceFiscale, CodiceFiscaleError> {
        let code = s.trim().to_uppercase();
        let found = code.chars().count();
        if found != LENGTH {
            return Err(CodiceFiscaleError::WrongLength { found });
        }
        for (index, c) in code.chars().enumerate() {
            let expected = expected_at(index);
            let fits = match expected {
                Expected::Letter => c.is_ascii_uppercase(),
                Expected::DigitOrOmocodia => {
                    c.is_ascii_digit() || (c.is_ascii() && OMOCODIA.contains(&(c as u8)))
                }
            };
            if !fits {
                return Err(CodiceFiscaleError::BadCharacter {
                    position: index + 1,
                    found: c,
                    expected,
                });
            }
        }
        // From here on every character is ASCII.
        let bytes = code.as_bytes();
        if month_of(bytes[8]).is_none() {
            return Err(CodiceFiscaleError::InvalidMonth {
                found: char::from(bytes[8]),
            });
        }
        let day = two_digits(bytes[9], bytes[10]);
        if !(1..=31).contains(&day) && !(41..=71).contains(&day) {
            return Err(CodiceFiscaleError::InvalidDay { found: day });
        }
        let expected = check_character(&code[..15]);
        let found = char::from(bytes[15]);
        if found != expected {
            return Err(CodiceFiscaleError::WrongCheckCharacter { expected, found });
        }
        Ok(CodiceFiscale(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Birth data, sex and place, reading omocodia letters as the digits they replace.
    pub fn decode(&self) -> Decoded {
        let b = self.0.as_bytes();
        let day_code = two_digits(b[9], b[10]);
        let place: String = std::iter::once(char::from(b[11]))
            .chain(b[12..15].iter().map(|&c| char::from(b'0' + digit_value(c))))
            .collect();
        Decoded {
            // Two digits are at most 99.
            year_2digits: two_digits(b[6], b[7]) as u8,
            month: month_of(b[8]).unwrap_or_default(),
            day: if day_code > 40 {
                day_code - 40
            } else {
                day_code
            },
            sex: if day_code > 40 { Sex::F } else { Sex::M },
            place,
        }
    }

    /// The birth date, choosing the century so that the date is not after `not_after`
    /// (usually today); `None` if no such date exists (30 February, or 29 February in a
    /// year that was not a leap year).
    pub fn birth_date(&self, not_after: NaiveDate) -> Option<NaiveDate> {
        let d = self.decode();
        let century = not_after.year() - not_after.year().rem_euclid(100);
        [century, century - 100].into_iter().find_map(|c| {
            NaiveDate::from_ymd_opt(c + i32::from(d.year_2digits), d.month, d.day)
                .filter(|date| *date <= not_after)
        })
    }
}

impl fmt::Display for CodiceFiscale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CodiceFiscale {
    type Err = CodiceFiscaleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CodiceFiscale::parse(s)
    }
}

impl TryFrom<String> for CodiceFiscale {
    type Error = CodiceFiscaleError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CodiceFiscale::parse(&s)
    }
}

impl From<CodiceFiscale> for String {
    fn from(cf: CodiceFiscale) -> String {
        cf.0
    }
}

fn expected_at(index: usize) -> Expected {
    match index {
        6 | 7 | 9 | 10 | 12 | 13 | 14 => Expected::DigitOrOmocodia,
        _ => Expected::Letter,
    }
}

fn month_of(letter: u8) -> Option<u32> {
    MONTHS
        .iter()
        .position(|&m| m == letter)
        .map(|i| i as u32 + 1)
}

/// A digit, or the omocodia letter standing for it.
fn digit_value(c: u8) -> u8 {
    if c.is_ascii_digit() {
        c - b'0'
    } else {
        OMOCODIA.iter().position(|&l| l == c).map_or(0, |i| i as u8)
    }
}

fn two_digits(tens: u8, units: u8) -> u32 {
    u32::from(digit_value(tens)) * 10 + u32::from(digit_value(units))
}

/// The check character of the first 15 characters of a codice fiscale (further characters
/// are ignored). Meant for uppercase ASCII letters and digits; lowercase letters count as
/// uppercase, any other character counts 0 (`parse` refuses such codes before asking).
pub fn check_character(first15: &str) -> char {
    let sum: u32 = first15
        .chars()
        .take(15)
        .enumerate()
        .map(|(index, c)| {
            let c = c.to_ascii_uppercase();
            let value = match c {
                '0'..='9' => c as u32 - '0' as u32,
                'A'..='Z' => c as u32 - 'A' as u32,
                _ => return 0,
            };
            // Index 0 is the 1st character, an odd position.
            if index % 2 == 0 {
                ODD[value as usize]
            } else {
                value
            }
        })
        .sum();
    char::from(b'A' + (sum % 26) as u8)
}

/// The codice fiscale the standard rules give for these data (without omocodia): what a
/// person's code should be, absent a clash with someone else's. `place` is the Belfiore
/// code (or `Z` + 3 digits); a malformed place gives a code that `parse` refuses.
pub fn encode(surname: &str, name: &str, birth_date: NaiveDate, sex: Sex, place: &str) -> String {
    let mut code = String::with_capacity(LENGTH);
    code.push_str(&surname_part(surname));
    code.push_str(&name_part(name));
    code.push_str(&format!("{:02}", birth_date.year().rem_euclid(100)));
    code.push(char::from(MONTHS[birth_date.month0() as usize]));
    let day = birth_date.day() + if sex == Sex::F { 40 } else { 0 };
    code.push_str(&format!("{day:02}"));
    code.push_str(&place.trim().to_uppercase());
    let check = check_character(&code);
    code.push(check);
    code
}

/// The letters of a name, uppercase, accents removed, anything else (spaces, apostrophes)
/// dropped: "D'Angelo" counts as DANGELO.
fn plain_letters(s: &str) -> Vec<char> {
    s.chars()
        .flat_map(char::to_uppercase)
        .filter_map(|c| match c {
            'A'..='Z' => Some(c),
            'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => Some('A'),
            'È' | 'É' | 'Ê' | 'Ë' => Some('E'),
            'Ì' | 'Í' | 'Î' | 'Ï' => Some('I'),
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => Some('O'),
            'Ù' | 'Ú' | 'Û' | 'Ü' => Some('U'),
            'Ç' => Some('C'),
            'Ñ' => Some('N'),
            _ => None,
        })
        .collect()
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'A' | 'E' | 'I' | 'O' | 'U')
}

fn consonants_and_vowels(s: &str) -> (Vec<char>, Vec<char>) {
    plain_letters(s).into_iter().partition(|&c| !is_vowel(c))
}

/// Consonants, then vowels, then X, the first three.
fn three_letters(consonants: &[char], vowels: &[char]) -> String {
    consonants
        .iter()
        .chain(vowels)
        .copied()
        .chain(std::iter::repeat('X'))
        .take(3)
        .collect()
}

fn surname_part(surname: &str) -> String {
    let (consonants, vowels) = consonants_and_vowels(surname);
    three_letters(&consonants, &vowels)
}

/// Like the surname, except that with four or more consonants the 1st, 3rd and 4th are taken.
fn name_part(name: &str) -> String {
    let (consonants, vowels) = consonants_and_vowels(name);
    if consonants.len() >= 4 {
        [consonants[0], consonants[2], consonants[3]]
            .iter()
            .collect()
    } else {
        three_letters(&consonants, &vowels)
    }
}

/// A disagreement between a codice fiscale and the data typed for its person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// Day, month or 2-digit year differ, or they agree but the typed century makes the
    /// birth date implausible for the filing (the code cannot say the century: the plausible
    /// one is meant).
    BirthDate {
        /// Day, month and 2-digit year as the code gives them.
        in_code: (u32, u32, u8),
        typed: NaiveDate,
    },
    Sex {
        in_code: Sex,
        typed: Sex,
    },
    BirthPlace {
        in_code: String,
        typed: String,
        /// Names of the comuni, when they belong to the district.
        in_code_comune: Option<String>,
        typed_comune: Option<String>,
    },
}

impl Mismatch {
    /// The field of the person the mismatch is about, as named in the JSON shape.
    pub fn field(&self) -> &'static str {
        match self {
            Mismatch::BirthDate { .. } => "birth_date",
            Mismatch::Sex { .. } => "sex",
            Mismatch::BirthPlace { .. } => "birth_place",
        }
    }

    /// A stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Mismatch::BirthDate { .. } => "codice_fiscale_birth_date_mismatch",
            Mismatch::Sex { .. } => "codice_fiscale_sex_mismatch",
            Mismatch::BirthPlace { .. } => "codice_fiscale_birth_place_mismatch",
        }
    }
}

fn sex_word(sex: Sex) -> &'static str {
    match sex {
        Sex::M => "maschile",
        Sex::F => "femminile",
    }
}

fn place_label(code: &str, comune: Option<&str>) -> String {
    match comune {
        Some(name) => format!("{code} ({name})"),
        None => code.to_string(),
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::BirthDate {
                in_code: (day, month, year),
                typed,
            } => {
                write!(
                    f,
                    "il codice fiscale indica la data di nascita {day:02}/{month:02}/{year:02}, \
                     è stata inserita {}",
                    typed.format("%d/%m/%Y")
                )?;
                let same_digits = (typed.day(), typed.month(), typed.year().rem_euclid(100))
                    == (*day, *month, i32::from(*year));
                if same_digits {
                    write!(
                        f,
                        ": il secolo non è plausibile, la persona avrebbe più di \
                         {PLAUSIBLE_AGE_YEARS} anni o non sarebbe ancora nata alla presentazione \
                         della domanda"
                    )?;
                }
                Ok(())
            }
            Mismatch::Sex { in_code, typed } => write!(
                f,
                "il codice fiscale indica il sesso {}, è stato inserito {}",
                sex_word(*in_code),
                sex_word(*typed)
            ),
            Mismatch::BirthPlace {
                in_code,
                typed,
                in_code_comune,
                typed_comune,
            } => write!(
                f,
                "il codice fiscale indica il luogo di nascita {}, è stato inserito {}",
                place_label(in_code, in_code_comune.as_deref()),
                place_label(typed, typed_comune.as_deref())
            ),
        }
    }
}

/// Compares what the code says with the birth date, sex and place typed for its person, in
/// an application filed on `filed_on`. The code gives two digits of the year, so the typed
/// century must be one that makes the birth date plausible on that day (see
/// [`crate::calendar::plausible_birth_date`]): with 80, 1980 and not 1880. The place matches
/// also through a comune's former code (Priolo Gargallo's people born before the comune
/// existed carry Siracusa's I754).
pub fn cross_check(
    cf: &CodiceFiscale,
    person: &Person,
    district: &District,
    filed_on: NaiveDate,
) -> Vec<Mismatch> {
    let decoded = cf.decode();
    let typed = person.birth_date;
    let mut mismatches = Vec::new();
    let typed_year = typed.year().rem_euclid(100) as u8;
    if (decoded.year_2digits, decoded.month, decoded.day)
        != (typed_year, typed.month(), typed.day())
        || !plausible_birth_date(typed, filed_on)
    {
        mismatches.push(Mismatch::BirthDate {
            in_code: (decoded.day, decoded.month, decoded.year_2digits),
            typed,
        });
    }
    if decoded.sex != person.sex {
        mismatches.push(Mismatch::Sex {
            in_code: decoded.sex,
            typed: person.sex,
        });
    }
    let declared = person.birth_place.trim().to_uppercase();
    if !district.birth_place_matches(&declared, &decoded.place, typed) {
        let comune_named = |code: &str| {
            district
                .comuni
                .iter()
                .find(|c| c.belfiore == code)
                .map(|c| c.name.clone())
        };
        mismatches.push(Mismatch::BirthPlace {
            in_code_comune: comune_named(&decoded.place),
            typed_comune: comune_named(&declared),
            in_code: decoded.place,
            typed: declared,
        });
    }
    mismatches
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Zero-based indexes of the digits an omocode replaces, right to left.
    const OMOCODIA_POSITIONS: [usize; 7] = [14, 13, 12, 10, 9, 7, 6];

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Code, surname, name, (year, month, day) of birth, sex, place.
    type Example = (
        &'static str,
        &'static str,
        &'static str,
        (i32, u32, u32),
        Sex,
        &'static str,
    );

    /// The district's fictional test people and published examples, with their data.
    const PEOPLE: [Example; 8] = [
        (
            "RSSMRA80A01H501U",
            "Rossi",
            "Mario",
            (1980, 1, 1),
            Sex::M,
            "H501",
        ),
        (
            "RSSMRA79B11C566R",
            "Rossi",
            "Mario",
            (1979, 2, 11),
            Sex::M,
            "C566",
        ),
        // Fictional name and surname that give the published code's letters.
        (
            "FRNSST75D50A717N",
            "Fornari",
            "Sesta",
            (1975, 4, 10),
            Sex::F,
            "A717",
        ),
        (
            "RSSMRA80A01I754N",
            "Rossi",
            "Mario",
            (1980, 1, 1),
            Sex::M,
            "I754",
        ),
        (
            "BNCGLI92M55D636B",
            "Bianchi",
            "Giulia",
            (1992, 8, 15),
            Sex::F,
            "D636",
        ),
        (
            "VRDSVT87T20M279N",
            "Verdi",
            "Salvatore",
            (1987, 12, 20),
            Sex::M,
            "M279",
        ),
        (
            "CSTNNA03H41B603O",
            "Costa",
            "Anna",
            (2003, 6, 1),
            Sex::F,
            "B603",
        ),
        (
            "LMBGPP55A01I785B",
            "Lombardo",
            "Giuseppe",
            (1955, 1, 1),
            Sex::M,
            "I785",
        ),
    ];

    fn person(cf: &str, birth: NaiveDate, sex: Sex, place: &str) -> Person {
        Person {
            codice_fiscale: cf.into(),
            surname: "Rossi".into(),
            name: "Mario".into(),
            birth_date: birth,
            sex,
            birth_place: place.into(),
        }
    }

    fn district() -> District {
        crate::district::test_district()
    }

    /// Replaces the digits of an omocode, right to left, recomputing the check character.
    fn omocode(code: &str, replaced: usize) -> String {
        let mut b = code.as_bytes()[..15].to_vec();
        for &i in &OMOCODIA_POSITIONS[..replaced] {
            b[i] = OMOCODIA[usize::from(b[i] - b'0')];
        }
        let mut s = String::from_utf8(b).unwrap();
        let check = check_character(&s);
        s.push(check);
        s
    }

    #[test]
    fn published_and_test_people_parse_and_are_encoded_back() {
        for (code, surname, name, (y, m, d), sex, place) in PEOPLE {
            let cf = CodiceFiscale::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(cf.as_str(), code);
            assert_eq!(encode(surname, name, date(y, m, d), sex, place), code);
        }
    }

    #[test]
    fn parse_normalises_case_and_spaces() {
        let cf = CodiceFiscale::parse("  bncgli92m55d636b\n").unwrap();
        assert_eq!(cf.to_string(), "BNCGLI92M55D636B");
        assert_eq!("bncgli92m55d636b".parse::<CodiceFiscale>().unwrap(), cf);
    }

    #[test]
    fn wrong_length_says_how_many_characters() {
        for (input, found) in [("", 0), ("RSSMRA80A01I754", 15), ("RSSMRA80A01I754NN", 17)] {
            let err = CodiceFiscale::parse(input).unwrap_err();
            assert_eq!(err, CodiceFiscaleError::WrongLength { found });
            assert!(err.to_string().contains(&format!("ne ha {found}")));
        }
        // Characters, not bytes: one accented letter is one character.
        assert_eq!(
            CodiceFiscale::parse("RSSMRÀ80A01I754N").unwrap_err(),
            CodiceFiscaleError::BadCharacter {
                position: 6,
                found: 'À',
                expected: Expected::Letter
            }
        );
    }

    #[test]
    fn bad_character_names_its_position() {
        let cases = [
            ("1SSMRA80A01I754N", 1, '1', Expected::Letter),
            ("RSSMRA8AA01I754N", 8, 'A', Expected::DigitOrOmocodia),
            ("RSSMRA80A01I7W4N", 14, 'W', Expected::DigitOrOmocodia),
            ("RSSMRA80A0-I754N", 11, '-', Expected::DigitOrOmocodia),
            ("RSSMRA80A011754N", 12, '1', Expected::Letter),
            ("RSSMRA80A01I7548", 16, '8', Expected::Letter),
            ("RSSMRA80801I754N", 9, '8', Expected::Letter),
        ];
        for (input, position, found, expected) in cases {
            let err = CodiceFiscale::parse(input).unwrap_err();
            assert_eq!(
                err,
                CodiceFiscaleError::BadCharacter {
                    position,
                    found,
                    expected
                },
                "{input}"
            );
            assert!(err.to_string().contains(&format!("posizione {position}")));
        }
    }

    /// Builds a code with a correct check character from its first 15 characters.
    fn with_check(first15: &str) -> String {
        format!("{first15}{}", check_character(first15))
    }

    #[test]
    fn every_month_letter_and_only_those() {
        for (i, letter) in "ABCDEHLMPRST".chars().enumerate() {
            let code = with_check(&format!("RSSMRA80{letter}01I754"));
            let cf = CodiceFiscale::parse(&code).unwrap();
            assert_eq!(cf.decode().month, i as u32 + 1);
        }
        for letter in "FGIJKNOQUVWXYZ".chars() {
            let code = with_check(&format!("RSSMRA80{letter}01I754"));
            let err = CodiceFiscale::parse(&code).unwrap_err();
            assert_eq!(err, CodiceFiscaleError::InvalidMonth { found: letter });
            assert_eq!(err.code(), "codice_fiscale_month");
        }
    }

    #[test]
    fn day_boundaries_for_men_and_women() {
        for day in [1, 31, 41, 71] {
            let code = with_check(&format!("RSSMRA80A{day:02}I754"));
            assert!(CodiceFiscale::parse(&code).is_ok(), "day {day}");
        }
        for day in [0, 32, 40, 72, 99] {
            let code = with_check(&format!("RSSMRA80A{day:02}I754"));
            assert_eq!(
                CodiceFiscale::parse(&code).unwrap_err(),
                CodiceFiscaleError::InvalidDay { found: day },
                "day {day}"
            );
        }
        // Omocodia letters in the day are read as digits: "LM" is 01, "QL" is 40.
        assert!(CodiceFiscale::parse(&with_check("RSSMRA80ALMI754")).is_ok());
        assert_eq!(
            CodiceFiscale::parse(&with_check("RSSMRA80AQLI754")).unwrap_err(),
            CodiceFiscaleError::InvalidDay { found: 40 }
        );
    }

    #[test]
    fn wrong_check_character_says_which_was_expected() {
        let err = CodiceFiscale::parse("RSSMRA80A01I754A").unwrap_err();
        assert_eq!(
            err,
            CodiceFiscaleError::WrongCheckCharacter {
                expected: 'N',
                found: 'A'
            }
        );
        assert!(err.to_string().contains("dovrebbe essere «N»"));
        assert_eq!(err.code(), "codice_fiscale_check");
        // A single changed character anywhere is caught.
        let good = "VRDSVT87T20M279N";
        for (i, replacement) in "XXXXXX55A55X555".chars().enumerate() {
            let mut b: Vec<char> = good.chars().collect();
            if b[i] == replacement {
                continue;
            }
            b[i] = replacement;
            let changed: String = b.into_iter().collect();
            assert!(CodiceFiscale::parse(&changed).is_err(), "{changed}");
        }
    }

    #[test]
    fn check_character_follows_the_odd_and_even_tables() {
        // Digits and the letter of the same column weigh the same in odd positions (0/A ... 9/J)
        // and in even ones, so replacing one by the other keeps the check character.
        assert_eq!(
            check_character("RSSMRA80A01H501"),
            check_character("RSSMRAIAAABHFAB")
        );
        assert_eq!(check_character("RSSMRA80A01H501"), 'U');
        assert_eq!(check_character("rssmra80a01h501"), 'U');
        // Only the first 15 characters count.
        assert_eq!(check_character("RSSMRA80A01H501U"), 'U');
        // Extremes: all zero weights give A; Z in odd positions weighs 23.
        assert_eq!(check_character("BABABABABABABAB"), 'A');
        assert_eq!(check_character("Z"), 'X');
    }

    #[test]
    fn omocodes_stay_valid_and_decode_to_the_same_data() {
        for (code, ..) in PEOPLE {
            let original = CodiceFiscale::parse(code).unwrap().decode();
            for replaced in 1..=OMOCODIA_POSITIONS.len() {
                let omo = omocode(code, replaced);
                let cf = CodiceFiscale::parse(&omo).unwrap_or_else(|e| panic!("{omo}: {e}"));
                assert_eq!(cf.decode(), original, "{omo}");
            }
        }
        // The fully substituted form of a test person, worked out by hand.
        assert_eq!(omocode("RSSMRA80A01I754N", 7), "RSSMRAULALMITRQE");
        let decoded = CodiceFiscale::parse("RSSMRAULALMITRQE").unwrap().decode();
        assert_eq!(decoded.place, "I754");
        assert_eq!(
            (decoded.year_2digits, decoded.month, decoded.day),
            (80, 1, 1)
        );
    }

    #[test]
    fn only_omocodia_letters_stand_for_digits() {
        for letter in 'A'..='Z' {
            let code = with_check(&format!("RSSMRA8{letter}A01I754"));
            let parsed = CodiceFiscale::parse(&code);
            if "LMNPQRSTUV".contains(letter) {
                assert!(parsed.is_ok(), "{code}");
            } else {
                assert!(
                    matches!(
                        parsed,
                        Err(CodiceFiscaleError::BadCharacter { position: 8, .. })
                    ),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn decode_reads_sex_day_and_place() {
        let giulia = CodiceFiscale::parse("BNCGLI92M55D636B").unwrap().decode();
        assert_eq!(
            giulia,
            Decoded {
                year_2digits: 92,
                month: 8,
                day: 15,
                sex: Sex::F,
                place: "D636".into()
            }
        );
        let salvatore = CodiceFiscale::parse("VRDSVT87T20M279N").unwrap().decode();
        assert_eq!(
            (salvatore.sex, salvatore.day, salvatore.month),
            (Sex::M, 20, 12)
        );
    }

    #[test]
    fn birth_date_picks_the_century_not_after_the_reference() {
        let today = date(2026, 3, 1);
        let anna = CodiceFiscale::parse("CSTNNA03H41B603O").unwrap();
        assert_eq!(anna.birth_date(today), Some(date(2003, 6, 1)));
        let giuseppe = CodiceFiscale::parse("LMBGPP55A01I785B").unwrap();
        assert_eq!(giuseppe.birth_date(today), Some(date(1955, 1, 1)));
        // Born 26 March (20)26: not yet on 1 March 2026, so 1926.
        let code = with_check("RSSMRA26C26I754");
        let cf = CodiceFiscale::parse(&code).unwrap();
        assert_eq!(cf.birth_date(today), Some(date(1926, 3, 26)));
        assert_eq!(cf.birth_date(date(2026, 3, 26)), Some(date(2026, 3, 26)));
    }

    #[test]
    fn birth_date_is_none_when_the_day_does_not_exist() {
        let today = date(2026, 3, 1);
        let feb30 = CodiceFiscale::parse(&with_check("RSSMRA80B30I754")).unwrap();
        assert_eq!(feb30.birth_date(today), None);
        // 29 February: 2000 was a leap year, 1900 and 2001 were not.
        let leap00 = CodiceFiscale::parse(&with_check("RSSMRA00B29I754")).unwrap();
        assert_eq!(leap00.birth_date(today), Some(date(2000, 2, 29)));
        assert_eq!(leap00.birth_date(date(1999, 1, 1)), None);
        let leap01 = CodiceFiscale::parse(&with_check("RSSMRA01B29I754")).unwrap();
        assert_eq!(leap01.birth_date(today), None);
    }

    #[test]
    fn encode_follows_the_letter_rules() {
        let d = date(1990, 1, 1);
        let first6 =
            |surname: &str, name: &str| encode(surname, name, d, Sex::M, "I754")[..6].to_string();
        // Surname: consonants, then vowels, then X.
        assert_eq!(&first6("Rossi", "Mario")[..3], "RSS");
        assert_eq!(&first6("Neri", "Mario")[..3], "NRE");
        assert_eq!(&first6("Fo", "Mario")[..3], "FOX");
        assert_eq!(&first6("Ai", "Mario")[..3], "AIX");
        assert_eq!(&first6("D'Angelo", "Mario")[..3], "DNG");
        assert_eq!(&first6("De Luca", "Mario")[..3], "DLC");
        assert_eq!(&first6("Pè", "Mario")[..3], "PEX");
        // Name: 1st, 3rd and 4th consonant when there are four or more.
        assert_eq!(&first6("Rossi", "Gianfranco")[3..], "GFR");
        assert_eq!(&first6("Rossi", "Alessandro")[3..], "LSN");
        assert_eq!(&first6("Rossi", "Luca")[3..], "LCU");
        assert_eq!(&first6("Rossi", "Ugo")[3..], "GUO");
        assert_eq!(&first6("Rossi", "Al")[3..], "LAX");
        assert_eq!(&first6("Rossi", "Niccolò")[3..], "NCL");
    }

    #[test]
    fn encode_adds_forty_to_the_day_of_women() {
        let code = encode("Bianchi", "Giulia", date(1992, 8, 5), Sex::F, "d636");
        assert_eq!(&code[9..11], "45");
        assert_eq!(&code[11..15], "D636");
        assert!(CodiceFiscale::parse(&code).is_ok());
    }

    #[test]
    fn serde_round_trip_validates() {
        let cf: CodiceFiscale = serde_json::from_str("\"rssmra80a01i754n\"").unwrap();
        assert_eq!(serde_json::to_string(&cf).unwrap(), "\"RSSMRA80A01I754N\"");
        assert!(serde_json::from_str::<CodiceFiscale>("\"RSSMRA80A01I754A\"").is_err());
    }

    /// The filing day the cross-checks are made against.
    fn filed() -> NaiveDate {
        date(2026, 2, 16)
    }

    #[test]
    fn cross_check_accepts_matching_data() {
        let d = district();
        for (code, _, _, (y, m, day), sex, place) in PEOPLE {
            let cf = CodiceFiscale::parse(code).unwrap();
            let p = person(code, date(y, m, day), sex, place);
            assert_eq!(cross_check(&cf, &p, &d, filed()), vec![], "{code}");
        }
        // Lowercase typing of the place is not a mismatch.
        let cf = CodiceFiscale::parse("RSSMRA80A01I754N").unwrap();
        let p = person("RSSMRA80A01I754N", date(1980, 1, 1), Sex::M, " i754 ");
        assert!(cross_check(&cf, &p, &d, filed()).is_empty());
    }

    #[test]
    fn cross_check_reports_each_disagreement() {
        let d = district();
        let cf = CodiceFiscale::parse("RSSMRA80A01I754N").unwrap();
        let p = person("RSSMRA80A01I754N", date(1980, 1, 2), Sex::F, "D636");
        let found = cross_check(&cf, &p, &d, filed());
        assert_eq!(found.len(), 3);
        assert_eq!(
            found[0],
            Mismatch::BirthDate {
                in_code: (1, 1, 80),
                typed: date(1980, 1, 2)
            }
        );
        assert_eq!(
            found[0].to_string(),
            "il codice fiscale indica la data di nascita 01/01/80, è stata inserita 02/01/1980"
        );
        assert_eq!(
            found[1].to_string(),
            "il codice fiscale indica il sesso maschile, è stato inserito femminile"
        );
        assert_eq!(
            found[2].to_string(),
            "il codice fiscale indica il luogo di nascita I754 (Siracusa), è stato inserito D636 (Floridia)"
        );
        assert_eq!(
            found.iter().map(Mismatch::field).collect::<Vec<_>>(),
            ["birth_date", "sex", "birth_place"]
        );
    }

    #[test]
    fn cross_check_wants_the_century_that_makes_the_age_plausible() {
        let d = district();
        let typed = |code: &str, birth: NaiveDate| {
            let cf = CodiceFiscale::parse(code).unwrap();
            cross_check(&cf, &person(code, birth, Sex::M, "I754"), &d, filed())
        };
        // 80 in a 2026 filing: 1980, since 1880 would be 146 years old.
        assert!(typed("RSSMRA80A01I754N", date(1980, 1, 1)).is_empty());
        let found = typed("RSSMRA80A01I754N", date(1880, 1, 1));
        assert_eq!(
            found,
            [Mismatch::BirthDate {
                in_code: (1, 1, 80),
                typed: date(1880, 1, 1)
            }]
        );
        assert_eq!(found[0].code(), "codice_fiscale_birth_date_mismatch");
        assert_eq!(
            found[0].to_string(),
            "il codice fiscale indica la data di nascita 01/01/80, è stata inserita 01/01/1880: \
             il secolo non è plausibile, la persona avrebbe più di 110 anni o non sarebbe ancora \
             nata alla presentazione della domanda"
        );
        assert_eq!(typed("RSSMRA80A01I754N", date(2080, 1, 1)).len(), 1);
        assert_eq!(typed("RSSMRA80A01I754N", date(1981, 1, 1)).len(), 1);
        // 20: 1920 (106 years old) and 2020 are both plausible.
        let twenty = with_check("RSSMRA20A01I754");
        assert!(typed(&twenty, date(1920, 1, 1)).is_empty());
        assert!(typed(&twenty, date(2020, 1, 1)).is_empty());
        assert_eq!(typed(&twenty, date(1820, 1, 1)).len(), 1);
    }

    #[test]
    fn the_century_is_plausible_from_110_years_before_filing_to_the_filing_day() {
        let d = district();
        let typed = |birth: NaiveDate| {
            let code = encode("Rossi", "Mario", birth, Sex::M, "I754");
            let cf = CodiceFiscale::parse(&code).unwrap();
            cross_check(&cf, &person(&code, birth, Sex::M, "I754"), &d, filed()).len()
        };
        assert_eq!(typed(date(1916, 2, 15)), 1);
        assert_eq!(typed(date(1916, 2, 16)), 0);
        assert_eq!(typed(date(1916, 2, 17)), 0);
        assert_eq!(typed(date(2026, 2, 16)), 0);
        // Born the day after filing: the code's 26 must then mean 1926.
        assert_eq!(typed(date(2026, 2, 17)), 1);
        assert_eq!(typed(date(1926, 2, 17)), 0);
    }

    #[test]
    fn priolo_gargallo_people_born_before_1980_may_carry_siracusa_code() {
        let d = district();
        let old = with_check("VRDSVT57T20I754");
        let cf = CodiceFiscale::parse(&old).unwrap();
        let p = person(&old, date(1957, 12, 20), Sex::M, "M279");
        assert!(cross_check(&cf, &p, &d, filed()).is_empty());
        // Someone born there later must carry M279.
        let young = with_check("VRDSVT87T20I754");
        let cf = CodiceFiscale::parse(&young).unwrap();
        let p = person(&young, date(1987, 12, 20), Sex::M, "M279");
        assert!(matches!(
            cross_check(&cf, &p, &d, filed()).as_slice(),
            [Mismatch::BirthPlace { in_code, .. }] if in_code == "I754"
        ));
    }

    #[test]
    fn place_outside_the_district_is_shown_by_code() {
        let cf = CodiceFiscale::parse("RSSMRA80A01H501U").unwrap();
        let p = person("RSSMRA80A01H501U", date(1980, 1, 1), Sex::M, "I754");
        let found = cross_check(&cf, &p, &district(), filed());
        assert_eq!(
            found[0].to_string(),
            "il codice fiscale indica il luogo di nascita H501, è stato inserito I754 (Siracusa)"
        );
    }

    proptest::proptest! {
        /// Any data encode into a code that parses, decodes back to the same data, agrees with
        /// them, and keeps agreeing in each of its omocodes.
        #[test]
        fn encoded_data_decode_back(
            surname in "[A-Za-z' ]{0,12}",
            name in "[A-Za-z ]{0,12}",
            days in 0i64..73_000,
            female: bool,
            place in "[A-Z][0-9]{3}",
            replaced in 0usize..=7,
        ) {
            let birth = date(1900, 1, 1) + chrono::Days::new(days as u64);
            let sex = if female { Sex::F } else { Sex::M };
            let code = omocode(&encode(&surname, &name, birth, sex, &place), replaced);
            let cf = CodiceFiscale::parse(&code).unwrap();
            let decoded = cf.decode();
            proptest::prop_assert_eq!(decoded.place, place.clone());
            proptest::prop_assert_eq!(decoded.sex, sex);
            proptest::prop_assert_eq!(cf.birth_date(birth), Some(birth));
            let p = person(&code, birth, sex, &place);
            // Filed on the birth day itself, any birth date is plausible.
            proptest::prop_assert!(cross_check(&cf, &p, &district(), birth).is_empty());
        }
    }
}
