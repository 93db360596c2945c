//! Every rule of the ranking at its boundaries, on the fictional district D99.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use rust_decimal::Decimal;

use super::*;
use crate::application::{Applicant, Declaration, HouseholdMember, Housing, Person, Sex};
use crate::calendar::{age_on, whole_months};
use crate::isee::{Isee, IseeDeclaration, IseeKind};
use crate::rules::{Rules, TieBreak};

const FONTEBIANCA: &str = "999001";
const ROCCAVERDE: &str = "999002";
const MARINA_SERENA: &str = "999003";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// Closes 31 March 2026; two places in Fontebianca, one in Roccaverde, none in Marina Serena.
fn bando() -> Bando {
    Bando {
        id: "SC-2026-1".into(),
        title: "Servizio civico distrettuale 2026".into(),
        opens: date(2026, 1, 10),
        closes: date(2026, 3, 31),
        places: BTreeMap::from([(FONTEBIANCA.into(), 2), (ROCCAVERDE.into(), 1)]),
        rules: Rules::default(),
    }
}

fn person(codice_fiscale: &str, birth_date: NaiveDate) -> Person {
    Person {
        codice_fiscale: codice_fiscale.into(),
        surname: "Prova".into(),
        name: "Persona".into(),
        birth_date,
        sex: Sex::F,
        birth_place: "Y001".into(),
    }
}

/// A synthetic application: by default eligible, alone, ISEE 3,500.00 from a DSU of
/// 15 January 2026, born 1 January 1980, filed 1 February 2026 at 10:00 in Fontebianca.
/// Score 28 (ISEE) + 2 (household of one) = 30.
struct Builder(Application);

fn app(code: &str) -> Builder {
    Builder(Application {
        code: code.into(),
        comune: FONTEBIANCA.into(),
        bando: "SC-2026-1".into(),
        filed_at: at(2026, 2, 1, 10, 0),
        declaration: Declaration {
            applicant: Applicant {
                person: person(&format!("CF{code}"), date(1980, 1, 1)),
                address: None,
                phone: None,
                email: None,
            },
            household: Vec::new(),
            isee: Some(isee_declaration("3500.00", date(2026, 1, 15))),
            resident: true,
            unemployed: true,
            unemployed_since: None,
            other_income_support: false,
            single_parent: false,
            applicant_disabled: false,
            housing: Housing::None,
            previous_participation: false,
        },
    })
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(3600)
        .unwrap()
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
}

/// A filing time as written, with its offset: `2026-03-31T23:59:59+02:00`.
fn written(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn isee_declaration(value: &str, dsu_date: NaiveDate) -> IseeDeclaration {
    IseeDeclaration {
        value: Isee::new(dec(value)).unwrap(),
        dsu_protocol: "INPS-ISEE-2026-AB123C789-00".into(),
        dsu_date,
        kind: IseeKind::Ordinario,
    }
}

impl Builder {
    fn comune(mut self, istat: &str) -> Self {
        self.0.comune = istat.into();
        self
    }
    fn filed(mut self, at: DateTime<FixedOffset>) -> Self {
        self.0.filed_at = at;
        self
    }
    fn born(mut self, birth_date: NaiveDate) -> Self {
        self.0.declaration.applicant.person.birth_date = birth_date;
        self
    }
    fn applicant_cf(mut self, cf: &str) -> Self {
        self.0.declaration.applicant.person.codice_fiscale = cf.into();
        self
    }
    fn corrente(self, dsu_date: NaiveDate) -> Self {
        self.dsu(IseeDeclaration {
            kind: IseeKind::Corrente,
            ..isee_declaration("3500.00", dsu_date)
        })
    }
    fn isee(mut self, value: &str) -> Self {
        let dsu_date = self
            .0
            .declaration
            .isee
            .as_ref()
            .map_or(date(2026, 1, 15), |i| i.dsu_date);
        self.0.declaration.isee = Some(isee_declaration(value, dsu_date));
        self
    }
    fn dsu(mut self, declaration: IseeDeclaration) -> Self {
        self.0.declaration.isee = Some(declaration);
        self
    }
    fn no_isee(mut self) -> Self {
        self.0.declaration.isee = None;
        self
    }
    /// A member declared dependent minor (or not), born on `birth`.
    fn member_born(mut self, cf: &str, birth: NaiveDate, dependent_minor: bool) -> Self {
        self.0.declaration.household.push(HouseholdMember {
            person: person(cf, birth),
            relation: "figlio".into(),
            dependent_minor,
            disabled: false,
        });
        self
    }
    fn member(mut self, cf: &str, dependent_minor: bool, disabled: bool) -> Self {
        let birth = if dependent_minor {
            date(2015, 5, 5)
        } else {
            date(1982, 5, 5)
        };
        self.0.declaration.household.push(HouseholdMember {
            person: person(cf, birth),
            relation: if dependent_minor { "figlio" } else { "coniuge" }.into(),
            dependent_minor,
            disabled,
        });
        self
    }
    fn unemployed_since(mut self, since: NaiveDate) -> Self {
        self.0.declaration.unemployed_since = Some(since);
        self
    }
    fn employed(mut self) -> Self {
        self.0.declaration.unemployed = false;
        self
    }
    fn not_resident(mut self) -> Self {
        self.0.declaration.resident = false;
        self
    }
    fn income_support(mut self) -> Self {
        self.0.declaration.other_income_support = true;
        self
    }
    fn single_parent(mut self) -> Self {
        self.0.declaration.single_parent = true;
        self
    }
    fn applicant_disabled(mut self) -> Self {
        self.0.declaration.applicant_disabled = true;
        self
    }
    fn housing(mut self, housing: Housing) -> Self {
        self.0.declaration.housing = housing;
        self
    }
    fn previous_participation(mut self) -> Self {
        self.0.declaration.previous_participation = true;
        self
    }
    fn build(self) -> Application {
        self.0
    }
}

fn rank_one(bando: &Bando, application: Application) -> RankedApplication {
    let mut ranked = rank(bando, &[application]);
    assert_eq!(ranked.len(), 1);
    ranked.remove(0)
}

fn codes(ranked: &[RankedApplication]) -> Vec<&str> {
    ranked.iter().map(|r| r.application_code.as_str()).collect()
}

fn reason_codes(ranked: &RankedApplication) -> Vec<&'static str> {
    ranked.reason_codes()
}

