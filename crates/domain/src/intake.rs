//! The checks an application form passes before it is stored.
//!
//! Every finding names the field it is about as a path into the form's JSON shape
//! (`applicant.codice_fiscale`, `household[1].birth_date`, `isee.dsu_protocol` ...), carries
//! a stable code for the UI and an Italian message that says what to do. All findings are
//! returned at once, so the operator corrects the whole form in one pass.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use crate::application::{Application, ApplicationForm, Person};
use crate::bando::Bando;
use crate::calendar::{PLAUSIBLE_AGE_YEARS, age_on, earliest_plausible_birth, italian_day};
use crate::codice_fiscale::{self, CodiceFiscale};
use crate::district::District;
use crate::isee::dsu_protocol_well_formed;
use crate::ranking::{Reason, personal_reasons};

/// Something that stops the form from being stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

/// Something the operator should look at; the form is stored anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Checks a form received at `filed_at` for `bando` (when known: its window, closing date
/// and rules), on the day `today`. Dates are compared with the filing day in Italian time.
/// `Ok` carries the warnings; `Err` every problem found (warnings are dropped then: they come
/// back once the problems are fixed).
pub fn check(
    form: &ApplicationForm,
    district: &District,
    filed_at: DateTime<FixedOffset>,
    bando: Option<&Bando>,
    today: NaiveDate,
) -> Result<Vec<Warning>, Vec<Problem>> {
    let mut findings = Findings::default();
    let filed_on = italian_day(filed_at);
    let declaration = &form.declaration;
    let confirmed = form
        .override_note
        .as_deref()
        .is_some_and(|note| !note.trim().is_empty());

    findings.text("bando", &form.bando, false);
    findings.optional_text("protocol_number", form.protocol_number.as_deref());

    // The applicant has contacts, a member a relation (`None` for the applicant).
    let people = std::iter::once(("applicant".to_string(), &declaration.applicant.person, None))
        .chain(declaration.household.iter().enumerate().map(|(i, member)| {
            (
                format!("household[{i}]"),
                &member.person,
                Some(&member.relation),
            )
        }));
    // First field where each codice fiscale appears, to report repetitions.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (prefix, person, relation) in people {
        check_person(
            &mut findings,
            &prefix,
            person,
            district,
            filed_on,
            confirmed,
        );
        match relation {
            Some(relation) => {
                findings.text(&format!("{prefix}.relation"), relation, false);
            }
            None => {
                let applicant = &declaration.applicant;
                findings.optional_text("applicant.address", applicant.address.as_deref());
                findings.optional_text("applicant.phone", applicant.phone.as_deref());
                findings.optional_text("applicant.email", applicant.email.as_deref());
            }
        }
        let code = person.codice_fiscale.trim().to_uppercase();
        if code.is_empty() {
            continue;
        }
        let field = format!("{prefix}.codice_fiscale");
        match seen.get(&code) {
            Some(first) => {
                let where_ = if first.starts_with("applicant") {
                    "per il richiedente".to_string()
                } else {
                    format!("in {}", first.trim_end_matches(".codice_fiscale"))
                };
                findings.problem(
                    field,
                    "codice_fiscale_repeated",
                    format!(
                        "il codice fiscale {code} è già indicato {where_}: ogni persona \
                         del nucleo familiare va inserita una sola volta, togliere la riga ripetuta \
                         o correggere il codice"
                    ),
                );
            }
            None => {
                seen.insert(code, field);
            }
        }
    }

    // Declared dependent but too old on the closing date: scored as any other member.
    if let Some(bando) = bando {
        let minor_age = bando.rules.dependent_minor_age;
        for (i, member) in declaration.household.iter().enumerate() {
            if member.dependent_minor && !member.is_dependent_minor(bando.closes, minor_age) {
                let who = full_name(&member.person).unwrap_or_else(|| "la persona".to_string());
                findings.warning(
                    format!("household[{i}].dependent_minor"),
                    "dependent_minor_not_minor",
                    format!(
                        "{who} risulta minore a carico, ma alla chiusura del bando ({}) avrà {} \
                         anni: non dà punti come minore a carico; togliere l'indicazione o \
                         correggere la data di nascita",
                        italian(bando.closes),
                        age_on(member.person.birth_date, bando.closes)
                    ),
                );
            }
        }
    }

    if let Some(isee) = &declaration.isee {
        if isee.dsu_date > today {
            findings.problem(
                "isee.dsu_date",
                "dsu_date_future",
                format!(
                    "la data della DSU ({}) è successiva a oggi ({}): correggerla come \
                     sull'attestazione ISEE",
                    italian(isee.dsu_date),
                    italian(today)
                ),
            );
        }
        if !findings.text("isee.dsu_protocol", &isee.dsu_protocol, false) {
            // Refused already: its shape is beside the point.
        } else if isee.dsu_protocol.trim().is_empty() {
            findings.warning(
                "isee.dsu_protocol",
                "dsu_protocol_missing",
                "manca il protocollo della DSU: aggiungerlo, si legge sull'attestazione ISEE \
                 (INPS-ISEE-aaaa-XXXXXXXXX-nn)"
                    .to_string(),
            );
        } else if !dsu_protocol_well_formed(&isee.dsu_protocol) {
            findings.warning(
                "isee.dsu_protocol",
                "dsu_protocol_malformed",
                format!(
                    "il protocollo della DSU «{}» non ha la forma INPS-ISEE-aaaa-XXXXXXXXX-nn: \
                     viene conservato come scritto, controllarlo sull'attestazione ISEE",
                    isee.dsu_protocol
                ),
            );
        }
    }

    match declaration.unemployed_since {
        Some(since) if since > filed_on => findings.problem(
            "unemployed_since",
            "unemployed_since_after_filing",
            format!(
                "la data di inizio disoccupazione ({}) è successiva alla presentazione della \
                 domanda ({}): correggerla",
                italian(since),
                italian(filed_on)
            ),
        ),
        None if declaration.unemployed => findings.warning(
            "unemployed_since",
            "unemployed_since_missing",
            "manca la data di inizio disoccupazione: senza di essa non si possono contare i mesi \
             di disoccupazione, aggiungerla se il richiedente la conosce"
                .to_string(),
        ),
        _ => {}
    }

    if filed_on > today {
        findings.problem(
            "filed_at",
            "filed_at_future",
            format!(
                "la data di presentazione ({}) è nel futuro, oggi è {}: correggerla",
                italian(filed_on),
                italian(today)
            ),
        );
    }
    // Everything the ranking would exclude the application for, in the ranking's own words
    // and rules (one source of truth), told while the applicant is still at the desk.
    if let Some(bando) = bando {
        let application = Application {
            code: String::new(),
            comune: String::new(),
            bando: bando.id.clone(),
            filed_at,
            declaration: declaration.clone(),
        };
        for reason in personal_reasons(bando, &application) {
            let (field, advice) = at_the_desk(&reason);
            findings.warning(
                field,
                reason.code(),
                format!(
                    "{}: la domanda viene registrata, ma sarà esclusa dalla graduatoria; {advice}",
                    reason.message_it()
                ),
            );
        }
    }

    if let Some(note) = &form.override_note {
        findings.text("override_note", note, true);
    }

    findings.into_result()
}

