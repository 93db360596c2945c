//! Properties of the district ranking over random synthetic applications: a total order,
//! deterministic, independent of the input order, consistent with places and households.
//!
//! The generator draws from small pools (three comuni, a few ISEE values, birth dates, filing
//! times and shared codici fiscali) so ties and shared households are common, not rare. A few
//! applications are filed before the bando opens, and a few members declared dependent minors
//! are 18 on the closing date.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone};
use proptest::prelude::*;
use rust_decimal::Decimal;
use sportello_domain::{
    Applicant, Application, Bando, Declaration, HouseholdMember, Housing, Isee, IseeDeclaration,
    IseeKind, Outcome, Person, RankedApplication, Reason, Rules, Sex, rank,
};

const COMUNI: [&str; 3] = ["999001", "999002", "999003"];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid test date")
}

fn bando() -> Bando {
    Bando {
        id: "SC-2026-1".into(),
        title: "Servizio civico distrettuale 2026".into(),
        opens: date(2026, 1, 10),
        closes: date(2026, 3, 31),
        // 999003 has no places at all.
        places: BTreeMap::from([(COMUNI[0].into(), 3), (COMUNI[1].into(), 1)]),
        rules: Rules::default(),
    }
}

/// The random part of one application.
#[derive(Debug, Clone)]
struct Spec {
    comune: usize,
    isee_cents: Option<i64>,
    dsu_month: u32,
    birth: (i32, u32),
    /// Day of February 2026 and minute; day 0 is 9 January, the day before the bando opens.
    filed: (u32, u32),
    minors: usize,
    /// Which of the declared minors' birth dates (see `MINOR_BIRTHS`) the first one has.
    first_minor_birth: usize,
    /// Indices into a small pool of shared codici fiscali.
    shared_members: Vec<usize>,
    unemployed_since: Option<(i32, u32)>,
    housing: u8,
    flags: [bool; 5],
}

fn spec() -> impl Strategy<Value = Spec> {
    let isee = prop_oneof![
        1 => Just(None),
        2 => Just(Some(0)),
        2 => Just(Some(100_000)),
        2 => Just(Some(100_001)),
        2 => Just(Some(800_000)),
        1 => Just(Some(800_001)),
        4 => (0i64..=16).prop_map(|half_thousands| Some(half_thousands * 50_000)),
    ];
    (
        0..COMUNI.len(),
        isee,
        // Month 4 is after the closing date: DSU not valid.
        prop::sample::select(vec![1u32, 1, 2, 3, 3, 3, 4]),
        // Around the age limits (65/66, 17/18) and the older-applicant age (49/50).
        (
            prop::sample::select(vec![1960, 1961, 1976, 1985, 1990, 2008]),
            prop::sample::select(vec![1, 4]),
        ),
        (prop_oneof![9 => 1u32..=3, 1 => Just(0u32)], 0u32..=2),
        (0usize..=4, 0..MINOR_BIRTHS.len()),
        prop::collection::vec(0usize..40, 0..=1),
        prop::option::of((2020i32..=2026, 1u32..=12)),
        0u8..3,
        // resident, unemployed, other income support, single parent, previous participation
        [
            prop::bool::weighted(0.95),
            prop::bool::weighted(0.95),
            prop::bool::weighted(0.05),
            prop::bool::weighted(0.5),
            prop::bool::weighted(0.2),
        ],
    )
        .prop_map(
            |(
                comune,
                isee_cents,
                dsu_month,
                birth,
                filed,
                (minors, first_minor_birth),
                shared_members,
                since,
                housing,
                flags,
            )| {
                Spec {
                    comune,
                    isee_cents,
                    dsu_month,
                    birth,
                    filed,
                    minors,
                    first_minor_birth,
                    shared_members,
                    unemployed_since: since,
                    housing,
                    flags,
                }
            },
        )
}

fn person(codice_fiscale: String, birth_date: NaiveDate) -> Person {
    Person {
        codice_fiscale,
        surname: "Prova".into(),
        name: "Persona".into(),
        birth_date,
        sex: Sex::M,
        birth_place: "Y001".into(),
    }
}

/// Birth dates of members declared dependent minors: the closing date is 31 March 2026, so
/// the second is 18 on it (not a minor) and the third only the day after (a minor).
const MINOR_BIRTHS: [(i32, u32, u32); 3] = [(2015, 1, 1), (2008, 3, 31), (2008, 4, 1)];

fn filed_at(day: u32, minute: u32) -> DateTime<FixedOffset> {
    let (month, day) = if day == 0 { (1, 9) } else { (2, day) };
    FixedOffset::east_opt(3600)
        .and_then(|tz| {
            tz.with_ymd_and_hms(2026, month, day, 10, minute, 0)
                .single()
        })
        .expect("a valid filing time")
}

/// Whether a member declared a dependent minor is one on the closing date (31 March 2026):
/// under 18 then. Written out independently of the crate, for birth dates not on 29 February.
fn minor_on_closing(birth: NaiveDate) -> bool {
    let (y, m, d) = (2026, 3, 31);
    let age = y - birth.year() - i32::from((m, d) < (birth.month(), birth.day()));
    age < 18
}

