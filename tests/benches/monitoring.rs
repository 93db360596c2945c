//! Monitoring over ten years of a district (issue 16): the capofila of D48 with 15,000
//! applications of its own, 2,500 participants with projects and 500,000 attendance days,
//! 200,000 front-office contacts, and the counts of its 10 other comuni for 20 half-years;
//! then the district's indicators of a half-year (`monitor indicators`), the overview the
//! *Monitoraggio* screen shows, and the half-year report as PDF (`print monitoring`).
//!
//! Targets: indicators ≤ 500 ms; the report PDF ≤ 2 s.
//!
//! `cargo bench -p sportello-tests --bench monitoring`. The set-up files the applications and
//! records the projects through the store, and writes attendance, contacts and the comuni's
//! counts straight into the install's tables (the writing is not what is measured).
//! `SPORTELLO_BENCH_RUNS` (default 5) sets the runs; medians are reported.

use std::time::{Duration, Instant};

use chrono::{Days, FixedOffset, NaiveDate, TimeZone};
use rusqlite::params;
use sportello_app::{Actor, Sportello};
use sportello_domain::ApplicationForm;
use sportello_domain::civico::CallEventKind;
use sportello_domain::civico::project::Project;
use sportello_domain::monitoring::Period;
use sportello_store::NewApplication;
use sportello_tests::bench::{median, ms};

const APPLICATIONS: usize = 15_000;
const PARTICIPANTS: usize = 2_500;
/// Days of service of each participant: 2,500 × 200 = 500,000 attendance days.
const DAYS_EACH: u64 = 200;
const CONTACTS: usize = 200_000;
const COMUNE: &str = "089017";
const HALF: &str = "2025-H2";
const INDICATORS_TARGET: Duration = Duration::from_millis(500);
const REPORT_TARGET: Duration = Duration::from_secs(2);