/// The field a foreseen exclusion is about, and what the operator can do about it with the
/// applicant in front of them.
fn at_the_desk(reason: &Reason) -> (&'static str, &'static str) {
    match reason {
        Reason::FiledOutsideWindow { .. } => {
            ("filed_at", "verificare la data di ricezione della domanda")
        }
        Reason::Underage { .. } | Reason::OverAge { .. } => (
            "applicant.birth_date",
            "verificare la data di nascita sul documento d'identità",
        ),
        Reason::NotResident => (
            "resident",
            "chiedere al richiedente se è residente in un comune del distretto: il bando è \
             riservato ai residenti",
        ),
        Reason::NotUnemployed => (
            "unemployed",
            "chiedere al richiedente se è disoccupato: il bando è riservato a chi non lavora",
        ),
        Reason::OtherIncomeSupport => (
            "other_income_support",
            "chiedere al richiedente se riceve davvero un altro sostegno al reddito (ADI o \
             simili): chi lo riceve non può partecipare",
        ),
        Reason::IseeMissing => (
            "isee",
            "serve un'attestazione ISEE valida: il richiedente può chiederla a un CAF o \
             all'INPS prima della chiusura del bando",
        ),
        Reason::IseeOverCeiling { .. } => {
            ("isee.value", "verificare il valore sull'attestazione ISEE")
        }
        Reason::DsuNotValid { .. } | Reason::IseeCorrenteExpired { .. } => (
            "isee.dsu_date",
            "verificare la data della DSU sull'attestazione ISEE: se non è valida, serve una \
             nuova DSU presentata entro la chiusura del bando",
        ),
        Reason::SameHousehold { .. } => (
            "household",
            "verificare con il richiedente chi fa parte del nucleo familiare",
        ),
    }
}

#[derive(Default)]
struct Findings {
    problems: Vec<Problem>,
    warnings: Vec<Warning>,
}

impl Findings {
    fn problem(&mut self, field: impl Into<String>, code: &'static str, message: String) {
        self.problems.push(Problem {
            field: field.into(),
            code,
            message,
        });
    }

    /// Applies [`check_text`]; whether the text passed.
    fn text(&mut self, field: &str, text: &str, multiline: bool) -> bool {
        match check_text(field, text, multiline) {
            Some(problem) => {
                self.problems.push(problem);
                false
            }
            None => true,
        }
    }

    fn optional_text(&mut self, field: &str, text: Option<&str>) {
        if let Some(text) = text {
            self.text(field, text, false);
        }
    }

    fn warning(&mut self, field: impl Into<String>, code: &'static str, message: String) {
        self.warnings.push(Warning {
            field: field.into(),
            code,
            message,
        });
    }

    fn into_result(self) -> Result<Vec<Warning>, Vec<Problem>> {
        if self.problems.is_empty() {
            Ok(self.warnings)
        } else {
            Err(self.problems)
        }
    }
}

/// Identity checks of one person, the applicant or a member of the household, named in an
/// application filed on `filed_on`. Disagreements with the codice fiscale become warnings
/// when the operator `confirmed` the data with a note; an implausible birth date never does.
fn check_person(
    findings: &mut Findings,
    prefix: &str,
    person: &Person,
    district: &District,
    filed_on: NaiveDate,
    confirmed: bool,
) {
    let field = |name: &str| format!("{prefix}.{name}");
    let code_readable = findings.text(&field("codice_fiscale"), &person.codice_fiscale, false);
    findings.text(&field("surname"), &person.surname, false);
    findings.text(&field("name"), &person.name, false);
    let place_readable = findings.text(&field("birth_place"), &person.birth_place, false);
    if person.surname.trim().is_empty() {
        findings.problem(
            field("surname"),
            "surname_empty",
            "il cognome è vuoto: scriverlo come sul documento d'identità".to_string(),
        );
    }
    if person.name.trim().is_empty() {
        findings.problem(
            field("name"),
            "name_empty",
            "il nome è vuoto: scriverlo come sul documento d'identità".to_string(),
        );
    }
    let of_whom = full_name(person).map_or_else(String::new, |who| format!(" di {who}"));
    if person.birth_date > filed_on {
        findings.problem(
            field("birth_date"),
            "birth_date_after_filing",
            format!(
                "la data di nascita{of_whom} ({}) è successiva alla presentazione della domanda \
                 ({}): correggerla come sul documento d'identità",
                italian(person.birth_date),
                italian(filed_on)
            ),
        );
    } else if person.birth_date < earliest_plausible_birth(filed_on) {
        findings.problem(
            field("birth_date"),
            "birth_date_too_old",
            format!(
                "la data di nascita{of_whom} ({}) è di oltre {PLAUSIBLE_AGE_YEARS} anni prima \
                 della presentazione della domanda ({}): controllare il secolo e correggerla \
                 come sul documento d'identità",
                italian(person.birth_date),
                italian(filed_on)
            ),
        );
    }
    let place_well_formed = is_place_code(person.birth_place.trim());
    if place_readable && !place_well_formed {
        findings.problem(
            field("birth_place"),
            "birth_place_invalid",
            format!(
                "il luogo di nascita «{}» non è un codice catastale: indicare il codice del \
                 comune (una lettera e tre cifre, ad esempio I754 per Siracusa) o Z e tre cifre \
                 per uno Stato estero",
                person.birth_place
            ),
        );
    }
    if !code_readable {
        // Refused already; read as a code it would only add a second finding.
        return;
    }
    let cf = match CodiceFiscale::parse(&person.codice_fiscale) {
        Ok(cf) => cf,
        Err(e) => {
            findings.problem(
                field("codice_fiscale"),
                e.code(),
                format!("{e}: ricopiare il codice dalla tessera sanitaria della persona"),
            );
            return;
        }
    };
    for mismatch in codice_fiscale::cross_check(&cf, person, district, filed_on) {
        if matches!(mismatch, codice_fiscale::Mismatch::BirthPlace { .. }) && !place_well_formed {
            // Already reported as a malformed place: one finding is enough.
            continue;
        }
        if confirmed {
            findings.warning(
                field(mismatch.field()),
                mismatch.code(),
                format!("{mismatch}: dati confermati dalla nota di conferma dell'operatore"),
            );
        } else {
            findings.problem(
                field(mismatch.field()),
                mismatch.code(),
                format!(
                    "{mismatch}: controllare il codice fiscale o, se i dati sono giusti \
                     (verificati su un documento), scrivere una nota di conferma"
                ),
            );
        }
    }
}