fn find<'a>(ranked: &'a [RankedApplication], code: &str) -> &'a RankedApplication {
    ranked.iter().find(|r| r.application_code == code).unwrap()
}

// ---------------------------------------------------------------- ISEE

#[test]
fn default_application_scores_thirty_and_is_admitted() {
    let r = rank_one(&bando(), app("A").build());
    assert_eq!(r.position, Some(1));
    assert_eq!(r.outcome, Outcome::Ammesso);
    assert_eq!(r.score, 30);
    assert_eq!(
        r.breakdown,
        Breakdown {
            isee: 28,
            household_size: 2,
            ..Breakdown::default()
        }
    );
    assert!(r.reasons.is_empty());
}

#[test]
fn isee_points_at_every_band_edge() {
    let cases = [
        ("0.00", 50),
        ("0.01", 45),
        ("1000.00", 45),
        ("1000.01", 40),
        ("2000.00", 40),
        ("2000.01", 34),
        ("3000.00", 34),
        ("3000.01", 28),
        ("4000.00", 28),
        ("4000.01", 22),
        ("5000.00", 22),
        ("5000.01", 16),
        ("6000.00", 16),
        ("6000.01", 10),
        ("8000.00", 10),
    ];
    for (isee, points) in cases {
        let r = rank_one(&bando(), app("A").isee(isee).build());
        assert_eq!(r.outcome, Outcome::Ammesso, "ISEE {isee}");
        assert_eq!(r.breakdown.isee, points, "ISEE {isee}");
        assert_eq!(r.score, points + 2, "ISEE {isee}");
    }
}

#[test]
fn isee_at_the_ceiling_is_eligible_a_cent_above_is_excluded() {
    let at_ceiling = rank_one(&bando(), app("A").isee("8000.00").build());
    assert_eq!(at_ceiling.outcome, Outcome::Ammesso);

    let above = rank_one(&bando(), app("A").isee("8000.01").build());
    assert_eq!(above.outcome, Outcome::Escluso);
    assert_eq!(above.position, None);
    assert_eq!(reason_codes(&above), ["isee_over_ceiling"]);
    assert_eq!(
        above.reasons[0].message_it(),
        "ISEE di € 8.000,01 superiore alla soglia di € 8.000,00"
    );
    // The breakdown is still computed, with no points for the ISEE.
    assert_eq!(above.breakdown.isee, 0);
    assert_eq!(above.score, 2);
}

#[test]
fn missing_isee_is_excluded_and_scores_nothing_for_it() {
    let r = rank_one(&bando(), app("A").no_isee().build());
    assert_eq!(r.outcome, Outcome::Escluso);
    assert_eq!(reason_codes(&r), ["isee_missing"]);
    assert_eq!(r.breakdown.isee, 0);
}

// ---------------------------------------------------------------- DSU

#[test]
fn dsu_filed_on_the_closing_date_is_valid_the_day_after_is_not() {
    let on_closing = app("A").dsu(isee_declaration("3500.00", date(2026, 3, 31)));
    assert_eq!(
        rank_one(&bando(), on_closing.build()).outcome,
        Outcome::Ammesso
    );

    let after = app("A").dsu(isee_declaration("3500.00", date(2026, 4, 1)));
    let r = rank_one(&bando(), after.build());
    assert_eq!(reason_codes(&r), ["dsu_not_valid"]);
    assert_eq!(
        r.reasons[0].message_it(),
        "DSU del 01/04/2026 non valida alla chiusura del bando (31/03/2026): per l'ISEE \
         ordinario serve una DSU presentata entro la chiusura e nello stesso anno (2026)"
    );
}

#[test]
fn dsu_of_the_previous_year_is_not_valid() {
    let first_day = app("A").dsu(isee_declaration("3500.00", date(2026, 1, 1)));
    assert_eq!(
        rank_one(&bando(), first_day.build()).outcome,
        Outcome::Ammesso
    );

    let last_year = app("A").dsu(isee_declaration("3500.00", date(2025, 12, 31)));
    let r = rank_one(&bando(), last_year.build());
    assert_eq!(reason_codes(&r), ["dsu_not_valid"]);
    assert_eq!(
        r.reasons[0],
        Reason::DsuNotValid {
            kind: IseeKind::Ordinario,
            dsu_date: date(2025, 12, 31),
            closes: date(2026, 3, 31)
        }
    );
}

#[test]
fn isee_corrente_of_the_previous_year_is_valid_while_unexpired() {
    // Filed in December, an ISEE corrente lasts six months: in force on 31 March.
    let r = rank_one(&bando(), app("A").corrente(date(2025, 12, 15)).build());
    assert_eq!(r.outcome, Outcome::Ammesso);
}

#[test]
fn isee_corrente_counts_the_day_six_months_after_the_dsu() {
    let closing = |y, m, d| Bando {
        closes: date(y, m, d),
        ..bando()
    };
    let october_first = || app("A").corrente(date(2025, 10, 1));
    // Valid up to 1 April 2026 included.
    let on_expiry = rank_one(&closing(2026, 4, 1), october_first().build());
    assert_eq!(on_expiry.outcome, Outcome::Ammesso);
    let r = rank_one(&closing(2026, 4, 2), october_first().build());
    assert_eq!(reason_codes(&r), ["isee_corrente_expired"]);
    assert_eq!(
        r.reasons[0],
        Reason::IseeCorrenteExpired {
            dsu_date: date(2025, 10, 1),
            expiry: date(2026, 4, 1),
            closes: date(2026, 4, 2)
        }
    );
    assert_eq!(
        r.reasons[0].message_it(),
        "ISEE corrente della DSU del 01/10/2025, valido sei mesi fino al 01/04/2026: scaduto \
         alla chiusura del bando (02/04/2026)"
    );
    // The day before and the day after, for a bando closing on 1 April.
    let r = rank_one(
        &closing(2026, 4, 1),
        app("A").corrente(date(2025, 9, 30)).build(),
    );
    assert_eq!(reason_codes(&r), ["isee_corrente_expired"]);
    let r = rank_one(
        &closing(2026, 4, 1),
        app("A").corrente(date(2025, 10, 2)).build(),
    );
    assert_eq!(r.outcome, Outcome::Ammesso);
}