fn main() {
    let runs: usize = std::env::var("SPORTELLO_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let work = tempfile::tempdir().expect("work folder");
    let db = work.path().join("sportello.db");
    let read = |name: &str| std::fs::read_to_string(sportello_tests::fixture(name)).unwrap();
    let district = read("district-d48.toml");
    let bando_toml = read("bando-sc-2026-1.toml");
    let started = Instant::now();
    let mut app =
        Sportello::init(&db, &district, COMUNE, &sportello_tests::first_operator()).unwrap();
    app.settings().import_bando(&bando_toml).unwrap();
    drop(app);

    // Ten years of applications, filed evenly from 1 January 2016.
    let first_day = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap();
    let days = 3652u64;
    let forms: Vec<ApplicationForm> =
        serde_json::from_str(&read("applications.json")).expect("fixture forms");
    let italian = FixedOffset::east_opt(3600).unwrap();
    let applications: Vec<NewApplication> = (0..APPLICATIONS)
        .map(|j| {
            let day = first_day + Days::new(j as u64 * days / APPLICATIONS as u64);
            let form = &forms[j % forms.len()];
            NewApplication {
                bando: form.bando.clone(),
                filed_at: italian
                    .from_local_datetime(&day.and_hms_opt(10, 0, 0).unwrap())
                    .unwrap(),
                declaration: form.declaration.clone(),
                override_note: None,
                protocol_number: None,
            }
        })
        .collect();
    let actor = Actor("benchmark".into());
    let now = sportello_app::now();
    let mut store = sportello_tests::store(&db);
    let filed = store.file_applications(&applications, now, &actor).unwrap();
    let outcome = |i: usize| match i % 5 {
        0 => "AMMESSO",
        4 => "ESCLUSO",
        _ => "IDONEO_NON_AMMESSO",
    };
    let rows: Vec<(String, &str)> = filed
        .iter()
        .enumerate()
        .map(|(i, f)| (f.application_code.clone(), outcome(i)))
        .collect();
    sportello_tests::bench::publish_definitive(&mut store, &bando_toml, COMUNE, &rows);
    // Every sixth application starts a project 40 days after filing, for 200 days of service.
    let participants: Vec<(usize, NaiveDate)> = (0..APPLICATIONS)
        .step_by(APPLICATIONS / PARTICIPANTS)
        .map(|j| {
            let filed_on = first_day + Days::new(j as u64 * days / APPLICATIONS as u64);
            (j, filed_on + Days::new(40))
        })
        .collect();
    for (j, start) in &participants {
        let code = &filed[*j].application_code;
        store
            .record_call_event(code, CallEventKind::Accepted, *start, None, now, &actor)
            .unwrap();
        let project = Project {
            sector: "ambiente".into(),
            site: "Villa comunale".into(),
            office: None,
            tutor: "Tutor".into(),
            start: *start,
            end: *start + Days::new(DAYS_EACH * 7 / 5),
            weekly_hours: sportello_domain::Decimal::from(20),
            schedule: None,
            inail_position: Some("INAIL".into()),
            rc_policy: Some("RC".into()),
        };
        store.save_project(code, &project, now, &actor).unwrap();
    }
    drop(store);

    let mut conn = sportello_tests::connect(&db).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut day_served = tx
            .prepare(
                "INSERT INTO civico_attendance (id, owner, version, content_hash, application_id,
                 day, hours, operator, recorded_at)
                 SELECT ?1, ?2, ?3, '', id, ?4, '4', 'benchmark', ?5 FROM applications
                 WHERE application_code = ?6",
            )
            .unwrap();
        let mut version = 1_000_000i64;
        for (j, start) in &participants {
            for d in 0..DAYS_EACH {
                version += 1;
                day_served
                    .execute(params![
                        format!("t{version:09}"),
                        COMUNE,
                        version,
                        (*start + Days::new(d)).to_string(),
                        now.to_rfc3339(),
                        filed[*j].application_code,
                    ])
                    .unwrap();
            }
        }
        // The 10 other comuni's counts of every half-year, as their uploads bring them.
        let mut counts = tx
            .prepare(
                "INSERT INTO monitoring_counts (id, owner, version, content_hash, period, counts,
                 computed_at) VALUES (?1, ?2, ?3, '', ?4, ?5, ?6)",
            )
            .unwrap();
        let comuni: Vec<String> = sportello_domain::District::from_toml(&district)
            .unwrap()
            .comuni
            .into_iter()
            .map(|c| c.istat)
            .filter(|c| c != COMUNE)
            .collect();
        for (n, comune) in comuni.iter().enumerate() {
            for year in 2016..2026 {
                for half in ["H1", "H2"] {
                    version += 1;
                    let k = (n + 1) as u64;
                    let figures = serde_json::json!({
                        "civico.applications": (70 * k).to_string(),
                        "civico.eligible": (50 * k).to_string(),
                        "civico.admitted": (12 * k).to_string(),
                        "civico.waiting": (30 * k).to_string(),
                        "civico.started": (10 * k).to_string(),
                        "civico.start_days": (480 * k).to_string(),
                        "civico.started_within_target": (9 * k).to_string(),
                        "civico.in_service": (12 * k).to_string(),
                        "civico.hours": (2400 * k).to_string(),
                        "civico.paid": format!("{}.40", 12_000 * k),
                        "fo.contacts": (900 * k).to_string(),
                        "fo.population": (4000 * k).to_string(),
                    });
                    counts
                        .execute(params![
                            format!("m{version:09}"),
                            comune,
                            version,
                            format!("{year}-{half}"),
                            figures.to_string(),
                            now.to_rfc3339(),
                        ])
                        .unwrap();
                }
            }
        }
    }
    tx.commit().unwrap();
    sportello_tests::bench::seed_front_office(&mut conn, COMUNE, CONTACTS, 20_000, first_day);
    drop(conn);
    println!(
        "set-up: {APPLICATIONS} applications, {PARTICIPANTS} projects, {} attendance days, \
         {CONTACTS} contacts, 10 comuni × 20 half-years of counts in {:.1} s",
        PARTICIPANTS as u64 * DAYS_EACH,
        started.elapsed().as_secs_f64()
    );

    let mut app = Sportello::open(&db, &sportello_tests::credentials()).unwrap();
    let half = Period::half_year(HALF).unwrap();
    let (indicators, n) = median(runs, || {
        let values = app.monitoring().indicators(half, None).unwrap();
        let hours = values.iter().find(|v| v.id == "sc_ore").unwrap();
        assert!(
            hours.value.as_deref().is_some_and(|h| h != "0"),
            "{hours:?}"
        );
        values.len()
    });
    let (overview, _) = median(runs, || {
        let o = app.monitoring().overview(HALF, None).unwrap();
        assert_eq!(o.periods.len(), 6);
        o.indicators.len()
    });
    let pdf = work.path().join("relazione.pdf");
    let (report, _) = median(runs, || {
        app.monitoring().print_report(HALF, &pdf).unwrap();
        std::fs::metadata(&pdf).unwrap().len() as usize
    });
    let size = std::fs::metadata(&pdf).unwrap().len();

    println!();
    println!(
        "district indicators of {HALF} ({n}):  {:>8.1} ms  (target ≤ {} ms) {}",
        ms(indicators),
        INDICATORS_TARGET.as_millis(),
        verdict(indicators <= INDICATORS_TARGET)
    );
    println!(
        "overview of {HALF} (the screen: 6 half-years, 11 comuni):  {:>8.1} ms",
        ms(overview)
    );
    println!(
        "half-year report PDF ({} KB):  {:>8.1} ms  (target ≤ {} ms) {}",
        size / 1024,
        ms(report),
        REPORT_TARGET.as_millis(),
        verdict(report <= REPORT_TARGET)
    );
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}
