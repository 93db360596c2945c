//! Properties of import at the capofila, over real bundles made by real installs (driven
//! through `sportello_app` to stay fast): importing a bundle twice is importing it once; any
//! order of a set of bundles from several comuni gives the same registry; any changed byte or
//! any truncation of a real upload is refused and changes nothing.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use sportello_app::{Sportello, Stage, parse_json_forms};
use sportello_tests::{REGISTRY, SYNC_STATE, dump_tables, fixture, fixture_applications};

const CAPOFILA: &str = "089017";
const FLORIDIA: &str = "089009";
const PRIOLO: &str = "089021";
const PALAZZOLO: &str = "089015";

/// The installs and bundles every property starts from, made once per test run.
struct Setup {
    _dir: tempfile::TempDir,
    /// The capofila's database with every comune enrolled and nothing imported.
    capofila: PathBuf,
    /// Upload bundles: Floridia 1 and 2 (2 repeats 1, no acknowledgement in between),
    /// Priolo 1 and 2 (2 only new records, after the capofila's acknowledgement), Palazzolo 1.
    bundles: Vec<PathBuf>,
}

fn open(db: &Path) -> Sportello {
    Sportello::open(db, &sportello_tests::credentials()).expect("open install")
}

fn add(install: &mut Sportello, items: &[Value]) {
    let text = serde_json::to_string(items).unwrap();
    install
        .intake()
        .add_applications(&parse_json_forms(&text).unwrap())
        .expect("applications filed");
}

fn export(install: &mut Sportello, out: &Path) -> PathBuf {
    let mut files = install.exchange().export(out).expect("export");
    assert_eq!(files.len(), 1);
    files.remove(0)
}

/// A copy of the install at `db` (database and keys) at `to`; returns the new database path.
fn copy_install(db: &Path, to: &Path) -> PathBuf {
    std::fs::create_dir_all(to).unwrap();
    let copy = to.join("sportello.db");
    for suffix in ["", "-wal", ".slots", ".keys"] {
        let mut from = db.as_os_str().to_owned();
        from.push(suffix);
        let mut into = copy.as_os_str().to_owned();
        into.push(suffix);
        if Path::new(&from).exists() {
            std::fs::copy(&from, &into).unwrap();
        }
    }
    copy
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let district = std::fs::read_to_string(fixture("district-d48.toml")).unwrap();
        let db = |name: &str| dir.path().join(name).join("sportello.db");
        let init = |comune: &str| {
            Sportello::init(
                &db(comune),
                &district,
                comune,
                &sportello_tests::first_operator(),
            )
            .expect("init")
        };
        let mut capofila = init(CAPOFILA);
        let mut comuni = [init(FLORIDIA), init(PRIOLO), init(PALAZZOLO)];
        capofila
            .settings()
            .import_bando(&std::fs::read_to_string(fixture("bando-sc-2026-1.toml")).unwrap())
            .unwrap();
        for comune in &mut comuni {
            let file = comune.trust().enrol_export(dir.path()).unwrap();
            capofila
                .trust()
                .enrol_accept(&file, &comune.trust().fingerprint().unwrap())
                .unwrap();
        }
        let district_file = capofila.trust().district_export(dir.path()).unwrap();
        let fingerprint = capofila.trust().fingerprint().unwrap();
        for comune in &mut comuni {
            comune
                .trust()
                .district_accept(&district_file, &fingerprint, false)
                .unwrap();
        }
        drop(capofila);
        let [mut floridia, mut priolo, mut palazzolo] = comuni;

        let items = fixture_applications();
        let out = dir.path().join("bundles");
        add(&mut floridia, &items[0..3]);
        let f1 = export(&mut floridia, &out);
        add(&mut floridia, &items[3..5]);
        let f2 = export(&mut floridia, &out);

        // Priolo's second upload follows an acknowledgement: a capofila that took its first
        // upload answers, so the second carries only what is new. It also refers to a person
        // of the first (the applicant of item 28 is a household member in item 29).
        add(&mut priolo, &[items[10].clone(), items[28].clone()]);
        let p1 = export(&mut priolo, &out);
        let acking = copy_install(&db(CAPOFILA), &dir.path().join("acking"));
        let mut acking = open(&acking);
        acking
            .exchange()
            .import(std::slice::from_ref(&p1))
            .expect("import allowed");
        let answers = acking
            .exchange()
            .export(&dir.path().join("answers"))
            .unwrap();
        let to_priolo = answers
            .iter()
            .find(|f| f.to_string_lossy().contains(&format!("-pub-{PRIOLO}-")))
            .unwrap();
        let report = priolo
            .exchange()
            .import(std::slice::from_ref(to_priolo))
            .expect("import allowed");
        assert!(report[0].error.is_none(), "{report:?}");
        add(&mut priolo, &[items[29].clone(), items[11].clone()]);
        let p2 = export(&mut priolo, &out);
        let header = sportello_sync::inspect(&std::fs::read(&p2).unwrap())
            .unwrap()
            .header()
            .clone();
        assert!(
            header.changes.from_version > 0,
            "Priolo 2 starts after the ack"
        );

        add(&mut palazzolo, &items[19..23]);
        let a1 = export(&mut palazzolo, &out);

        Setup {
            capofila: db(CAPOFILA),
            bundles: vec![f1, f2, p1, p2, a1],
            _dir: dir,
        }
    })
}

/// A fresh copy of the setup's capofila in `dir`, opened.
fn fresh_capofila(dir: &Path) -> (Sportello, PathBuf) {
    let db = copy_install(&setup().capofila, dir);
    (open(&db), db)
}

