//! Monitoraggio in the real window of the demo district. Floridia starts two participants from
//! the definitive ranking, records their hours, prints and freezes the month's payment list,
//! receives a complaint and front-office contacts, and sends its upload: the capofila's window
//! then shows the district's and Floridia's indicators exactly as `monitor indicators --json`
//! gives them for the same database, draws them per comune and over the half-years, saves the
//! table as XLSX and CSV, prints the half-year's report and the plan's final one, and a half-year form is filled (refused first), closed and corrected
//! as its next revision. At Floridia the SIUSS flow is refused with every problem under its
//! person, nothing written; corrected, it is written and read back. On the smallest screen the
//! indicators fit.

use chrono::{Datelike, Months, NaiveDate};
use serde_json::Value;

use super::civico::{carry, cli};
use super::*;

const BANDO: &str = "SC-2026-1";
const FLORIDIA: &str = "089009";
/// The operator who sends the SIUSS flow: a valid synthetic codice fiscale.
const OPERATOR_CF: &str = "RSSMRA80A41D636O";
/// Surnames too long for INPS's layout (1 to 36 characters): 40 and 38.
const LONG_SURNAMES: [&str; 2] = [
    "Della Valle di San Giovanni Battista Xyz",
    "Lo Presti Bonanno Santangelo Di Natale",
];

/// The half-year of `day` as `AAAA-H1`/`AAAA-H2`, with its first and last day.
fn half_year(day: NaiveDate) -> (String, NaiveDate, NaiveDate) {
    let (first, last, half) = if day.month() <= 6 {
        ((1, 1), (6, 30), 1)
    } else {
        ((7, 1), (12, 31), 2)
    };
    let on = |(m, d)| NaiveDate::from_ymd_opt(day.year(), m, d).expect("a day");
    (format!("{}-H{half}", day.year()), on(first), on(last))
}

/// `monitor indicators --json` over the half-year `from`..`to`, of `comune` or the district.
fn indicators_cli(db: &Path, from: NaiveDate, to: NaiveDate, comune: Option<&str>) -> Value {
    let (from, to) = (
        from.format("%d/%m/%Y").to_string(),
        to.format("%d/%m/%Y").to_string(),
    );
    let mut args = vec!["monitor", "indicators", "--from", &from, "--to", &to];
    if let Some(c) = comune {
        args.extend(["--comune", c]);
    }
    args.push("--json");
    serde_json::from_str(&cli(db, 0, &args)).expect("indicators JSON")
}

/// Whether two decimal texts (or their absence) are the same number.
fn same_number(shown: &str, expected: &Value) -> bool {
    match expected.as_str() {
        None => shown.is_empty(),
        Some(e) => match (shown.parse::<f64>(), e.parse::<f64>()) {
            (Ok(a), Ok(b)) => (a - b).abs() < 1e-9,
            _ => false,
        },
    }
}

