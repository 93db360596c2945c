//! What a clerk types in the search box, and which applications it finds.
//!
//! One normaliser ([`fold`]) and one interpretation ([`Query::parse`]):
//! - `2026/16`, `16/2026`, `2026/0000016` (digits on both sides of one `/`) is a case number:
//!   it matches only case numbers, year and number either way round, leading zeros ignored;
//! - ten symbols of the application-code alphabet (dash and spaces ignored, any case) is an
//!   application code: it matches that code; without a digit it could also be a name, so names
//!   and codici fiscali are searched too;
//! - anything else is folded and looked for inside the applicant's "surname name" and
//!   "name surname", the codice fiscale of every person of the household, and the
//!   application code (a part of a code still finds it).
//!
//! What a search looks in is folded once per revision ([`SearchText`]), so the store can keep
//! it beside each revision and narrow a search before any declaration is decoded.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::Declaration;

/// Lower case, accents dropped (Unicode canonical decomposition, combining marks removed), and
/// only letters and digits kept: `D'Amico` → `damico`, `Di Pietro` → `dipietro`,
/// `Nicolò` → `nicolo`, `5JSGQ-N8QET` → `5jsgqn8qet`.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c) && c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a text, each folded as [`fold`] does (lower case, accents dropped), split at
/// every character that is neither letter nor digit: `Dell'Anziàni, casa` → `dell`,
/// `anziani`, `casa`. The map of services searches by these words.
pub fn fold_words(text: &str) -> Vec<String> {
    let plain: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    plain
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The symbols of an application code (`store::applications`): no 0/O, no 1/I.
const CODE_SYMBOLS: &str = "23456789abcdefghjklmnpqrstuvwxyz";
const CODE_LENGTH: usize = 10;

/// A search text as interpreted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// Nothing typed: everything matches.
    Everything,
    /// `a/b`: matches the case number `a/b` or `b/a` (year/number), as numbers.
    CaseNumber(u64, u64),
    /// A whole application code, folded (`5jsgqn8qet`); `maybe_name` when it has no digit.
    Code { code: String, maybe_name: bool },
    /// Folded text looked for in names, codici fiscali and codes.
    Text(String),
}

impl Query {
    pub fn parse(text: &str) -> Query {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some((a, b)) = compact.split_once('/')
            && let (Some(a), Some(b)) = (number(a), number(b))
        {
            return Query::CaseNumber(a, b);
        }
        let folded = fold(text);
        if folded.is_empty() {
            return Query::Everything;
        }
        let code_like = folded.chars().count() == CODE_LENGTH
            && folded.chars().all(|c| CODE_SYMBOLS.contains(c))
            // Only spaces and one dash may have been dropped.
            && text.chars().all(|c| c.is_whitespace() || c == '-' || c.is_ascii_alphanumeric());
        if code_like {
            let maybe_name = !folded.chars().any(|c| c.is_ascii_digit());
            return Query::Code {
                code: folded,
                maybe_name,
            };
        }
        Query::Text(folded)
    }

    /// Whether the application with this code, case number and declaration is found.
    pub fn matches(&self, code: &str, case_number: &str, declaration: &Declaration) -> bool {
        self.matches_text(case_number, &SearchText::of(code, declaration))
    }

    /// [`Query::matches`] on the application's folded [`SearchText`].
    pub fn matches_text(&self, case_number: &str, text: &SearchText) -> bool {
        match self {
            Query::Everything => true,
            Query::CaseNumber(a, b) => case_number
                .split_once('/')
                .and_then(|(y, n)| Some((number(y)?, number(n)?)))
                .is_some_and(|(y, n)| (y, n) == (*a, *b) || (y, n) == (*b, *a)),
            Query::Code {
                code: q,
                maybe_name,
            } => text.code == *q || (*maybe_name && text.people.contains(q.as_str())),
            Query::Text(q) => text.code.contains(q.as_str()) || text.people.contains(q.as_str()),
        }
    }
}

