//! Monitoring from outside: each comune computes its indicators from what it holds and sends
//! its counts with its upload; the capofila's district figures are the sums over the comuni,
//! and each comune's figures read the same at the capofila as at the comune.

use serde_json::Value;
use sportello_tests::{Install, arg, distribute, enrol, fixture_applications};

const FLORIDIA: &str = "089009";
const PALAZZOLO: &str = "089015";
const H1: [&str; 4] = ["--from", "01/01/2026", "--to", "30/06/2026"];

fn indicators(i: &Install, comune: Option<&str>) -> Value {
    let mut args = vec!["monitor", "indicators"];
    args.extend(H1);
    if let Some(c) = comune {
        args.extend(["--comune", c]);
    }
    i.json(&args)
}

fn value(list: &Value, id: &str) -> Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no indicator {id}: {list}"))
        .clone()
}

#[test]
fn the_district_figures_are_the_sums_of_the_comuni() {
    let capofila = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    let floridia = Install::init("district-d48.toml", FLORIDIA);
    let palazzolo = Install::init("district-d48.toml", PALAZZOLO);
    for c in [&floridia, &palazzolo] {
        enrol(&capofila, c);
    }
    distribute(&capofila, &[&floridia, &palazzolo]);
    let apps = fixture_applications();
    floridia.add(&apps[0..7]);
    palazzolo.add(&apps[40..44]);
    // Two front-office contacts at Floridia: the front office's indicators count them.
    let contact = |at: &str| {
        serde_json::json!({
            "at": at, "channel": "telefono", "person": {"anonymous": true, "sex": "F",
            "age_band": "35-44", "residence_istat": FLORIDIA}, "needs": [{"area": 1}],
            "answer": "informazione", "unmet_need": true,
        })
    };
    let contacts = floridia.write(
        "contatti.json",
        &serde_json::json!([
            contact("2026-03-02T09:00:00+01:00"),
            contact("2026-05-04T10:00:00+02:00")
        ])
        .to_string(),
    );
    floridia.ok(&["contact", "add", arg(&contacts)]);
    // Floridia's form of the half-year, closed: the report prints it and its money.
    let form = floridia.write("scheda.json", &form_json("8000.00"));
    let saved = floridia.json(&["monitor", "form", "add", arg(&form)]);
    floridia.ok(&["monitor", "form", "close", saved["id"].as_str().unwrap()]);

    // At a comune: its own, hand-counted; the half-year before had none.
    let own = indicators(&floridia, None);
    let received = value(&own, "sc_domande");
    assert_eq!(received["value"], "7");
    assert_eq!(received["comune"], FLORIDIA);
    assert_eq!(received["previous"], "0");
    assert_eq!(value(&own, "sc_giorni_avvio")["value"], Value::Null);
    assert_eq!(value(&own, "sc_giorni_avvio")["target"], "<= 60");
    assert_eq!(value(&own, "ss_contatti")["value"], "2");
    let refused = floridia.run(&[
        "monitor",
        "indicators",
        "--from",
        "01/01/2026",
        "--to",
        "30/06/2026",
        "--comune",
        PALAZZOLO,
    ]);
    assert_eq!(refused.code, 1, "a comune sees only its own figures");

    for c in [&floridia, &palazzolo] {
        for file in c.export() {
            // What travels for monitoring is figures only: names of counts and numbers.
            let records = sportello_tests::decrypt_upload(
                &capofila,
                "089017",
                &std::fs::read(&file).unwrap(),
            );
            let monitoring: Vec<&Value> = records
                .iter()
                .filter(|r| r["table"] == "monitoring_counts")
                .collect();
            assert!(!monitoring.is_empty(), "the counts travel with the upload");
            for r in monitoring {
                let counts: serde_json::Map<String, Value> =
                    serde_json::from_str(r["body"]["counts"].as_str().unwrap()).unwrap();
                for (name, v) in &counts {
                    assert!(
                        name.bytes()
                            .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_')
                    );
                    assert!(v.as_str().unwrap().parse::<f64>().is_ok(), "{name}: {v}");
                }
                let body = r["body"].to_string();
                for person in apps[0..7].iter().chain(&apps[40..44]) {
                    let p = &person["applicant"];
                    for field in ["codice_fiscale", "surname"] {
                        assert!(!body.contains(p[field].as_str().unwrap()), "{body}");
                    }
                }
            }
            capofila.ok(&["bundle", "import", arg(&file)]);
        }
    }
    let district = indicators(&capofila, None);
    assert_eq!(value(&district, "ss_contatti")["value"], "2");
    assert_eq!(value(&district, "ss_bisogni_senza_risposta")["value"], "2");
    let total = value(&district, "sc_domande");
    assert_eq!(total["comune"], Value::Null);
    assert_eq!(total["value"], "11", "7 at Floridia and 4 at Palazzolo");
    for (c, install) in [(FLORIDIA, &floridia), (PALAZZOLO, &palazzolo)] {
        let there = indicators(install, None);
        let here = indicators(&capofila, Some(c));
        for id in [
            "sc_domande",
            "sc_idonei",
            "sc_ammessi",
            "sc_ore",
            "sc_liquidato",
        ] {
            assert_eq!(
                value(&here, id)["value"],
                value(&there, id)["value"],
                "{c} {id}"
            );
        }
    }
    // The same tables for the offices: CSV with decimal commas, XLSX (a zip) with numbers.
    let csv = capofila.path("indicatori.csv");
    capofila.ok(&[
        "export",
        "monitoring",
        "--period",
        "2026-H1",
        "--out",
        arg(&csv),
    ]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("Ambito;Azione;Indicatore;Codice;Valore"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("Distretto;") && l.contains(";sc_domande;11;")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("Floridia;") && l.contains(";sc_domande;7;")),
        "{text}"
    );
    // The financial table beside it, from the forms (Floridia's, closed).
    let money =
        std::fs::read_to_string(capofila.path("indicatori-quadro-finanziario.csv")).unwrap();
    assert_eq!(
        money.lines().collect::<Vec<_>>(),
        [
            "Azione;Comune;Semestre;Revisione;Stanziato;Impegnato;Liquidato;Da liquidare",
            "Azione 21 – Servizio civico;Floridia;2026-H1;1;30000,00;12000,00;8000,00;4000,00",
        ]
    );
    let xlsx = capofila.path("indicatori.xlsx");
    capofila.ok(&[
        "export",
        "monitoring",
        "--period",
        "2026-H1",
        "--out",
        arg(&xlsx),
    ]);
    assert_eq!(
        &std::fs::read(&xlsx).unwrap()[..2],
        b"PK",
        "an XLSX is a zip archive"
    );
    for bad in [["2026-H3", "x.csv"], ["2026-H1", "x.pdf"]] {
        let out = capofila.path(bad[1]);
        let run = capofila.run(&[
            "export",
            "monitoring",
            "--period",
            bad[0],
            "--out",
            arg(&out),
        ]);
        assert_eq!(run.code, 1, "{bad:?}");
        assert!(!out.exists());
    }

    // A period that is not a half-year: the comuni's counts are per half-year, so the
    // capofila counts only its own.
    let march = capofila.json(&[
        "monitor",
        "indicators",
        "--from",
        "01/03/2026",
        "--to",
        "31/03/2026",
    ]);
    assert_eq!(value(&march, "sc_domande")["value"], "0");

    report_is_printed(&capofila, &floridia);
}

