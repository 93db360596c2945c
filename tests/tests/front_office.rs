//! The front office (segretariato sociale) from outside: contacts at three comuni, their
//! uploads to the capofila, the capofila's statistics equal to the sum of the comuni's, an
//! upload decrypted and found free of names, codici fiscali and request texts, refusals that
//! change nothing, the back office's cases, the scheda di invio and a person's history.

use std::process::Command;

use serde_json::{Value, json};
use sportello_app::Sportello;
use sportello_tests::{Install, arg, distribute, enrol, fixture};

const CAPOFILA: &str = "089017";
const COMUNI: [&str; 3] = ["089009", "089021", "089015"];

/// The fixture district with the front office's key and each comune's residents.
fn district_file(dir: &std::path::Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(fixture("district-d48.toml")).unwrap();
    let text = text.replacen(
        "province = \"SR\"\n",
        &format!("province = \"SR\"\ncontact_key = \"{}\"\n", "5a".repeat(32)),
        1,
    );
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(line);
        out.push('\n');
        if line.starts_with("belfiore = ") {
            out.push_str("population = 20000\n");
        }
    }
    let path = dir.join("distretto-sportello.toml");
    std::fs::write(&path, out).unwrap();
    path
}

fn install(district: &std::path::Path, comune: &str) -> Install {
    let i = Install::new();
    i.ok(&["init", "--district", arg(district), "--comune", comune]);
    with_map(i)
}

/// `i` with the service its contacts name in its map (a local entry, or at the capofila the
/// district catalogue): a contact may name only services of the map.
fn with_map(i: Install) -> Install {
    let map = i.write(
        "servizi.csv",
        "id;nome;area\nsfratti;Sportello sfratti e morosità incolpevole;3\n",
    );
    i.ok(&["services", "import", arg(&map)]);
    i
}

/// The fictional people of the domain brief, with their requests in words.
const PEOPLE: [(&str, &str, &str); 3] = [
    ("RSSMRA80A01I754N", "Rossi", "Mario"),
    ("BNCGLI92M55D636B", "Bianchi", "Giulia"),
    ("VRDSVT87T20M279N", "Verdi", "Salvatore"),
];

fn request(n: usize) -> String {
    format!("Richiesta riservata numero {n}: sfratto imminente e affitto arretrato")
}

fn identified(n: usize, at: &str, answer: &str) -> Value {
    let (cf, surname, name) = PEOPLE[n % PEOPLE.len()];
    let mut c = json!({
        "at": at, "channel": "sportello", "interlocutor": "utente", "sent_by": "spontaneo",
        "person": {"codice_fiscale": cf, "surname": surname, "name": name},
        "needs": [{"area": 3, "local_area": "casa"}], "request": request(n),
        "answer": answer, "services": ["sfratti"],
    });
    if answer == "istruttoria" {
        c["case"] = json!({"kind": "generica"});
    }
    c
}

fn anonymous(at: &str) -> Value {
    json!({
        "at": at, "channel": "telefono", "person": {"anonymous": true, "sex": "F",
        "age_band": "35-44", "residence_istat": "089009"}, "needs": [{"area": 1}],
        "answer": "informazione", "unmet_need": true,
    })
}

/// What comune `k` (0, 1, 2) records: a person twice on one day (one contact), again on
/// another day, two anonymous calls the same day (two contacts), an istruttoria.
fn contacts_of(k: usize) -> Vec<Value> {
    let mut list = vec![
        identified(k, "2026-03-02T09:00:00+01:00", "informazione"),
        identified(k, "2026-03-02T11:30:00+01:00", "istruttoria"),
        identified(k, "2026-03-05T10:00:00+01:00", "informazione"),
        anonymous("2026-03-02T10:00:00+01:00"),
        anonymous("2026-03-02T10:05:00+01:00"),
    ];
    // Comune k records k more anonymous contacts, so the comuni differ.
    for _ in 0..k {
        list.push(anonymous("2026-03-03T10:00:00+01:00"));
    }
    list
}

fn stats(i: &Install, comune: Option<&str>) -> Value {
    let mut args = vec![
        "stats",
        "front-office",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
    ];
    if let Some(c) = comune {
        args.extend(["--comune", c]);
    }
    i.json(&args)
}

/// The figures that add up across comuni.
const ADDITIVE: &[&str] = &[
    "contacts",
    "visits",
    "anonymous_contacts",
    "persons",
    "new_persons",
    "cases_opened",
    "cases_closed",
    "closed_within_target",
    "open",
    "overdue",
    "unmet_needs",
];
const ADDITIVE_MAPS: &[&str] = &[
    "by_comune",
    "by_channel",
    "by_area",
    "by_answer",
    "by_sender",
    "unmet_needs_by_area",
];

