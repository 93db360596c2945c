//! Property: filing any further application never changes the eligibility, score or breakdown
//! of one already filed, except through the household rule. The applications share people
//! (the same codici fiscali, declared with other birth dates, roles and flags), which is what
//! used to leak from one application into another. Driven through `sportello_app` on a real
//! database, to stay fast.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use serde_json::{Value, json};
use sportello_app::{Sportello, parse_json_forms};
use sportello_domain::codice_fiscale::encode;
use sportello_domain::{Breakdown, Sex};
use sportello_tests::fixture;

/// Surname, name, birth date (year, month, day) and sex.
type Someone = (&'static str, &'static str, (i32, u32, u32), Sex);

/// Four people the applications share.
const PEOPLE: [Someone; 4] = [
    ("Rossi", "Mario", (1976, 3, 31), Sex::M),
    ("Bianchi", "Giulia", (1990, 5, 20), Sex::F),
    ("Verdi", "Luca", (2009, 2, 28), Sex::M),
    ("Costa", "Anna", (2012, 11, 3), Sex::F),
];

/// One person as an application declares them: who, how many days their declared birth date
/// is moved (a typo the operator confirmed), and the member's flags.
#[derive(Debug, Clone)]
struct Declared {
    who: usize,
    shift_days: i64,
    dependent_minor: bool,
    disabled: bool,
}

#[derive(Debug, Clone)]
struct Filing {
    applicant: Declared,
    members: Vec<Declared>,
    isee_cents: i64,
    filed_day: u64,
    unemployed: bool,
    single_parent: bool,
}

fn declared() -> impl Strategy<Value = Declared> {
    (0..PEOPLE.len(), -800i64..800, any::<bool>(), any::<bool>()).prop_map(
        |(who, shift_days, dependent_minor, disabled)| Declared {
            who,
            shift_days,
            dependent_minor,
            disabled,
        },
    )
}

fn filing() -> impl Strategy<Value = Filing> {
    (
        declared(),
        prop::collection::vec(declared(), 0..3),
        0i64..900_000,
        0u64..80,
        prop::bool::weighted(0.9),
        any::<bool>(),
    )
        .prop_map(
            |(applicant, members, isee_cents, filed_day, unemployed, single_parent)| Filing {
                // Nobody twice in one declaration: intake refuses a repeated codice fiscale.
                members: members.into_iter().filter(|m| m.who != applicant.who).fold(
                    Vec::new(),
                    |mut seen: Vec<Declared>, m| {
                        if !seen.iter().any(|s| s.who == m.who) {
                            seen.push(m);
                        }
                        seen
                    },
                ),
                applicant,
                isee_cents,
                filed_day,
                unemployed,
                single_parent,
            },
        )
}

fn person(d: &Declared) -> Value {
    let (surname, name, (y, m, day), sex) = PEOPLE[d.who];
    let born = NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let declared = born
        .checked_add_signed(chrono::TimeDelta::days(d.shift_days))
        .unwrap();
    json!({
        "codice_fiscale": encode(surname, name, born, sex, "I754"),
        "surname": surname, "name": name, "birth_date": declared.to_string(),
        "sex": if sex == Sex::F { "F" } else { "M" }, "birth_place": "I754",
        "relation": "familiare", "dependent_minor": d.dependent_minor, "disabled": d.disabled,
    })
}

fn form(f: &Filing) -> Value {
    let filed = NaiveDate::from_ymd_opt(2026, 1, 10)
        .unwrap()
        .checked_add_days(Days::new(f.filed_day))
        .unwrap();
    let mut applicant = person(&f.applicant);
    for key in ["relation", "dependent_minor", "disabled"] {
        applicant.as_object_mut().unwrap().remove(key);
    }
    json!({
        "bando": "SC-2026-1",
        "filed_at": format!("{filed}T10:00:00+01:00"),
        "applicant": applicant,
        "household": f.members.iter().map(person).collect::<Vec<_>>(),
        "isee": { "value": format!("{}.{:02}", f.isee_cents / 100, f.isee_cents % 100),
                  "dsu_protocol": "INPS-ISEE-2026-AB123C789-00", "dsu_date": "2026-01-05" },
        "resident": true, "unemployed": f.unemployed, "unemployed_since": "2024-05-01",
        "single_parent": f.single_parent, "applicant_disabled": f.applicant.disabled,
        "override_note": "dati confermati sul documento esibito",
    })
}

/// What an application's own declaration decides: breakdown, score and every reason but the
/// household rule's.
type Own = (Breakdown, i32, Vec<&'static str>);

fn own_lines(app: &mut Sportello) -> BTreeMap<String, Own> {
    app.ranking()
        .compute("SC-2026-1")
        .unwrap()
        .into_iter()
        .map(|line| {
            let reasons = line
                .reason_codes()
                .into_iter()
                .filter(|c| *c != "same_household")
                .collect();
            (line.application_code, (line.breakdown, line.score, reasons))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn filing_never_changes_what_another_application_declared(
        filings in prop::collection::vec(filing(), 2..=PEOPLE.len())
    ) {
        let dir = tempfile::tempdir().unwrap();
        let district = std::fs::read_to_string(fixture("district-d48.toml")).unwrap();
        let mut app = Sportello::init(
            &dir.path().join("sportello.db"), &district, "089017", &sportello_tests::first_operator()).unwrap();
        app.settings().import_bando(&std::fs::read_to_string(fixture("bando-sc-2026-1.toml")).unwrap())
            .unwrap();
        let mut first_seen: BTreeMap<String, Own> = BTreeMap::new();
        for (i, f) in filings.iter().enumerate() {
            // One application per applicant and bando: each filing has its own applicant, and
            // names the others as members, declared their own way.
            let mut f = f.clone();
            f.applicant.who = i;
            f.members.retain(|m| m.who != i);
            let batch = parse_json_forms(&form(&f).to_string()).unwrap();
            app.intake().add_applications(&batch).expect("every generated application is filed");
            for (code, own) in own_lines(&mut app) {
                let first = first_seen.entry(code.clone()).or_insert_with(|| own.clone());
                prop_assert_eq!(&*first, &own, "application {} changed", code);
            }
        }
    }
}