#[test]
fn isee_corrente_from_31_august_lasts_to_the_end_of_february() {
    let closing = |m, d| Bando {
        closes: date(2026, m, d),
        ..bando()
    };
    let august = || app("A").corrente(date(2025, 8, 31));
    assert_eq!(
        rank_one(&closing(2, 28), august().build()).outcome,
        Outcome::Ammesso
    );
    let r = rank_one(&closing(3, 1), august().build());
    assert_eq!(reason_codes(&r), ["isee_corrente_expired"]);
    assert!(r.reasons[0].message_it().contains("fino al 28/02/2026"));
}

#[test]
fn isee_corrente_filed_after_the_closing_date_is_not_valid() {
    let on_closing = rank_one(&bando(), app("A").corrente(date(2026, 3, 31)).build());
    assert_eq!(on_closing.outcome, Outcome::Ammesso);
    let r = rank_one(&bando(), app("A").corrente(date(2026, 4, 1)).build());
    assert_eq!(reason_codes(&r), ["dsu_not_valid"]);
    assert_eq!(
        r.reasons[0].message_it(),
        "DSU del 01/04/2026 non valida alla chiusura del bando (31/03/2026): per l'ISEE \
         corrente serve una DSU presentata entro la chiusura e non più di sei mesi prima"
    );
}

// ---------------------------------------------------------------- filing window

#[test]
fn filed_from_the_start_of_the_opening_day() {
    // Opens 10 January 2026 (winter: Italy is UTC+1).
    let cases = [
        ("2026-01-09T23:59:59+01:00", false),
        ("2026-01-10T00:00:00+01:00", true),
        // Midnight in Italy, written in UTC.
        ("2026-01-09T23:00:00+00:00", true),
        ("2026-01-09T22:59:59+00:00", false),
        ("2026-01-11T09:00:00+01:00", true),
    ];
    for (filed, inside) in cases {
        let r = rank_one(&bando(), app("A").filed(written(filed)).build());
        let expected: &[&str] = if inside {
            &[]
        } else {
            &["filed_outside_window"]
        };
        assert_eq!(reason_codes(&r), expected, "{filed}");
    }
    let r = rank_one(
        &bando(),
        app("A").filed(written("2026-01-09T12:00:00+01:00")).build(),
    );
    assert_eq!(r.outcome, Outcome::Escluso);
    assert_eq!(
        r.reasons,
        [Reason::FiledOutsideWindow {
            filed_on: date(2026, 1, 9),
            opens: date(2026, 1, 10),
            closes: date(2026, 3, 31)
        }]
    );
    assert_eq!(
        r.reasons[0].message_it(),
        "domanda presentata il 09/01/2026, fuori dal periodo del bando (dal 10/01/2026 al \
         31/03/2026)"
    );
}

#[test]
fn filed_to_the_end_of_the_closing_day_in_summer_time() {
    // Closes 31 March 2026: summer time since 29 March, Italy is UTC+2.
    let cases = [
        ("2026-03-30T12:00:00+02:00", true),
        ("2026-03-31T23:59:59+02:00", true),
        ("2026-04-01T00:00:00+02:00", false),
        ("2026-03-31T21:59:59+00:00", true),
        ("2026-03-31T22:00:00+00:00", false),
        // Written with the winter offset, 23:30 is already 00:30 of 1 April in Italy.
        ("2026-03-31T23:30:00+01:00", false),
    ];
    for (filed, inside) in cases {
        let r = rank_one(&bando(), app("A").filed(written(filed)).build());
        assert_eq!(r.outcome == Outcome::Ammesso, inside, "{filed}");
        if !inside {
            assert_eq!(reason_codes(&r), ["filed_outside_window"], "{filed}");
            assert!(r.reasons[0].message_it().contains("il 01/04/2026"));
        }
    }
}

#[test]
fn filed_to_the_end_of_the_closing_day_in_winter_time() {
    let february = Bando {
        closes: date(2026, 2, 28),
        ..bando()
    };
    let cases = [
        ("2026-02-27T10:00:00+01:00", true),
        ("2026-02-28T23:59:59+01:00", true),
        ("2026-03-01T00:00:00+01:00", false),
        ("2026-02-28T22:59:59+00:00", true),
        // 23:30 UTC on the closing day is 00:30 of 1 March in Italy.
        ("2026-02-28T23:30:00+00:00", false),
    ];
    for (filed, inside) in cases {
        let r = rank_one(&february, app("A").filed(written(filed)).build());
        assert_eq!(r.outcome == Outcome::Ammesso, inside, "{filed}");
        if !inside {
            assert_eq!(
                r.reasons,
                [Reason::FiledOutsideWindow {
                    filed_on: date(2026, 3, 1),
                    opens: date(2026, 1, 10),
                    closes: date(2026, 2, 28)
                }],
                "{filed}"
            );
        }
    }
}

// ---------------------------------------------------------------- age

