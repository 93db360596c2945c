//! Concurrent use (issue 17, item 6): the window and the command line on one database at once.
//! Separate processes import bundles, file applications and list them at the same time: no
//! write is lost, the audit chain stays whole, and a process that waits longer than the store's
//! busy timeout (5 s) says so in Italian (exit 1, docs/formats.md "Exit codes"), never with
//! SQLite's "database is locked"; what it was doing can be done again.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sportello_tests::{Install, Run, arg, distribute, enrol, fixture_applications};

/// What the store says when the database stays busy past its timeout.
const BUSY: &str = "il database è in uso da un altro programma";

/// Checks a run that failed: the busy message and exit code 1, and nothing of SQLite's own.
fn assert_busy(what: &str, r: &Run) {
    assert_eq!(r.code, 1, "{what}: {}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(BUSY), "{what}: {}", r.stderr);
    for raw in ["locked", "database is", "SQLITE", "busy"] {
        assert!(!r.stderr.contains(raw), "{what} said {raw:?}: {}", r.stderr);
    }
}

/// Runs `args` until it succeeds, as a user told to retry would; every failure must be the
/// busy message. Returns the successful run and how many times it was busy.
fn until_done(install: &Install, args: &[&str]) -> (Run, usize) {
    let mut busy = 0;
    loop {
        let r = install.run(args);
        if r.code == 0 {
            return (r, busy);
        }
        assert_busy(&format!("{args:?}"), &r);
        busy += 1;
        assert!(busy < 20, "{args:?} stayed busy");
    }
}

/// A capofila with the bando, two enrolled comuni that filed `per_comune` applications each,
/// and their upload bundles (not yet imported).
fn district(per_comune: usize) -> (Install, Vec<PathBuf>) {
    let capofila = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    let comuni = [
        Install::of("district-d48.toml", "089009", &[]),
        Install::of("district-d48.toml", "089021", &[]),
    ];
    for comune in &comuni {
        enrol(&capofila, comune);
    }
    distribute(&capofila, &[&comuni[0], &comuni[1]]);
    let items = fixture_applications();
    let mut bundles = Vec::new();
    for (k, comune) in comuni.iter().enumerate() {
        comune.add(&items[k * per_comune..(k + 1) * per_comune]);
        let mut files = comune.export();
        // Out of the comune's folder, which goes away with it.
        for file in &mut files {
            let kept = capofila.path(file.file_name().unwrap().to_str().unwrap());
            std::fs::copy(&*file, &kept).unwrap();
            *file = kept;
        }
        bundles.extend(files);
    }
    (capofila, bundles)
}

#[test]
fn importing_filing_and_listing_at_once_lose_nothing() {
    let (capofila, bundles) = district(20);
    // The command line files ten of the capofila's own applications, the window (a long-lived
    // install opened in this process, as the desktop shell keeps it) the other ten.
    let own: Vec<_> = fixture_applications()[40..50].to_vec();
    let by_window: Vec<_> = fixture_applications()[50..60].to_vec();
    let forms: Vec<PathBuf> = own
        .iter()
        .enumerate()
        .map(|(n, item)| {
            let file = capofila.path(&format!("domanda-{n}.json"));
            std::fs::write(&file, serde_json::to_string(&[item]).unwrap()).unwrap();
            file
        })
        .collect();
    let writing = AtomicBool::new(true);
    let busy = AtomicUsize::new(0);
    let lists = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let importer = s.spawn(|| {
            for file in &bundles {
                let (r, b) = until_done(&capofila, &["bundle", "import", arg(file)]);
                assert!(r.stdout.contains("importato"), "{}", r.stdout);
                busy.fetch_add(b, Ordering::Relaxed);
            }
        });
        let filer = s.spawn(|| {
            for form in &forms {
                let (_, b) = until_done(&capofila, &["application", "add", arg(form)]);
                busy.fetch_add(b, Ordering::Relaxed);
            }
        });
        let window = s.spawn(|| {
            let mut app =
                sportello_app::Sportello::open(&capofila.db, &sportello_tests::credentials())
                    .unwrap();
            for item in &by_window {
                let forms =
                    sportello_app::parse_json_forms(&serde_json::to_string(&[item]).unwrap())
                        .unwrap();
                let mut tries = 0;
                while let Err(e) = app.intake().add_applications(&forms) {
                    assert_eq!(e.code, sportello_app::ErrorCode::DbBusy, "{}", e.message);
                    assert!(e.message.contains(BUSY), "{}", e.message);
                    busy.fetch_add(1, Ordering::Relaxed);
                    tries += 1;
                    assert!(tries < 20, "the window stayed busy");
                }
                // The window lists while the others write.
                let listed = app
                    .intake()
                    .list_applications(&sportello_app::ApplicationFilter::default());
                match listed {
                    Ok(l) => assert!(l.len() <= 60),
                    Err(e) => assert_eq!(e.code, sportello_app::ErrorCode::DbBusy),
                }
            }
        });
        s.spawn(|| {
            while writing.load(Ordering::Relaxed) {
                let r = capofila.run(&["application", "list", "--json"]);
                if r.code == 0 {
                    let listed: serde_json::Value = serde_json::from_str(&r.stdout)
                        .unwrap_or_else(|e| panic!("list is JSON ({e}): {}", r.stdout));
                    assert!(listed.as_array().unwrap().len() <= 60);
                    lists.fetch_add(1, Ordering::Relaxed);
                } else {
                    assert_busy("application list", &r);
                    busy.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
        importer.join().unwrap();
        filer.join().unwrap();
        window.join().unwrap();
        writing.store(false, Ordering::Relaxed);
    });
    eprintln!(
        "{} listings while writing; {} runs busy past the timeout",
        lists.load(Ordering::Relaxed),
        busy.load(Ordering::Relaxed)
    );
    // Nothing lost: the forty imported and the twenty filed here, each once.
    let listed = capofila.json(&["application", "list"]);
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 60);
    let mut by_comune = std::collections::BTreeMap::<String, usize>::new();
    for a in listed {
        *by_comune
            .entry(a["comune"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    assert_eq!(
        by_comune.values().copied().collect::<Vec<_>>(),
        [20, 20, 20],
        "{by_comune:?}"
    );
    // Every writer's audit entry in one unbroken chain.
    capofila.ok(&["audit", "verify"]);
}

#[test]
fn a_writer_kept_waiting_past_the_timeout_is_told_in_italian_and_can_retry() {
    let install = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    let form = install.path("domanda.json");
    std::fs::write(
        &form,
        serde_json::to_string(&[&fixture_applications()[0]]).unwrap(),
    )
    .unwrap();
    let before = install.everything();

    // Another program (a long import, the window) holds the write lock for 8 s.
    let holder = sportello_tests::connect(&install.db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = Instant::now();
    let r = install.run(&["application", "add", arg(&form)]);
    let waited = started.elapsed();
    assert_busy("application add", &r);
    assert!(
        waited >= Duration::from_secs(4),
        "it waited {waited:?} before giving up: the busy timeout is 5 s"
    );
    // A reader of personal data records the read in the audit trail, so it waits like a
    // writer and, kept out past the timeout, says the same.
    let r = install.run(&["application", "list", "--json"]);
    assert_busy("application list", &r);
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(install.everything(), before, "nothing was written");

    // Once the other program is done, the same command files the application.
    install.ok(&["application", "add", arg(&form)]);
    assert_eq!(
        install
            .json(&["application", "list"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    install.ok(&["audit", "verify"]);
}