/// The half-year report and the plan's final report, printed at the capofila and read back.
fn report_is_printed(capofila: &Install, floridia: &Install) {
    let pdf = capofila.path("relazione.pdf");
    let printed = capofila.ok(&[
        "print",
        "monitoring",
        "--period",
        "2026-H1",
        "--out",
        arg(&pdf),
    ]);
    assert_eq!(printed.trim(), pdf.display().to_string());
    if let Ok(keep) = std::env::var("SPORTELLO_KEEP_REPORT") {
        std::fs::copy(&pdf, keep).unwrap();
    }
    let text = sportello_tests::pdf_text(&pdf);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Relazione semestrale di monitoraggio · 1° semestre 2026",
        "dal 01/01/2026 al 30/06/2026",
        "Sintesi",
        "Indicatori del distretto",
        "Domande di servizio civico ricevute (domande) 11 0",
        "Contatti dello sportello (contatti) 2 0",
        "Per comune, nel periodo",
        "Distretto, per semestre",
        "2023-H2",
        "Schede di monitoraggio",
        "Azione 21 – Servizio civico · Floridia · 2026-H1 (revisione 1, chiusa il",
        "Dott.ssa Carmela Russo",
        "Quadro finanziario",
        "Totale € 30.000,00 € 12.000,00 € 8.000,00 € 4.000,00 26,7%",
    ] {
        assert!(
            flat.contains(expected),
            "«{expected}» missing from:\n{text}"
        );
    }
    // Two comuni sent their counts; the others are named, so nobody reads a partial total as
    // the district's.
    let missing = flat
        .split("Non hanno ancora inviato i conteggi del periodo:")
        .nth(1)
        .expect("the comuni missing are named");
    let missing = missing.split('.').next().unwrap();
    assert!(
        missing.contains("Sortino") && missing.contains("Ferla"),
        "{missing}"
    );
    assert!(
        !missing.contains("Floridia") && !missing.contains("Palazzolo"),
        "{missing}"
    );
    // Each comune's bar is labelled with its figure: Floridia 7, Palazzolo 4.
    assert!(
        text.lines()
            .any(|l| l.contains("Floridia") && l.contains(" 7")),
        "{text}"
    );
    // Charts are vector graphics: no image in the file.
    let images = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&pdf)
        .output()
        .expect("pdfimages (poppler-utils)");
    let listed = String::from_utf8_lossy(&images.stdout);
    assert_eq!(listed.lines().count(), 2, "only the header lines: {listed}");

    let plan = capofila.path("relazione-finale.pdf");
    capofila.ok(&[
        "print",
        "monitoring",
        "--plan",
        "2025-2027",
        "--out",
        arg(&plan),
    ]);
    let flat_plan = sportello_tests::pdf_text(&plan)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "Relazione finale del piano 2025–2027",
        "dal 01/01/2025 al 31/12/2027",
        "2025-H1",
        "2027-H2",
        "Dott.ssa Carmela Russo",
    ] {
        assert!(
            flat_plan.contains(expected),
            "«{expected}» missing:\n{flat_plan}"
        );
    }

    // At a comune the report is refused: the district's figures are the capofila's.
    let out = floridia.path("relazione.pdf");
    let refused = floridia.run(&[
        "print",
        "monitoring",
        "--period",
        "2026-H1",
        "--out",
        arg(&out),
    ]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("capofila"), "{}", refused.stderr);
    assert!(!out.exists());
    for wrong in [["--period", "2026-H3"], ["--plan", "2027-2025"]] {
        let run = capofila.run(&[
            "print",
            "monitoring",
            wrong[0],
            wrong[1],
            "--out",
            arg(&out),
        ]);
        assert_eq!(run.code, 1, "{wrong:?}");
        assert!(!out.exists());
    }
}