/// What a search looks in, folded: the application code, and the applicant's "surname name"
/// and "name surname" with the codice fiscale of every person of the household, each a word of
/// [`SearchText::people`]. Folded text has no spaces, so a folded query found in `people` lies
/// within one of its words: looking in each word, or in them all at once, finds the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText {
    pub code: String,
    pub people: String,
}

impl SearchText {
    pub fn of(code: &str, d: &Declaration) -> SearchText {
        let p = &d.applicant.person;
        Self::of_people(
            code,
            (&p.surname, &p.name),
            std::iter::once(p)
                .chain(d.household.iter().map(|m| &m.person))
                .map(|person| person.codice_fiscale.as_str()),
        )
    }

    /// From what the search reads of a declaration: the applicant's surname and name, and
    /// the codici fiscali of the applicant and then of the household.
    pub fn of_people<'a>(
        code: &str,
        (surname, name): (&str, &str),
        codici_fiscali: impl Iterator<Item = &'a str>,
    ) -> SearchText {
        SearchText {
            code: fold(code),
            people: Self::people((surname, name), codici_fiscali),
        }
    }

    /// [`SearchText::people`] alone, which needs nothing of the application but its
    /// declaration.
    pub fn people<'a>(
        (surname, name): (&str, &str),
        codici_fiscali: impl Iterator<Item = &'a str>,
    ) -> String {
        let (surname, name) = (fold(surname), fold(name));
        let mut people = vec![format!("{surname}{name}"), format!("{name}{surname}")];
        people.extend(codici_fiscali.map(fold));
        people.join(" ")
    }
}