#[test]
fn district_statistics_are_the_sum_of_the_comuni_and_uploads_identify_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let district = district_file(dir.path());
    let capofila = install(&district, CAPOFILA);
    let comuni: Vec<Install> = COMUNI.iter().map(|c| install(&district, c)).collect();
    for c in &comuni {
        enrol(&capofila, c);
    }
    distribute(&capofila, &comuni.iter().collect::<Vec<_>>());

    let mut own_stats = Vec::new();
    for (k, c) in comuni.iter().enumerate() {
        let file = c.write("contatti.json", &Value::Array(contacts_of(k)).to_string());
        let added = c.json(&["contact", "add", arg(&file)]);
        let added = added.as_array().unwrap();
        assert_eq!(added.len(), 5 + k);
        assert_eq!(added[1]["case_id"], 2);
        assert_eq!(added[1]["due_on"], "2026-04-01", "30 calendar days");
        assert!(added[0]["case_id"].is_null());
        // Closed on the due date: within target.
        c.ok(&[
            "case",
            "close",
            "2",
            "--date",
            "2026-04-01",
            "--outcome",
            "accolta",
        ]);
        let s = stats(c, None);
        assert_eq!(s["contacts"], 4 + k as u64, "twice on 2 March = one: {s}");
        assert_eq!(s["visits"], 5 + k as u64);
        assert_eq!(s["persons"], 1);
        assert_eq!(s["anonymous_contacts"], 2 + k as u64);
        assert_eq!(s["closed_within_target"], 1);
        assert_eq!(s["closed_within_target_share"], 1.0);
        assert_eq!(s["contacts_per_1000_residents"], (4 + k) as f64 / 20.0);
        own_stats.push(s);
    }

    for c in &comuni {
        for file in c.export() {
            let bytes = std::fs::read(&file).unwrap();
            let records = sportello_tests::decrypt_upload(&capofila, CAPOFILA, &bytes);
            let text = serde_json::to_string(&records).unwrap();
            assert!(text.contains("\"contacts\""), "the upload carries contacts");
            assert!(text.contains("front_office_cases"), "and cases");
            for (cf, surname, name) in PEOPLE {
                for secret in [cf, surname, name] {
                    assert!(!text.contains(secret), "{secret} travelled: {text}");
                }
            }
            assert!(!text.contains("sfratto"), "a request's text travelled");
            assert!(
                !text.contains("Richiesta riservata"),
                "a request's text travelled"
            );
            capofila.ok(&["bundle", "import", arg(&file)]);
        }
    }

    let district_stats = stats(&capofila, None);
    for key in ADDITIVE {
        let sum: u64 = own_stats.iter().map(|s| s[key].as_u64().unwrap()).sum();
        assert_eq!(district_stats[key], sum, "{key}: {district_stats}");
    }
    for map in ADDITIVE_MAPS {
        for (k, v) in district_stats[map].as_object().unwrap() {
            let sum: u64 = own_stats
                .iter()
                .map(|s| s[map][k].as_u64().unwrap_or(0))
                .sum();
            assert_eq!(v.as_u64().unwrap(), sum, "{map}.{k}");
        }
    }
    // The person recorded at each comune is a different one: three persons, each recognised
    // by the keyed digest alone.
    assert_eq!(district_stats["persons"], 3);
    assert_eq!(district_stats["by_comune"].as_object().unwrap().len(), 3);
    assert_eq!(
        district_stats["population"],
        20000 * 11,
        "every comune of D48"
    );
    for (c, own) in COMUNI.iter().zip(&own_stats) {
        let at_capofila = stats(&capofila, Some(c));
        for key in ADDITIVE {
            assert_eq!(at_capofila[key], own[key], "{c} {key}");
        }
    }
}

const FRONT_OFFICE_TABLES: &[&str] = &[
    "contacts",
    "contact_private",
    "front_office_cases",
    "case_diary",
    "satisfaction",
    "satisfaction_suggestions",
    "audit_log",
];