fn counted_minors(application: &Application) -> usize {
    application
        .declaration
        .household
        .iter()
        .filter(|m| m.dependent_minor && minor_on_closing(m.person.birth_date))
        .count()
}

fn application(index: usize, spec: &Spec) -> Application {
    let code = format!("Q{index:04}");
    let mut household: Vec<HouseholdMember> = (0..spec.minors)
        .map(|m| HouseholdMember {
            person: person(format!("MINOR{index}X{m}"), {
                let (y, mo, d) = MINOR_BIRTHS[if m == 0 { spec.first_minor_birth } else { 0 }];
                date(y, mo, d)
            }),
            relation: "figlio".into(),
            dependent_minor: true,
            disabled: m == 0 && spec.flags[3],
        })
        .collect();
    household.extend(spec.shared_members.iter().map(|s| HouseholdMember {
        person: person(format!("SHARED{s}"), date(1970, 1, 1)),
        relation: "coniuge".into(),
        dependent_minor: false,
        disabled: false,
    }));
    let [
        resident,
        unemployed,
        other_income_support,
        single_parent,
        previous_participation,
    ] = spec.flags;
    Application {
        code: code.clone(),
        comune: COMUNI[spec.comune].into(),
        bando: "SC-2026-1".into(),
        filed_at: filed_at(spec.filed.0, spec.filed.1),
        declaration: Declaration {
            applicant: Applicant {
                person: person(format!("CF{code}"), date(spec.birth.0, spec.birth.1, 1)),
                address: None,
                phone: None,
                email: None,
            },
            household,
            isee: spec.isee_cents.map(|cents| IseeDeclaration {
                value: Isee::new(Decimal::new(cents, 2)).expect("a non-negative ISEE"),
                dsu_protocol: "INPS-ISEE-2026-AB123C789-00".into(),
                dsu_date: date(2026, spec.dsu_month, 1),
                kind: IseeKind::Ordinario,
            }),
            resident,
            unemployed,
            unemployed_since: spec.unemployed_since.map(|(y, m)| date(y, m, 28)),
            other_income_support,
            single_parent,
            applicant_disabled: false,
            housing: match spec.housing {
                0 => Housing::None,
                1 => Housing::Rent,
                _ => Housing::Eviction,
            },
            previous_participation,
        },
    }
}