#[test]
fn age_is_reckoned_in_whole_years_on_the_closing_date() {
    let closes = date(2026, 3, 31);
    assert_eq!(age_on(date(1960, 3, 31), closes), 66);
    assert_eq!(age_on(date(1960, 4, 1), closes), 65);
    assert_eq!(age_on(date(2008, 3, 31), closes), 18);
    assert_eq!(age_on(date(2008, 4, 1), closes), 17);
    assert_eq!(age_on(date(2027, 1, 1), closes), 0);
    // Born on 29 February: a year older on 28 February of a common year (the term ends on
    // the month's last day), on the 29th in a leap year.
    assert_eq!(age_on(date(2008, 2, 29), date(2026, 2, 27)), 17);
    assert_eq!(age_on(date(2008, 2, 29), date(2026, 2, 28)), 18);
    assert_eq!(age_on(date(2008, 2, 29), date(2026, 3, 1)), 18);
    assert_eq!(age_on(date(2008, 2, 29), date(2028, 2, 28)), 19);
    assert_eq!(age_on(date(2008, 2, 29), date(2028, 2, 29)), 20);
}

#[test]
fn born_on_29_february_age_limits_on_28_february() {
    let closing = |d| Bando {
        closes: date(2026, 2, d),
        ..bando()
    };
    let leapling = |y| app("A").born(date(y, 2, 29));
    // Minimum age: 18 on 28 February 2026, 17 the day before.
    assert_eq!(
        rank_one(&closing(28), leapling(2008).build()).outcome,
        Outcome::Ammesso
    );
    let r = rank_one(&closing(27), leapling(2008).build());
    assert_eq!(reason_codes(&r), ["underage"]);
    // Maximum age: 66 on 28 February 2026, still 65 the day before.
    let r = rank_one(&closing(28), leapling(1960).build());
    assert_eq!(reason_codes(&r), ["over_age"]);
    assert_eq!(
        rank_one(&closing(27), leapling(1960).build()).outcome,
        Outcome::Ammesso
    );
    // Older applicant: 50 on 28 February 2026.
    let r = rank_one(&closing(28), leapling(1976).build());
    assert_eq!(r.breakdown.older_applicant, 2);
    let r = rank_one(&closing(27), leapling(1976).build());
    assert_eq!(r.breakdown.older_applicant, 0);
}

#[test]
fn sixty_five_is_eligible_sixty_six_is_not() {
    let turns_66_on_closing = rank_one(&bando(), app("A").born(date(1960, 3, 31)).build());
    assert_eq!(reason_codes(&turns_66_on_closing), ["over_age"]);
    assert_eq!(
        turns_66_on_closing.reasons[0].message_it(),
        "età di 66 anni alla chiusura del bando, superiore al massimo di 65 anni"
    );
    let still_65 = rank_one(&bando(), app("A").born(date(1960, 4, 1)).build());
    assert_eq!(still_65.outcome, Outcome::Ammesso);
}

#[test]
fn eighteen_on_the_closing_date_is_eligible_seventeen_is_not() {
    let birthday_on_closing = rank_one(&bando(), app("A").born(date(2008, 3, 31)).build());
    assert_eq!(birthday_on_closing.outcome, Outcome::Ammesso);
    let a_day_short = rank_one(&bando(), app("A").born(date(2008, 4, 1)).build());
    assert_eq!(reason_codes(&a_day_short), ["underage"]);
    assert_eq!(
        a_day_short.reasons[0].message_it(),
        "età di 17 anni alla chiusura del bando, inferiore al minimo di 18 anni"
    );
}

#[test]
fn older_applicant_points_from_fifty_on_the_closing_date() {
    let fifty = rank_one(&bando(), app("A").born(date(1976, 3, 31)).build());
    assert_eq!(fifty.breakdown.older_applicant, 2);
    let forty_nine = rank_one(&bando(), app("A").born(date(1976, 4, 1)).build());
    assert_eq!(forty_nine.breakdown.older_applicant, 0);
}

// ---------------------------------------------------------------- other requirements

#[test]
fn every_failing_requirement_is_reported() {
    let r = rank_one(
        &bando(),
        app("A")
            .filed(at(2026, 4, 1, 9, 0))
            .born(date(1950, 1, 1))
            .not_resident()
            .employed()
            .income_support()
            .dsu(isee_declaration("9000.00", date(2025, 6, 1)))
            .build(),
    );
    assert_eq!(
        reason_codes(&r),
        [
            "filed_outside_window",
            "over_age",
            "not_resident",
            "not_unemployed",
            "other_income_support",
            "isee_over_ceiling",
            "dsu_not_valid"
        ]
    );
}

#[test]
fn each_requirement_alone_excludes() {
    let cases: [(Builder, &str, &str); 3] = [
        (
            app("A").not_resident(),
            "not_resident",
            "non residente in un comune del distretto",
        ),
        (
            app("A").employed(),
            "not_unemployed",
            "non in stato di disoccupazione",
        ),
        (
            app("A").income_support(),
            "other_income_support",
            "già beneficiario di altra misura di sostegno al reddito",
        ),
    ];
    for (builder, code, message) in cases {
        let r = rank_one(&bando(), builder.build());
        assert_eq!(r.outcome, Outcome::Escluso);
        assert_eq!(reason_codes(&r), [code]);
        assert_eq!(r.reasons[0].message_it(), message);
    }
}

// ---------------------------------------------------------------- unemployment

#[test]
fn whole_months_on_the_day_boundary() {
    let closes = date(2026, 3, 31);
    assert_eq!(whole_months(date(2026, 3, 31), closes), Some(0));
    assert_eq!(whole_months(date(2026, 4, 1), closes), None);
    assert_eq!(whole_months(date(2025, 9, 30), closes), Some(6));
    assert_eq!(whole_months(date(2025, 10, 1), closes), Some(5));
    assert_eq!(whole_months(date(2025, 3, 31), closes), Some(12));
    assert_eq!(whole_months(date(2025, 4, 1), closes), Some(11));
    assert_eq!(whole_months(date(2024, 3, 31), closes), Some(24));
    assert_eq!(whole_months(date(2024, 4, 1), closes), Some(23));
    assert_eq!(whole_months(date(2025, 8, 31), closes), Some(7));
}

