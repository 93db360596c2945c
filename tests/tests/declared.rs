//! An application keeps what was declared: filing another application that names the same
//! person never changes it; only its own correction does, as a new revision with its reason.

use chrono::NaiveDate;
use serde_json::{Value, json};
use sportello_domain::Sex;
use sportello_domain::codice_fiscale::encode;
use sportello_tests::{Install, arg, distribute, enrol, fixture};

const FONTEBIANCA: &str = "999001";
const ROCCAVERDE: &str = "999002";

/// Bando A closes on 31 March 2026: someone born on 31 March 1976 is 50 that day (+2 points).
const BANDO_A: &str = r#"
id = "SC-A"
title = "Servizio civico A"
opens = 2026-01-10
closes = 2026-03-31
[places]
"999001" = 1
"999002" = 1
"#;

/// Another bando, to which the same person applies again.
const BANDO_B: &str = r#"
id = "SC-B"
title = "Servizio civico B"
opens = 2026-04-01
closes = 2026-06-30
[places]
"999001" = 1
"#;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn person(surname: &str, name: &str, born: NaiveDate, sex: Sex) -> Value {
    json!({
        "codice_fiscale": encode(surname, name, born, sex, "Y001"),
        "surname": surname, "name": name, "birth_date": born.to_string(),
        "sex": if sex == Sex::F { "F" } else { "M" }, "birth_place": "Y001",
    })
}

fn mario() -> Value {
    person("Rossi", "Mario", date(1976, 3, 31), Sex::M)
}

/// An eligible application of `applicant` to `bando`, filed on `filed_at`.
fn application(bando: &str, filed_at: &str, applicant: Value, household: Value) -> Value {
    json!({
        "bando": bando, "filed_at": filed_at,
        "applicant": applicant, "household": household,
        "isee": { "value": "2500,00", "dsu_protocol": "INPS-ISEE-2026-AB123C789-00",
                  "dsu_date": "2026-01-15" },
        "resident": true, "unemployed": true, "unemployed_since": "2024-05-01",
    })
}

fn member(mut who: Value, relation: &str) -> Value {
    who["relation"] = relation.into();
    who
}

fn install() -> Install {
    let i = Install::init("district-d99.toml", FONTEBIANCA);
    for (name, text) in [("a.toml", BANDO_A), ("b.toml", BANDO_B)] {
        i.ok(&["bando", "import", arg(&i.write(name, text))]);
    }
    i
}

fn add(i: &Install, item: Value) -> String {
    i.add(&[item]).remove(0)
}

/// The line of `code` in the ranking of `bando`.
fn line(i: &Install, bando: &str, code: &str) -> Value {
    let ranking = i.json(&["ranking", "compute", "--bando", bando]);
    ranking
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["application_code"] == code)
        .unwrap_or_else(|| panic!("{code} not ranked: {ranking}"))
        .clone()
}

#[test]
fn another_family_naming_the_same_person_changes_nothing_of_an_application() {
    let i = install();
    let a = add(
        &i,
        application("SC-A", "2026-02-02T09:00:00+01:00", mario(), json!([])),
    );
    let before = line(&i, "SC-A", &a);
    assert_eq!(before["outcome"], "AMMESSO");
    assert_eq!(before["breakdown"]["older_applicant"], 2);

    // Another family lists Mario with the century mistyped: the codice fiscale's two digits
    // cannot tell, but a birth 150 years before filing can: refused, naming him.
    let mut wrong = mario();
    wrong["birth_date"] = "1876-03-31".into();
    let giulia = person("Bianchi", "Giulia", date(1990, 5, 20), Sex::F);
    let mut b = application(
        "SC-A",
        "2026-02-03T09:00:00+01:00",
        giulia.clone(),
        json!([member(wrong, "convivente")]),
    );
    let file = i.write("b.json", &b.to_string());
    let refused = i.run(&["application", "add", arg(&file)]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("household[0].birth_date") && refused.stderr.contains("Rossi"),
        "{}",
        refused.stderr
    );
    assert_eq!(line(&i, "SC-A", &a), before);

    // Filed with another plausible birth date, confirmed by a note: it is B's declaration
    // only. A keeps its breakdown, score and outcome; B is excluded by the household rule.
    let mut other = mario();
    other["birth_date"] = "1981-03-31".into();
    b["household"] = json!([member(other, "convivente")]);
    b["override_note"] = "data di nascita come da documento esibito".into();
    let b = add(&i, b);
    assert_eq!(line(&i, "SC-A", &a), before);
    let b_line = line(&i, "SC-A", &b);
    assert_eq!(b_line["reason_codes"], json!(["same_household"]));

    let list = i.json(&["application", "list", "--bando", "SC-A"]);
    assert_eq!(list[0]["applicant"]["birth_date"], "1976-03-31");
    assert_eq!(list[1]["household"][0]["birth_date"], "1981-03-31");
}

