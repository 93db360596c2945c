//! Servizio civico pay at a comune with 500 participants over 6 months (issue 13): the host
//! offices' attendance imported from one CSV of 60,000 rows (`civico attendance import`, every
//! row checked against its project and the bando's limits, all written in one transaction),
//! then one month's payment list (`civico payments`).
//!
//! Targets: import ≤ 2 s; payment list ≤ 100 ms.
//!
//! `cargo bench -p sportello-tests --bench payments`. The set-up makes the capofila of district
//! D48 (its own comune, Siracusa, with 500 places), files 500 applications through the store,
//! freezes a definitive ranking admitting them (`Store::publish_ranking`: the objections
//! window is not what is measured), records each acceptance and a 6-month project starting
//! eight months ago. Each participant works the first 20 days of each month, 4 hours a day
//! (80 a month, the cap). `SPORTELLO_BENCH_RUNS` (default 5) sets how many times the payment
//! list is computed; the median is reported.

use std::time::{Duration, Instant};

use chrono::{Datelike, Months, NaiveDate};
use sportello_app::{Actor, Sportello};
use sportello_domain::ApplicationForm;
use sportello_domain::civico::CallEventKind;
use sportello_store::NewApplication;
use sportello_tests::bench::ms;

const PARTICIPANTS: usize = 500;
const COMUNE: &str = "089017";
const IMPORT_TARGET: Duration = Duration::from_secs(2);
const PAYMENTS_TARGET: Duration = Duration::from_millis(100);

fn main() {
    let runs: usize = std::env::var("SPORTELLO_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let work = tempfile::tempdir().expect("work folder");
    let db = work.path().join("sportello.db");
    let read = |name: &str| std::fs::read_to_string(sportello_tests::fixture(name)).unwrap();
    let bando_toml = read("bando-sc-2026-1.toml").replace("\"089017\" = 20", "\"089017\" = 500");

    let started = Instant::now();
    let mut app = Sportello::init(
        &db,
        &read("district-d48.toml"),
        COMUNE,
        &sportello_tests::first_operator(),
    )
    .unwrap();
    app.settings().import_bando(&bando_toml).unwrap();
    drop(app);
    let forms: Vec<ApplicationForm> =
        serde_json::from_str(&read("applications.json")).expect("fixture forms");
    let applications: Vec<NewApplication> = (0..PARTICIPANTS)
        .map(|j| {
            let form = &forms[j % forms.len()];
            let at = form.filed_at.expect("fixture forms carry a filing time");
            sportello_tests::bench::as_filed(form, at)
        })
        .collect();
    let actor = Actor("benchmark".into());
    let now = sportello_app::now();
    let mut store = sportello_tests::store(&db);
    let filed = store.file_applications(&applications, now, &actor).unwrap();
    let rows: Vec<(String, &str)> = filed
        .iter()
        .map(|f| (f.application_code.clone(), "AMMESSO"))
        .collect();
    sportello_tests::bench::publish_definitive(&mut store, &bando_toml, COMUNE, &rows);
    let today = now.date_naive();
    let first = |months_ago: u32| {
        today
            .with_day(1)
            .unwrap()
            .checked_sub_months(Months::new(months_ago))
            .unwrap()
    };
    let start = first(8);
    for f in &filed {
        store
            .record_call_event(
                &f.application_code,
                CallEventKind::Accepted,
                start,
                None,
                now,
                &actor,
            )
            .unwrap();
        let end = start.checked_add_months(Months::new(6)).unwrap();
        let project = sportello_tests::bench::project(start, end);
        store
            .save_project(&f.application_code, &project, now, &actor)
            .unwrap();
    }
    drop(store);
    let mut csv = String::from("codice_domanda;data;ore\n");
    let months: Vec<NaiveDate> = (0..6).map(|m| first(8 - m)).collect();
    for f in &filed {
        for month in &months {
            for day in 0..20 {
                let d = *month + chrono::Duration::days(day);
                csv.push_str(&format!(
                    "{};{};4,00\n",
                    f.application_code,
                    d.format("%d/%m/%Y")
                ));
            }
        }
    }
    let lines = csv.lines().count() - 1;
    println!(
        "set-up: {PARTICIPANTS} participants with projects in {:.1} s; attendance CSV of {lines} rows, {} KiB",
        started.elapsed().as_secs_f64(),
        csv.len() / 1024
    );

    let mut app = Sportello::open(&db, &sportello_tests::credentials()).unwrap();
    let t = Instant::now();
    let imported = app.civico().import_attendance(&csv).unwrap();
    let import = t.elapsed();
    assert_eq!(imported.rows, lines);
    let month = months[2].format("%Y-%m").to_string();
    let mut times = Vec::new();
    let mut list = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        list = app.civico().payments(&month).unwrap();
        times.push(t.elapsed());
    }
    times.sort();
    let payments = times[times.len() / 2];
    assert_eq!(list.len(), PARTICIPANTS);
    assert!(list.iter().all(|p| p.amount == "412.80"));

    println!();
    println!(
        "attendance import ({lines} rows):  {:>8.1} ms  (target ≤ {} ms) {}",
        ms(import),
        IMPORT_TARGET.as_millis(),
        verdict(import <= IMPORT_TARGET)
    );
    println!(
        "payment list ({} participants): {:>8.1} ms  (target ≤ {} ms) {}",
        list.len(),
        ms(payments),
        PAYMENTS_TARGET.as_millis(),
        verdict(payments <= PAYMENTS_TARGET)
    );
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}