#[test]
fn refusals_name_the_contact_and_the_field_and_change_nothing() {
    let i = with_map(Install::init("district-d48.toml", "089009"));
    let first = i.write(
        "uno.json",
        &identified(0, "2026-03-02T09:00:00+01:00", "informazione").to_string(),
    );
    let one = i.json(&["contact", "add", arg(&first)]);
    assert_eq!(one["id"], 1, "one object, one object back: {one}");
    let before = i.tables(FRONT_OFFICE_TABLES);
    let mut wrong_cf = identified(1, "2026-03-02T09:00:00+01:00", "informazione");
    wrong_cf["person"]["codice_fiscale"] = json!("BNCGLI92M55D636X");
    let mut no_kind = identified(2, "2026-03-02T09:00:00+01:00", "istruttoria");
    no_kind["case"] = json!({"kind": "ricovero"});
    let mut channel = anonymous("2026-03-02T09:00:00+01:00");
    channel["channel"] = json!("piccione");
    let mut not_in_map = identified(0, "2026-03-02T09:00:00+01:00", "informazione");
    not_in_map["services"] = json!(["sfratti", "teletrasporto"]);
    let cases = [
        (vec![not_in_map], "contatto 1, campo services[1]"),
        (
            vec![anonymous("2026-03-02T09:00:00+01:00"), wrong_cf],
            "contatto 2, campo person.codice_fiscale",
        ),
        (vec![no_kind], "contatto 1, campo case.kind"),
        (
            vec![anonymous("2026-03-02T09:00:00+01:00"), channel],
            "contatto 2, campo channel",
        ),
        (
            vec![anonymous("2099-03-02T09:00:00+01:00")],
            "contatto 1, campo at",
        ),
    ];
    for (batch, says) in cases {
        let file = i.write("lotto.json", &Value::Array(batch).to_string());
        let run = i.run(&["contact", "add", arg(&file)]);
        assert_eq!(run.code, 1, "{}", run.stdout);
        assert!(run.stderr.contains(says), "{says}: {}", run.stderr);
        assert!(run.stderr.contains("nessun contatto è stato salvato"));
        assert_eq!(i.tables(FRONT_OFFICE_TABLES), before, "{says}");
    }
    // A case closed with an outcome that is not one, or before it opened: nothing changes.
    let open = i.write(
        "istruttoria.json",
        &identified(1, "2026-03-02T09:00:00+01:00", "istruttoria").to_string(),
    );
    i.ok(&["contact", "add", arg(&open)]);
    let before = i.tables(FRONT_OFFICE_TABLES);
    for args in [
        [
            "case",
            "close",
            "2",
            "--date",
            "2026-03-10",
            "--outcome",
            "forse",
        ],
        [
            "case",
            "close",
            "2",
            "--date",
            "2026-03-01",
            "--outcome",
            "accolta",
        ],
        [
            "case",
            "close",
            "9",
            "--date",
            "2026-03-10",
            "--outcome",
            "accolta",
        ],
    ] {
        let run = i.run(&args);
        assert_eq!(run.code, 1, "{args:?}");
        assert_eq!(i.tables(FRONT_OFFICE_TABLES), before, "{args:?}");
    }
    // A revisore reads statistics, not contacts, and records none.
    i.ok(&["operator", "add", "rev", "--role", "revisore"]);
    let run = i.run_as("rev", &["contact", "add", arg(&first)]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("ruolo"), "{}", run.stderr);
    assert_eq!(i.run_as("rev", &["contact", "list"]).code, 1);
    let s = i.run_as(
        "rev",
        &[
            "stats",
            "front-office",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--json",
        ],
    );
    assert_eq!(s.code, 0, "{}", s.stderr);
}