/// Applications, some of them twins of the one before (same facts, another applicant), so
/// the later tie-break steps (filing time, then code) are reached often.
fn applications() -> impl Strategy<Value = Vec<Application>> {
    let twin = prop_oneof![6 => Just(Twin::No), 1 => Just(Twin::FiledLater), 1 => Just(Twin::FiledTogether)];
    prop::collection::vec((spec(), twin), 0..80).prop_map(|specs| {
        let mut previous: Option<Spec> = None;
        let mut apps = Vec::with_capacity(specs.len());
        for (i, (own, twin)) in specs.into_iter().enumerate() {
            let spec = match (twin, previous.take()) {
                (Twin::No, _) | (_, None) => own,
                (twin, Some(mut copy)) => {
                    copy.shared_members.clear();
                    if twin == Twin::FiledLater {
                        copy.filed = own.filed;
                    }
                    copy
                }
            };
            apps.push(application(i, &spec));
            previous = Some(spec);
        }
        apps
    })
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Twin {
    No,
    FiledLater,
    FiledTogether,
}

/// The default tie-break chain, written out independently of the crate.
fn reference_order(
    a: &Application,
    ra: &RankedApplication,
    b: &Application,
    rb: &RankedApplication,
) -> Ordering {
    let isee = |x: &Application| x.declaration.isee.as_ref().map(|i| i.value.value());
    rb.score
        .cmp(&ra.score)
        .then_with(|| isee(a).cmp(&isee(b)))
        .then_with(|| counted_minors(b).cmp(&counted_minors(a)))
        .then_with(|| {
            a.declaration
                .applicant
                .person
                .birth_date
                .cmp(&b.declaration.applicant.person.birth_date)
        })
        .then_with(|| a.filed_at.cmp(&b.filed_at))
        .then_with(|| a.code.cmp(&b.code))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn ranking_is_a_total_order(apps in applications()) {
        let ranked = rank(&bando(), &apps);
        let by_code: HashMap<&str, &Application> =
            apps.iter().map(|a| (a.code.as_str(), a)).collect();

        // Every application exactly once.
        let mut seen: Vec<&str> = ranked.iter().map(|r| r.application_code.as_str()).collect();
        seen.sort_unstable();
        let mut expected: Vec<&str> = apps.iter().map(|a| a.code.as_str()).collect();
        expected.sort_unstable();
        prop_assert_eq!(seen, expected);

        // Ranked first with positions 1..n, then the excluded without position.
        let ranked_count = ranked.iter().filter(|r| r.outcome != Outcome::Escluso).count();
        for (i, r) in ranked.iter().enumerate() {
            if i < ranked_count {
                prop_assert_ne!(r.outcome, Outcome::Escluso);
                prop_assert_eq!(r.position, u32::try_from(i + 1).ok());
                prop_assert!(r.reasons.is_empty());
            } else {
                prop_assert_eq!(r.outcome, Outcome::Escluso);
                prop_assert_eq!(r.position, None);
                prop_assert!(!r.reasons.is_empty());
            }
            prop_assert_eq!(r.score, r.breakdown.score());
        }

        // Strictly increasing under the documented chain: no two distinct applications tie.
        for pair in ranked[..ranked_count].windows(2) {
            let (a, b) = (by_code[pair[0].application_code.as_str()], by_code[pair[1].application_code.as_str()]);
            prop_assert_eq!(reference_order(a, &pair[0], b, &pair[1]), Ordering::Less);
        }
        for pair in ranked[ranked_count..].windows(2) {
            prop_assert!(pair[0].application_code < pair[1].application_code);
        }
    }

    #[test]
    fn excluded_for_the_window_exactly_when_filed_outside_it(apps in applications()) {
        let bando = bando();
        let ranked = rank(&bando, &apps);
        let by_code: HashMap<&str, &Application> =
            apps.iter().map(|a| (a.code.as_str(), a)).collect();
        for r in &ranked {
            // Every generated filing is at +01:00, Italian time in winter.
            let day = by_code[r.application_code.as_str()].filed_at.date_naive();
            let outside = day < bando.opens || day > bando.closes;
            prop_assert_eq!(r.reason_codes().contains(&"filed_outside_window"), outside);
            if outside {
                prop_assert_eq!(r.outcome, Outcome::Escluso);
            }
        }
    }

    #[test]
    fn ranking_is_deterministic(apps in applications()) {
        prop_assert_eq!(rank(&bando(), &apps), rank(&bando(), &apps));
    }

    #[test]
    fn ranking_ignores_input_order(
        (apps, shuffled) in applications().prop_flat_map(|apps| {
            let shuffled = Just(apps.clone()).prop_shuffle();
            (Just(apps), shuffled)
        })
    ) {
        let ranked = rank(&bando(), &apps);
        prop_assert_eq!(&ranked, &rank(&bando(), &shuffled));
        let json = |r: &[RankedApplication]| serde_json::to_string(r).expect("serialisable");
        prop_assert_eq!(json(&ranked), json(&rank(&bando(), &shuffled)));
    }

    #[test]
    fn places_go_to_the_top_of_each_comune(apps in applications()) {
        let bando = bando();
        let ranked = rank(&bando, &apps);
        for comune in COMUNI {
            let outcomes: Vec<Outcome> = ranked
                .iter()
                .filter(|r| r.comune == comune && r.outcome != Outcome::Escluso)
                .map(|r| r.outcome)
                .collect();
            let places = bando.places_for(comune) as usize;
            let admitted = places.min(outcomes.len());
            prop_assert!(outcomes[..admitted].iter().all(|o| *o == Outcome::Ammesso));
            prop_assert!(outcomes[admitted..].iter().all(|o| *o == Outcome::IdoneoNonAmmesso));
        }
    }

    #[test]
    fn the_standing_application_is_ranked_earlier_filed_and_shares_a_person(
        apps in applications()
    ) {
        let ranked = rank(&bando(), &apps);
        let by_code: HashMap<&str, &Application> =
            apps.iter().map(|a| (a.code.as_str(), a)).collect();
        let outcome: HashMap<&str, Outcome> =
            ranked.iter().map(|r| (r.application_code.as_str(), r.outcome)).collect();
        for r in &ranked {
            for reason in &r.reasons {
                let Reason::SameHousehold { standing } = reason else { continue };
                // Only this reason: an application excluded otherwise is never walked.
                prop_assert_eq!(r.reasons.len(), 1);
                prop_assert_ne!(outcome[standing.as_str()], Outcome::Escluso);
                let (this, first) = (by_code[r.application_code.as_str()], by_code[standing.as_str()]);
                prop_assert!((first.filed_at, &first.code) < (this.filed_at, &this.code));
                let people: HashSet<&str> = first.declaration.household_codici_fiscali().collect();
                prop_assert!(this.declaration.household_codici_fiscali().any(|cf| people.contains(cf)));
            }
        }
    }

    #[test]
    fn no_two_ranked_applications_share_a_household(apps in applications()) {
        let ranked = rank(&bando(), &apps);
        let by_code: HashMap<&str, &Application> =
            apps.iter().map(|a| (a.code.as_str(), a)).collect();
        let mut taken = HashSet::new();
        for r in ranked.iter().filter(|r| r.outcome != Outcome::Escluso) {
            // A household may list the same person twice: that is one household, not two.
            let own: HashSet<&str> =
                by_code[r.application_code.as_str()].declaration.household_codici_fiscali().collect();
            for cf in own {
                prop_assert!(taken.insert(cf), "{} appears in two ranked households", cf);
            }
        }
    }
}