/// Fails unless the indicators table shows, row by row, the values, previous half-year and
/// misses of `expected` (the CLI's JSON for the same scope and half-year).
async fn table_matches(w: &Window, expected: &Value, what: &str) -> Outcome {
    let rows = w
        .client()
        .execute(
            "return [...document.querySelectorAll(\"[data-testid='indicatori'] tr[data-indicatore]\")]
               .map((tr) => [tr.dataset.indicatore,
                             tr.querySelector(\"[data-testid='valore']\").dataset.value,
                             tr.querySelector(\"[data-testid='precedente']\").dataset.value,
                             tr.querySelector(\"[data-testid='esito']\").innerText.trim()]);",
            vec![],
        )
        .await?;
    let rows = rows.as_array().cloned().unwrap_or_default();
    let expected = expected.as_array().cloned().unwrap_or_default();
    if rows.len() != expected.len() {
        return Err(format!(
            "{what}: {} indicators shown, {} from the command line",
            rows.len(),
            expected.len()
        )
        .into());
    }
    let mut nonzero = 0;
    for e in &expected {
        let id = e["id"].as_str().unwrap_or_default();
        let row = rows
            .iter()
            .find(|r| r[0] == id)
            .ok_or_else(|| format!("{what}: {id} is not shown"))?;
        let (value, previous, mark) = (
            row[1].as_str().unwrap_or_default(),
            row[2].as_str().unwrap_or_default(),
            row[3].as_str().unwrap_or_default(),
        );
        if !same_number(value, &e["value"]) || !same_number(previous, &e["previous"]) {
            return Err(format!(
                "{what}: {id} shows {value:?} (before {previous:?}), the command line {} \
                 (before {})",
                e["value"], e["previous"]
            )
            .into());
        }
        let misses = e["misses_target"] == json!(true);
        if misses != mark.contains("Fuori obiettivo") {
            return Err(format!("{what}: {id} is marked {mark:?}, misses {misses}").into());
        }
        if value.parse::<f64>().is_ok_and(|v| v != 0.0) {
            nonzero += 1;
        }
    }
    if nonzero < 5 {
        return Err(format!("{what}: only {nonzero} indicators are not zero").into());
    }
    Ok(())
}

/// Waits until the chart `id` is drawn.
async fn drawn(w: &Window, id: &str) -> Outcome {
    w.find(&format!(
        "[data-testid='grafico-{id}'][data-disegnato='sì'] canvas"
    ))
    .await?;
    Ok(())
}

/// Corrects the applicant's surname of application `code` at `db`.
fn correct_surname(db: &Path, code: &str, surname: &str, dir: &Path) {
    let shown: Value = serde_json::from_str(&cli(db, 0, &["application", "show", code, "--json"]))
        .expect("application JSON");
    let mut form = shown["form"].clone();
    form["applicant"]["surname"] = Value::from(surname);
    let file = dir.join(format!("correzione-{code}.json"));
    std::fs::write(&file, form.to_string()).expect("the correction's file");
    cli(
        db,
        0,
        &[
            "application",
            "correct",
            code,
            &text(&file),
            "--reason",
            "cognome come da documento",
        ],
    );
}

#[test]
fn monitoring_shows_the_indicators_keeps_the_forms_and_sends_siuss_in_the_window() {
    let demo = demo_district();
    let capofila = demo.path().join("capofila.db");
    let floridia = demo.path().join("comuni").join(format!("{FLORIDIA}.db"));
    let post = demo.path().join("posta-monitoraggio");
    let work = demo.path().join("lavoro");
    std::fs::create_dir_all(&post).expect("post folder");
    std::fs::create_dir_all(&work).expect("work folder");

    // The definitive ranking (after the objections window) reaches Floridia.
    cli(
        &capofila,
        15,
        &[
            "ranking",
            "publish",
            "--bando",
            BANDO,
            "--stage",
            "definitive",
            "--confirm-cross-comune",
        ],
    );
    carry(&capofila, &floridia, Some(FLORIDIA), &post);

    // Two participants accept; their projects started on the first day of last month; three
    // days of attendance each, and the month's payment list printed (frozen).
    let calls: Value = serde_json::from_str(&cli(
        &floridia,
        0,
        &["civico", "calls", "--bando", BANDO, "--json"],
    ))
    .expect("calls JSON");
    let participants: Vec<String> = calls
        .as_array()
        .expect("the call list")
        .iter()
        .filter_map(|c| c["application_code"].as_str().map(str::to_string))
        .take(2)
        .collect();
    assert_eq!(participants.len(), 2, "{calls}");
    let today = chrono::Local::now().date_naive();
    let start = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap() - Months::new(1);
    let end = start + Months::new(3);
    let month = start.format("%Y-%m").to_string();
    let today_text = today.format("%d/%m/%Y").to_string();
    let mut sheet = String::from("codice_domanda;data;ore\n");
    for code in &participants {
        cli(
            &floridia,
            0,
            &[
                "civico",
                "answer",
                "--application",
                code,
                "--accepts",
                "--date",
                &today_text,
            ],
        );
        let project = work.join(format!("progetto-{code}.json"));
        std::fs::write(
            &project,
            json!({
                "sector": "ambiente", "site": "Villa comunale", "tutor": "Geom. Verdi",
                "start": start.to_string(), "end": end.to_string(), "weekly_hours": 12,
                "inail_position": "INAIL-0001", "rc_policy": "RC-9",
            })
            .to_string(),
        )
        .expect("the project's file");
        cli(
            &floridia,
            0,
            &["civico", "project", "--application", code, &text(&project)],
        );
        for d in [3, 10, 17] {
            sheet.push_str(&format!("{code};{};4\n", start.with_day(d).unwrap()));
        }
    }
    let sheet_file = work.join("presenze.csv");
    std::fs::write(&sheet_file, sheet).expect("the attendance sheet");
    cli(
        &floridia,
        0,
        &["civico", "attendance", "import", &text(&sheet_file)],
    );
    cli(
        &floridia,
        0,
        &[
            "print",
            "payments",
            "--month",
            &month,
            "--out",
            &text(&work.join("liquidazione.pdf")),
        ],
    );
    // A complaint from the host office, closed; two people at the front office today.
    let complaint: Value = serde_json::from_str(&cli(
        &floridia,
        0,
        &[
            "civico",
            "complaint",
            "add",
            "--application",
            &participants[0],
            "--from",
            "host",
            "--text",
            "ritardi all'ingresso",
            "--json",
        ],
    ))
    .expect("complaint JSON");
    cli(
        &floridia,
        0,
        &[
            "civico",
            "complaint",
            "close",
            complaint["id"].as_str().expect("the complaint's id"),
            "--outcome",
            "colloquio con il tutor",
        ],
    );
    let an_hour_ago = (chrono::Local::now() - chrono::Duration::hours(1))
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string();
    let contacts = work.join("contatti.json");
    std::fs::write(
        &contacts,
        json!([
            {"at": an_hour_ago, "channel": "telefono", "person": {"anonymous": true, "sex": "F",
             "age_band": "35-44", "residence_istat": FLORIDIA}, "needs": [{"area": 1}],
             "answer": "informazione", "unmet_need": true},
            {"at": an_hour_ago, "channel": "sportello", "person": {"anonymous": true, "sex": "M",
             "age_band": "45-54", "residence_istat": FLORIDIA}, "needs": [{"area": 3}],
             "answer": "informazione"},
        ])
        .to_string(),
    )
    .expect("the contacts' file");
    cli(&floridia, 0, &["contact", "add", &text(&contacts)]);
    carry(&floridia, &capofila, None, &post);

    let (period, from, to) = half_year(today);
    let district = indicators_cli(&capofila, from, to, None);
    let of_floridia = indicators_cli(&capofila, from, to, Some(FLORIDIA));
    let at_floridia = indicators_cli(&floridia, from, to, None);

    // ---- The capofila: the indicators, the charts, the table for the offices, a form ----
    let xlsx = work.join("indicatori.xlsx");
    let csv = work.join("indicatori.csv");
    let report = work.join("relazione.pdf");
    let plan = work.join("piano.pdf");
    let plan_years = format!("{}-{}", today.year() - 1, today.year() + 1);
    let plan_text = text(&plan);
    let (xlsx_text, report_text, period_for_steps) = (text(&xlsx), text(&report), period.clone());
    let capofila_args = [OsString::from("--db"), capofila.clone().into_os_string()];
    let capofila_for_steps = capofila.clone();
    let of_floridia_for_steps = of_floridia.clone();
    in_window(&capofila_args, move |w| async move {
        w.log_in_as(DEMO.0, DEMO.1).await?;
        w.go("monitoraggio").await?;
        check_eq(
            &w.value_of("[data-testid='m-periodo']").await?,
            &period_for_steps,
            "the half-year shown first is the current one",
        )?;
        w.wait_text("[data-testid='m-ambito']", "Distretto").await?;
        table_matches(&w, &district, "the district").await?;
        w.wait_text("[data-testid='sintesi']", "").await?;
        // The days to start miss their target (≤ 60): marked in words, drawn with its line.
        w.wait_text(
            "[data-testid='indicatori'] tr[data-indicatore='sc_giorni_avvio']",
            "Fuori obiettivo",
        )
        .await?;
        w.click("[data-testid='grafico-sc_giorni_avvio']").await?;
        w.wait_text("#grafici-titolo", "Giorni medi dalla domanda all'avvio")
            .await?;
        drawn(&w, "per-comune").await?;
        drawn(&w, "andamento").await?;
        // The chart's numbers are said in words and listed in its table.
        let said = w
            .find("[data-testid='grafico-per-comune'] [role='img']")
            .await?
            .attr("aria-label")
            .await?
            .unwrap_or_default();
        if !said.contains("Floridia") || !said.contains("Obiettivo ≤ 60") {
            return Err(format!("the chart per comune says {said:?}").into());
        }
        w.client().execute("window.scrollTo(0, 0);", vec![]).await?;
        w.screenshot("monitoraggio").await?;

        // One comune's indicators.
        w.choose("[data-testid='m-comune']", FLORIDIA).await?;
        w.wait_text("[data-testid='m-ambito']", "Floridia").await?;
        table_matches(&w, &of_floridia_for_steps, "Floridia at the capofila").await?;
        w.choose("[data-testid='m-comune']", "").await?;
        w.wait_text("[data-testid='m-ambito']", "Distretto").await?;

        // The table for the offices, as XLSX then CSV.
        w.type_into("[data-testid='m-file']", &xlsx_text).await?;
        w.click("[data-testid='m-xlsx']").await?;
        w.wait_text("[data-testid='m-salvato']", "indicatori.xlsx")
            .await?;
        w.click("[data-testid='m-csv']").await?;
        w.wait_text("[data-testid='m-salvato']", "indicatori.csv")
            .await?;

        // The half-year's report, printed.
        w.type_into("[data-testid='m-relazione-path']", &report_text)
            .await?;
        w.click("[data-testid='m-relazione-open']").await?;
        w.click("[data-testid='m-relazione-button']").await?;
        w.wait_text("[data-testid='m-relazione-saved']", "relazione.pdf")
            .await?;
        // And the plan's final report, over the years typed.
        w.type_into("[data-testid='m-piano']", &plan_years).await?;
        w.type_into("[data-testid='m-piano-relazione-path']", &plan_text)
            .await?;
        w.click("[data-testid='m-piano-relazione-open']").await?;
        w.click("[data-testid='m-piano-relazione-button']").await?;
        w.wait_text("[data-testid='m-piano-relazione-saved']", "piano.pdf")
            .await?;

        // A half-year form: an amount that cannot be read, then paid above committed (the
        // app's refusal, by field); saved, closed after confirming, corrected as revision 2.
        w.click("[data-testid='scheda-monitoraggio-schede']")
            .await?;
        w.click("[data-testid='nuova-scheda']").await?;
        w.choose("[data-testid='s-azione']", "21").await?;
        w.type_into("[data-testid='s-responsabile']", "Dott.ssa Carmela Russo")
            .await?;
        w.type_into(
            "[data-testid='s-obiettivo-0']",
            "Avviare i progetti entro 60 giorni",
        )
        .await?;
        w.type_into("[data-testid='s-avanzamento-0']", "2 avvii, in ritardo")
            .await?;
        w.click("[data-testid='aggiungi-obiettivo']").await?;
        w.type_into("[data-testid='s-obiettivo-1']", "Chiudere ogni reclamo")
            .await?;
        w.type_into("[data-testid='s-avanzamento-1']", "1 su 1")
            .await?;
        w.type_into(
            "[data-testid='s-attivita']",
            "Chiamate dalla graduatoria definitiva, progetti, presenze",
        )
        .await?;
        w.type_into(
            "[data-testid='s-criticita']",
            "Avvii oltre i 60 giorni dalla domanda",
        )
        .await?;
        w.type_into("[data-testid='s-allocated']", "30.000,00")
            .await?;
        w.type_into("[data-testid='s-committed']", "12.500").await?;
        w.type_into("[data-testid='s-paid']", "8.000,00").await?;
        w.type_into(
            "[data-testid='s-personale']",
            "1 assistente sociale, 1 amministrativo",
        )
        .await?;
        w.click("[data-testid='salva-scheda']").await?;
        w.wait_text("#s-committed-errore", "non è un importo")
            .await?;
        w.type_into("[data-testid='s-committed']", "6.000,00")
            .await?;
        w.click("[data-testid='salva-scheda']").await?;
        w.wait_text("[data-testid='s-budget-errore']", "maggiore dell'impegnato")
            .await?;
        w.announced("[data-testid='errore-scheda']").await?;
        w.type_into("[data-testid='s-committed']", "12.000,00")
            .await?;
        w.click("[data-testid='salva-scheda']").await?;
        w.wait_text("[data-testid='messaggio-schede']", "revisione 1")
            .await?;
        w.wait_text("[data-testid='scheda']", "€ 30.000,00").await?;
        w.click("[data-testid='chiudi-scheda']").await?;
        w.click("[data-testid='conferma-chiusura']").await?;
        w.wait_text("[data-testid='messaggio-schede']", "Scheda chiusa")
            .await?;
        w.click("[data-testid='correggi-scheda']").await?;
        w.wait_text("#editor-titolo", "sarà la revisione 2").await?;
        w.type_into("[data-testid='s-paid']", "9.000,00").await?;
        w.click("[data-testid='salva-scheda']").await?;
        w.wait_text("[data-testid='messaggio-schede']", "revisione 2")
            .await?;
        let listed = w.text_of("[data-testid='schede']").await?;
        if !(listed.contains("Chiusa") && listed.contains("Aperta")) {
            return Err(format!("the list should show both revisions: {listed}").into());
        }
        w.client().execute("window.scrollTo(0, 0);", vec![]).await?;
        w.screenshot("monitoraggio-schede").await?;
        let forms: Value = serde_json::from_str(&cli(
            &capofila_for_steps,
            0,
            &["monitor", "form", "list", "--json"],
        ))?;
        let revisions: Vec<(i64, bool, String)> = forms
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|f| {
                (
                    f["revision"].as_i64().unwrap_or_default(),
                    f["closed_at"].is_string(),
                    f["form"]["budget"]["paid"].as_str().unwrap_or("").into(),
                )
            })
            .collect();
        if revisions
            != [
                (1, true, "8000.00".to_string()),
                (2, false, "9000.00".to_string()),
            ]
        {
            return Err(format!("the forms held: {forms}").into());
        }
        Ok(())
    });
    let paper = pdf_text(&report);
    assert!(
        paper.contains("Floridia") && paper.contains("Giorni medi dalla domanda"),
        "{paper}"
    );
    let final_report = pdf_text(&plan);
    assert!(
        final_report.contains("Relazione finale del piano"),
        "{final_report}"
    );
    let book = std::fs::read(&xlsx).expect("the XLSX file");
    assert_eq!(&book[..2], b"PK", "an XLSX is a zip file");
    let table = text_of_file(&csv);
    assert!(
        table.starts_with("Ambito;Azione;Indicatore;Codice;Valore;Unità;Obiettivo;"),
        "{table}"
    );
    let started = of_floridia
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "sc_avviati")
        .expect("sc_avviati");
    assert_eq!(started["value"], "2", "{started}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("Floridia;") && l.contains(";sc_avviati;2;")),
        "{table}"
    );

    // ---- Floridia: its own indicators, and the SIUSS flow refused then written ----
    for (code, surname) in participants.iter().zip(LONG_SURNAMES) {
        correct_surname(&floridia, code, surname, &work);
    }
    let xml = work.join("siuss.xml");
    let (xml_text, from_text, to_text) = (
        text(&xml),
        start.format("%d/%m/%Y").to_string(),
        (start + Months::new(1) - chrono::Days::new(1))
            .format("%d/%m/%Y")
            .to_string(),
    );
    let floridia_args = [OsString::from("--db"), floridia.clone().into_os_string()];
    let (floridia_for_steps, work_for_steps, codes) =
        (floridia.clone(), work.clone(), participants.clone());
    let xml_for_steps = xml.clone();
    in_window(&floridia_args, move |w| async move {
        w.log_in_as(DEMO.0, DEMO.1).await?;
        w.go("monitoraggio").await?;
        w.wait_text("[data-testid='m-ambito']", "Floridia").await?;
        w.absent("[data-testid='m-comune']").await?;
        table_matches(&w, &at_floridia, "Floridia at home").await?;

        w.click("[data-testid='scheda-invio-siuss']").await?;
        w.type_into("[data-testid='siuss-dal']", &from_text).await?;
        w.type_into("[data-testid='siuss-al']", &to_text).await?;
        w.type_into("[data-testid='siuss-ente']", "C089009").await?;
        w.type_into("[data-testid='siuss-cf']", OPERATOR_CF).await?;
        w.type_into("[data-testid='siuss-file']", &xml_text).await?;
        w.click("[data-testid='siuss-scrivi']").await?;
        w.wait_text("[data-testid='siuss-rifiuto']", "nessun file creato")
            .await?;
        w.announced("[data-testid='siuss-rifiuto']").await?;
        let report = w.text_of("[data-testid='siuss-controllo']").await?;
        let people = w
            .client()
            .find_all(Locator::Css("[data-testid='siuss-persona']"))
            .await?
            .len();
        if people != 2 || !LONG_SURNAMES.iter().all(|s| report.contains(s)) {
            return Err(format!("the check report should name both people: {report}").into());
        }
        if !report.contains("Cognome") || !report.contains("da 1 a 36") {
            return Err(format!("the check report should say the rule: {report}").into());
        }
        if xml_for_steps.exists() {
            return Err("a refused flow writes nothing".into());
        }
        w.screenshot("invio-siuss").await?;

        // The surnames corrected at the desk: the flow is written.
        for code in &codes {
            correct_surname(&floridia_for_steps, code, "Rossi", &work_for_steps);
        }
        w.click("[data-testid='siuss-scrivi']").await?;
        w.wait_text("[data-testid='siuss-scritto']", "2 prestazioni inserite")
            .await?;
        w.absent("[data-testid='siuss-controllo']").await?;
        Ok(())
    });
    let flow = text_of_file(&xml);
    let mut reader = quick_xml::Reader::from_str(&flow);
    let (mut beneficiaries, mut benefits, mut ente) = (0, Vec::new(), None);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let attr = |k: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.into_inner() == k)
                        .and_then(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .ok()
                                .map(|v| v.into_owned())
                        })
                };
                match e.name().into_inner() {
                    "Beneficiario" => beneficiaries += 1,
                    "Ente" => ente = attr("Codice"),
                    "PrestazioniSociali" => benefits.push((
                        attr("TipoOperazione").unwrap_or_default(),
                        attr("ImportoMensile").unwrap_or_default(),
                    )),
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(ente.as_deref(), Some("C089009"), "{flow}");
    assert_eq!(beneficiaries, 2, "{flow}");
    // 12 hours at € 5.16 each.
    assert_eq!(
        benefits,
        [("I".into(), "61.92".into()), ("I".into(), "61.92".into())],
        "{flow}"
    );

    // On the smallest screen the indicators and their charts fit.
    let on = SCREENS[0];
    let screen = format!("{}x{}x24", on.size.0, on.size.1);
    in_window_on(&screen, &capofila_args, move |w| async move {
        w.log_in_as(DEMO.0, DEMO.1).await?;
        w.go("monitoraggio").await?;
        w.wait_text("[data-testid='m-ambito']", "Distretto").await?;
        drawn(&w, "andamento").await?;
        w.on_screen(
            on,
            "monitoraggio",
            "[data-testid='indicatori'] td button",
            Some("monitoraggio"),
        )
        .await
    });
}
