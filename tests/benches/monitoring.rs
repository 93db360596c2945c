//! Monitoring over ten years of a district (issue 16): the capofila of D48 with 15,000
//! applications of its own, 2,500 participants with projects and 500,000 attendance days,
//! 200,000 front-office contacts, and the counts of its 10 other comuni for 20 half-years;
//! then the district's indicators of a half-year (`monitor indicators`), the overview the
//! *Monitoraggio* screen shows, and the half-year report as PDF (`print monitoring`).
//!
//! Targets: indicators ≤ 500 ms; the report PDF ≤ 2 s.
//!
//! `cargo bench -p sportello-tests --bench monitoring`. The set-up is `sportello_tests::ten_years`.
//! `SPORTELLO_BENCH_RUNS` (default 5) sets the runs; medians are reported.

use std::time::{Duration, Instant};

use sportello_app::Sportello;
use sportello_domain::monitoring::Period;
use sportello_tests::bench::{median, ms};
use sportello_tests::ten_years::{self, APPLICATIONS, CONTACTS, DAYS_EACH, PARTICIPANTS};

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
    let started = Instant::now();
    ten_years::build(&db);
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