/// The form of action 21 at Floridia for 2026-H1, with `paid` euros paid of 12,000 committed.
fn form_json(paid: &str) -> String {
    serde_json::json!({
        "period": "2026-H1", "action": "21", "manager": "Dott.ssa Carmela Russo",
        "objectives": [{"objective": "Avviare i progetti entro 60 giorni",
                        "progress": "4 avvii su 6, due oltre i 60 giorni"}],
        "activities": "Chiamate, progetti, presenze", "problems": null,
        "corrective_steps": null,
        "budget": {"allocated": "30000.00", "committed": "12000.00", "paid": paid},
        "staff": "1 assistente sociale, 1 amministrativo"
    })
    .to_string()
}

/// The half-year form of an action: written and rewritten while open, closed (read-only), a
/// correction after closing its next revision; refused when incomplete; sent to the capofila.
#[test]
fn half_year_forms_are_closed_and_corrected_as_new_revisions() {
    let capofila = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    let floridia = Install::init("district-d48.toml", FLORIDIA);
    enrol(&capofila, &floridia);
    distribute(&capofila, &[&floridia]);
    let form = form_json;
    let file = floridia.write("scheda.json", &form("8000.00"));
    let first = floridia.json(&["monitor", "form", "add", arg(&file)]);
    assert_eq!(first["revision"], 1);
    let id = first["id"].as_str().unwrap().to_string();
    // Rewritten while open: the same form.
    let again = floridia.json(&["monitor", "form", "add", arg(&file)]);
    assert_eq!(
        (again["id"].as_str(), again["revision"].as_i64()),
        (Some(id.as_str()), Some(1))
    );

    // Paid beyond what was committed: refused, named, nothing changed.
    let before = floridia.json(&["monitor", "form", "list"]);
    let wrong = floridia.write("sbagliata.json", &form("15000.00"));
    let run = floridia.run(&["monitor", "form", "add", arg(&wrong)]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("budget") && run.stderr.contains("impegnato"),
        "{}",
        run.stderr
    );
    assert_eq!(floridia.json(&["monitor", "form", "list"]), before);

    floridia.ok(&["monitor", "form", "close", &id]);
    let closed_again = floridia.run(&["monitor", "form", "close", &id]);
    assert_eq!(closed_again.code, 1);
    assert!(
        closed_again.stderr.contains("già chiusa"),
        "{}",
        closed_again.stderr
    );
    // A correction after closing: revision 2, the closed one kept as it was.
    let corrected = floridia.json(&["monitor", "form", "add", arg(&file)]);
    assert_eq!(corrected["revision"], 2);
    let list = floridia.json(&["monitor", "form", "list"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert!(list[0]["closed_at"].is_string() && list[1]["closed_at"].is_null());

    for f in floridia.export() {
        capofila.ok(&["bundle", "import", arg(&f)]);
    }
    let at_capofila = capofila.json(&["monitor", "form", "list"]);
    assert_eq!(at_capofila.as_array().unwrap().len(), 2);
    assert_eq!(at_capofila[0]["comune"], FLORIDIA);
    assert_eq!(at_capofila[0]["form"]["manager"], "Dott.ssa Carmela Russo");
}

/// The half-year counts read of the front office only what they count (the contacts of the
/// period with their comune, day, person and unmet need, the cases closed in it, its
/// questionnaires): the figures they take are those of the whole statistics, over two years
/// of half-years and periods of any length.
#[test]
fn the_counts_read_the_front_office_figures_of_the_whole_statistics() {
    use chrono::NaiveDate;
    use sportello_domain::front_office::front_office_stats;
    use sportello_domain::monitoring::Period;

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sportello.db");
    let district = std::fs::read_to_string(sportello_tests::fixture("district-d48.toml")).unwrap();
    drop(
        sportello_app::Sportello::init(
            &db,
            &district,
            FLORIDIA,
            &sportello_tests::first_operator(),
        )
        .unwrap(),
    );
    let first = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap();
    // 6,000 contacts over ten years: some 300 a half-year, their cases and questionnaires.
    sportello_tests::bench::seed_front_office(
        &mut sportello_tests::connect(&db).unwrap(),
        FLORIDIA,
        6_000,
        900,
        first,
    );
    let store = sportello_tests::store(&db);
    let today = NaiveDate::from_ymd_opt(2026, 8, 1).unwrap();
    let mut periods: Vec<Period> = (2016..2026)
        .flat_map(|y| ["H1", "H2"].map(|h| Period::half_year(&format!("{y}-{h}")).unwrap()))
        .collect();
    periods.push(Period {
        from: NaiveDate::from_ymd_opt(2019, 2, 17).unwrap(),
        to: NaiveDate::from_ymd_opt(2021, 9, 3).unwrap(),
    });
    for p in periods {
        let stats = |(contacts, cases, satisfaction): (Vec<_>, Vec<_>, Vec<_>)| {
            let s = front_office_stats(
                &contacts,
                &cases,
                &satisfaction,
                p.from,
                p.to,
                today,
                Some(FLORIDIA),
                Some(20_000),
            );
            (
                s.contacts,
                s.cases_closed,
                s.closed_within_target,
                s.unmet_needs,
                s.satisfaction,
            )
        };
        let whole = stats(store.front_office_facts(p.from, p.to).unwrap());
        assert!(
            whole.0 > 0 && whole.1 > 0 && whole.3 > 0,
            "{p:?}: {whole:?}"
        );
        assert_eq!(
            stats(store.front_office_counted(p.from, p.to).unwrap()),
            whole,
            "{p:?}"
        );
    }
}
