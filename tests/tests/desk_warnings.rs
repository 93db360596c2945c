//! Warnings at the desk: every exclusion the ranking foresees is told before filing, on its
//! field; a filing date to come is refused; a person already in another application of the
//! bando is named, at this comune from its own applications and from the other comuni's as the
//! capofila's last publish bundle tells (digests of codici fiscali, never the codes).

use chrono::NaiveDate;
use serde_json::{Value, json};
use sportello_domain::Sex;
use sportello_domain::codice_fiscale::encode;
use sportello_tests::{Install, arg, distribute, dump_tables, enrol};

const FONTEBIANCA: &str = "999001";
const ROCCAVERDE: &str = "999002";
const MARINA_SERENA: &str = "999003";

const BANDO: &str = r#"
id = "SC-A"
title = "Servizio civico A"
opens = 2026-01-10
closes = 2026-03-31
[places]
"999001" = 1
"999002" = 1
"#;

fn person(surname: &str, name: &str, born: (i32, u32, u32), sex: Sex) -> Value {
    let born = NaiveDate::from_ymd_opt(born.0, born.1, born.2).unwrap();
    json!({
        "codice_fiscale": encode(surname, name, born, sex, "Y001"),
        "surname": surname, "name": name, "birth_date": born.to_string(),
        "sex": if sex == Sex::F { "F" } else { "M" }, "birth_place": "Y001",
    })
}

fn mario() -> Value {
    person("Rossi", "Mario", (1976, 3, 31), Sex::M)
}

fn giulia() -> Value {
    person("Bianchi", "Giulia", (1992, 8, 15), Sex::F)
}

fn member(mut who: Value, relation: &str) -> Value {
    who["relation"] = relation.into();
    who
}

/// An eligible application of `applicant`, filed within the window.
fn application(applicant: Value, household: Value) -> Value {
    json!({
        "bando": "SC-A", "filed_at": "2026-02-02T09:00:00+01:00",
        "applicant": applicant, "household": household,
        "isee": { "value": "2500,00", "dsu_protocol": "INPS-ISEE-2026-AB123C789-00",
                  "dsu_date": "2026-01-15" },
        "resident": true, "unemployed": true, "unemployed_since": "2024-05-01",
    })
}

fn install(comune: &str) -> Install {
    let i = Install::init("district-d99.toml", comune);
    if comune == FONTEBIANCA {
        i.ok(&["bando", "import", arg(&i.write("a.toml", BANDO))]);
    }
    i
}

/// Files one form with `application add --json`: what it printed.
fn file(i: &Install, form: &Value) -> Value {
    let path = i.write("domanda.json", &form.to_string());
    i.json(&["application", "add", arg(&path)])
}

