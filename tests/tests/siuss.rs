//! SIUSS from outside: a participant whose project runs from November to February is paid
//! month by month; the comune's flow to INPS carries one benefit per month paid, split across
//! the two years, checked here against the layout's constraints; an export again sends nothing;
//! a month paid again goes out as a cancellation and a new insertion; a record that cannot pass
//! the layout (a surname of 40 characters) refuses the whole flow and writes nothing.

use std::collections::HashMap;
use std::process::Command;

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use serde_json::Value;
use sportello_tests::{Install, arg, binary, distribute, enrol, fixture_applications, logged_in};

const BANDO: &str = "SC-2026-1";
const FLORIDIA: &str = "089009";
/// When the months of service are over and paid (faketime, UTC).
const PAID_AT: &str = "2027-03-10 10:00:00";
/// The operator who sends the flow: a valid synthetic codice fiscale.
const OPERATOR_CF: &str = "RSSMRA80A41D636O";

/// `sportello ARGS` at `i` with the clock at `when` (faketime, UTC).
fn at(i: &Install, when: &str, args: &[&str]) -> std::process::Output {
    logged_in(Command::new("faketime"))
        .env("TZ", "UTC")
        .env_remove("SPORTELLO_DB")
        .arg(when)
        .arg(binary("sportello"))
        .arg("--db")
        .arg(&i.db)
        .args(args)
        .output()
        .expect("faketime is missing: scripts/test.sh installs it (apt-get install faketime)")
}

