//! The demo applications in `fixtures/` are generated here, deterministically, so every rule
//! path of the regulation is covered on purpose and the files can be remade after a change.
//! This test fails when the committed files differ from what the generator makes;
//! `UPDATE_FIXTURES=1 cargo test -p sportello-tests --test fixtures` rewrites them.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde_json::{Value, json};
use sportello_domain::Sex;
use sportello_domain::codice_fiscale::encode;
use sportello_tests::fixture;

const SURNAMES: &[&str] = &[
    "Amato",
    "Barone",
    "Catania",
    "Distefano",
    "Emmanuele",
    "Failla",
    "Garofalo",
    "Iacono",
    "Licata",
    "Miceli",
    "Nicotra",
    "Orlando",
    "Parisi",
    "Quartarone",
    "Rametta",
    "Scrofani",
    "Tringali",
    "Urso",
    "Vinci",
    "Zappulla",
    "Bellomo",
    "Cannata",
    "Di Pietro",
    "Fazzino",
    "Giuliano",
    "Lo Presti",
    "Midolo",
    "Pappalardo",
    "Randazzo",
    "Spadaro",
    "Tumino",
    "Valenti",
];
const MALE: &[&str] = &[
    "Sebastiano",
    "Corrado",
    "Salvatore",
    "Giuseppe",
    "Paolo",
    "Antonino",
    "Luciano",
    "Marco",
    "Vincenzo",
    "Emanuele",
    "Gaetano",
    "Rosario",
];
const FEMALE: &[&str] = &[
    "Concetta", "Lucia", "Agata", "Maria", "Giovanna", "Rosaria", "Sara", "Chiara", "Marta",
    "Veronica", "Nunzia", "Carmela",
];
/// Belfiore codes of the district's comuni: people are born all over the district.
const PLACES: &[&str] = &[
    "I754", "D636", "M279", "G267", "I864", "I785", "B603", "D540", "B237", "B287", "C006",
];

/// SplitMix64: a tiny generator whose output never changes across crate versions.
struct Seq(u64);

impl Seq {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

struct Generator {
    seq: Seq,
    used: std::collections::BTreeSet<String>,
}

impl Generator {
    /// A new synthetic person, unique by codice fiscale.
    fn person(&mut self, sex: Sex, born: NaiveDate) -> Value {
        loop {
            let surname = self.seq.pick(SURNAMES);
            let name = match sex {
                Sex::M => self.seq.pick(MALE),
                Sex::F => self.seq.pick(FEMALE),
            };
            let place = self.seq.pick(PLACES);
            let cf = encode(surname, name, born, sex, place);
            if self.used.insert(cf.clone()) {
                return json!({
                    "codice_fiscale": cf, "surname": surname, "name": name,
                    "birth_date": born.to_string(), "sex": format!("{sex:?}"), "birth_place": place,
                });
            }
        }
    }

    fn adult(&mut self, age_hint: u32) -> Value {
        let sex = if self.seq.below(2) == 0 {
            Sex::M
        } else {
            Sex::F
        };
        let born = date(
            2026 - age_hint as i32,
            1 + self.seq.below(12) as u32,
            1 + self.seq.below(28) as u32,
        );
        self.person(sex, born)
    }

    fn child(&mut self, age: u32, relation: &str) -> Value {
        let sex = if self.seq.below(2) == 0 {
            Sex::M
        } else {
            Sex::F
        };
        let born = date(
            2026 - age as i32,
            1 + self.seq.below(12) as u32,
            1 + self.seq.below(28) as u32,
        );
        let mut p = self.person(sex, born);
        p["relation"] = json!(relation);
        p["dependent_minor"] = json!(true);
        p["disabled"] = json!(false);
        p
    }

    fn member(&mut self, relation: &str, disabled: bool) -> Value {
        let age = 25 + self.seq.below(40) as u32;
        let mut p = self.adult(age);
        p["relation"] = json!(relation);
        p["dependent_minor"] = json!(false);
        p["disabled"] = json!(disabled);
        p
    }