/// Digits only (at least one), as a number: `0000016` → 16.
fn number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = text.trim_start_matches('0');
    if digits.is_empty() {
        Some(0)
    } else {
        digits.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_drops_case_accents_spaces_and_punctuation() {
        assert_eq!(fold("Di Pietro"), "dipietro");
        assert_eq!(fold("D'Amico"), "damico");
        assert_eq!(fold("D’Amico"), "damico");
        assert_eq!(fold("Nicolò"), "nicolo");
        // Precomposed and decomposed accents fold alike.
        assert_eq!(fold("Nicol\u{00F2}"), fold("Nicolo\u{0300}"));
        assert_eq!(fold("ÀÉÈÌÒÙ àéèìòù"), "aeeiouaeeiou");
        assert_eq!(fold("5JSGQ-N8QET"), "5jsgqn8qet");
        assert_eq!(fold(" - ' "), "");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn words_are_folded_one_by_one() {
        assert_eq!(
            fold_words("Dell'Anzia\u{0300}ni,  CASA  di riposo"),
            ["dell", "anziani", "casa", "di", "riposo"]
        );
        assert!(fold_words(" - ' ").is_empty());
    }

    #[test]
    fn case_numbers_either_way_round_and_without_zeros() {
        assert_eq!(Query::parse("2026/16"), Query::CaseNumber(2026, 16));
        assert_eq!(Query::parse("16/2026"), Query::CaseNumber(16, 2026));
        assert_eq!(
            Query::parse(" 2026 / 0000016 "),
            Query::CaseNumber(2026, 16)
        );
        let q = Query::parse("16/2026");
        let d = declaration("Rossi", "Mario", "RSSMRA80A01H501U", &[]);
        assert!(q.matches("AAAAA-BBBBB", "2026/0000016", &d));
        assert!(!q.matches("AAAAA-BBBBB", "2026/0000160", &d));
        assert!(!q.matches("AAAAA-BBBBB", "2025/0000016", &d));
        // A case number is not looked for in names or codes.
        assert!(!Query::parse("80/01").matches("AAAAA-BBBBB", "2026/0000001", &d));
        // Not a case number: text.
        assert_eq!(Query::parse("2026/"), Query::Text("2026".into()));
        assert_eq!(Query::parse("a/16"), Query::Text("a16".into()));
    }

    #[test]
    fn codes_with_or_without_dash_any_case() {
        let d = declaration("Rossi", "Mario", "RSSMRA80A01H501U", &[]);
        for typed in ["5JSGQ-N8QET", "5jsgqn8qet", "5JSGQ N8QET", " 5jsgq-n8qet "] {
            let q = Query::parse(typed);
            assert_eq!(
                q,
                Query::Code {
                    code: "5jsgqn8qet".into(),
                    maybe_name: false
                },
                "{typed}"
            );
            assert!(q.matches("5JSGQ-N8QET", "2026/0000001", &d), "{typed}");
            assert!(!q.matches("5JSGQ-N8QEV", "2026/0000001", &d), "{typed}");
        }
        // A part of a code is text, and still finds it.
        assert!(Query::parse("n8qet").matches("5JSGQ-N8QET", "2026/0000001", &d));
        // Ten code letters could be a name: both are searched.
        let castellana = declaration("Castellana", "Anna", "CSTNNA80A41H501X", &[]);
        assert!(Query::parse("castellana").matches("5JSGQ-N8QET", "2026/0000001", &castellana));
        assert!(Query::parse("CASTE-LLANA").matches("CASTE-LLANA", "2026/0000001", &d));
        // Symbols outside the alphabet (O, I, 0, 1) are not a code.
        assert_eq!(Query::parse("rossimario"), Query::Text("rossimario".into()));
    }

    #[test]
    fn names_either_way_round_and_every_codice_fiscale_of_the_household() {
        let d = declaration(
            "D'Amico",
            "Nicolò",
            "DMCNCL80A01H501X",
            &["DMCLCU10A41H501Y"],
        );
        let found = |typed: &str| Query::parse(typed).matches("AAAAA-BBBBB", "2026/0000001", &d);
        for typed in [
            "damico",
            "D'Amico",
            "d amico",
            "nicolo",
            "NICOLÒ",
            "damiconicolo",
            "Nicolò D'Amico",
            "dmcncl80a01h501x",
            "DMCLCU10A41H501Y",
            "dmclcu10",
            "",
        ] {
            assert!(found(typed), "{typed}");
        }
        for typed in ["rossi", "amiconicola", "RSSMRA80A01H501U"] {
            assert!(!found(typed), "{typed}");
        }
    }

    #[test]
    fn the_search_text_holds_each_word_apart() {
        let d = declaration(
            "D'Amico",
            "Nicolò",
            "DMCNCL80A01H501X",
            &["DMCLCU10A41H501Y"],
        );
        let text = SearchText::of("5JSGQ-N8QET", &d);
        assert_eq!(text.code, "5jsgqn8qet");
        assert_eq!(
            text.people,
            "damiconicolo nicolodamico dmcncl80a01h501x dmclcu10a41h501y"
        );
        // Across two words is not a match: "surname name" then a codice fiscale.
        assert!(!Query::parse("nicolodmc").matches_text("2026/0000001", &text));
        assert!(Query::parse("olodam").matches_text("2026/0000001", &text));
    }

    fn declaration(surname: &str, name: &str, cf: &str, household: &[&str]) -> Declaration {
        let person = |surname: &str, name: &str, cf: &str| {
            serde_json::json!({
                "codice_fiscale": cf, "surname": surname, "name": name,
                "birth_date": "1980-01-01", "sex": "M", "birth_place": "H501",
            })
        };
        let household: Vec<_> = household
            .iter()
            .map(|cf| {
                let mut member = person("D'Amico", "Lucia", cf);
                member["relation"] = "figlia".into();
                member
            })
            .collect();
        serde_json::from_value(serde_json::json!({
            "applicant": person(surname, name, cf),
            "household": household,
            "isee": null, "resident": true, "unemployed": false, "unemployed_since": null,
            "other_income_support": false, "single_parent": false,
            "applicant_disabled": false, "housing": "none", "previous_participation": false,
        }))
        .expect("declaration")
    }
}
