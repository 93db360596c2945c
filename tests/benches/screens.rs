//! Every screen at ten years of data (issue 17): the district of `sportello_tests::ten_years`
//! (15,000 applications, 2,500 projects, 500,000 attendance days, 200,000 front-office
//! contacts, ten years of the comuni's counts), then each command behind a screen's first load
//! and its search or list, called through the app layer exactly as the window's command calls
//! it (`src-tauri/src/commands`), the median of `SPORTELLO_BENCH_RUNS` runs (default 7).
//!
//! Target: each command ≤ 100 ms.
//!
//! `cargo bench -p sportello-tests --bench screens`; `SPORTELLO_BENCH_ONLY=civico_calls` times
//! only the commands whose name starts with it.

use std::time::{Duration, Instant};

use sportello_app::{ApplicationFilter, AuditQuery, OutcomeChoice, Sportello};
use sportello_domain::{ApplicationForm, Outcome};
use sportello_tests::bench::{median, ms};
use sportello_tests::ten_years::{self, BANDO};

const TARGET: Duration = Duration::from_millis(100);
/// The rows of a page of the Domande list, as the window asks them.
const PAGE: usize = 100;

/// One command measured: the screen, what it does, how long, how many rows it gave.
struct Measured {
    screen: &'static str,
    command: &'static str,
    time: Duration,
    rows: usize,
}

