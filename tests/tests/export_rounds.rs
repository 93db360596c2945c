//! Property: over many rounds of filing, exporting, losing, repeating and reordering bundles,
//! with applications filed by another process in the middle of exports, every application a
//! comune files reaches the capofila. (Its own test binary: the failpoint hook that files in
//! the middle of an export is process-wide.)

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use sportello_app::{ApplicationFilter, Sportello, parse_json_forms};
use sportello_tests::{fixture, fixture_applications};

const CAPOFILA: &str = "089017";
const FLORIDIA: &str = "089009";

#[derive(Debug, Clone)]
enum Step {
    /// The comune files this many applications.
    File(usize),
    /// The comune exports; while it reads, another process files this many (0: none).
    Export { racing: usize },
    /// The capofila imports the bundle exported this many exports ago (if any).
    Import { back: usize },
    /// The capofila answers and the comune imports the answer (or the answer is lost).
    Answer { lost: bool },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1usize..3).prop_map(Step::File),
        (0usize..2).prop_map(|racing| Step::Export { racing }),
        (0usize..3).prop_map(|back| Step::Import { back }),
        any::<bool>().prop_map(|lost| Step::Answer { lost }),
    ]
}

struct District {
    _dir: tempfile::TempDir,
    capofila: PathBuf,
    comune: PathBuf,
    mail: PathBuf,
}

fn district() -> District {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("district-d48.toml")).unwrap();
    let db = |name: &str| dir.path().join(name).join("sportello.db");
    let mut capofila = Sportello::init(
        &db(CAPOFILA),
        &text,
        CAPOFILA,
        &sportello_tests::first_operator(),
    )
    .unwrap();
    let mut comune = Sportello::init(
        &db(FLORIDIA),
        &text,
        FLORIDIA,
        &sportello_tests::first_operator(),
    )
    .unwrap();
    capofila
        .settings()
        .import_bando(&std::fs::read_to_string(fixture("bando-sc-2026-1.toml")).unwrap())
        .unwrap();
    let enrolment = comune.trust().enrol_export(dir.path()).unwrap();
    capofila
        .trust()
        .enrol_accept(&enrolment, &comune.trust().fingerprint().unwrap())
        .unwrap();
    let file = capofila.trust().district_export(dir.path()).unwrap();
    comune
        .trust()
        .district_accept(&file, &capofila.trust().fingerprint().unwrap(), false)
        .unwrap();
    District {
        capofila: db(CAPOFILA),
        comune: db(FLORIDIA),
        mail: dir.path().join("posta"),
        _dir: dir,
    }
}

/// Files the next `n` fixture applications at the install at `db` (each once: an applicant
/// applies once per bando).
fn file(db: &Path, next: &mut usize, n: usize) {
    let items: Vec<Value> = fixture_applications()
        .into_iter()
        .skip(*next)
        .take(n)
        .collect();
    *next += items.len();
    if items.is_empty() {
        return;
    }
    let mut app = Sportello::open(db, &sportello_tests::credentials()).unwrap();
    let text = serde_json::to_string(&items).unwrap();
    app.intake()
        .add_applications(&parse_json_forms(&text).unwrap())
        .expect("applications filed");
}

fn codes(db: &Path, comune: &str) -> Vec<String> {
    let mut app = Sportello::open(db, &sportello_tests::credentials()).unwrap();
    let mut codes: Vec<String> = app
        .intake()
        .list_applications(&ApplicationFilter {
            comune: Some(comune.into()),
            ..ApplicationFilter::default()
        })
        .unwrap()
        .into_iter()
        .map(|a| a.application_code)
        .collect();
    codes.sort();
    codes
}

fn run(steps: &[Step]) -> Result<(), TestCaseError> {
    let d = district();
    let mut next = 0;
    let mut exported: Vec<PathBuf> = Vec::new();
    let apply = |steps: &[Step], next: &mut usize, exported: &mut Vec<PathBuf>| {
        for s in steps {
            match s {
                Step::File(n) => file(&d.comune, next, *n),
                Step::Export { racing } => {
                    let racing = *racing;
                    let writer = d.comune.clone();
                    let start = *next;
                    *next += racing;
                    let mut raced = false;
                    sportello_store::failpoint::set(move |point| {
                        if point == "export-between-tables" && !raced && racing > 0 {
                            raced = true;
                            let mut at = start;
                            file(&writer, &mut at, racing);
                        }
                    });
                    let mut comune =
                        Sportello::open(&d.comune, &sportello_tests::credentials()).unwrap();
                    let files = comune.exchange().export(&d.mail).unwrap();
                    sportello_store::failpoint::clear();
                    exported.extend(files);
                }
                Step::Import { back } => {
                    if let Some(f) = exported.iter().rev().nth(*back) {
                        let mut capofila =
                            Sportello::open(&d.capofila, &sportello_tests::credentials()).unwrap();
                        let report = capofila
                            .exchange()
                            .import(std::slice::from_ref(f))
                            .expect("import allowed");
                        assert!(report[0].error.is_none(), "{:?}", report[0].error);
                    }
                }
                Step::Answer { lost } => {
                    let mut capofila =
                        Sportello::open(&d.capofila, &sportello_tests::credentials()).unwrap();
                    let answers = capofila
                        .exchange()
                        .export(&d.mail.join("risposte"))
                        .unwrap();
                    if !lost {
                        let mut comune =
                            Sportello::open(&d.comune, &sportello_tests::credentials()).unwrap();
                        let report = comune.exchange().import(&answers).expect("import allowed");
                        assert!(report[0].error.is_none(), "{:?}", report[0].error);
                    }
                }
            }
        }
    };
    apply(steps, &mut next, &mut exported);
    // Two clean rounds: whatever happened, everything arrives.
    let clean = [
        Step::Export { racing: 0 },
        Step::Import { back: 0 },
        Step::Answer { lost: false },
        Step::Export { racing: 0 },
        Step::Import { back: 0 },
    ];
    apply(&clean, &mut next, &mut exported);
    let filed = codes(&d.comune, FLORIDIA);
    prop_assert_eq!(filed.len(), next.min(fixture_applications().len()));
    prop_assert_eq!(codes(&d.capofila, FLORIDIA), filed);
    Ok(())
}

#[test]
fn every_application_reaches_the_capofila_whatever_the_rounds() {
    let mut runner = TestRunner::new(Config {
        cases: 16,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&prop::collection::vec(step(), 1..14), |steps| run(&steps))
        .unwrap();
}