#[test]
fn whole_months_at_month_ends_clamp() {
    // 31 August + 6 months is 28 February (clamped): six whole months by then.
    let feb_end = date(2026, 2, 28);
    assert_eq!(whole_months(date(2025, 8, 31), feb_end), Some(6));
    assert_eq!(whole_months(date(2025, 8, 28), feb_end), Some(6));
    assert_eq!(whole_months(date(2025, 9, 1), feb_end), Some(5));
    assert_eq!(whole_months(date(2026, 1, 31), feb_end), Some(1));
    assert_eq!(whole_months(date(2026, 1, 31), date(2026, 2, 27)), Some(0));
    assert_eq!(whole_months(date(2024, 1, 31), date(2024, 2, 29)), Some(1));
    assert_eq!(whole_months(date(2024, 1, 31), date(2024, 2, 28)), Some(0));
}

#[test]
fn unemployment_points_at_each_band_start() {
    let cases = [
        (date(2025, 10, 1), 0),
        (date(2025, 9, 30), 2),
        (date(2025, 4, 1), 2),
        (date(2025, 3, 31), 4),
        (date(2024, 4, 1), 4),
        (date(2024, 3, 31), 6),
        (date(2001, 1, 1), 6),
    ];
    for (since, points) in cases {
        let r = rank_one(&bando(), app("A").unemployed_since(since).build());
        assert_eq!(r.breakdown.unemployment, points, "since {since}");
    }
    let no_date = rank_one(&bando(), app("A").build());
    assert_eq!(no_date.breakdown.unemployment, 0);
}

#[test]
fn month_end_bando_counts_clamped_months() {
    let mut february = bando();
    february.closes = date(2026, 2, 28);
    let r = rank_one(
        &february,
        app("A").unemployed_since(date(2025, 8, 31)).build(),
    );
    assert_eq!(r.breakdown.unemployment, 2);
    let r = rank_one(
        &february,
        app("A").unemployed_since(date(2025, 9, 1)).build(),
    );
    assert_eq!(r.breakdown.unemployment, 0);
}

// ---------------------------------------------------------------- household points

#[test]
fn household_factors() {
    let r = rank_one(
        &bando(),
        app("A")
            .member("M1", true, false)
            .member("M2", true, true)
            .member("M3", false, false)
            .single_parent()
            .applicant_disabled()
            .housing(Housing::Eviction)
            .previous_participation()
            .build(),
    );
    assert_eq!(
        r.breakdown,
        Breakdown {
            isee: 28,
            household_size: 8,
            dependent_minors: 4,
            disability: 10,
            single_parent: 6,
            unemployment: 0,
            housing: 6,
            older_applicant: 0,
            previous_participation: -5,
        }
    );
    assert_eq!(r.score, 28 + 8 + 4 + 10 + 6 + 6 - 5);
}

#[test]
fn caps_on_minors_and_disability() {
    let mut builder = app("A");
    for i in 0..5 {
        builder = builder.member(&format!("M{i}"), true, true);
    }
    let r = rank_one(&bando(), builder.applicant_disabled().build());
    assert_eq!(r.breakdown.household_size, 10);
    assert_eq!(r.breakdown.dependent_minors, 8);
    assert_eq!(r.breakdown.disability, 10);
}

#[test]
fn single_parent_needs_a_dependent_minor() {
    let without = rank_one(
        &bando(),
        app("A").single_parent().member("M1", false, false).build(),
    );
    assert_eq!(without.breakdown.single_parent, 0);
    let with = rank_one(
        &bando(),
        app("A").single_parent().member("M1", true, false).build(),
    );
    assert_eq!(with.breakdown.single_parent, 6);
}

#[test]
fn a_declared_dependent_minor_counts_only_while_under_18_on_the_closing_date() {
    // Closes 31 March 2026.
    let eighteen_on_closing = rank_one(
        &bando(),
        app("A")
            .single_parent()
            .member_born("M1", date(2008, 3, 31), true)
            .build(),
    );
    assert_eq!(eighteen_on_closing.outcome, Outcome::Ammesso);
    assert_eq!(
        eighteen_on_closing.breakdown,
        Breakdown {
            isee: 28,
            household_size: 4,
            ..Breakdown::default()
        }
    );
    let eighteen_the_day_after = rank_one(
        &bando(),
        app("A")
            .single_parent()
            .member_born("M1", date(2008, 4, 1), true)
            .build(),
    );
    assert_eq!(eighteen_the_day_after.breakdown.dependent_minors, 2);
    assert_eq!(eighteen_the_day_after.breakdown.single_parent, 6);
    // A minor not declared dependent scores nothing for it.
    let not_declared = rank_one(
        &bando(),
        app("A")
            .single_parent()
            .member_born("M1", date(2015, 1, 1), false)
            .build(),
    );
    assert_eq!(not_declared.breakdown.dependent_minors, 0);
    assert_eq!(not_declared.breakdown.single_parent, 0);
}

#[test]
fn the_dependent_minor_age_is_the_bando_s() {
    let mut sixteen = bando();
    sixteen.rules.dependent_minor_age = 16;
    let turns_16_on_closing = app("A").member_born("M1", date(2010, 3, 31), true);
    assert_eq!(
        rank_one(&sixteen, turns_16_on_closing.build())
            .breakdown
            .dependent_minors,
        0
    );
    let turns_16_after = app("A").member_born("M1", date(2010, 4, 1), true);
    assert_eq!(
        rank_one(&sixteen, turns_16_after.build())
            .breakdown
            .dependent_minors,
        2
    );
}

#[test]
fn housing_points() {
    let rent = rank_one(&bando(), app("A").housing(Housing::Rent).build());
    assert_eq!(rent.breakdown.housing, 4);
    let eviction = rank_one(&bando(), app("A").housing(Housing::Eviction).build());
    assert_eq!(eviction.breakdown.housing, 6);
}

// ---------------------------------------------------------------- one per household