    /// A plain eligible application filed on day `n` of the bando; cases tweak it.
    fn application(&mut self, n: usize, isee: &str) -> Value {
        let filed = NaiveDateTime::new(date(2026, 1, 12), chrono::NaiveTime::MIN)
            + Duration::hours(24 * (n as i64 * 7 % 77) + 9)
            + Duration::minutes((n as i64 * 17) % 240);
        let age = 22 + self.seq.below(40) as u32;
        let mut applicant = self.adult(age);
        applicant["address"] = json!(format!("Via delle Prove {}", n + 1));
        applicant["phone"] = json!(format!("0931 {:06}", 100_000 + n * 37));
        let dsu_day = 1 + self.seq.below(28) as u32;
        let since = date(
            2023 + self.seq.below(3) as i32,
            1 + self.seq.below(12) as u32,
            1 + self.seq.below(28) as u32,
        );
        json!({
            "bando": "SC-2026-1",
            "filed_at": format!("{}+01:00", filed.format("%Y-%m-%dT%H:%M:%S")),
            "applicant": applicant,
            "household": [],
            "isee": { "value": isee, "dsu_protocol": format!("INPS-ISEE-2026-{:09}-00", 100_000_000 + n * 7919),
                      "dsu_date": date(2026, 1, dsu_day).to_string() },
            "resident": true, "unemployed": true, "unemployed_since": since.to_string(),
            "other_income_support": false, "single_parent": false, "applicant_disabled": false,
            "housing": "none", "previous_participation": false,
        })
    }
}

fn set_applicant(g: &mut Generator, a: &mut Value, sex: Sex, born: NaiveDate) {
    let mut p = g.person(sex, born);
    p["address"] = a["applicant"]["address"].clone();
    a["applicant"] = p;
}

/// The demo applications: first one per rule path (each commented), then ordinary ones.
fn applications() -> Vec<Value> {
    let mut g = Generator {
        seq: Seq(48),
        used: Default::default(),
    };
    let mut out = Vec::new();
    let mut n = 0;
    let mut next = |g: &mut Generator, isee: &str| {
        n += 1;
        g.application(n, isee)
    };
    // Every ISEE band at its edges, the ceiling and just over it.
    for isee in [
        "0.00", "1000.00", "1000.01", "2000.00", "3000.00", "4000.00", "5000.00", "6000.00",
        "8000.00", "8000.01",
    ] {
        out.push(next(&mut g, isee));
    }
    // No ISEE declared: excluded.
    let mut a = next(&mut g, "1500.00");
    a["isee"] = Value::Null;
    out.push(a);
    // DSU filed the year before the closing date: excluded.
    let mut a = next(&mut g, "1500.00");
    a["isee"]["dsu_date"] = json!("2025-12-10");
    out.push(a);
    // 18 on the closing date (eligible), 17 (excluded), 65 (eligible, 50+ points), 66 (excluded).
    for (born, sex) in [
        (date(2008, 3, 31), Sex::F),
        (date(2008, 4, 1), Sex::M),
        (date(1960, 4, 1), Sex::M),
        (date(1960, 3, 31), Sex::F),
    ] {
        let mut a = next(&mut g, "2500.00");
        set_applicant(&mut g, &mut a, sex, born);
        out.push(a);
    }
    // Not resident, employed, other income support: excluded.
    for flag in ["resident", "unemployed", "other_income_support"] {
        let mut a = next(&mut g, "2500.00");
        a[flag] = json!(flag == "other_income_support");
        out.push(a);
    }
    // Single parent with five dependent minors (minor points capped at 8), eviction.
    let mut a = next(&mut g, "900.00");
    a["household"] = json!(
        (0..5)
            .map(|i| g.child(2 + i * 3, "figlio"))
            .collect::<Vec<_>>()
    );
    a["single_parent"] = json!(true);
    a["housing"] = json!("eviction");
    out.push(a);
    // Disabled applicant and two disabled members (capped at 10), rent.
    let mut a = next(&mut g, "3500.00");
    a["applicant_disabled"] = json!(true);
    a["household"] = json!([g.member("coniuge", true), g.member("fratello", true)]);
    a["housing"] = json!("rent");
    out.push(a);
    // Single parent without minors: no single-parent points.
    let mut a = next(&mut g, "2500.00");
    a["single_parent"] = json!(true);
    a["household"] = json!([g.member("figlio", false)]);
    out.push(a);
    // Unemployment on the month boundaries: 6 months, 5 months, 12, 24, and no date.
    for since in ["2025-09-30", "2025-10-01", "2025-03-31", "2024-03-31"] {
        let mut a = next(&mut g, "4500.00");
        a["unemployed_since"] = json!(since);
        out.push(a);
    }
    let mut a = next(&mut g, "4500.00");
    a["unemployed_since"] = Value::Null;
    out.push(a);
    // Took part in the previous bando: minus 5.
    let mut a = next(&mut g, "1200.00");
    a["previous_participation"] = json!(true);
    out.push(a);
    // One household, two applications: the later one is excluded.
    let first = next(&mut g, "700.00");
    let mut second = next(&mut g, "600.00");
    let mut shared = first["applicant"].clone();
    shared
        .as_object_mut()
        .unwrap()
        .retain(|k, _| k != "address" && k != "phone");
    shared["relation"] = json!("coniuge");
    shared["dependent_minor"] = json!(false);
    shared["disabled"] = json!(false);
    second["household"] = json!([shared]);
    out.push(first);
    out.push(second);
    // The same, but the earlier application is excluded (not resident): it blocks no one.
    let mut blocked = next(&mut g, "700.00");
    blocked["resident"] = json!(false);
    let mut stands = next(&mut g, "650.00");
    let mut shared = blocked["applicant"].clone();
    shared
        .as_object_mut()
        .unwrap()
        .retain(|k, _| k != "address" && k != "phone");
    shared["relation"] = json!("convivente");
    shared["dependent_minor"] = json!(false);
    shared["disabled"] = json!(false);
    stands["household"] = json!([shared]);
    out.push(blocked);
    out.push(stands);
    // Equal scores down to the filing time: identical declarations, born the same day.
    for _ in 0..2 {
        let mut a = next(&mut g, "1800.00");
        set_applicant(&mut g, &mut a, Sex::F, date(1985, 6, 15));
        a["unemployed_since"] = json!("2024-01-15");
        out.push(a);
    }
    // Born in Priolo Gargallo before it was a comune: the code carries Siracusa's I754.
    let mut a = next(&mut g, "2200.00");
    let born = date(1975, 5, 20);
    a["applicant"] = json!({
        "codice_fiscale": encode("Sipione", "Carmelo", born, Sex::M, "I754"),
        "surname": "Sipione", "name": "Carmelo", "birth_date": born.to_string(), "sex": "M",
        "birth_place": "M279", "address": "Via Castello 3",
    });
    out.push(a);
    // A birth date typed differently from the code, confirmed with a note.
    let mut a = next(&mut g, "2700.00");
    a["applicant"]["birth_date"] = json!("1979-02-02");
    a["override_note"] = json!("Data verificata sul documento d'identità");
    out.push(a);
    // Ordinary applications, up to 60, with households of every size.
    while out.len() < 60 {
        let isee = format!("{}.{:02}", g.seq.below(7800), g.seq.below(100));
        let mut a = next(&mut g, &isee);
        let kids = g.seq.below(4) as u32;
        let mut household: Vec<Value> = (0..kids).map(|i| g.child(1 + i * 4, "figlio")).collect();
        if g.seq.below(2) == 0 {
            household.push(g.member("coniuge", false));
        } else if kids > 0 {
            a["single_parent"] = json!(true);
        }
        a["household"] = json!(household);
        a["housing"] = json!(["none", "rent", "eviction"][g.seq.below(3)]);
        a["previous_participation"] = json!(g.seq.below(6) == 0);
        out.push(a);
    }
    out
}

fn main_csv(apps: &[Value]) -> String {
    let top = [
        ("bando", "bando"),
        ("data_presentazione", "filed_at"),
        ("nota_conferma", "override_note"),
        ("residente", "resident"),
        ("disoccupato", "unemployed"),
        ("disoccupato_dal", "unemployed_since"),
        ("altro_sostegno", "other_income_support"),
        ("genitore_solo", "single_parent"),
        ("richiedente_disabile", "applicant_disabled"),
        ("abitazione", "housing"),
        ("partecipazione_precedente", "previous_participation"),
    ];
    let person = [
        ("codice_fiscale", "codice_fiscale"),
        ("cognome", "surname"),
        ("nome", "name"),
        ("data_nascita", "birth_date"),
        ("sesso", "sex"),
        ("luogo_nascita", "birth_place"),
    ];
    let contact = [("indirizzo", "address"), ("telefono", "phone")];
    let isee = [
        ("isee", "value"),
        ("protocollo_dsu", "dsu_protocol"),
        ("data_dsu", "dsu_date"),
    ];
    let member_extra = [
        ("relazione", "relation"),
        ("minore_a_carico", "dependent_minor"),
        ("disabile", "disabled"),
    ];
    let members = apps
        .iter()
        .map(|a| a["household"].as_array().map_or(0, Vec::len))
        .max()
        .unwrap_or(0);

    let mut header: Vec<String> = Vec::new();
    header.extend(top.iter().map(|(h, _)| h.to_string()));
    header.extend(person.iter().chain(&contact).map(|(h, _)| h.to_string()));
    header.extend(isee.iter().map(|(h, _)| h.to_string()));
    for m in 1..=members {
        header.extend(
            person
                .iter()
                .chain(&member_extra)
                .map(|(h, _)| format!("componente{m}_{h}")),
        );
    }
    let cell = |v: &Value| -> String {
        let s = match v {
            Value::Null => String::new(),
            Value::Bool(true) => "sì".into(),
            Value::Bool(false) => "no".into(),
            Value::String(s) => match s.as_str() {
                "none" => "nessuna".into(),
                "rent" => "affitto".into(),
                "eviction" => "sfratto".into(),
                _ => s.clone(),
            },
            other => other.to_string(),
        };
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    };
    let mut out = header.join(",") + "\n";
    for a in apps {
        let mut row: Vec<String> = top.iter().map(|(_, k)| cell(&a[*k])).collect();
        row.extend(
            person
                .iter()
                .chain(&contact)
                .map(|(_, k)| cell(&a["applicant"][*k])),
        );
        row.extend(isee.iter().map(|(_, k)| cell(&a["isee"][*k])));
        for m in 0..members {
            let member = &a["household"][m];
            row.extend(
                person
                    .iter()
                    .chain(&member_extra)
                    .map(|(_, k)| cell(&member[*k])),
            );
        }
        out += &(row.join(",") + "\n");
    }
    out
}

/// Comuni of the demo district (fixtures/district-d48.toml): the capofila and three others.
const DEMO_COMUNI: [&str; 4] = ["089017", "089009", "089021", "089015"];

#[test]
fn committed_demo_applications_are_what_the_generator_makes() {
    let apps = applications();
    assert!(apps.len() >= 50);
    let json = serde_json::to_string_pretty(&apps).unwrap() + "\n";
    let csv = main_csv(&apps);
    let mut files = vec![
        ("applications.json".to_string(), json),
        ("applications.csv".to_string(), csv),
    ];
    // The demo district: the same applications spread over four comuni, so the capofila's
    // registry is a real merge (the shared household of applications 31-32 spans two comuni).
    for (n, comune) in DEMO_COMUNI.iter().enumerate() {
        let own: Vec<&Value> = apps.iter().skip(n).step_by(DEMO_COMUNI.len()).collect();
        files.push((
            format!("demo/{comune}.json"),
            serde_json::to_string_pretty(&own).unwrap() + "\n",
        ));
    }
    for (name, content) in files {
        let path = fixture(&name);
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            std::fs::write(&path, &content).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == content,
            "{name} differs from the generator: run UPDATE_FIXTURES=1 cargo test -p sportello-tests --test fixtures"
        );
    }
}
