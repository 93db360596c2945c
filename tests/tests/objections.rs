//! Objections to the provisional ranking and the definitive ranking, from outside: recorded at
//! the comune of filing on the window's last day and refused the day after unless a
//! responsabile says why (the clock moved with `faketime`), decided by the capofila, an
//! accepted one carried out by the comune's correction; the definitive ranking refused while
//! the window is open, while objections are undecided and while accepted ones are not
//! applied, each refusal naming them; the preavvisi di rigetto, one per ESCLUSO.

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Duration, NaiveDate};
use serde_json::Value;
use sportello_tests::{Install, Run, arg, distribute, enrol, fixture_applications, round_trip};

const BANDO: &str = "SC-2026-1";

/// Carries every upload of Floridia to `capofila` and its publish bundle back.
fn round(capofila: &Install, comune: &Install) {
    round_trip(capofila, comune, "089009");
}

/// Asserts a refusal: exit 1 and the error message containing each of `says`.
fn refused(run: &Run, says: &[&str]) {
    assert_eq!(
        run.code, 1,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    for s in says {
        assert!(run.stderr.contains(s), "{s:?} not in: {}", run.stderr);
    }
}

/// `objection add` for application `code`, contesting `about` with `text`.
fn objection<'a>(code: &'a str, about: &'a str, text: &'a str) -> Vec<&'a str> {
    vec![
        "objection",
        "add",
        "--application",
        code,
        "--about",
        about,
        "--text",
        text,
    ]
}

/// Noon (UTC) of `day`, as faketime takes it.
fn noon(day: NaiveDate) -> String {
    format!("{day} 12:00:00")
}