fn main() {
    let runs: usize = std::env::var("SPORTELLO_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(7);
    let work = tempfile::tempdir().expect("work folder");
    let db = work.path().join("sportello.db");
    let started = Instant::now();
    let district = ten_years::build(&db);
    println!(
        "set-up: the ten years of a district in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let forms: Vec<ApplicationForm> = serde_json::from_str(
        &std::fs::read_to_string(sportello_tests::fixture("applications.json")).unwrap(),
    )
    .unwrap();
    let person = forms[0].declaration.applicant.person.codice_fiscale.clone();
    let code = district.codes[district.codes.len() / 2].clone();
    // The last participant admitted (in the comune's call list).
    let (last, start) = *district
        .participants
        .iter()
        .rev()
        .find(|(j, _)| j % 5 == 0)
        .unwrap();
    let participant = district.codes[last].clone();
    let month = (start + chrono::Days::new(40)).format("%Y-%m").to_string();
    let day = "2025-06-16";

    // The window's cold start, as far as the app goes: logging in (argon2id, the database
    // opened) and the Home's first answer, the page cache still empty.
    let opened = Instant::now();
    let mut app = Sportello::open(&db, &sportello_tests::credentials()).unwrap();
    let login = opened.elapsed();
    app.install_info();
    app.overview().unwrap();
    let first_home = opened.elapsed();
    let all = ApplicationFilter::default();
    let of_bando = ApplicationFilter {
        bando: Some(BANDO.into()),
        ..ApplicationFilter::default()
    };

    // `SPORTELLO_BENCH_ONLY`: only the commands whose name starts with it (to profile one).
    let only = std::env::var("SPORTELLO_BENCH_ONLY").unwrap_or_default();
    let mut measured = Vec::new();
    let mut time = |screen, command: &'static str, f: &mut dyn FnMut(&mut Sportello) -> usize| {
        if !command.starts_with(only.as_str()) {
            return;
        }
        let (time, rows) = median(runs, || f(&mut app));
        println!("  {screen} · {command}: {:.1} ms, {rows} rows", ms(time));
        measured.push(Measured {
            screen,
            command,
            time,
            rows,
        });
    };

    time("Home", "app_info", &mut |app| {
        usize::from(!app.install_info().comune_name.is_empty())
    });
    time("Home", "overview", &mut |app| {
        app.overview().unwrap().bandi.len()
    });
    time(
        "Domande",
        "search_applications, nothing typed",
        &mut |app| app.intake().search_applications(&all, "").unwrap().len(),
    );
    time(
        "Domande",
        "search_page, nothing typed (the window)",
        &mut |app| {
            let page = app.intake().search_page(&all, "", None, 0, PAGE).unwrap();
            assert_eq!(page.total, ten_years::APPLICATIONS);
            page.applications.len()
        },
    );
    time(
        "Domande",
        "search_page, nothing typed, last page",
        &mut |app| {
            let last = ten_years::APPLICATIONS - PAGE;
            app.intake()
                .search_page(&all, "", None, last, PAGE)
                .unwrap()
                .applications
                .len()
        },
    );
    time("Domande", "search_page, admitted only", &mut |app| {
        let admitted = Some(OutcomeChoice::Is(Outcome::Ammesso));
        app.intake()
            .search_page(&all, "", admitted, 0, PAGE)
            .unwrap()
            .applications
            .len()
    });
    time("Domande", "search_page `dipietro`", &mut |app| {
        app.intake()
            .search_page(&all, "dipietro", None, 0, PAGE)
            .unwrap()
            .applications
            .len()
    });
    time("Domande", "search_applications `dipietro`", &mut |app| {
        app.intake()
            .search_applications(&all, "dipietro")
            .unwrap()
            .len()
    });
    time("Domande", "search_applications, a code", &mut |app| {
        app.intake().search_applications(&all, &code).unwrap().len()
    });
    time("Domanda", "application_detail", &mut |app| {
        app.intake()
            .application_detail(&code)
            .unwrap()
            .revisions
            .len()
    });
    time("Graduatoria", "latest_ranking (with names)", &mut |app| {
        let ranking = app.ranking().latest(BANDO).unwrap().unwrap();
        let labels = app.ranking().factor_labels(BANDO).unwrap();
        let names = app.intake().applicant_names(&of_bando).unwrap();
        assert!(!labels.is_empty());
        ranking
            .rows
            .iter()
            .filter(|r| names.contains_key(&r.application_code))
            .count()
    });
    time("Graduatoria", "cross_comune_exclusions", &mut |app| {
        app.ranking().cross_comune_exclusions(BANDO).unwrap().len()
    });
    time("Graduatoria", "duplicates", &mut |app| {
        app.intake().duplicates().unwrap().len()
    });
    time("Sportello", "front_office_contacts of a day", &mut |app| {
        let day = sportello_app::parse_date(day).unwrap();
        app.front_office()
            .contacts(Some(day), Some(day), false, false)
            .unwrap()
            .len()
    });
    time("Sportello", "front_office_history", &mut |app| {
        app.front_office().history(&person).unwrap().contacts.len()
    });
    time("Sportello", "services_search", &mut |app| {
        app.services()
            .search("assistenza", None, None, Some(12))
            .unwrap()
            .len()
    });
    time("Istruttorie", "front_office_cases, open", &mut |app| {
        app.front_office().cases(false).unwrap().len()
    });
    time("Istruttorie", "front_office_cases, all", &mut |app| {
        app.front_office().cases(true).unwrap().len()
    });
    time("Statistiche", "front_office_stats of a year", &mut |app| {
        app.front_office()
            .stats("2025-01-01", "2025-12-31", None)
            .unwrap()
            .contacts as usize
    });
    time("Servizio civico", "civico_calls (with names)", &mut |app| {
        let calls = app.civico().calls(BANDO).unwrap();
        let names = app.intake().applicant_names(&all).unwrap();
        calls
            .iter()
            .filter(|c| names.contains_key(&c.application_code))
            .count()
    });
    time("Servizio civico", "civico_overview", &mut |app| {
        app.civico().overview(BANDO).unwrap().len()
    });
    time("Progetto", "civico_project_form", &mut |app| {
        usize::from(
            app.civico()
                .project_form(&participant)
                .unwrap()
                .project
                .is_some(),
        )
    });
    time("Presenze", "civico_attendance_month", &mut |app| {
        app.civico()
            .attendance_month(&participant, &month)
            .unwrap()
            .days
            .len()
    });
    time("Pagamenti", "civico_payments (with names)", &mut |app| {
        let list = app.civico().payments(&month).unwrap();
        let names = app.intake().applicant_names(&all).unwrap();
        list.iter()
            .filter(|p| names.contains_key(&p.application_code))
            .count()
    });
    time("Reclami", "civico_complaints", &mut |app| {
        app.civico().complaints(false).unwrap().len()
    });
    time("Accreditamento", "accreditation_applications", &mut |app| {
        app.accreditation().applications().unwrap().len()
    });
    time("Registro", "accreditation_register", &mut |app| {
        app.accreditation()
            .register(None, None)
            .unwrap()
            .providers
            .len()
    });
    time("Opposizioni", "objections_list", &mut |app| {
        app.objections().list(None).unwrap().len()
    });
    time(
        "Attività",
        "audit_list, the newest 501 (the window)",
        &mut |app| {
            app.audit()
                .list(&AuditQuery {
                    newest: Some(501),
                    ..AuditQuery::default()
                })
                .unwrap()
                .len()
        },
    );
    time(
        "Attività",
        "audit_list, every entry (audit list)",
        &mut |app| app.audit().list(&AuditQuery::default()).unwrap().len(),
    );
    time("Sincronizzazione", "sync_history", &mut |app| {
        app.exchange().exports(50).unwrap().len() + app.exchange().imports(50).unwrap().len()
    });
    time("Monitoraggio", "monitoring_overview", &mut |app| {
        app.monitoring()
            .overview("2025-H2", None)
            .unwrap()
            .indicators
            .len()
    });
    time("Monitoraggio", "monitoring_forms", &mut |app| {
        app.monitoring().forms().unwrap().len()
    });
    time("Impostazioni", "case_kinds", &mut |app| {
        app.settings().case_kinds().unwrap().kinds.len()
    });
    time("Impostazioni", "keys_view", &mut |app| {
        usize::from(!app.trust().keys_view().unwrap().fingerprint.is_empty())
    });

    println!();
    println!(
        "cold start: login {:.1} ms, then the Home's first answer: {:.1} ms in all",
        ms(login),
        ms(first_home)
    );
    println!(
        "{:<18} {:<40} {:>10} {:>8}  target",
        "screen", "command", "median", "rows"
    );
    for m in &measured {
        println!(
            "{:<18} {:<40} {:>7.1} ms {:>8}  ≤ {} ms {}",
            m.screen,
            m.command,
            ms(m.time),
            m.rows,
            TARGET.as_millis(),
            if m.time <= TARGET { "met" } else { "MISSED" }
        );
    }
    let missed = measured.iter().filter(|m| m.time > TARGET).count();
    println!(
        "{missed} of {} commands over {} ms",
        measured.len(),
        TARGET.as_millis()
    );
}
