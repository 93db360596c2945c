//! Servizio civico after the definitive ranking, from outside: the comune's call list in
//! ranking order, answers recorded offline, each rinuncia calling exactly the next idoneo of
//! that comune (scorrimento), the procedure's order enforced, and the capofila's view of every
//! comune from the uploads.

use std::process::Command;

use serde_json::Value;
use sportello_tests::{Install, arg, binary, distribute, enrol, fixture_applications, logged_in};

const BANDO: &str = "SC-2026-1";
const FLORIDIA: &str = "089009";

/// `sportello ARGS` at `i` with the clock `days` ahead (faketime): the definitive ranking is
/// published after the objections window.
fn later(i: &Install, days: i64, args: &[&str]) {
    let when = (chrono::Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    let out = logged_in(Command::new("faketime"))
        .env("TZ", "UTC")
        .env_remove("SPORTELLO_DB")
        .arg(&when)
        .arg(binary("sportello"))
        .arg("--db")
        .arg(&i.db)
        .args(args)
        .output()
        .expect("faketime is missing: scripts/test.sh installs it (apt-get install faketime)");
    assert!(
        out.status.success(),
        "faketime {when} sportello {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn codes_with(rows: &Value, outcome: &str) -> Vec<String> {
    let mut lines: Vec<(u64, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["comune"] == FLORIDIA && r["outcome"] == outcome)
        .map(|r| {
            (
                r["position"].as_u64().unwrap(),
                r["application_code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    lines.sort();
    lines.into_iter().map(|(_, c)| c).collect()
}

fn calls(i: &Install) -> Vec<(String, String, String)> {
    i.json(&["civico", "calls", "--bando", BANDO])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["application_code"].as_str().unwrap().to_string(),
                c["state"].as_str().unwrap().to_string(),
                c["called_by"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn refused(i: &Install, args: &[&str], expected: &str) {
    let before = i.everything();
    let run = i.run(args);
    assert_eq!(run.code, 1, "{args:?}: {}", run.stdout);
    assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    assert_eq!(i.everything(), before, "{args:?} changed something");
}

#[test]
fn rinunce_call_exactly_the_next_idonei_of_the_same_comune() {
    let capofila = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    let floridia = Install::init("district-d48.toml", FLORIDIA);
    enrol(&capofila, &floridia);
    distribute(&capofila, &[&floridia]);
    floridia.add(&fixture_applications()[0..12]);
    for file in floridia.export() {
        capofila.ok(&["bundle", "import", arg(&file)]);
    }
    let publish = |stage| {
        [
            "ranking",
            "publish",
            "--bando",
            BANDO,
            "--stage",
            stage,
            "--confirm-cross-comune",
        ]
    };
    capofila.ok(&publish("provisional"));
    let send_back = || {
        for file in capofila.export() {
            if file.to_string_lossy().contains("-pub-089009-") {
                floridia.ok(&["bundle", "import", arg(&file)]);
            }
        }
    };
    send_back();
    // Before the definitive ranking there is no one to call.
    refused(
        &floridia,
        &["civico", "calls", "--bando", BANDO],
        "graduatoria definitiva",
    );

    later(&capofila, 15, &publish("definitive"));
    let rows = capofila.json(&["ranking", "compute", "--bando", BANDO]);
    let ammessi = codes_with(&rows, "AMMESSO");
    let idonei = codes_with(&rows, "IDONEO_NON_AMMESSO");
    assert_eq!(ammessi.len(), 6, "Floridia has 6 places: {rows}");
    assert!(
        idonei.len() >= 2,
        "two idonei to call by scorrimento: {rows}"
    );
    send_back();

    // The list: the ammessi in ranking order, to call.
    let expected: Vec<(String, String, String)> = ammessi
        .iter()
        .map(|c| (c.clone(), "DA_CHIAMARE".into(), "graduatoria".into()))
        .collect();
    assert_eq!(calls(&floridia), expected);

    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Rome)
        .format("%d/%m/%Y")
        .to_string();
    let answer = |code: &str, how: &str| {
        floridia.json(&[
            "civico",
            "answer",
            "--application",
            code,
            how,
            "--date",
            &today,
        ])
    };
    floridia.ok(&[
        "civico",
        "call",
        "--application",
        &ammessi[0],
        "--date",
        &today,
        "--how",
        "telefono",
    ]);
    // Lapsed only once the days to answer have gone by.
    refused(
        &floridia,
        &[
            "civico",
            "answer",
            "--application",
            &ammessi[0],
            "--lapsed",
            "--date",
            &today,
        ],
        "scade il",
    );
    let first = answer(&ammessi[0], "--renounces");
    assert_eq!(first["state"], "RINUNCIATARIO");
    assert_eq!(first["now_to_call"], serde_json::json!([idonei[0]]));
    let second = answer(&ammessi[1], "--renounces");
    assert_eq!(second["now_to_call"], serde_json::json!([idonei[1]]));
    let list = calls(&floridia);
    assert_eq!(list.len(), 8, "{list:?}");
    assert_eq!(
        list.iter()
            .filter(|(_, _, by)| by == "scorrimento")
            .map(|(c, _, _)| c.clone())
            .collect::<Vec<_>>(),
        idonei[0..2].to_vec()
    );

    // The procedure's order: an answer once, an idoneo beyond the places not called yet.
    assert_eq!(answer(&ammessi[2], "--accepts")["state"], "ACCETTATO");
    refused(
        &floridia,
        &[
            "civico",
            "answer",
            "--application",
            &ammessi[2],
            "--accepts",
            "--date",
            &today,
        ],
        "non si può registrare",
    );
    if let Some(beyond) = idonei.get(2) {
        refused(
            &floridia,
            &[
                "civico",
                "answer",
                "--application",
                beyond,
                "--accepts",
                "--date",
                &today,
            ],
            "non è tra quelle da chiamare",
        );
    }
    refused(
        &floridia,
        &[
            "civico",
            "answer",
            "--application",
            &ammessi[3],
            "--accepts",
            "--date",
            "31/12/2099",
        ],
        "nel futuro",
    );
    refused(
        &floridia,
        &[
            "civico",
            "end",
            "--application",
            &ammessi[2],
            "--date",
            &today,
            "--reason",
            " ",
        ],
        "manca il motivo",
    );

    // The individual project of who accepted: from today, three months, insured.
    let start = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Rome)
        .date_naive();
    let end = start + chrono::Months::new(3);
    let project = |end: chrono::NaiveDate, rc: Option<&str>| {
        serde_json::json!({
            "sector": "ambiente", "site": "Villa comunale", "tutor": "Geom. Verdi",
            "start": start.to_string(), "end": end.to_string(), "weekly_hours": 12,
            "inail_position": "INAIL-0001", "rc_policy": rc,
        })
        .to_string()
    };
    let short = floridia.write(
        "breve.json",
        &project(end - chrono::Duration::days(1), Some("RC-9")),
    );
    refused(
        &floridia,
        &[
            "civico",
            "project",
            "--application",
            &ammessi[2],
            arg(&short),
        ],
        "meno di 3 mesi",
    );
    let uninsured = floridia.write("senza-rc.json", &project(end, None));
    refused(
        &floridia,
        &[
            "civico",
            "project",
            "--application",
            &ammessi[2],
            arg(&uninsured),
        ],
        "polizza RC",
    );
    let good = floridia.write("progetto.json", &project(end, Some("RC-9")));
    refused(
        &floridia,
        &[
            "civico",
            "project",
            "--application",
            &ammessi[3],
            arg(&good),
        ],
        "chi ha accettato",
    );
    let saved = floridia.json(&[
        "civico",
        "project",
        "--application",
        &ammessi[2],
        arg(&good),
    ]);
    assert_eq!(saved["state"], "IN_SERVIZIO");
    let line = floridia
        .json(&["civico", "calls", "--bando", BANDO])
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["application_code"] == ammessi[2].as_str())
        .cloned()
        .unwrap();
    assert_eq!(line["start_date"], start.to_string().as_str());

    // The capofila follows every comune from the uploads.
    for file in floridia.export() {
        capofila.ok(&["bundle", "import", arg(&file)]);
    }
    let overview = capofila.json(&["civico", "overview", "--bando", BANDO]);
    let at_floridia = overview
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["comune"] == FLORIDIA)
        .unwrap();
    assert_eq!(at_floridia["places"], 6);
    assert_eq!(at_floridia["started"], 1);
    assert_eq!(at_floridia["freed"], 2);
    assert_eq!(at_floridia["waiting"], 5, "{at_floridia}");
    assert_eq!(at_floridia["calls"].as_array().unwrap().len(), 8);
    // A comune sees only its own list; the overview is the capofila's.
    refused(
        &floridia,
        &["civico", "overview", "--bando", BANDO],
        "capofila",
    );
}