fn json(run: &Run) -> Value {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", arg(pdf), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is missing");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn objections_decide_the_way_to_the_definitive_ranking() {
    let capofila = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    let floridia = Install::init("district-d48.toml", "089009");
    enrol(&capofila, &floridia);
    distribute(&capofila, &[&floridia]);
    floridia.ok(&["operator", "add", "bruna", "--role", "operatore"]);
    let items = fixture_applications();
    let codes = floridia.add(&items[0..12]);
    round(&capofila, &floridia);
    let definitive = [
        "ranking",
        "publish",
        "--bando",
        BANDO,
        "--stage",
        "definitive",
    ];
    refused(&capofila.run(&definitive), &["segue la provvisoria", BANDO]);
    let provisional = capofila.json(&[
        "ranking",
        "publish",
        "--bando",
        BANDO,
        "--stage",
        "provisional",
    ]);
    round(&capofila, &floridia);
    let published_on = DateTime::parse_from_rfc3339(provisional["published_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono_tz::Europe::Rome)
        .date_naive();
    let last_day = published_on + Duration::days(10);
    let day_after = last_day + Duration::days(1);
    // Each line as published, read at the comune of filing.
    let provisional_rows: Vec<Value> = codes
        .iter()
        .map(|c| floridia.json(&["application", "show", c])["published"]["row"].clone())
        .collect();
    let excluded: Vec<&Value> = provisional_rows
        .iter()
        .filter(|r| r["outcome"] == "ESCLUSO")
        .collect();
    assert!(excluded.len() >= 2, "the fixture has exclusions");
    let contested = codes[1].as_str();
    let excluded_code = excluded[0]["application_code"].as_str().unwrap();

    // The window is open: the definitive ranking waits, and says until when.
    refused(
        &capofila.run(&definitive),
        &[
            "termine per le opposizioni",
            &last_day.format("%d/%m/%Y").to_string(),
        ],
    );

    // The preavvisi: one per ESCLUSO, each with its reasons and the 10 days to reply, naming
    // only the person it is addressed to.
    let dir = capofila.dir.path().join("preavvisi");
    let printed = capofila.ok(&["print", "preavviso", "--bando", BANDO, "--out", arg(&dir)]);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), excluded.len(), "{printed}");
    for row in &excluded {
        let code = row["application_code"].as_str().unwrap();
        let pdf = dir.join(format!("preavviso-{code}.pdf"));
        let text = pdftotext(&pdf);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let index = codes.iter().position(|c| c == code).unwrap();
        let applicant = &items[index]["applicant"];
        assert!(flat.contains("Preavviso di rigetto"), "{flat}");
        assert!(flat.contains(code), "{flat}");
        assert!(
            flat.contains(applicant["codice_fiscale"].as_str().unwrap()),
            "{flat}"
        );
        assert!(
            flat.contains(applicant["surname"].as_str().unwrap()),
            "{flat}"
        );
        assert!(flat.contains("Entro 10 giorni dal ricevimento"), "{flat}");
        for reason in row["reasons"].as_array().unwrap() {
            let reason = reason.as_str().unwrap();
            assert!(flat.contains(reason), "{reason:?} not in {flat}");
        }
        // No one else: not another applicant's codice fiscale, nor a member of the household.
        for (i, other) in items[0..12].iter().enumerate() {
            let mut people = vec![other["applicant"]["codice_fiscale"].as_str().unwrap()];
            people.extend(
                other["household"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|m| m["codice_fiscale"].as_str()),
            );
            for cf in people {
                if i != index || cf != applicant["codice_fiscale"].as_str().unwrap() {
                    assert!(!flat.contains(cf), "{code}'s preavviso names {cf}");
                }
            }
        }
    }
    let png = dir.join("look");
    let out = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-singlefile"])
        .arg(&files[0])
        .arg(&png)
        .output()
        .expect("pdftoppm (poppler-utils) is missing");
    assert!(out.status.success());
    assert!(std::fs::metadata(png.with_extension("png")).unwrap().len() > 1000);
    if let Ok(keep) = std::env::var("SPORTELLO_KEEP_PREAVVISO") {
        std::fs::copy(png.with_extension("png"), keep).unwrap();
    }

    // The last day of the window: an operatore records it.
    let in_time = json(
        &floridia.run_at(
            &noon(last_day),
            "bruna",
            &[
                objection(
                    contested,
                    "isee",
                    "L'ISEE corretto è zero, allego la nuova attestazione",
                ),
                vec!["--json"],
            ]
            .concat(),
        ),
    );
    assert_eq!(in_time["state"], "undecided");
    assert_eq!(in_time["about"], "isee");
    assert_eq!(in_time["received_on"], last_day.to_string());
    assert_eq!(in_time["late_reason"], Value::Null);
    let accepted_id = in_time["id"].as_str().unwrap().to_string();

    // The day after: refused, naming the last day, unless a responsabile says why; an
    // operatore cannot; nothing changes when refused.
    let before = floridia.everything();
    let late = objection(
        contested,
        "household_size",
        "Il nucleo è di quattro persone",
    );
    refused(
        &floridia.run_at(&noon(day_after), "bruna", &late),
        &[
            "fuori termine",
            contested,
            &last_day.format("%d/%m/%Y").to_string(),
        ],
    );
    let mut with_reason = late.clone();
    with_reason.extend(["--late-reason", "spedita per raccomandata il giorno 9"]);
    refused(
        &floridia.run_at(&noon(day_after), "bruna", &with_reason),
        &["opposizioni fuori termine richiede il ruolo responsabile"],
    );
    refused(
        &floridia.run_at(
            &noon(last_day),
            "bruna",
            &objection(contested, "reddito", "x"),
        ),
        &[contested, "about", "reddito", "isee"],
    );
    refused(
        &floridia.run_at(
            &noon(last_day),
            "bruna",
            &objection(contested, "exclusion", "x"),
        ),
        &[contested, "about", "non è esclusa"],
    );
    assert_eq!(floridia.everything(), before);
    with_reason.push("--json");
    let late = json(&floridia.run_at(&noon(day_after), "test", &with_reason));
    assert_eq!(late["late_reason"], "spedita per raccomandata il giorno 9");
    assert_eq!(late["received_on"], day_after.to_string());
    let rejected_id = late["id"].as_str().unwrap().to_string();
    // The excluded applicant's reply to the preavviso, recorded as an objection.
    let reply = json(
        &floridia.run_at(
            &noon(day_after),
            "test",
            &[
                objection(
                    excluded_code,
                    "exclusion",
                    "Osservazioni al preavviso di rigetto",
                ),
                vec![
                    "--late-reason",
                    "risposta al preavviso di rigetto nei 10 giorni dal ricevimento",
                    "--json",
                ],
            ]
            .concat(),
        ),
    );
    let reply_id = reply["id"].as_str().unwrap().to_string();

    // At the capofila: undecided objections hold the definitive ranking, each named.
    round(&capofila, &floridia);
    let pending = |capofila: &Install| {
        let changes = capofila.json(&["ranking", "changes", "--bando", "SC-2026-1"]);
        let mut ids: Vec<String> = changes["objections_pending"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let mut all = vec![accepted_id.clone(), rejected_id.clone(), reply_id.clone()];
    all.sort();
    assert_eq!(pending(&capofila), all, "the publishing summary names them");
    refused(
        &capofila.run_at(&noon(day_after), "test", &definitive),
        &[
            "da decidere",
            &accepted_id,
            &rejected_id,
            &reply_id,
            contested,
        ],
    );
    // Only the capofila decides.
    refused(
        &floridia.run(&[
            "objection",
            "decide",
            &accepted_id,
            "--outcome",
            "accolta",
            "--reason",
            "x",
        ]),
        &["capofila"],
    );
    let decided = capofila.json(&[
        "objection",
        "decide",
        &accepted_id,
        "--outcome",
        "accolta",
        "--reason",
        "L'attestazione ISEE allegata è valida",
    ]);
    assert_eq!(decided["state"], "accepted");
    for id in [&rejected_id, &reply_id] {
        capofila.ok(&[
            "objection",
            "decide",
            id,
            "--outcome",
            "respinta",
            "--reason",
            "Non documentata",
        ]);
    }
    let before = capofila.everything();
    refused(
        &capofila.run(&[
            "objection",
            "decide",
            &accepted_id,
            "--outcome",
            "respinta",
            "--reason",
            "ripensamento",
        ]),
        &[&accepted_id, "già stata decisa"],
    );
    assert_eq!(capofila.everything(), before);

    // Accepted but not yet applied by the comune: still refused, naming it and the comune.
    assert_eq!(pending(&capofila), std::slice::from_ref(&accepted_id));
    refused(
        &capofila.run_at(&noon(day_after), "test", &definitive),
        &[
            "non ancora applicate",
            &accepted_id,
            "al Comune di Floridia",
        ],
    );

    // The decisions reach the comune; a rejected one cannot be applied; the accepted one is
    // carried out by a correction that references it.
    round(&capofila, &floridia);
    let listed = floridia.json(&["objection", "list", "--bando", BANDO]);
    let state = |list: &Value, id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .map(|o| o["state"].clone())
            .unwrap()
    };
    assert_eq!(state(&listed, &accepted_id), "accepted");
    assert_eq!(state(&listed, &rejected_id), "rejected");
    let mut form = floridia.json(&["application", "show", contested])["form"].clone();
    form["isee"]["value"] = Value::String("0.00".into());
    let form_file = floridia.write("corretta.json", &form.to_string());
    let before = floridia.everything();
    let correct = |reason: &str, objection: &str| {
        floridia.run(&[
            "application",
            "correct",
            contested,
            arg(&form_file),
            "--reason",
            reason,
            "--objection",
            objection,
            "--json",
        ])
    };
    refused(
        &correct("opposizione", &rejected_id),
        &[contested, "objection", &rejected_id, "respinta"],
    );
    assert_eq!(floridia.everything(), before);
    let corrected = json(&correct(
        "Opposizione accolta: ISEE da nuova attestazione",
        &accepted_id,
    ));
    assert_eq!(corrected["revision"], 2);
    let listed = floridia.json(&["objection", "list"]);
    let applied = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == accepted_id.as_str())
        .unwrap();
    assert_eq!(applied["state"], "applied");
    assert_eq!(applied["applied_revision"], 2);
    refused(&correct("ancora", &accepted_id), &["già stata applicata"]);

    // Carried to the capofila, the definitive ranking publishes and shows the correction.
    round(&capofila, &floridia);
    let published = json(&capofila.run_at(
        &noon(day_after),
        "test",
        &[&definitive[..], &["--json"]].concat(),
    ));
    assert_eq!(published["stage"], "definitive");
    assert_eq!(published["number"], 2);
    round(&capofila, &floridia);
    let line = floridia.json(&["application", "show", contested])["published"].clone();
    assert_eq!(line["stage"], "definitive");
    assert_eq!(provisional_rows[1]["breakdown"]["isee"], 45, "ISEE 1000.00");
    assert_eq!(
        line["row"]["breakdown"]["isee"], 50,
        "ISEE 0.00, as corrected"
    );
    // Every published version stays readable and printable, the provisional one too.
    let isee_points = |install: &Install, number: &str| {
        let version = install.json(&["ranking", "show", "--bando", BANDO, "--number", number]);
        let row = version["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["application_code"] == contested)
            .cloned()
            .unwrap();
        (version["stage"].clone(), row["breakdown"]["isee"].clone())
    };
    for install in [&capofila, &floridia] {
        assert_eq!(isee_points(install, "1"), ("provisional".into(), 45.into()));
        assert_eq!(isee_points(install, "2"), ("definitive".into(), 50.into()));
    }
    refused(
        &capofila.run(&["ranking", "show", "--bando", BANDO, "--number", "7"]),
        &["versione 7", BANDO, "versioni 1, 2"],
    );
    for (number, stage) in [("1", "provvisoria"), ("2", "definitiva")] {
        let pdf = capofila
            .dir
            .path()
            .join(format!("graduatoria-{number}.pdf"));
        capofila.ok(&[
            "print",
            "ranking",
            "--bando",
            BANDO,
            "--public",
            "--number",
            number,
            "--out",
            arg(&pdf),
        ]);
        let text = pdftotext(&pdf);
        assert!(
            text.contains(&format!("Graduatoria pubblica {stage}")),
            "{text}"
        );
    }

    let audit = capofila.json(&["audit", "list"]);
    assert!(
        audit.to_string().contains("objection_decide"),
        "decisions are audited"
    );
}
