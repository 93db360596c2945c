//! Servizio civico after the definitive ranking, from outside: the comune's call list in
//! ranking order, answers recorded offline, each rinuncia calling exactly the next idoneo of
//! that comune (scorrimento), the procedure's order enforced, and the capofila's view of every
//! comune from the uploads.

use std::process::Command;

use chrono::Datelike;
use serde_json::Value;
use sportello_tests::{
    Install, arg, binary, distribute, enrol, fixture_applications, logged_in, pdf_text,
};

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

    // The individual project of who accepted: from the first of last month, three months,
    // insured (so a whole month of attendance is behind us).
    let today_date = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Rome)
        .date_naive();
    let start = (today_date.with_day(1).unwrap() - chrono::Duration::days(1))
        .with_day(1)
        .unwrap();
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
    // The project's papers: the project to sign, and the lettera di avvio.
    let paper = floridia.path("progetto.pdf");
    floridia.ok(&[
        "print",
        "project",
        "--application",
        &ammessi[2],
        "--out",
        arg(&paper),
    ]);
    let text = pdf_text(&paper);
    for needed in [
        "Progetto individualizzato di servizio civico",
        "Geom. Verdi",
        "Ambiente e verde pubblico",
        "INAIL-0001",
        "Il tutor",
        "Il partecipante",
    ] {
        assert!(
            text.contains(needed),
            "{needed:?} not in the project: {text}"
        );
    }
    let letter = floridia.path("avvio.pdf");
    floridia.ok(&[
        "print",
        "avvio",
        "--application",
        &ammessi[2],
        "--out",
        arg(&letter),
    ]);
    let text = pdf_text(&letter);
    assert!(
        text.contains("Lettera di avvio al servizio civico"),
        "{text}"
    );
    assert!(
        text.contains(&start.format("%d/%m/%Y").to_string()),
        "{text}"
    );
    refused(
        &floridia,
        &[
            "print",
            "project",
            "--application",
            &ammessi[3],
            "--out",
            arg(&paper),
        ],
        "non ha un progetto",
    );

    // A complaint from the host office: recorded, listed while open, closed with its outcome.
    let id = floridia.json(&[
        "civico",
        "complaint",
        "add",
        "--application",
        &ammessi[2],
        "--from",
        "host",
        "--text",
        "ritardi ripetuti all'ingresso",
    ])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let open = floridia.json(&["civico", "complaint", "list", "--open"]);
    assert_eq!(open.as_array().unwrap().len(), 1, "{open}");
    assert_eq!(open[0]["source"], "host");
    floridia.ok(&[
        "civico",
        "complaint",
        "close",
        &id,
        "--outcome",
        "colloquio con il tutor, risolto",
    ]);
    assert_eq!(
        floridia.json(&["civico", "complaint", "list", "--open"]),
        serde_json::json!([])
    );
    let all = floridia.json(&["civico", "complaint", "list"]);
    assert_eq!(all[0]["outcome"], "colloquio con il tutor, risolto");
    refused(
        &floridia,
        &["civico", "complaint", "close", &id, "--outcome", "di nuovo"],
        "non è tra quelli aperti",
    );
    refused(
        &floridia,
        &[
            "civico",
            "complaint",
            "add",
            "--application",
            &ammessi[3],
            "--from",
            "participant",
            "--text",
            "x",
        ],
        "i reclami riguardano i partecipanti",
    );

    // A month of attendance: every row or none, 4 hours a day and 80 a month at most, paid
    // to the cent.
    let participant = &ammessi[2];
    let sheet = |rows: &[(chrono::NaiveDate, &str)]| {
        let mut text = String::from("codice_domanda;data;ore\n");
        for (day, hours) in rows {
            text.push_str(&format!(
                "{participant};{};{hours}\n",
                day.format("%d/%m/%Y")
            ));
        }
        text
    };
    let days = |n: u32| -> Vec<chrono::NaiveDate> {
        (0..n)
            .map(|i| start + chrono::Duration::days(i64::from(i)))
            .collect()
    };
    let mut month: Vec<(chrono::NaiveDate, &str)> =
        days(20).into_iter().map(|d| (d, "4,00")).collect();
    for (bad, expected) in [
        ((days(21)[20], "4,01"), "al massimo 4 ore al giorno"),
        (
            (start - chrono::Duration::days(1), "2"),
            "fuori dal progetto",
        ),
        ((today_date + chrono::Duration::days(1), "2"), "futuro"),
        ((days(21)[20], "0,5"), "le ore sarebbero 80.5"),
    ] {
        let mut rows = month.clone();
        rows.push(bad);
        let file = floridia.write("presenze.csv", &sheet(&rows));
        refused(
            &floridia,
            &["civico", "attendance", "import", arg(&file)],
            expected,
        );
    }
    let file = floridia.write("presenze.csv", &sheet(&month));
    let imported = floridia.json(&["civico", "attendance", "import", arg(&file)]);
    assert_eq!(imported["rows"], 20);
    month.truncate(1);
    let month_text = start.format("%Y-%m").to_string();
    let payments = floridia.json(&["civico", "payments", "--month", &month_text]);
    assert_eq!(
        payments,
        serde_json::json!([{ "application_code": participant, "hours": "80", "amount": "412.80" }])
    );
    // A day imported again takes its new hours: 79.5 hours, € 410.22.
    let again = floridia.write("correzione.csv", &sheet(&[(start, "3,5")]));
    floridia.ok(&["civico", "attendance", "import", arg(&again)]);
    let payments = floridia.json(&["civico", "payments", "--month", &month_text]);
    assert_eq!(payments[0]["hours"], "79.5");
    assert_eq!(payments[0]["amount"], "410.22");

    // The month's payment list, printed and frozen: a later change goes into a supplementary
    // list with the difference only.
    let pdf = floridia.path("liquidazione.pdf");
    let printed = floridia.json(&[
        "print",
        "payments",
        "--month",
        &month_text,
        "--out",
        arg(&pdf),
    ]);
    assert_eq!(printed["number"], 1);
    assert_eq!(printed["total"], "410.22");
    let text = pdf_text(&pdf);
    for needed in [
        "Elenco di liquidazione",
        participant.as_str(),
        "79,5",
        "€ 410,22",
        "RISERVATO",
    ] {
        assert!(text.contains(needed), "{needed:?} not in the list: {text}");
    }
    let csv = std::fs::read_to_string(floridia.path("liquidazione.csv")).unwrap();
    assert!(
        csv.contains(&format!("{participant};")) && csv.contains(";79,5;410,22"),
        "{csv}"
    );
    refused(
        &floridia,
        &[
            "print",
            "payments",
            "--month",
            &month_text,
            "--out",
            arg(&pdf),
        ],
        "nessuna variazione",
    );
    let back = floridia.write("correzione.csv", &sheet(&[(start, "4")]));
    floridia.ok(&["civico", "attendance", "import", arg(&back)]);
    let pdf2 = floridia.path("integrativo.pdf");
    let second = floridia.json(&[
        "print",
        "payments",
        "--month",
        &month_text,
        "--out",
        arg(&pdf2),
    ]);
    assert_eq!(second["number"], 2);
    assert_eq!(second["total"], "2.58");
    assert!(pdf_text(&pdf2).contains("integrativo"));

    // The month typed in the window's grid: the same checks as an imported sheet, every day
    // or none; only the days that change are written, a day left out is cleared.
    {
        let mut app =
            sportello_app::Sportello::open(&floridia.db, &sportello_tests::credentials()).unwrap();
        let held = app
            .civico()
            .attendance_month(participant, &month_text)
            .unwrap();
        assert_eq!(held.days.len(), 20);
        assert!(held.listed, "the month is in a payment list already");
        let unchanged = app
            .civico()
            .save_attendance_month(participant, &month_text, &held.days)
            .unwrap();
        assert_eq!(unchanged.rows, 0);
        let mut typed: Vec<sportello_app::DayHours> = held.days[1..].to_vec();
        typed[0].hours = "4,5".into();
        let err = app
            .civico()
            .save_attendance_month(participant, &month_text, &typed)
            .unwrap_err();
        assert!(
            err.problems[0]
                .message
                .contains("al massimo 4 ore al giorno"),
            "{err:?}"
        );
        assert_eq!(app.civico().payments(&month_text).unwrap()[0].hours, "80");
        typed[0].hours = "4".into();
        let saved = app
            .civico()
            .save_attendance_month(participant, &month_text, &typed)
            .unwrap();
        assert_eq!(saved.rows, 1, "only the day left out is written");
        let pay = &app.civico().payments(&month_text).unwrap()[0];
        assert_eq!((pay.hours.as_str(), pay.amount.as_str()), ("76", "392.16"));
        // Typed back as it was: the day returns, the month is 80 hours again.
        let back = app
            .civico()
            .save_attendance_month(participant, &month_text, &held.days)
            .unwrap();
        assert_eq!(back.rows, 1);
        assert_eq!(app.civico().payments(&month_text).unwrap()[0].hours, "80");
    }

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
    // The attestato, once the service has ended.
    let attestato = floridia.path("attestato.pdf");
    refused(
        &floridia,
        &[
            "print",
            "attestato",
            "--application",
            participant,
            "--out",
            arg(&attestato),
        ],
        "non è ancora finito",
    );
    // The checks: in itinere during the service; the final one only once it has ended.
    let check = |stage: &str| {
        floridia.write(
            &format!("verifica-{stage}.json"),
            &serde_json::json!({
                "stage": stage, "date": today_date.to_string(),
                "tasks_done": "pulizia e cura delle aiuole della villa",
                "training": "sicurezza nell'uso degli attrezzi",
                "skills": "cura del verde, uso in sicurezza degli attrezzi",
                "employed_after": if stage == "finale" { Some(false) } else { None },
            })
            .to_string(),
        )
    };
    let itinere = check("itinere");
    floridia.ok(&[
        "civico",
        "check",
        "--application",
        participant,
        arg(&itinere),
    ]);
    let finale = check("finale");
    refused(
        &floridia,
        &[
            "civico",
            "check",
            "--application",
            participant,
            arg(&finale),
        ],
        "a servizio finito",
    );
    floridia.ok(&[
        "civico",
        "end",
        "--application",
        participant,
        "--date",
        &today,
        "--reason",
        "progetto completato",
        "--completed",
    ]);
    floridia.ok(&[
        "civico",
        "check",
        "--application",
        participant,
        arg(&finale),
    ]);
    floridia.ok(&[
        "print",
        "attestato",
        "--application",
        participant,
        "--out",
        arg(&attestato),
    ]);
    let text = pdf_text(&attestato);
    for needed in [
        "Attestato di partecipazione al servizio civico",
        "Ambiente e verde pubblico",
        "Villa comunale",
        "80",
        "portandolo a termine",
        "Competenze acquisite",
    ] {
        assert!(
            text.contains(needed),
            "{needed:?} not in the attestato: {text}"
        );
    }

    // A comune sees only its own list; the overview is the capofila's.
    refused(
        &floridia,
        &["civico", "overview", "--bando", BANDO],
        "capofila",
    );

    // A call left unanswered past the days to answer is on the comune's Home.
    let long_ago = (today_date - chrono::Duration::days(20))
        .format("%d/%m/%Y")
        .to_string();
    floridia.ok(&[
        "civico",
        "call",
        "--application",
        &ammessi[3],
        "--date",
        &long_ago,
    ]);
    let home = sportello_app::Sportello::open(&floridia.db, &sportello_tests::credentials())
        .unwrap()
        .overview()
        .unwrap();
    assert_eq!(home.answers_overdue, std::slice::from_ref(&ammessi[3]));

    // Who has not started yet and nears the 60 days (the rules' default), as the whole call
    // list tells it: the Home reads only the lines it watches.
    let mut nearing: Vec<(i64, String)> = floridia
        .json(&["civico", "calls", "--bando", BANDO])
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["start_date"].is_null()
                && ["DA_CHIAMARE", "CHIAMATO", "ACCETTATO"].contains(&c["state"].as_str().unwrap())
                && c["days_since_filing"].as_i64().unwrap() >= 60 - 10
        })
        .map(|c| {
            let days = c["days_since_filing"].as_i64().unwrap();
            (-days, c["application_code"].as_str().unwrap().to_string())
        })
        .collect();
    nearing.sort();
    assert!(
        !nearing.is_empty(),
        "the fixture's applications were filed months ago"
    );
    let mut listed: Vec<(i64, String)> = home
        .waiting_start
        .iter()
        .map(|w| (-w.days_since_filing, w.application_code.clone()))
        .collect();
    listed.sort();
    assert_eq!(listed, nearing);
}