/// A Belfiore code (a letter and three digits) or a foreign country (`Z` and three digits),
/// in either case.
fn is_place_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 4 && b[0].is_ascii_alphabetic() && b[1..].iter().all(u8::is_ascii_digit)
}

fn italian(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// "Rossi Mario", as the operator typed it; `None` when both are blank.
fn full_name(person: &Person) -> Option<String> {
    let full = format!("{} {}", person.surname.trim(), person.name.trim());
    let full = full.trim();
    (!full.is_empty()).then(|| full.to_string())
}

/// A character the operator cannot see that changes how a text reads or prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HiddenChar {
    /// A new line (`\n`, `\r`, U+2028, U+2029): allowed only in the free-text notes.
    LineBreak,
    /// Any other control character (C0, DEL, C1: tab, escape, bell …).
    Control,
    /// A bidirectional mark, embedding, override or isolate (U+061C, U+200E–U+200F,
    /// U+202A–U+202E, U+2066–U+2069): shows text in an order other than the one stored.
    Bidi,
}

/// Which kind of hidden character `c` is, if it is one. The CLI escapes the same characters
/// when it prints data.
pub fn hidden_char(c: char) -> Option<HiddenChar> {
    match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => Some(HiddenChar::LineBreak),
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => Some(HiddenChar::Control),
        '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Some(HiddenChar::Bidi)
        }
        _ => None,
    }
}

