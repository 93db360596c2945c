//! The map of services searched while the operator types (issue 14): 5,000 entries, each
//! keystroke of a few searches timed through `app.services().search`, as the window would
//! call it beside the contact form (role check, the FTS5 query ranked by bm25, the entries
//! found read and checked).
//!
//! Target: ≤ 20 ms per keystroke.
//!
//! `cargo bench -p sportello-tests --bench services`. The set-up makes the capofila of
//! district D48 and stores 5,000 synthetic entries through the store
//! (`Store::save_services`): names, providers and descriptions combined from a small Italian
//! vocabulary, spread over the three areas and the comuni. `SPORTELLO_BENCH_RUNS` (default
//! 15) sets how many times each keystroke's search runs; the median is reported.

use std::time::{Duration, Instant};

use sportello_app::{Actor, ServiceScope, Sportello};
use sportello_domain::services::{Service, ServiceInput};
use sportello_tests::bench::{median, ms};

const SERVICES: usize = 5_000;
const TARGET: Duration = Duration::from_millis(20);

const WHAT: &[&str] = &[
    "Assistenza domiciliare",
    "Centro diurno",
    "Sportello di ascolto",
    "Contributo economico",
    "Trasporto sociale",
    "Servizio educativo",
    "Casa di riposo",
    "Laboratorio",
    "Consulenza legale",
    "Mediazione familiare",
];
const WHOM: &[&str] = &[
    "anziani",
    "minori",
    "persone con disabilità",
    "famiglie",
    "donne in difficoltà",
    "persone senza dimora",
    "giovani",
    "stranieri",
];
const PROVIDERS: &[&str] = &[
    "Comune – Servizio sociale professionale",
    "ASP Siracusa – Consultorio familiare",
    "Cooperativa sociale accreditata",
    "Associazione di volontariato",
    "Distretto 48 – Ufficio di Piano",
];
const COMUNI: &[&str] = &[
    "089017", "089009", "089021", "089015", "089019", "089018", "089005", "089008", "089003",
    "089004", "089007",
];

fn entry(i: usize) -> Service {
    let (a, b) = (COMUNI[i % COMUNI.len()], COMUNI[(i / 7) % COMUNI.len()]);
    let comuni = match i % 3 {
        0 => String::new(),
        _ if a == b => a.to_string(),
        _ => format!("{a} {b}"),
    };
    ServiceInput {
        id: format!("servizio-{i:05}"),
        nome: format!(
            "{} per {} n. {i}",
            WHAT[i % WHAT.len()],
            WHOM[(i / WHAT.len()) % WHOM.len()]
        ),
        ente: PROVIDERS[i % PROVIDERS.len()].into(),
        area: ((i % 3) + 1).to_string(),
        comuni,
        destinatari: format!(
            "{} residenti nel distretto, segnalati dal servizio sociale",
            WHOM[i % WHOM.len()]
        ),
        accesso: "Domanda allo sportello del segretariato sociale, colloquio con \
                  l'assistente sociale"
            .into(),
        documenti: "Documento d'identità, ISEE in corso di validità, certificazione sanitaria"
            .into(),
        costo: "Compartecipazione secondo ISEE".into(),
        dove: "Sede del servizio, via Roma".into(),
        orari: "Dal lunedì al venerdì 9:00–13:00".into(),
        contatti: "Centralino del comune".into(),
    }
    .check(COMUNI)
    .expect("synthetic entries are valid")
}

fn main() {
    let runs: usize = std::env::var("SPORTELLO_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(15);
    let work = tempfile::tempdir().expect("work folder");
    let db = work.path().join("sportello.db");
    let district =
        std::fs::read_to_string(sportello_tests::fixture("district-d48.toml")).expect("district");

    let started = Instant::now();
    drop(Sportello::init(&db, &district, "089017", &sportello_tests::first_operator()).unwrap());
    let entries: Vec<Service> = (0..SERVICES).map(entry).collect();
    sportello_tests::store(&db)
        .save_services(
            ServiceScope::District,
            &entries,
            sportello_app::now(),
            &Actor("benchmark".into()),
        )
        .unwrap();
    println!(
        "set-up: {SERVICES} services stored and indexed in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut app = Sportello::open(&db, &sportello_tests::credentials()).unwrap();
    // What the operator types, keystroke by keystroke, with the filters the form sets.
    let typed: [(&str, Option<u8>, Option<&str>); 4] = [
        ("assistenza domiciliare anziani", None, None),
        ("Disabilità centro", Some(2), None),
        ("contributo famiglie", None, Some("089009")),
        ("consultorio", None, Some("089021")),
    ];
    let mut worst = Duration::ZERO;
    let mut all = Vec::new();
    println!();
    for (text, area, comune) in typed {
        let mut slowest = (Duration::ZERO, String::new(), 0);
        for end in text.char_indices().map(|(i, c)| i + c.len_utf8()) {
            let prefix = &text[..end];
            let (time, found) = median(runs, || {
                app.services()
                    .search(prefix, area, comune, None)
                    .unwrap()
                    .len()
            });
            all.push(time);
            if time > slowest.0 {
                slowest = (time, prefix.to_string(), found);
            }
        }
        worst = worst.max(slowest.0);
        println!(
            "typing {text:?} (area {area:?}, comune {comune:?}): slowest keystroke {:.2} ms \
             at {:?} ({} found)",
            ms(slowest.0),
            slowest.1,
            slowest.2
        );
    }
    all.sort();
    println!(
        "keystrokes: {}, median {:.2} ms, slowest {:.2} ms",
        all.len(),
        ms(all[all.len() / 2]),
        ms(worst)
    );
    let (listed, n) = median(runs, || app.services().list().unwrap().len());
    println!("whole list ({n} services): {:.1} ms", ms(listed));
    println!(
        "target ≤ {} ms per keystroke: {}",
        TARGET.as_millis(),
        if worst <= TARGET { "met" } else { "MISSED" }
    );
}