#[test]
fn the_back_office_works_its_cases_and_prints_the_scheda_di_invio() {
    let i = with_map(Install::init("district-d48.toml", "089009"));
    let mut invio = identified(1, "2026-03-02T09:00:00+01:00", "invio");
    invio["referral"] = json!({"to": "Consultorio familiare", "bring": "tessera sanitaria"});
    let batch = vec![
        identified(0, "2026-03-02T09:00:00+01:00", "istruttoria"),
        invio,
    ];
    let file = i.write("c.json", &Value::Array(batch).to_string());
    i.ok(&["contact", "add", arg(&file)]);

    // The work list: case 1, due 1 April 2026 (past by now: overdue).
    let list = i.json(&["case", "list"]);
    assert_eq!(list[0]["id"], 1);
    assert_eq!(list[0]["due_on"], "2026-04-01");
    i.ok(&[
        "case",
        "note",
        "1",
        "--text",
        "Chiesti i documenti del reddito",
    ]);
    i.ok(&["case", "assign", "1", "--operator", "test"]);
    let overdue = i.json(&["contact", "list", "--overdue"]);
    assert_eq!(overdue.as_array().unwrap().len(), 1);
    let closed = i.json(&[
        "case",
        "close",
        "1",
        "--date",
        "2026-04-02",
        "--outcome",
        "respinta",
        "--note",
        "Reddito oltre la soglia",
    ]);
    assert_eq!(
        closed["within_target"], false,
        "closed the day after the due date"
    );
    let kinds: Vec<&str> = closed["diary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["nota", "assegnazione", "chiusura"]);
    assert_eq!(i.json(&["contact", "list", "--open"]), json!([]));

    // The invio: the scheda, then whether the service took it up.
    let pdf = i.path("invio.pdf");
    i.ok(&["print", "referral", "--contact", "2", "--out", arg(&pdf)]);
    let text = pdf_text(&pdf);
    for words in [
        "Scheda di invio",
        "Giulia Bianchi",
        "BNCGLI92M55D636B",
        "Consultorio familiare",
        "tessera sanitaria",
        "povertà ed esclusione sociale",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
    i.ok(&["referral", "taken-up", "2", "--date", "2026-03-10"]);
    let refused = i.run(&["print", "referral", "--contact", "1", "--out", arg(&pdf)]);
    assert_eq!(refused.code, 1, "contact 1 is no invio");

    // Questionnaires and their averages.
    let q = i.write(
        "q.json",
        r#"[{"date": "2026-03-02", "courtesy": 5, "clarity": 4, "waiting": 2, "finding": 3,
             "suggestion": "Più sedie in sala d'attesa"},
            {"date": "2026-03-03", "courtesy": 4}]"#,
    );
    i.ok(&["satisfaction", "add", arg(&q)]);
    let bad = i.write("q2.json", r#"{"courtesy": 6}"#);
    assert_eq!(i.run(&["satisfaction", "add", arg(&bad)]).code, 1);
    let csv = i.path("statistiche.csv");
    let s = i.json(&[
        "stats",
        "front-office",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--csv",
        arg(&csv),
    ]);
    assert_eq!(s["satisfaction"]["responses"], 2);
    assert_eq!(s["satisfaction"]["courtesy"], 4.5);
    assert_eq!(s["top_services"][0]["id"], "sfratti");
    assert_eq!(s["by_outcome"]["respinta"], 1);
    let csv = std::fs::read_to_string(csv).unwrap();
    assert!(csv.contains("soddisfazione;cortesia;4,5"), "{csv}");

    // A person's history: an audited read.
    let h = i.json(&["contact", "history", "--codice-fiscale", "RSSMRA80A01I754N"]);
    assert_eq!(h["contacts"].as_array().unwrap().len(), 1);
    let audit = i.json(&["audit", "list"]);
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in [
        "contact_add",
        "case_note",
        "case_assign",
        "case_close",
        "referral_taken_up",
        "satisfaction_add",
        "person_history",
        "print_referral",
    ] {
        assert!(
            actions.contains(&action),
            "{action} not audited: {actions:?}"
        );
    }
    let trail = serde_json::to_string(&audit).unwrap();
    assert!(
        !trail.contains("Reddito oltre"),
        "the trail keeps no note text"
    );
    assert!(
        !trail.contains("sfratto"),
        "the trail keeps no request text"
    );
}

fn pdf_text(pdf: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is missing: scripts/test.sh installs poppler-utils");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The Home lists the cases due within 3 days and the overdue ones, most urgent first; kinds
/// set by the capofila give due dates in calendar or working days.
#[test]
fn the_home_lists_cases_due_soon_and_overdue() {
    let capofila = with_map(Install::init("district-d48.toml", CAPOFILA));
    let kinds = capofila.write(
        "tipi.toml",
        "[[case_kinds]]\nid = \"breve\"\nname = \"Pratica breve\"\ntarget_days = 2\n\n\
         [[case_kinds]]\nid = \"lavorativi\"\nname = \"Cinque giorni lavorativi\"\n\
         target_days = 5\nworking_days = true\n\n\
         [[case_kinds]]\nid = \"generica\"\nname = \"Istruttoria generica\"\ntarget_days = 30\n",
    );
    capofila.ok(&["settings", "case-kinds", arg(&kinds)]);
    let case = |at: Option<&str>, kind: &str| {
        let mut c = anonymous("2026-03-02T09:00:00+01:00");
        match at {
            Some(at) => c["at"] = json!(at),
            None => {
                c.as_object_mut().unwrap().remove("at");
            }
        }
        c["answer"] = json!("istruttoria");
        c["case"] = json!({ "kind": kind });
        c
    };
    let batch = vec![
        case(None, "breve"),
        case(Some("2026-04-30T10:00:00+02:00"), "lavorativi"),
        case(None, "generica"),
    ];
    let file = capofila.write("c.json", &Value::Array(batch).to_string());
    let added = capofila.json(&["contact", "add", arg(&file)]);
    // Thursday 30 April: 1 May and the weekend skipped, five working days end on 8 May.
    assert_eq!(added[1]["due_on"], "2026-05-08");

    let home = Sportello::open(&capofila.db, &sportello_tests::credentials())
        .unwrap()
        .overview()
        .unwrap();
    let listed: Vec<(i64, bool)> = home.cases_due.iter().map(|c| (c.id, c.overdue)).collect();
    assert_eq!(
        listed,
        [(2, true), (1, false)],
        "overdue first, then due in 2 days"
    );
}