fn ok_at(i: &Install, when: &str, args: &[&str]) -> String {
    let out = at(i, when, args);
    assert!(
        out.status.success(),
        "faketime {when} sportello {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Each element of the flow with its attributes, in document order.
fn elements(xml: &str) -> Vec<(String, HashMap<String, String>)> {
    let mut reader = Reader::from_str(xml);
    let mut found = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().into_inner().to_string();
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("an attribute");
                        (
                            a.key.into_inner().to_string(),
                            a.normalized_value(XmlVersion::Implicit1_0)
                                .expect("its value")
                                .into_owned(),
                        )
                    })
                    .collect();
                found.push((name, attrs));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

/// The layout's constraints on each element the flow carries.
fn check_layout(elements: &[(String, HashMap<String, String>)]) {
    let len = |v: &str| v.chars().count();
    let digits = |v: &str, n: usize| v.len() == n && v.bytes().all(|b| b.is_ascii_digit());
    let date = |v: &str| chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok();
    for (name, a) in elements {
        let get = |k: &str| a.get(k).map(String::as_str);
        match name.as_str() {
            "Flusso" => assert_eq!(get("xmlns"), Some("http://inps.it/Casellario")),
            "IdentificazioneFlusso" => assert!(len(get("Nome").unwrap()) <= 50),
            "Ente" => {
                assert!((1..=32).contains(&len(get("Codice").unwrap())));
                assert_eq!(len(get("Indirizzo").unwrap()), 4);
                assert_eq!(len(get("CFOperatore").unwrap()), 16);
            }
            "Beneficiario" => assert_eq!(len(get("CodiceFiscale").unwrap()), 16),
            "Anagrafica" => {
                for k in ["Cognome", "Nome"] {
                    assert!((1..=36).contains(&len(get(k).unwrap())), "{k}: {a:?}");
                }
                assert!(digits(get("AnnoNascita").unwrap(), 4));
                assert_eq!(len(get("LuogoNascita").unwrap()), 4);
                assert!(matches!(get("Genere"), Some("1" | "2")));
                assert!(digits(get("CodiceCittadinanza").unwrap(), 3));
            }
            "Indirizzo" => {
                assert!(digits(get("CodiceNazione").unwrap(), 3));
                assert!(digits(get("CodiceRegione").unwrap(), 2));
                assert!(digits(get("CodiceComune").unwrap(), 6));
            }
            "PrestazioniSociali" => {
                assert!(matches!(get("TipoOperazione"), Some("I" | "C")));
                assert!(get("PresenzaProvaMezzi").is_some() && get("PresaCarico").is_some());
                let dsu = ["NumeroProtocolloDSU", "AnnoProtocolloDSU", "DataDSU"]
                    .map(|k| get(k).is_some());
                assert!(dsu.iter().all(|x| *x) || dsu.iter().all(|x| !x), "{a:?}");
                assert!(len(get("NumeroProtocolloDSU").unwrap_or("")) <= 30);
                assert!((5..=10).contains(&len(get("CodicePrestazione").unwrap())));
                assert!((10..=200).contains(&len(get("DenominazionePrestazione").unwrap())));
                assert!((1..=32).contains(&len(get("ProtocolloDomanda").unwrap())));
                let (start, end) = (
                    get("DataInizioPrestazione").unwrap(),
                    get("DataFinePrestazione").unwrap(),
                );
                assert!(date(start) && date(end) && start <= end);
                assert_eq!(start[..4], end[..4], "one calendar year");
                let monthly: f64 = get("ImportoMensile").unwrap().parse().unwrap();
                assert!(monthly > 0.0);
                assert!(
                    get("AreaUtenza").is_some(),
                    "PresaCarico 1 needs AreaUtenza"
                );
            }
            other => panic!("element {other} is not in the layout"),
        }
    }
}

#[test]
fn a_project_across_the_year_is_reported_month_by_month_and_only_changes_go_again() {
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
    let later = (chrono::Utc::now() + chrono::Duration::days(15))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    ok_at(&capofila, &later, &publish("definitive"));
    for file in capofila.export() {
        if file.to_string_lossy().contains("-pub-089009-") {
            floridia.ok(&["bundle", "import", arg(&file)]);
        }
    }
    let calls = floridia.json(&["civico", "calls", "--bando", BANDO]);
    let participant = calls[0]["application_code"].as_str().unwrap().to_string();

    // Accepted at once; the project runs from November to February.
    let accepted_on = "2026-10-30 10:00:00";
    ok_at(
        &floridia,
        accepted_on,
        &[
            "civico",
            "answer",
            "--application",
            &participant,
            "--accepts",
            "--date",
            "30/10/2026",
        ],
    );
    let project = floridia.write(
        "progetto.json",
        &serde_json::json!({
            "sector": "ambiente", "site": "Villa comunale", "tutor": "Geom. Verdi",
            "start": "2026-11-02", "end": "2027-02-28", "weekly_hours": 12,
            "inail_position": "INAIL-0001", "rc_policy": "RC-9",
        })
        .to_string(),
    );
    ok_at(
        &floridia,
        accepted_on,
        &[
            "civico",
            "project",
            "--application",
            &participant,
            arg(&project),
        ],
    );

    // Three days a month, paid month by month: 12 hours, € 61.92.
    let mut sheet = String::from("codice_domanda;data;ore\n");
    for month in ["2026-11", "2026-12", "2027-01", "2027-02"] {
        for day in ["03", "10", "17"] {
            sheet.push_str(&format!("{participant};{month}-{day};4\n"));
        }
    }
    let sheet = floridia.write("presenze.csv", &sheet);
    ok_at(
        &floridia,
        PAID_AT,
        &["civico", "attendance", "import", arg(&sheet)],
    );
    for month in ["2026-11", "2026-12", "2027-01", "2027-02"] {
        let pdf = floridia.path(&format!("liquidazione-{month}.pdf"));
        ok_at(
            &floridia,
            PAID_AT,
            &["print", "payments", "--month", month, "--out", arg(&pdf)],
        );
    }

    // The settings are asked for once, then remembered.
    let xml_path = floridia.path("siuss.xml");
    let period = ["--from", "01/11/2026", "--to", "28/02/2027"];
    let export = |out: &std::path::Path, extra: &[&str]| {
        let mut args = vec!["siuss", "export"];
        args.extend(period);
        args.extend(["--out", arg(out), "--json"]);
        args.extend(extra);
        at(&floridia, PAID_AT, &args)
    };
    let missing = export(&xml_path, &[]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--ente"));
    let out = export(
        &xml_path,
        &["--ente", "C089009", "--operatore-cf", OPERATOR_CF],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let done: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(done["flow"], "C089009.PS.20270310.1");
    assert_eq!(
        (done["inserted"].as_u64(), done["cancelled"].as_u64()),
        (Some(4), Some(0))
    );

    let xml = std::fs::read_to_string(&xml_path).unwrap();
    let found = elements(&xml);
    check_layout(&found);
    let benefits: Vec<&HashMap<String, String>> = found
        .iter()
        .filter(|(n, _)| n == "PrestazioniSociali")
        .map(|(_, a)| a)
        .collect();
    let months: Vec<(&str, &str, &str)> = benefits
        .iter()
        .map(|a| {
            (
                a["DataInizioPrestazione"].as_str(),
                a["DataFinePrestazione"].as_str(),
                a["ImportoMensile"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        months,
        [
            ("2026-11-03", "2026-11-17", "61.92"),
            ("2026-12-03", "2026-12-17", "61.92"),
            ("2027-01-03", "2027-01-17", "61.92"),
            ("2027-02-03", "2027-02-17", "61.92"),
        ]
    );
    for a in &benefits {
        assert_eq!(a["TipoOperazione"], "I");
        assert_eq!(a["CodicePrestazione"], "A1.18");
        assert_eq!(a["OreServizioMensile"], "12");
        assert_eq!(a["DataEvento"], "2026-11-02");
        assert_eq!(
            (a["PresaCarico"].as_str(), a["AreaUtenza"].as_str()),
            ("1", "3")
        );
    }
    assert_eq!(found.iter().filter(|(n, _)| n == "Beneficiario").count(), 1);

    // Nothing new: nothing to send.
    let again = export(&floridia.path("di-nuovo.xml"), &[]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("nessuna prestazione nuova"));
    assert!(!floridia.path("di-nuovo.xml").exists());

    // December paid again (a day corrected, a supplementary list): it goes out as a
    // cancellation of what was sent and the new record, in CSV this time.
    let fix = floridia.write(
        "correzione.csv",
        &format!("codice_domanda;data;ore\n{participant};2026-12-10;2\n"),
    );
    ok_at(
        &floridia,
        PAID_AT,
        &["civico", "attendance", "import", arg(&fix)],
    );
    let pdf = floridia.path("integrativo.pdf");
    ok_at(
        &floridia,
        PAID_AT,
        &[
            "print",
            "payments",
            "--month",
            "2026-12",
            "--out",
            arg(&pdf),
        ],
    );
    let csv_path = floridia.path("siuss.csv");
    let out = export(&csv_path, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let done: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(done["flow"], "C089009.PS.20270310.2");
    assert_eq!(
        (done["inserted"].as_u64(), done["cancelled"].as_u64()),
        (Some(1), Some(1))
    );
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let mut rows = csv.lines();
    let header: Vec<&str> = rows.next().unwrap().split(';').collect();
    let column = |row: &str, name: &str| {
        let at = header.iter().position(|h| *h == name).unwrap();
        row.split(';').nth(at).unwrap().to_string()
    };
    let rows: Vec<(String, String)> = rows
        .map(|r| (column(r, "TipoOperazione"), column(r, "ImportoMensile")))
        .collect();
    // 10 hours at € 5.16.
    assert_eq!(
        rows,
        [("C".into(), "61.92".into()), ("I".into(), "51.60".into())]
    );

    // A surname of 40 characters cannot pass the layout: the flow is refused, the person
    // named, no file written.
    let mut form = floridia.json(&["application", "show", &participant])["form"].clone();
    form["applicant"]["surname"] = Value::from("Della Valle di San Giovanni Battista Xyz");
    assert_eq!(
        form["applicant"]["surname"]
            .as_str()
            .unwrap()
            .chars()
            .count(),
        40
    );
    let corrected = floridia.write("cognome.json", &form.to_string());
    ok_at(
        &floridia,
        PAID_AT,
        &[
            "application",
            "correct",
            &participant,
            arg(&corrected),
            "--reason",
            "cognome completo",
        ],
    );
    let long = floridia.path("lungo.xml");
    let refused = export(&long, &[]);
    assert_eq!(refused.status.code(), Some(1));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("Della Valle di San Giovanni Battista Xyz") && message.contains("Cognome"),
        "{message}"
    );
    assert!(!long.exists(), "nothing partial is written");
}