#[test]
fn an_application_to_another_bando_does_not_move_a_birth_date() {
    let i = install();
    let a = add(
        &i,
        application("SC-A", "2026-02-02T09:00:00+01:00", mario(), json!([])),
    );
    let before = line(&i, "SC-A", &a);
    assert_eq!(before["breakdown"]["older_applicant"], 2);

    // Mario applies to bando B with his birth date a day later, confirmed by a note.
    let mut later = mario();
    later["birth_date"] = "1976-04-01".into();
    let mut again = application("SC-B", "2026-04-02T09:00:00+02:00", later, json!([]));
    again["override_note"] = "data corretta dall'operatore".into();
    let again = add(&i, again);
    assert_eq!(line(&i, "SC-A", &a), before, "bando A's score moved");

    // The registry links both applications of his codice fiscale, each as declared.
    let cf = mario()["codice_fiscale"].as_str().unwrap().to_string();
    let his = i.json(&["application", "list", "--person", &cf]);
    let declared: Vec<(&str, &str)> = his
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["application_code"].as_str().unwrap(),
                x["applicant"]["birth_date"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        declared,
        [(a.as_str(), "1976-03-31"), (again.as_str(), "1976-04-01")]
    );
    let nobody = i.json(&["application", "list", "--person", "BNCGLI92M55D636B"]);
    assert_eq!(nobody, json!([]));
}

#[test]
fn a_correction_is_a_new_revision_with_its_reason_and_the_ranking_follows() {
    let i = install();
    let a = add(
        &i,
        application("SC-A", "2026-02-02T09:00:00+01:00", mario(), json!([])),
    );
    let shown = i.json(&["application", "show", &a]);
    assert_eq!(shown["application"]["revision"], 1);
    assert_eq!(shown["revisions"].as_array().unwrap().len(), 1);

    // The form shown is what `correct` takes: the ISEE corrected on paper.
    let mut form = shown["form"].clone();
    form["isee"]["value"] = "500.00".into();
    let file = i.write("corretta.json", &form.to_string());

    // Without a reason, or to another bando, nothing changes.
    let no_reason = i.run(&["application", "correct", &a, arg(&file), "--reason", " "]);
    assert_eq!(no_reason.code, 1);
    assert!(no_reason.stderr.contains("motivo"), "{}", no_reason.stderr);
    let mut moved = form.clone();
    moved["bando"] = "SC-B".into();
    let moved_file = i.write("spostata.json", &moved.to_string());
    let refused = i.run(&[
        "application",
        "correct",
        &a,
        arg(&moved_file),
        "--reason",
        "prova",
    ]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("bando"), "{}", refused.stderr);
    assert_eq!(i.json(&["application", "show", &a]), shown);

    let corrected = i.json(&[
        "application",
        "correct",
        &a,
        arg(&file),
        "--reason",
        "ISEE ricopiato male dall'attestazione",
    ]);
    assert_eq!(corrected["revision"], 2);
    assert_eq!(line(&i, "SC-A", &a)["breakdown"]["isee"], 45);

    let shown = i.json(&["application", "show", &a]);
    let revisions = shown["revisions"].as_array().unwrap();
    assert_eq!(revisions.len(), 2);
    assert_eq!(revisions[0]["reason"], Value::Null);
    assert_eq!(
        revisions[1]["reason"],
        "ISEE ricopiato male dall'attestazione"
    );
    assert_eq!(revisions[1]["operator"], "test");
    assert_eq!(
        revisions[1]["changes"],
        json!([{ "field": "isee.value", "before": "2500.00", "after": "500.00" }])
    );
    let text = i.ok(&["application", "show", &a]);
    assert!(text.contains("isee.value: 2500.00 → 500.00"), "{text}");
}