/// (field, code) of each warning of a filed application.
fn warnings(filed: &Value) -> Vec<(String, String)> {
    filed["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["field"].as_str().unwrap().to_string(),
                w["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect()
}

#[test]
fn every_foreseen_exclusion_is_a_warning_on_its_field_and_the_ranking_agrees() {
    let i = install(FONTEBIANCA);
    let mut form = application(person("Verdi", "Luca", (2009, 1, 1), Sex::M), json!([]));
    form["filed_at"] = "2026-04-02T10:00:00+02:00".into();
    form["resident"] = false.into();
    form["unemployed"] = false.into();
    form.as_object_mut().unwrap().remove("unemployed_since");
    form["other_income_support"] = true.into();
    form["isee"]["value"] = "9000,00".into();
    form["isee"]["dsu_date"] = "2025-12-15".into();
    let filed = file(&i, &form);
    let expected = [
        ("filed_at", "filed_outside_window"),
        ("applicant.birth_date", "underage"),
        ("resident", "not_resident"),
        ("unemployed", "not_unemployed"),
        ("other_income_support", "other_income_support"),
        ("isee.value", "isee_over_ceiling"),
        ("isee.dsu_date", "dsu_not_valid"),
    ];
    assert_eq!(warnings(&filed), pairs(&expected));
    let resident = &filed["warnings"][2]["message"];
    assert!(
        resident
            .as_str()
            .unwrap()
            .starts_with("non residente in un comune del distretto: la domanda viene registrata, ma sarà esclusa dalla graduatoria"),
        "{resident}"
    );
    // The desk warned of exactly what the ranking excludes for.
    let code = filed["application_code"].as_str().unwrap();
    let ranking = i.json(&["ranking", "compute", "--bando", "SC-A"]);
    let line = ranking["rows"]
        .as_array()
        .or(ranking.as_array())
        .unwrap()
        .iter()
        .find(|r| r["application_code"] == code)
        .unwrap()
        .clone();
    let codes: Vec<&str> = expected.iter().map(|(_, c)| *c).collect();
    assert_eq!(line["reason_codes"], json!(codes));

    // Without --json they are told on standard error, each with its field.
    let mut second = application(giulia(), json!([]));
    second["resident"] = false.into();
    let path = i.write("seconda.json", &second.to_string());
    let run = i.run(&["application", "add", arg(&path)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "avviso: domanda 1, campo resident: non residente in un comune del distretto"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_filing_date_to_come_is_refused_and_nothing_is_stored() {
    let i = install(FONTEBIANCA);
    let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    let mut form = application(mario(), json!([]));
    form["filed_at"] = tomorrow.to_rfc3339().into();
    let path = i.write("domanda.json", &form.to_string());
    let refused = i.run(&["application", "add", arg(&path)]);
    assert_eq!(refused.code, 1, "{}", refused.stdout);
    assert!(refused.stderr.contains("filed_at"), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("è nel futuro"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        dump_tables(&i.db, &["applications"])["applications"].len(),
        0
    );
}

#[test]
fn a_person_in_another_application_of_this_comune_is_named() {
    let i = install(FONTEBIANCA);
    let first = file(&i, &application(mario(), json!([])));
    let filed = file(
        &i,
        &application(giulia(), json!([member(mario(), "coniuge")])),
    );
    assert_eq!(
        warnings(&filed),
        pairs(&[("household[0].codice_fiscale", "person_in_other_application")])
    );
    let message = filed["warnings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!(
            "è già richiedente nella domanda {} (pratica {}) presentata in questo comune",
            first["application_code"].as_str().unwrap(),
            first["case_number"].as_str().unwrap()
        )),
        "{message}"
    );

    // A withdrawn application no longer competes: no one in it is warned of.
    let giulia_s = filed["application_code"].as_str().unwrap();
    i.ok(&["application", "withdraw", giulia_s]);
    let luca = application(
        person("Neri", "Luca", (1985, 2, 3), Sex::M),
        json!([member(giulia(), "sorella")]),
    );
    assert_eq!(warnings(&file(&i, &luca)), pairs(&[]));
}

#[test]
fn a_person_in_another_comune_s_application_is_named_as_the_capofila_last_told() {
    let capofila = install(FONTEBIANCA);
    let roccaverde = install(ROCCAVERDE);
    let marina = install(MARINA_SERENA);
    for comune in [&roccaverde, &marina] {
        enrol(&capofila, comune);
    }
    distribute(&capofila, &[&roccaverde, &marina]);

    // Mario applies at the capofila's desk, Giulia at Roccaverde's; Roccaverde uploads.
    file(&capofila, &application(mario(), json!([])));
    file(&roccaverde, &application(giulia(), json!([])));
    let upload = roccaverde.export().remove(0);
    capofila.ok(&["bundle", "import", arg(&upload)]);

    // Before any publish bundle, Roccaverde knows nothing of the other comuni.
    assert!(dump_tables(&roccaverde.db, &["named_elsewhere"])["named_elsewhere"].is_empty());
    let published = capofila.export();
    let to_roccaverde = published
        .iter()
        .find(|f| f.to_string_lossy().contains(&format!("-pub-{ROCCAVERDE}-")))
        .unwrap();
    roccaverde.ok(&["bundle", "import", arg(to_roccaverde)]);

    // Now Mario is named as elsewhere; Giulia, of Roccaverde's own application, only as here.
    let luca = application(
        person("Neri", "Luca", (1985, 2, 3), Sex::M),
        json!([member(mario(), "fratello"), member(giulia(), "sorella")]),
    );
    let filed = file(&roccaverde, &luca);
    assert_eq!(
        warnings(&filed),
        pairs(&[
            ("household[1].codice_fiscale", "person_in_other_application"),
            ("household[0].codice_fiscale", "person_in_other_comune"),
        ])
    );
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Rome)
        .format("%d/%m/%Y")
        .to_string();
    let elsewhere = filed["warnings"][1]["message"].as_str().unwrap();
    assert!(
        elsewhere.contains(&format!(
            "è già presente in una domanda di un altro comune del distretto per questo bando \
             (secondo l'ultimo aggiornamento del capofila del {today})"
        )),
        "{elsewhere}"
    );

    // Roccaverde holds only its own list, of digests: no codice fiscale of another comune.
    let held = dump_tables(&roccaverde.db, &["named_elsewhere"])["named_elsewhere"].clone();
    assert_eq!(held.len(), 1, "{held:?}");
    assert!(held[0].contains(&format!("\"{ROCCAVERDE}\"")), "{held:?}");
    let mario_code = mario()["codice_fiscale"].as_str().unwrap().to_string();
    assert!(!held[0].contains(&mario_code), "{held:?}");
    // Marina Serena's list is another, under another key.
    let at_capofila = dump_tables(&capofila.db, &["named_elsewhere"])["named_elsewhere"].clone();
    assert_eq!(at_capofila.len(), 2, "{at_capofila:?}");
}