#[test]
fn same_household_across_comuni_through_a_member_earliest_filed_stands() {
    // A and B live in different comuni but declare the same member; B has more points, but
    // A was filed first.
    let a = app("A")
        .comune(FONTEBIANCA)
        .member("SHARED", false, false)
        .filed(at(2026, 2, 1, 9, 0))
        .build();
    let b = app("B")
        .comune(ROCCAVERDE)
        .isee("0.00")
        .member("SHARED", true, false)
        .filed(at(2026, 2, 1, 9, 30))
        .build();
    let ranked = rank(&bando(), &[b, a]);
    assert_eq!(codes(&ranked), ["A", "B"]);
    assert_eq!(find(&ranked, "A").outcome, Outcome::Ammesso);
    let b = find(&ranked, "B");
    assert_eq!(b.outcome, Outcome::Escluso);
    assert_eq!(
        b.reasons,
        [Reason::SameHousehold {
            standing: "A".into()
        }]
    );
    assert_eq!(
        b.reasons[0].message_it(),
        "altra domanda nel nucleo familiare (domanda A)"
    );
    assert_eq!(b.reason_codes(), ["same_household"]);
}

#[test]
fn an_applicant_declared_as_member_elsewhere_shares_the_household() {
    let a = app("A")
        .applicant_cf("CFPARENT")
        .filed(at(2026, 2, 2, 9, 0))
        .build();
    let b = app("B")
        .member("CFPARENT", false, false)
        .filed(at(2026, 2, 1, 9, 0))
        .build();
    let ranked = rank(&bando(), &[a, b]);
    assert_eq!(find(&ranked, "B").outcome, Outcome::Ammesso);
    assert_eq!(
        find(&ranked, "A").reasons,
        [Reason::SameHousehold {
            standing: "B".into()
        }]
    );
}

#[test]
fn same_filing_time_the_lower_code_stands() {
    let a = app("A").member("SHARED", false, false).build();
    let b = app("B").member("SHARED", false, false).build();
    let ranked = rank(&bando(), &[b, a]);
    assert_eq!(find(&ranked, "A").outcome, Outcome::Ammesso);
    assert_eq!(find(&ranked, "B").reason_codes(), ["same_household"]);
}

#[test]
fn an_application_excluded_for_another_reason_blocks_no_one() {
    let a = app("A")
        .not_resident()
        .member("SHARED", false, false)
        .filed(at(2026, 2, 1, 9, 0))
        .build();
    let b = app("B")
        .member("SHARED", false, false)
        .filed(at(2026, 2, 1, 9, 30))
        .build();
    let ranked = rank(&bando(), &[a, b]);
    assert_eq!(find(&ranked, "B").outcome, Outcome::Ammesso);
    assert_eq!(find(&ranked, "A").reason_codes(), ["not_resident"]);
}

/// A–B–C: A and B share "AB", B and C share "BC", A and C share no one.
fn chain(filed: [(u32, u32); 3]) -> [Application; 3] {
    let [a, b, c] = filed.map(|(h, m)| at(2026, 2, 1, h, m));
    [
        app("A").member("AB", false, false).filed(a).build(),
        app("B")
            .member("AB", false, false)
            .member("BC", false, false)
            .filed(b)
            .build(),
        app("C").member("BC", false, false).filed(c).build(),
    ]
}

#[test]
fn the_rule_is_pairwise_in_a_chain_a_and_c_stand() {
    let [a, b, c] = chain([(9, 0), (9, 1), (9, 2)]);
    let ranked = rank(&bando(), &[c, b, a]);
    assert_eq!(find(&ranked, "A").outcome, Outcome::Ammesso);
    assert_eq!(find(&ranked, "C").outcome, Outcome::Ammesso);
    assert_eq!(
        find(&ranked, "B").reasons,
        [Reason::SameHousehold {
            standing: "A".into()
        }]
    );
}

#[test]
fn in_a_chain_whose_middle_is_filed_first_only_the_middle_stands() {
    let [a, b, c] = chain([(9, 1), (9, 0), (9, 2)]);
    let ranked = rank(&bando(), &[a, b, c]);
    assert_eq!(find(&ranked, "B").outcome, Outcome::Ammesso);
    for excluded in ["A", "C"] {
        assert_eq!(
            find(&ranked, excluded).reasons,
            [Reason::SameHousehold {
                standing: "B".into()
            }],
            "{excluded}"
        );
    }
}

#[test]
fn in_a_chain_a_middle_excluded_for_another_reason_blocks_no_one() {
    let [a, b, c] = chain([(9, 1), (9, 0), (9, 2)]);
    let b = Builder(b).not_resident().build();
    let ranked = rank(&bando(), &[a, b, c]);
    assert_eq!(find(&ranked, "A").outcome, Outcome::Ammesso);
    assert_eq!(find(&ranked, "C").outcome, Outcome::Ammesso);
    // Excluded only for its own reason, not as a second application.
    assert_eq!(find(&ranked, "B").reason_codes(), ["not_resident"]);
}

#[test]
fn an_application_filed_outside_the_window_blocks_no_one() {
    let early = app("A")
        .member("SHARED", false, false)
        .filed(at(2026, 1, 9, 9, 0))
        .build();
    let later = app("B")
        .member("SHARED", false, false)
        .filed(at(2026, 2, 1, 9, 0))
        .build();
    let ranked = rank(&bando(), &[early, later]);
    assert_eq!(find(&ranked, "A").reason_codes(), ["filed_outside_window"]);
    assert_eq!(find(&ranked, "B").outcome, Outcome::Ammesso);
}

#[test]
fn a_blank_codice_fiscale_joins_no_households() {
    let a = app("A").member("", true, false).build();
    let b = app("B")
        .member(" ", true, false)
        .member("", true, false)
        .build();
    let ranked = rank(&bando(), &[a, b]);
    assert!(ranked.iter().all(|r| r.outcome == Outcome::Ammesso));
}