#[test]
fn corrections_reach_the_capofila_and_only_the_owner_corrects() {
    let capofila = install();
    let comune = Install::init("district-d99.toml", ROCCAVERDE);
    enrol(&capofila, &comune);
    distribute(&capofila, &[&comune]);
    let a = add(
        &comune,
        application("SC-A", "2026-02-02T09:00:00+01:00", mario(), json!([])),
    );
    let upload = comune.export().remove(0);
    capofila.ok(&["bundle", "import", arg(&upload)]);

    let mut form = comune.json(&["application", "show", &a])["form"].clone();
    form["unemployed_since"] = "2020-05-01".into();
    let file = comune.write("corretta.json", &form.to_string());
    comune.ok(&[
        "application",
        "correct",
        &a,
        arg(&file),
        "--reason",
        "data di disoccupazione dal centro per l'impiego",
    ]);

    // The capofila cannot correct a comune's application.
    let file = capofila.write("corretta.json", &form.to_string());
    let refused = capofila.run(&["application", "correct", &a, arg(&file), "--reason", "x"]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("Roccaverde"), "{}", refused.stderr);

    let upload = comune.export().remove(0);
    capofila.ok(&["bundle", "import", arg(&upload)]);
    let held = capofila.json(&["application", "show", &a]);
    assert_eq!(held["revisions"].as_array().unwrap().len(), 2);
    assert_eq!(held["form"]["unemployed_since"], "2020-05-01");
    assert_eq!(line(&capofila, "SC-A", &a)["breakdown"]["unemployment"], 6);

    // A published ranking records the revision it ranked.
    capofila.ok(&[
        "ranking",
        "publish",
        "--bando",
        "SC-A",
        "--stage",
        "provisional",
    ]);
    let inputs = sportello_tests::dump_tables(&capofila.db, &["rankings"]);
    assert!(
        inputs["rankings"][0].contains(r#"\"revision\":2"#),
        "{:?}",
        inputs["rankings"]
    );
}

#[test]
fn applications_are_listed_by_instant_whatever_the_offset_written() {
    let i = install();
    // 29 March 2026, the night the clocks change: 01:45+02:00 is 23:45 UTC of the 28th,
    // before 01:30+01:00 (00:30 UTC), though it reads later.
    let giulia = person("Bianchi", "Giulia", date(1990, 5, 20), Sex::F);
    let first_typed = add(
        &i,
        application("SC-A", "2026-03-29T01:30:00+01:00", mario(), json!([])),
    );
    let earlier = add(
        &i,
        application("SC-A", "2026-03-29T01:45:00+02:00", giulia, json!([])),
    );
    let list = i.json(&["application", "list"]);
    let codes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["application_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, [earlier.as_str(), first_typed.as_str()]);
}

// ---- Databases made before encryption at rest. ----

/// A database of an earlier release (`fixtures/schema-2/`, in clear) is refused untouched,
/// saying why: no install was in use before encryption, so none is converted.
#[test]
fn a_database_made_before_encryption_is_refused_untouched() {
    let i = Install::new();
    std::fs::copy(fixture("schema-2/capofila.db"), &i.db).unwrap();
    let before = std::fs::read(&i.db).unwrap();
    let run = i.run(&["application", "list"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("non cifrato"), "{}", run.stderr);
    assert_eq!(std::fs::read(&i.db).unwrap(), before);
    assert!(!i.path("sportello.db.slots").exists());
}