/// Imports `order` (indices into the setup's bundles) one file at a time at a fresh capofila;
/// returns each import's outcome and the registry it leaves.
fn replay(order: &[usize]) -> (Vec<&'static str>, BTreeMap<String, Vec<String>>) {
    let dir = tempfile::tempdir().unwrap();
    let (mut capofila, db) = fresh_capofila(dir.path());
    let outcomes = order
        .iter()
        .map(|&i| {
            let report = capofila
                .exchange()
                .import(std::slice::from_ref(&setup().bundles[i]))
                .expect("import allowed");
            assert!(
                report[0].error.is_none(),
                "bundle {i}: {:?}",
                report[0].error
            );
            report[0].outcome
        })
        .collect();
    drop(capofila);
    (outcomes, dump_tables(&db, REGISTRY))
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

#[test]
fn importing_a_bundle_twice_is_importing_it_once() {
    let n = setup().bundles.len();
    let sequence = prop::collection::vec(0..n, 1..12);
    TestRunner::new(config(16))
        .run(&sequence, |sequence| {
            let mut once: Vec<usize> = Vec::new();
            for &i in &sequence {
                if !once.contains(&i) {
                    once.push(i);
                }
            }
            let (outcomes, registry) = replay(&sequence);
            let (_, expected) = replay(&once);
            prop_assert_eq!(&registry, &expected);
            // Each repeat was recognised as such.
            for (k, (&i, outcome)) in sequence.iter().zip(&outcomes).enumerate() {
                let repeat = sequence[..k].contains(&i);
                prop_assert_eq!(
                    *outcome,
                    if repeat {
                        "already_imported"
                    } else {
                        "applied"
                    },
                    "bundle {} at step {}",
                    i,
                    k
                );
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn any_order_of_the_bundles_gives_the_same_registry() {
    let n = setup().bundles.len();
    let (_, expected) = replay(&(0..n).collect::<Vec<_>>());
    for table in REGISTRY {
        assert!(!expected[*table].is_empty(), "{table} is filled");
    }
    let owners: std::collections::BTreeSet<String> = expected["applications"]
        .iter()
        .map(|row| serde_json::from_str::<Vec<Value>>(row).unwrap()[1].to_string())
        .collect();
    assert_eq!(owners.len(), 3, "applications of the three comuni");
    let orders = Just((0..n).collect::<Vec<_>>()).prop_shuffle();
    TestRunner::new(config(16))
        .run(&orders, |order| {
            let (_, registry) = replay(&order);
            prop_assert_eq!(&registry, &expected, "order {:?}", order);
            Ok(())
        })
        .unwrap();
}

/// A capofila with a registry, a published ranking and its trust list, and a real upload it
/// has not imported yet.
struct Target {
    _dir: tempfile::TempDir,
    db: PathBuf,
    capofila: Sportello,
    upload: Vec<u8>,
}

fn target() -> Target {
    let dir = tempfile::tempdir().unwrap();
    let (mut capofila, db) = fresh_capofila(dir.path());
    let b = &setup().bundles;
    for report in capofila
        .exchange()
        .import(&[b[0].clone(), b[2].clone(), b[4].clone()])
        .expect("import allowed")
    {
        assert!(report.error.is_none(), "{report:?}");
    }
    capofila
        .ranking()
        .publish("SC-2026-1", Stage::Provisional, true)
        .unwrap();
    Target {
        upload: std::fs::read(&b[3]).unwrap(),
        _dir: dir,
        db,
        capofila,
    }
}

impl Target {
    /// Imports `bytes` as a file; asserts it is refused and nothing changed.
    fn assert_refused(&mut self, bytes: &[u8], what: &str) -> Result<(), TestCaseError> {
        let before = dump_tables(&self.db, SYNC_STATE);
        let file = self._dir.path().join("D48-089021-up-000002.sportello");
        std::fs::write(&file, bytes).unwrap();
        let report = self
            .capofila
            .exchange()
            .import(&[file])
            .expect("import allowed");
        prop_assert_eq!(report[0].outcome, "refused", "{}", what);
        prop_assert!(report[0].error.is_some(), "{}", what);
        prop_assert_eq!(&dump_tables(&self.db, SYNC_STATE), &before, "{}", what);
        Ok(())
    }
}

#[test]
fn any_changed_byte_of_an_upload_is_refused_and_changes_nothing() {
    let t = RefCell::new(target());
    let state = dump_tables(&t.borrow().db, SYNC_STATE);
    assert!(!state["rankings"].is_empty() && !state["applications"].is_empty());
    assert!(!state["settings"].is_empty(), "the trust list");
    let upload = t.borrow().upload.clone();
    let changes = (0..upload.len(), 1u8..=255);
    TestRunner::new(config(256))
        .run(&changes, |(at, mask)| {
            let mut bytes = upload.clone();
            bytes[at] ^= mask;
            t.borrow_mut()
                .assert_refused(&bytes, &format!("byte {at} ^ {mask:#04x}"))
        })
        .unwrap();
    // The untouched upload still imports: the refusals spoiled nothing.
    let report = t
        .borrow_mut()
        .capofila
        .exchange()
        .import(&[setup().bundles[3].clone()])
        .expect("import allowed");
    assert_eq!(report[0].outcome, "applied", "{:?}", report[0].error);
}

#[test]
fn an_upload_truncated_anywhere_is_refused_and_changes_nothing() {
    let t = RefCell::new(target());
    let upload = t.borrow().upload.clone();
    let len = upload.len();
    TestRunner::new(config(128))
        .run(&(0..len), |cut| {
            t.borrow_mut()
                .assert_refused(&upload[..cut], &format!("cut at {cut} of {len}"))
        })
        .unwrap();
    let report = t
        .borrow_mut()
        .capofila
        .exchange()
        .import(&[setup().bundles[3].clone()])
        .expect("import allowed");
    assert_eq!(report[0].outcome, "applied", "{:?}", report[0].error);
}