#[test]
fn filing_order_compares_instants_not_local_times() {
    // 10:00 at +02:00 is 09:00 at +01:00, earlier than B's 09:30 at +01:00.
    let a_instant = FixedOffset::east_opt(7200)
        .unwrap()
        .with_ymd_and_hms(2026, 2, 1, 10, 0, 0)
        .unwrap();
    let a = app("Z")
        .member("SHARED", false, false)
        .filed(a_instant)
        .build();
    let b = app("B")
        .member("SHARED", false, false)
        .filed(at(2026, 2, 1, 9, 30))
        .build();
    let ranked = rank(&bando(), &[b, a]);
    assert_ne!(find(&ranked, "Z").outcome, Outcome::Escluso);
    assert_eq!(find(&ranked, "B").reason_codes(), ["same_household"]);
}

#[test]
fn earliest_by_instant_whatever_the_offset_written() {
    // 10:30 at +02:00 is 08:30 UTC, before 09:45 at +01:00 (08:45 UTC), though it reads later.
    let summer_written = app("Y")
        .member("SHARED", false, false)
        .filed(written("2026-02-01T10:30:00+02:00"))
        .build();
    let winter_written = app("X")
        .member("SHARED", false, false)
        .filed(written("2026-02-01T09:45:00+01:00"))
        .build();
    for apps in [
        [summer_written.clone(), winter_written.clone()],
        [winter_written.clone(), summer_written.clone()],
    ] {
        let ranked = rank(&bando(), &apps);
        assert_eq!(find(&ranked, "Y").outcome, Outcome::Ammesso);
        assert_eq!(
            find(&ranked, "X").reasons,
            [Reason::SameHousehold {
                standing: "Y".into()
            }]
        );
    }
}

// ---------------------------------------------------------------- order

#[test]
fn higher_score_first() {
    let low = app("A").isee("5000.00").build();
    let high = app("B").isee("500.00").build();
    assert_eq!(codes(&rank(&bando(), &[low, high])), ["B", "A"]);
}

#[test]
fn tie_break_lower_isee() {
    // Both in the (3000, 4000] band: 30 points each.
    let higher = app("A").isee("3900.00").born(date(1979, 1, 1)).build();
    let lower = app("B").isee("3100.00").build();
    let ranked = rank(&bando(), &[higher, lower]);
    assert_eq!(ranked[0].score, ranked[1].score);
    assert_eq!(codes(&ranked), ["B", "A"]);
}

#[test]
fn tie_break_more_dependent_minors() {
    // Same ISEE; A: household of 2 with a minor (4 + 2), B: household of 2 and 6 months
    // unemployed (4 + 2). A is younger and filed later, so only the minors decide.
    let with_minor = app("B")
        .member("M1", true, false)
        .born(date(1990, 1, 1))
        .filed(at(2026, 2, 2, 10, 0))
        .build();
    let without = app("A")
        .member("M2", false, false)
        .unemployed_since(date(2025, 9, 30))
        .build();
    let ranked = rank(&bando(), &[without, with_minor]);
    assert_eq!(ranked[0].score, ranked[1].score);
    assert_eq!(codes(&ranked), ["B", "A"]);
}

#[test]
fn tie_break_counts_only_dependent_minors_under_18() {
    // Equal scores (household of 2: 4 points, plus 2): B for a dependent minor, A for six
    // months of unemployment. A also declares an 18-year-old dependent, who counts for
    // nothing: B has more dependent minors though A is older.
    let adult_declared_minor = app("A")
        .member_born("M1", date(2008, 3, 31), true)
        .unemployed_since(date(2025, 9, 30))
        .born(date(1980, 1, 1))
        .build();
    let with_minor = app("B")
        .member_born("M2", date(2008, 4, 1), true)
        .born(date(1990, 1, 1))
        .build();
    let ranked = rank(&bando(), &[adult_declared_minor, with_minor]);
    assert_eq!(ranked[0].score, ranked[1].score);
    assert_eq!(codes(&ranked), ["B", "A"]);
}

#[test]
fn tie_break_older_applicant() {
    let younger = app("A").born(date(1985, 6, 1)).build();
    let older = app("B")
        .born(date(1985, 5, 31))
        .filed(at(2026, 2, 2, 10, 0))
        .build();
    let ranked = rank(&bando(), &[younger, older]);
    assert_eq!(ranked[0].score, ranked[1].score);
    assert_eq!(codes(&ranked), ["B", "A"]);
}

#[test]
fn tie_break_earlier_filing() {
    let later = app("A").filed(at(2026, 2, 1, 10, 1)).build();
    let earlier = app("B").filed(at(2026, 2, 1, 10, 0)).build();
    assert_eq!(codes(&rank(&bando(), &[later, earlier])), ["B", "A"]);
}

#[test]
fn tie_break_application_code() {
    let b = app("K7Q2").build();
    let a = app("K7Q1").build();
    assert_eq!(codes(&rank(&bando(), &[b, a])), ["K7Q1", "K7Q2"]);
}

#[test]
fn order_stays_total_with_rules_that_forgot_the_code() {
    let mut bando = bando();
    bando.rules.tie_break = vec![TieBreak::LowerIsee];
    let b = app("B").build();
    let a = app("A").build();
    assert_eq!(codes(&rank(&bando, &[b.clone(), a.clone()])), ["A", "B"]);
    assert_eq!(codes(&rank(&bando, &[a, b])), ["A", "B"]);
}

#[test]
fn tie_break_follows_the_bando_order() {
    // With filing first, ISEE no longer decides between equal scores.
    let mut bando = bando();
    bando.rules.tie_break = vec![TieBreak::EarlierFiling, TieBreak::ApplicationCode];
    let lower_isee_later = app("A")
        .isee("3100.00")
        .filed(at(2026, 2, 1, 11, 0))
        .build();
    let higher_isee_earlier = app("B").isee("3900.00").build();
    let by_default = rank(
        &self::bando(),
        &[lower_isee_later.clone(), higher_isee_earlier.clone()],
    );
    assert_eq!(codes(&by_default), ["A", "B"]);
    assert_eq!(
        codes(&rank(&bando, &[lower_isee_later, higher_isee_earlier])),
        ["B", "A"]
    );
}