/// The one rule for every text field of an application: no control characters and no
/// bidirectional controls (they make a name print or compare differently from what the
/// operator sees); new lines (`\n`, `\r\n`) only where `multiline` (the free-text notes).
pub fn check_text(field: &str, text: &str, multiline: bool) -> Option<Problem> {
    let mut chars = text.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        let Some(kind) = hidden_char(c) else {
            continue;
        };
        let new_line = c == '\n' || (c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n'));
        if multiline && new_line {
            continue;
        }
        let at = format!("(U+{:04X}, al carattere {})", u32::from(c), i + 1);
        let (code, message) = match kind {
            HiddenChar::LineBreak => (
                "text_line_break",
                format!("il testo va su una sola riga e contiene un a capo {at}: toglierlo"),
            ),
            HiddenChar::Control => (
                "text_control_char",
                format!(
                    "il testo contiene un carattere di controllo invisibile {at}: cancellare il \
                     campo e riscriverlo a mano, senza incollarlo da altri programmi"
                ),
            ),
            HiddenChar::Bidi => (
                "text_bidi_char",
                format!(
                    "il testo contiene un carattere invisibile che cambia il verso di lettura \
                     {at}, per cui si legge diversamente da com'è registrato: cancellare il \
                     campo e riscriverlo a mano, senza incollarlo da altri programmi"
                ),
            ),
        };
        return Some(Problem {
            field: field.to_string(),
            code,
            message,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::{Applicant, Declaration, HouseholdMember, Housing, Person, Sex};
    use crate::isee::{Isee, IseeDeclaration, IseeKind};
    use crate::rules::Rules;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    const TODAY: (i32, u32, u32) = (2026, 3, 10);
    const FILED: &str = "2026-02-16T10:30:00+01:00";
    const WINDOW: ((i32, u32, u32), (i32, u32, u32)) = ((2026, 2, 1), (2026, 2, 28));

    fn today() -> NaiveDate {
        date(TODAY.0, TODAY.1, TODAY.2)
    }

    /// Open in February 2026 (winter: Italy is UTC+1), default rules.
    fn bando() -> Bando {
        let ((y1, m1, d1), (y2, m2, d2)) = WINDOW;
        Bando {
            id: "SC-2026".into(),
            title: "Servizio civico 2026".into(),
            opens: date(y1, m1, d1),
            closes: date(y2, m2, d2),
            places: BTreeMap::new(),
            rules: Rules::default(),
        }
    }

    fn district() -> District {
        crate::district::test_district()
    }

    fn person(
        cf: &str,
        surname: &str,
        name: &str,
        birth: NaiveDate,
        sex: Sex,
        place: &str,
    ) -> Person {
        Person {
            codice_fiscale: cf.into(),
            surname: surname.into(),
            name: name.into(),
            birth_date: birth,
            sex,
            birth_place: place.into(),
        }
    }

    fn member(person: Person, relation: &str) -> HouseholdMember {
        HouseholdMember {
            person,
            relation: relation.into(),
            dependent_minor: false,
            disabled: false,
        }
    }

    /// Rossi Mario with Bianchi Giulia and Costa Anna: every check passes.
    fn form() -> ApplicationForm {
        ApplicationForm {
            bando: "SC-2026".into(),
            filed_at: Some(at(FILED)),
            declaration: Declaration {
                applicant: Applicant {
                    person: person(
                        "RSSMRA80A01I754N",
                        "Rossi",
                        "Mario",
                        date(1980, 1, 1),
                        Sex::M,
                        "I754",
                    ),
                    address: None,
                    phone: None,
                    email: None,
                },
                household: vec![
                    member(
                        person(
                            "BNCGLI92M55D636B",
                            "Bianchi",
                            "Giulia",
                            date(1992, 8, 15),
                            Sex::F,
                            "D636",
                        ),
                        "coniuge",
                    ),
                    member(
                        person(
                            "CSTNNA03H41B603O",
                            "Costa",
                            "Anna",
                            date(2003, 6, 1),
                            Sex::F,
                            "B603",
                        ),
                        "figlia",
                    ),
                ],
                isee: Some(IseeDeclaration {
                    value: "3500,00".parse::<Isee>().unwrap(),
                    dsu_protocol: "INPS-ISEE-2026-AB123C789-00".into(),
                    dsu_date: date(2026, 1, 20),
                    kind: IseeKind::Ordinario,
                }),
                resident: true,
                unemployed: true,
                unemployed_since: Some(date(2024, 5, 1)),
                other_income_support: false,
                single_parent: false,
                applicant_disabled: false,
                housing: Housing::Rent,
                previous_participation: false,
            },
            override_note: None,
            protocol_number: None,
        }
    }

    fn run(form: &ApplicationForm) -> Result<Vec<Warning>, Vec<Problem>> {
        check(form, &district(), at(FILED), Some(&bando()), today())
    }

    /// A member whose codice fiscale agrees with the data.
    fn child(
        surname: &str,
        name: &str,
        birth: NaiveDate,
        dependent_minor: bool,
    ) -> HouseholdMember {
        let code = codice_fiscale::encode(surname, name, birth, Sex::M, "I754");
        HouseholdMember {
            dependent_minor,
            ..member(
                person(&code, surname, name, birth, Sex::M, "I754"),
                "figlio",
            )
        }
    }

    fn problems(form: &ApplicationForm) -> Vec<(String, &'static str)> {
        match run(form) {
            Err(problems) => problems.into_iter().map(|p| (p.field, p.code)).collect(),
            Ok(warnings) => panic!("expected problems, got warnings {warnings:?}"),
        }
    }

    fn warnings(form: &ApplicationForm) -> Vec<(String, &'static str)> {
        match run(form) {
            Ok(warnings) => warnings.into_iter().map(|w| (w.field, w.code)).collect(),
            Err(problems) => panic!("expected warnings, got problems {problems:?}"),
        }
    }

    fn pair(field: &str, code: &'static str) -> (String, &'static str) {
        (field.to_string(), code)
    }

    #[test]
    fn a_correct_form_passes_without_warnings() {
        assert_eq!(run(&form()), Ok(vec![]));
    }

    #[test]
    fn codice_fiscale_is_normalised_before_checking() {
        let mut f = form();
        f.declaration.applicant.person.codice_fiscale = " rssmra80a01i754n ".into();
        f.declaration.applicant.person.birth_place = "i754".into();
        assert_eq!(run(&f), Ok(vec![]));
    }

    #[test]
    fn invalid_codici_fiscali_are_errors_wherever_they_are() {
        let mut f = form();
        f.declaration.applicant.person.codice_fiscale = "RSSMRA80A01I754A".into();
        f.declaration.household[1].person.codice_fiscale = "CSTNNA03H41B603".into();
        assert_eq!(
            problems(&f),
            [
                pair("applicant.codice_fiscale", "codice_fiscale_check"),
                pair("household[1].codice_fiscale", "codice_fiscale_length"),
            ]
        );
        let message = &run(&f).unwrap_err()[0].message;
        assert!(message.contains("dovrebbe essere «N»"), "{message}");
        assert!(message.contains("tessera sanitaria"), "{message}");
    }

    #[test]
    fn a_codice_fiscale_repeated_in_the_household_is_an_error() {
        let mut f = form();
        let applicant = f.declaration.applicant.person.clone();
        f.declaration.household.push(member(applicant, "coniuge"));
        let mut giulia = f.declaration.household[0].person.clone();
        giulia.codice_fiscale = "bncgli92m55d636b".into();
        f.declaration.household.push(member(giulia, "coniuge"));
        let found = run(&f).unwrap_err();
        assert_eq!(
            found
                .iter()
                .map(|p| (p.field.as_str(), p.code))
                .collect::<Vec<_>>(),
            [
                ("household[2].codice_fiscale", "codice_fiscale_repeated"),
                ("household[3].codice_fiscale", "codice_fiscale_repeated"),
            ]
        );
        assert!(found[0].message.contains("richiedente"));
        assert!(found[1].message.contains("household[0]"));
    }

    #[test]
    fn empty_names_are_errors() {
        let mut f = form();
        f.declaration.applicant.person.surname = "  ".into();
        f.declaration.household[0].person.name = String::new();
        assert_eq!(
            problems(&f),
            [
                pair("applicant.surname", "surname_empty"),
                pair("household[0].name", "name_empty"),
            ]
        );
    }

    #[test]
    fn a_birth_date_after_the_filing_day_is_an_error_the_filing_day_is_not() {
        // Filed 16 February, checked on 10 March: a child born on the filing day is fine.
        let mut f = form();
        f.declaration
            .household
            .push(child("Rossi", "Luca", date(2026, 2, 16), false));
        assert_eq!(run(&f), Ok(vec![]));
        // Born the next day, before today: not yet born when the application was filed. The
        // code's 26 then means 1926, so the code disagrees too.
        f.declaration.household[2] = child("Rossi", "Luca", date(2026, 2, 17), false);
        assert_eq!(
            problems(&f),
            [
                pair("household[2].birth_date", "birth_date_after_filing"),
                pair(
                    "household[2].birth_date",
                    "codice_fiscale_birth_date_mismatch"
                ),
            ]
        );
        assert_eq!(
            run(&f).unwrap_err()[0].message,
            "la data di nascita di Rossi Luca (17/02/2026) è successiva alla presentazione della \
             domanda (16/02/2026): correggerla come sul documento d'identità"
        );
    }

    #[test]
    fn a_birth_date_more_than_110_years_before_filing_is_an_error() {
        let mut f = form();
        f.declaration
            .household
            .push(child("Rossi", "Luca", date(1916, 2, 16), false));
        assert_eq!(run(&f), Ok(vec![]));
        f.declaration.household[2] = child("Rossi", "Luca", date(1916, 2, 15), false);
        assert_eq!(
            problems(&f),
            [
                pair("household[2].birth_date", "birth_date_too_old"),
                pair(
                    "household[2].birth_date",
                    "codice_fiscale_birth_date_mismatch"
                ),
            ]
        );
        assert_eq!(
            run(&f).unwrap_err()[0].message,
            "la data di nascita di Rossi Luca (15/02/1916) è di oltre 110 anni prima della \
             presentazione della domanda (16/02/2026): controllare il secolo e correggerla come \
             sul documento d'identità"
        );
        // The note confirms a mismatch with the code, never an impossible age.
        f.override_note = Some("confermo".into());
        assert_eq!(
            problems(&f),
            [pair("household[2].birth_date", "birth_date_too_old")]
        );
    }

    #[test]
    fn a_wrong_century_is_refused_and_disagrees_with_the_code() {
        // RSSMRA80A01I754N in 2026 is born in 1980.
        let mut f = form();
        f.declaration.applicant.person.birth_date = date(1880, 1, 1);
        let found = run(&f).unwrap_err();
        assert_eq!(
            found
                .iter()
                .map(|p| (p.field.as_str(), p.code))
                .collect::<Vec<_>>(),
            [
                ("applicant.birth_date", "birth_date_too_old"),
                ("applicant.birth_date", "codice_fiscale_birth_date_mismatch"),
            ]
        );
        assert!(
            found[0].message.contains("Rossi Mario"),
            "{}",
            found[0].message
        );
        assert!(found[1].message.contains("il secolo non è plausibile"));
    }

    #[test]
    fn a_declared_dependent_minor_of_age_on_the_closing_date_is_a_warning() {
        // The bando closes on 28 February 2026 (a common year).
        let mut f = form();
        f.declaration.household[1].dependent_minor = true;
        let found = run(&f).unwrap();
        assert_eq!(
            found
                .iter()
                .map(|w| (w.field.as_str(), w.code))
                .collect::<Vec<_>>(),
            [("household[1].dependent_minor", "dependent_minor_not_minor")]
        );
        assert_eq!(
            found[0].message,
            "Costa Anna risulta minore a carico, ma alla chiusura del bando (28/02/2026) avrà 22 \
             anni: non dà punti come minore a carico; togliere l'indicazione o correggere la \
             data di nascita"
        );

        let mut f = form();
        for birth in [date(2008, 2, 28), date(2008, 2, 29), date(2008, 3, 1)] {
            f.declaration
                .household
                .push(child("Rossi", "Luca", birth, true));
        }
        // 18 on the closing date (born 29 February too: 28 February ends its year); 18 only
        // on the day after is still a minor.
        assert_eq!(
            warnings(&f),
            [
                pair("household[2].dependent_minor", "dependent_minor_not_minor"),
                pair("household[3].dependent_minor", "dependent_minor_not_minor"),
            ]
        );
        assert!(run(&f).unwrap()[0].message.contains("avrà 18 anni"));
        // Not declared dependent: nothing to say. Without a known bando: nothing to compare.
        f.declaration.household[2].dependent_minor = false;
        f.declaration.household[3].dependent_minor = false;
        assert_eq!(run(&f), Ok(vec![]));
        f.declaration.household[2].dependent_minor = true;
        assert_eq!(check(&f, &district(), at(FILED), None, today()), Ok(vec![]));
    }

    #[test]
    fn the_dependent_minor_age_is_the_bando_s() {
        let mut f = form();
        f.declaration.household[1].dependent_minor = true;
        let mut b = bando();
        b.rules.dependent_minor_age = 23;
        assert_eq!(
            check(&f, &district(), at(FILED), Some(&b), today()),
            Ok(vec![])
        );
        b.rules.dependent_minor_age = 22;
        let found = check(&f, &district(), at(FILED), Some(&b), today()).unwrap();
        assert_eq!(found[0].code, "dependent_minor_not_minor");
    }

    #[test]
    fn mismatches_with_the_code_are_errors_without_a_note() {
        let mut f = form();
        let giulia = &mut f.declaration.household[0].person;
        giulia.birth_date = date(1992, 8, 16);
        giulia.sex = Sex::M;
        giulia.birth_place = "I754".into();
        let found = run(&f).unwrap_err();
        assert_eq!(
            found
                .iter()
                .map(|p| (p.field.as_str(), p.code))
                .collect::<Vec<_>>(),
            [
                (
                    "household[0].birth_date",
                    "codice_fiscale_birth_date_mismatch"
                ),
                ("household[0].sex", "codice_fiscale_sex_mismatch"),
                (
                    "household[0].birth_place",
                    "codice_fiscale_birth_place_mismatch"
                ),
            ]
        );
        assert_eq!(
            found[0].message,
            "il codice fiscale indica la data di nascita 15/08/92, è stata inserita 16/08/1992: \
             controllare il codice fiscale o, se i dati sono giusti (verificati su un \
             documento), scrivere una nota di conferma"
        );
        assert!(found[2].message.contains("D636 (Floridia)"));
    }

    #[test]
    fn a_note_turns_mismatches_into_warnings() {
        let mut f = form();
        f.declaration.applicant.person.birth_date = date(1980, 1, 2);
        f.override_note = Some("data corretta verificata sulla carta d'identità".into());
        let found = run(&f).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "applicant.birth_date");
        assert_eq!(found[0].code, "codice_fiscale_birth_date_mismatch");
        assert!(found[0].message.contains("confermati dalla nota"));
        // A blank note confirms nothing.
        f.override_note = Some("   ".into());
        assert_eq!(
            problems(&f),
            [pair(
                "applicant.birth_date",
                "codice_fiscale_birth_date_mismatch"
            )]
        );
    }

    #[test]
    fn a_note_does_not_excuse_an_invalid_code() {
        let mut f = form();
        f.declaration.applicant.person.codice_fiscale = "RSSMRA80A01I754A".into();
        f.override_note = Some("confermo".into());
        assert_eq!(
            problems(&f),
            [pair("applicant.codice_fiscale", "codice_fiscale_check")]
        );
    }

    #[test]
    fn priolo_gargallo_people_born_before_1980_may_carry_siracusa_code() {
        let old = codice_fiscale::encode("Verdi", "Salvatore", date(1961, 12, 20), Sex::M, "I754");
        let mut f = form();
        f.declaration.applicant.person = person(
            &old,
            "Verdi",
            "Salvatore",
            date(1961, 12, 20),
            Sex::M,
            "M279",
        );
        assert_eq!(run(&f), Ok(vec![]));
        // Born there in 1987, the code must say M279.
        f.declaration.applicant.person = person(
            "VRDSVT87T20M279N",
            "Verdi",
            "Salvatore",
            date(1987, 12, 20),
            Sex::M,
            "M279",
        );
        assert_eq!(run(&f), Ok(vec![]));
    }

    #[test]
    fn a_birth_place_that_is_not_a_code_is_an_error() {
        let mut f = form();
        f.declaration.applicant.person.birth_place = "Siracusa".into();
        // Reported once, not again as a mismatch, and a note does not excuse it.
        f.override_note = Some("confermo".into());
        assert_eq!(
            problems(&f),
            [pair("applicant.birth_place", "birth_place_invalid")]
        );
        // A foreign country is fine when the code agrees.
        let code = codice_fiscale::encode("Rossi", "Mario", date(1980, 1, 1), Sex::M, "Z110");
        f.declaration.applicant.person.codice_fiscale = code;
        f.declaration.applicant.person.birth_place = "Z110".into();
        assert_eq!(run(&f), Ok(vec![]));
    }

    #[test]
    fn dsu_date_after_today_is_an_error() {
        let mut f = form();
        let isee = f.declaration.isee.as_mut().unwrap();
        isee.dsu_date = today();
        // Today is no error, though after the closing date it excludes.
        assert_eq!(warnings(&f), [pair("isee.dsu_date", "dsu_not_valid")]);
        f.declaration.isee.as_mut().unwrap().dsu_date = today().succ_opt().unwrap();
        assert_eq!(problems(&f), [pair("isee.dsu_date", "dsu_date_future")]);
    }

    #[test]
    fn a_malformed_dsu_protocol_is_a_warning() {
        let mut f = form();
        f.declaration.isee.as_mut().unwrap().dsu_protocol = "INPS-ISEE-2026-AB123".into();
        let found = run(&f).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].field.as_str(), found[0].code),
            ("isee.dsu_protocol", "dsu_protocol_malformed")
        );
        assert!(found[0].message.contains("«INPS-ISEE-2026-AB123»"));
        f.declaration.isee.as_mut().unwrap().dsu_protocol = " ".into();
        assert_eq!(
            warnings(&f),
            [pair("isee.dsu_protocol", "dsu_protocol_missing")]
        );
    }

    #[test]
    fn no_isee_is_not_a_problem_of_intake_but_a_foreseen_exclusion() {
        let mut f = form();
        f.declaration.isee = None;
        assert_eq!(warnings(&f), [pair("isee", "isee_missing")]);
    }

    /// The one warning of `f`, after checking it is on `field` with `code`.
    fn the_warning(f: &ApplicationForm, field: &str, code: &'static str) -> String {
        let found = run(f).expect("warnings only");
        assert_eq!(
            found
                .iter()
                .map(|w| (w.field.as_str(), w.code))
                .collect::<Vec<_>>(),
            [(field, code)]
        );
        found[0].message.clone()
    }

    #[test]
    fn every_foreseen_exclusion_is_a_warning_on_its_field_in_plain_words() {
        let mut f = form();
        f.declaration.resident = false;
        assert_eq!(
            the_warning(&f, "resident", "not_resident"),
            "non residente in un comune del distretto: la domanda viene registrata, ma sarà \
             esclusa dalla graduatoria; chiedere al richiedente se è residente in un comune del \
             distretto: il bando è riservato ai residenti"
        );

        let mut f = form();
        f.declaration.unemployed = false;
        f.declaration.unemployed_since = None;
        let says = the_warning(&f, "unemployed", "not_unemployed");
        assert!(
            says.starts_with("non in stato di disoccupazione: "),
            "{says}"
        );

        let mut f = form();
        f.declaration.other_income_support = true;
        let says = the_warning(&f, "other_income_support", "other_income_support");
        assert!(says.contains("sarà esclusa dalla graduatoria"), "{says}");

        let mut f = form();
        f.declaration.isee.as_mut().unwrap().value = "8000,01".parse::<Isee>().unwrap();
        let says = the_warning(&f, "isee.value", "isee_over_ceiling");
        assert!(
            says.contains("€ 8.000,01") && says.contains("€ 8.000,00"),
            "{says}"
        );
        // The ceiling itself is eligible.
        f.declaration.isee.as_mut().unwrap().value = "8000,00".parse::<Isee>().unwrap();
        assert_eq!(run(&f), Ok(vec![]));

        // An ordinario of the year before the closing date.
        let mut f = form();
        f.declaration.isee.as_mut().unwrap().dsu_date = date(2025, 12, 30);
        let says = the_warning(&f, "isee.dsu_date", "dsu_not_valid");
        assert!(says.contains("DSU del 30/12/2025"), "{says}");

        // A corrente filed in August lasts to 28 February: valid on the closing date; one filed
        // on 27 August expired the day before.
        let mut f = form();
        let isee = f.declaration.isee.as_mut().unwrap();
        isee.kind = IseeKind::Corrente;
        isee.dsu_date = date(2025, 8, 28);
        assert_eq!(run(&f), Ok(vec![]));
        f.declaration.isee.as_mut().unwrap().dsu_date = date(2025, 8, 27);
        the_warning(&f, "isee.dsu_date", "isee_corrente_expired");
    }

    #[test]
    fn the_age_on_the_closing_date_is_warned_of_on_the_birth_date() {
        // 18 on 28 February 2026 is eligible, 18 the day after is not; 65 is, 66 is not.
        for (birth, verdict) in [
            (date(2008, 2, 28), None),
            (date(2008, 3, 1), Some("underage")),
            (date(1960, 3, 1), None),
            (date(1960, 2, 28), Some("over_age")),
        ] {
            let mut f = form();
            let sex = Sex::M;
            let code = codice_fiscale::encode("Rossi", "Mario", birth, sex, "I754");
            f.declaration.applicant.person = person(&code, "Rossi", "Mario", birth, sex, "I754");
            match verdict {
                None => assert_eq!(run(&f), Ok(vec![]), "{birth}"),
                Some(code) => {
                    let says = the_warning(&f, "applicant.birth_date", code);
                    assert!(says.contains("alla chiusura del bando"), "{says}");
                }
            }
        }
    }

    #[test]
    fn every_exclusion_is_warned_of_at_once_in_the_ranking_s_order() {
        let mut f = form();
        f.declaration.resident = false;
        f.declaration.unemployed = false;
        f.declaration.unemployed_since = None;
        f.declaration.isee = None;
        let late = at("2026-03-02T09:00:00+01:00");
        let found = check(&f, &district(), late, Some(&bando()), today()).unwrap();
        assert_eq!(
            found.iter().map(|w| w.code).collect::<Vec<_>>(),
            [
                "filed_outside_window",
                "not_resident",
                "not_unemployed",
                "isee_missing"
            ]
        );
    }

    #[test]
    fn unemployment_start_after_filing_is_an_error() {
        let mut f = form();
        f.declaration.unemployed_since = Some(date(2026, 2, 16));
        assert_eq!(run(&f), Ok(vec![]));
        f.declaration.unemployed_since = Some(date(2026, 2, 17));
        assert_eq!(
            problems(&f),
            [pair("unemployed_since", "unemployed_since_after_filing")]
        );
    }

    #[test]
    fn the_filing_day_is_the_italian_day_whatever_the_offset_written() {
        let mut f = form();
        f.declaration.unemployed_since = Some(date(2026, 2, 17));
        let b = Some(bando());
        for italian_17th in ["2026-02-17T00:30:00+01:00", "2026-02-16T23:30:00+00:00"] {
            let filed = at(italian_17th);
            assert_eq!(
                check(&f, &district(), filed, b.as_ref(), today()),
                Ok(vec![]),
                "{italian_17th}"
            );
        }
        let italian_16th = at("2026-02-16T22:59:59+00:00");
        let found = check(&f, &district(), italian_16th, b.as_ref(), today()).unwrap_err();
        assert_eq!(found[0].code, "unemployed_since_after_filing");
        assert!(found[0].message.contains("(16/02/2026)"));
    }

    #[test]
    fn unemployed_without_a_start_date_is_a_warning() {
        let mut f = form();
        f.declaration.unemployed_since = None;
        assert_eq!(
            warnings(&f),
            [pair("unemployed_since", "unemployed_since_missing")]
        );
        f.declaration.unemployed = false;
        assert_eq!(warnings(&f), [pair("unemployed", "not_unemployed")]);
    }

    #[test]
    fn filing_outside_the_window_is_a_warning_on_its_edges_nothing() {
        let f = form();
        let d = district();
        let b = Some(bando());
        for edge in [
            "2026-02-01T00:00:00+01:00",
            // Midnight of 1 February in Italy, written in UTC.
            "2026-01-31T23:00:00+00:00",
            "2026-02-28T23:59:59+01:00",
        ] {
            assert_eq!(
                check(&f, &d, at(edge), b.as_ref(), today()),
                Ok(vec![]),
                "{edge}"
            );
        }
        for (outside, day) in [
            ("2026-01-31T23:59:59+01:00", "31/01/2026"),
            ("2026-03-01T00:00:00+01:00", "01/03/2026"),
            // 23:30 UTC on the closing day is 00:30 of 1 March in Italy.
            ("2026-02-28T23:30:00+00:00", "01/03/2026"),
        ] {
            let found = check(&f, &d, at(outside), b.as_ref(), today()).unwrap();
            assert_eq!(found.len(), 1, "{outside}");
            assert_eq!(found[0].code, "filed_outside_window");
            assert_eq!(found[0].field, "filed_at");
            assert_eq!(
                found[0].message,
                format!(
                    "domanda presentata il {day}, fuori dal periodo del bando (dal 01/02/2026 \
                     al 28/02/2026): la domanda viene registrata, ma sarà esclusa dalla \
                     graduatoria; verificare la data di ricezione della domanda"
                )
            );
        }
        // Without a known bando there is nothing to compare.
        let late = at("2026-03-05T09:00:00+01:00");
        assert_eq!(check(&f, &d, late, None, today()), Ok(vec![]));
    }

    #[test]
    fn filing_in_the_future_is_an_error() {
        let f = form();
        let d = district();
        let tonight = at("2026-03-10T23:59:00+01:00");
        assert_eq!(check(&f, &d, tonight, None, today()), Ok(vec![]));
        let tomorrow = at("2026-03-11T00:01:00+01:00");
        let found = check(&f, &d, tomorrow, None, today()).unwrap_err();
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].field.as_str(), found[0].code),
            ("filed_at", "filed_at_future")
        );
        assert!(found[0].message.contains("11/03/2026"));
    }

    #[test]
    fn all_problems_are_returned_in_form_order() {
        let mut f = form();
        f.declaration.applicant.person.name = String::new();
        f.declaration.applicant.person.sex = Sex::F;
        f.declaration.household[0].person.codice_fiscale = "BNCGLI92M55D636".into();
        f.declaration.household[1].person.surname = String::new();
        let isee = f.declaration.isee.as_mut().unwrap();
        isee.dsu_date = date(2026, 4, 1);
        isee.dsu_protocol = "non so".into();
        f.declaration.unemployed_since = Some(date(2026, 3, 1));
        assert_eq!(
            problems(&f),
            [
                pair("applicant.name", "name_empty"),
                pair("applicant.sex", "codice_fiscale_sex_mismatch"),
                pair("household[0].codice_fiscale", "codice_fiscale_length"),
                pair("household[1].surname", "surname_empty"),
                pair("isee.dsu_date", "dsu_date_future"),
                pair("unemployed_since", "unemployed_since_after_filing"),
            ]
        );
    }

    /// Writes a text into one field of a form.
    type Write = fn(&mut ApplicationForm, String);

    /// Every text field of a form, as a path and a way to write into it.
    fn text_fields() -> Vec<(&'static str, Write)> {
        vec![
            ("bando", |f, t| f.bando = t),
            ("protocol_number", |f, t| f.protocol_number = Some(t)),
            ("applicant.codice_fiscale", |f, t| {
                f.declaration.applicant.person.codice_fiscale = t
            }),
            ("applicant.surname", |f, t| {
                f.declaration.applicant.person.surname = t
            }),
            ("applicant.name", |f, t| {
                f.declaration.applicant.person.name = t
            }),
            ("applicant.birth_place", |f, t| {
                f.declaration.applicant.person.birth_place = t
            }),
            ("applicant.address", |f, t| {
                f.declaration.applicant.address = Some(t)
            }),
            ("applicant.phone", |f, t| {
                f.declaration.applicant.phone = Some(t)
            }),
            ("applicant.email", |f, t| {
                f.declaration.applicant.email = Some(t)
            }),
            ("household[1].codice_fiscale", |f, t| {
                f.declaration.household[1].person.codice_fiscale = t
            }),
            ("household[1].surname", |f, t| {
                f.declaration.household[1].person.surname = t
            }),
            ("household[1].name", |f, t| {
                f.declaration.household[1].person.name = t
            }),
            ("household[1].birth_place", |f, t| {
                f.declaration.household[1].person.birth_place = t
            }),
            ("household[1].relation", |f, t| {
                f.declaration.household[1].relation = t
            }),
            ("isee.dsu_protocol", |f, t| {
                f.declaration.isee.as_mut().unwrap().dsu_protocol = t
            }),
            ("override_note", |f, t| f.override_note = Some(t)),
        ]
    }

    #[test]
    fn hidden_characters_are_refused_in_every_text_field_once() {
        let hidden = [
            ("\u{7}", "text_control_char"),
            ("\t", "text_control_char"),
            ("\u{1b}[2J", "text_control_char"),
            ("\u{85}", "text_control_char"),
            ("\u{202e}", "text_bidi_char"),
            ("\u{2066}", "text_bidi_char"),
            ("\u{200f}", "text_bidi_char"),
            ("\r", "text_line_break"),
        ];
        for (field, write) in text_fields() {
            for (char, code) in hidden {
                let mut f = form();
                let text = format!("A{char}B");
                write(&mut f, text);
                let found = check(&f, &district(), at(FILED), Some(&bando()), today());
                let found = found.expect_err(field);
                let here: Vec<_> = found.iter().filter(|p| p.field == field).collect();
                assert_eq!(here.len(), 1, "{field} {char:?}: {found:?}");
                assert_eq!(here[0].code, code, "{field} {char:?}");
                assert!(
                    here[0].message.contains("al carattere 2"),
                    "{}",
                    here[0].message
                );
            }
        }
    }

    #[test]
    fn new_lines_only_in_the_note() {
        for (field, write) in text_fields() {
            let mut f = form();
            write(&mut f, "riga uno\nriga due".into());
            let found = check(&f, &district(), at(FILED), Some(&bando()), today());
            if field == "override_note" {
                assert!(found.is_ok(), "{found:?}");
            } else {
                let found = found.expect_err(field);
                assert!(
                    found
                        .iter()
                        .any(|p| p.field == field && p.code == "text_line_break"),
                    "{field}: {found:?}"
                );
            }
        }
        let mut f = form();
        f.override_note = Some("verificato\r\nsul documento".into());
        assert_eq!(run(&f), Ok(vec![]));
        f.override_note = Some("verificato\rsul documento".into());
        assert_eq!(problems(&f), [pair("override_note", "text_line_break")]);
        f.override_note = Some("verificato\tsul documento".into());
        assert_eq!(problems(&f), [pair("override_note", "text_control_char")]);
    }

    #[test]
    fn a_hidden_character_names_itself_and_its_place() {
        let found = check_text("applicant.surname", "Rossi\u{202e}itnaB", false).unwrap();
        assert_eq!(found.field, "applicant.surname");
        assert_eq!(found.code, "text_bidi_char");
        assert!(
            found.message.contains("(U+202E, al carattere 6)"),
            "{}",
            found.message
        );
        assert_eq!(check_text("x", "Città d'Àrgento – ŞŽ 東京", false), None);
        assert_eq!(hidden_char('\u{9b}'), Some(HiddenChar::Control));
        assert_eq!(hidden_char('\u{2028}'), Some(HiddenChar::LineBreak));
        assert_eq!(hidden_char('\u{a0}'), None);
    }

    #[test]
    fn findings_serialise_for_the_ui() {
        let mut f = form();
        f.declaration.applicant.person.surname = String::new();
        let found = run(&f).unwrap_err();
        let json = serde_json::to_value(&found[0]).unwrap();
        assert_eq!(json["field"], "applicant.surname");
        assert_eq!(json["code"], "surname_empty");
        assert_eq!(
            found[0].to_string(),
            "applicant.surname: il cognome è vuoto: scriverlo come sul documento d'identità"
        );
    }
}