// ---------------------------------------------------------------- places

#[test]
fn places_per_comune_walking_from_the_top() {
    let ranked = rank(
        &bando(),
        &[
            app("F1").comune(FONTEBIANCA).isee("100.00").build(),
            app("R1").comune(ROCCAVERDE).isee("1500.00").build(),
            app("F2").comune(FONTEBIANCA).isee("2500.00").build(),
            app("R2").comune(ROCCAVERDE).isee("3500.00").build(),
            app("F3").comune(FONTEBIANCA).isee("4500.00").build(),
            app("M1").comune(MARINA_SERENA).isee("0.00").build(),
            app("X2").employed().build(),
            app("X1").not_resident().build(),
        ],
    );
    let table: Vec<(Option<u32>, &str, Outcome)> = ranked
        .iter()
        .map(|r| (r.position, r.application_code.as_str(), r.outcome))
        .collect();
    use Outcome::*;
    assert_eq!(
        table,
        [
            (Some(1), "M1", IdoneoNonAmmesso),
            (Some(2), "F1", Ammesso),
            (Some(3), "R1", Ammesso),
            (Some(4), "F2", Ammesso),
            (Some(5), "R2", IdoneoNonAmmesso),
            (Some(6), "F3", IdoneoNonAmmesso),
            (None, "X1", Escluso),
            (None, "X2", Escluso),
        ]
    );
}

// ---------------------------------------------------------------- shapes

#[test]
fn serialises_to_the_documented_json() {
    let r = rank_one(
        &bando(),
        app("K7Q2-M4ZP").unemployed_since(date(2024, 1, 1)).build(),
    );
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(
        json,
        r#"{"position":1,"application_code":"K7Q2-M4ZP","comune":"999001","score":36,"outcome":"AMMESSO","breakdown":{"isee":28,"household_size":2,"dependent_minors":0,"disability":0,"single_parent":0,"unemployment":6,"housing":0,"older_applicant":0,"previous_participation":0},"reasons":[],"reason_codes":[]}"#
    );
    let excluded = rank_one(&bando(), app("X").isee("8000.01").employed().build());
    let value = serde_json::to_value(&excluded).unwrap();
    assert_eq!(value["position"], serde_json::Value::Null);
    assert_eq!(value["outcome"], "ESCLUSO");
    assert_eq!(
        value["reasons"],
        serde_json::json!([
            "non in stato di disoccupazione",
            "ISEE di € 8.000,01 superiore alla soglia di € 8.000,00"
        ])
    );
    assert_eq!(
        value["reason_codes"],
        serde_json::json!(["not_unemployed", "isee_over_ceiling"])
    );
}

#[test]
fn outcome_names_and_labels() {
    use Outcome::*;
    for (outcome, json, label) in [
        (Ammesso, "\"AMMESSO\"", "Ammesso"),
        (
            IdoneoNonAmmesso,
            "\"IDONEO_NON_AMMESSO\"",
            "Idoneo non ammesso",
        ),
        (Escluso, "\"ESCLUSO\"", "Escluso"),
    ] {
        assert_eq!(serde_json::to_string(&outcome).unwrap(), json);
        assert_eq!(serde_json::from_str::<Outcome>(json).unwrap(), outcome);
        assert_eq!(outcome.label_it(), label);
    }
}

#[test]
fn breakdown_round_trips_through_json() {
    let breakdown = Breakdown {
        isee: 45,
        previous_participation: -5,
        ..Breakdown::default()
    };
    let json = serde_json::to_string(&breakdown).unwrap();
    assert_eq!(serde_json::from_str::<Breakdown>(&json).unwrap(), breakdown);
    assert_eq!(breakdown.score(), 40);
}

#[test]
fn no_applications_no_ranking() {
    assert!(rank(&bando(), &[]).is_empty());
}

/// docs/regulation.md shows every reason with its code and Italian text: each example there
/// must be what the code writes.
#[test]
fn the_regulation_doc_lists_every_reason() {
    let doc = include_str!("../../../../docs/regulation.md");
    let examples = [
        Reason::FiledOutsideWindow {
            filed_on: date(2026, 4, 1),
            opens: date(2026, 1, 10),
            closes: date(2026, 3, 31),
        },
        Reason::Underage {
            age: 17,
            min_age: 18,
        },
        Reason::OverAge {
            age: 66,
            max_age: 65,
        },
        Reason::NotResident,
        Reason::NotUnemployed,
        Reason::OtherIncomeSupport,
        Reason::IseeMissing,
        Reason::IseeOverCeiling {
            isee: dec("8000.01"),
            ceiling: dec("8000.00"),
        },
        Reason::DsuNotValid {
            kind: IseeKind::Ordinario,
            dsu_date: date(2025, 12, 31),
            closes: date(2026, 3, 31),
        },
        Reason::DsuNotValid {
            kind: IseeKind::Corrente,
            dsu_date: date(2026, 4, 1),
            closes: date(2026, 3, 31),
        },
        Reason::IseeCorrenteExpired {
            dsu_date: date(2025, 9, 30),
            expiry: date(2026, 3, 30),
            closes: date(2026, 3, 31),
        },
        Reason::SameHousehold {
            standing: "K7Q2-M4ZP".into(),
        },
    ];
    for reason in &examples {
        // No wildcard: a new reason does not compile until it is listed here (and documented).
        match reason {
            Reason::FiledOutsideWindow { .. }
            | Reason::Underage { .. }
            | Reason::OverAge { .. }
            | Reason::NotResident
            | Reason::NotUnemployed
            | Reason::OtherIncomeSupport
            | Reason::IseeMissing
            | Reason::IseeOverCeiling { .. }
            | Reason::DsuNotValid { .. }
            | Reason::IseeCorrenteExpired { .. }
            | Reason::SameHousehold { .. } => {}
        }
        let row = format!("| `{}` | {} |", reason.code(), reason.message_it());
        assert!(doc.contains(&row), "docs/regulation.md lacks {row}");
    }
}
