//! Crashes lose nothing (issue 17, item 5): the process is killed (SIGKILL, or an abort at a
//! failpoint) in the middle of filing applications, a bundle import, a bundle export, a ranking
//! publication and a backup. After each kill the database passes `PRAGMA integrity_check`, is
//! either as before the operation or as after it, running the operation again gives the state
//! an uninterrupted run gives, and every file a user would take from the chosen folder (not
//! hidden) is whole.
//!
//! Kills at failpoints need the binary built with the test-only failpoints
//! (`cargo build --workspace --all-targets`, or
//! `cargo build -p sportello-cli --features sportello-store/failpoints`).
//! The default is 40 kills spread over the five operations (about a minute in a debug
//! build); `SPORTELLO_CRASH_POINTS=200 cargo test -p sportello-tests --test crash` runs 200.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sportello_tests::{
    Install, REGISTRY, arg, binary, distribute, dump_tables, enrol, fixture, fixture_applications,
    logged_in,
};

#[test]
fn a_crash_mid_import_changes_nothing() {
    let capofila = Install::new();
    let comune = Install::new();
    let district = fixture("district-d48.toml");
    capofila.ok(&["init", "--district", arg(&district), "--comune", "089017"]);
    capofila.ok(&["bando", "import", arg(&fixture("bando-sc-2026-1.toml"))]);
    comune.ok(&["init", "--district", arg(&district), "--comune", "089009"]);
    let mail = comune.dir.path();
    let enrolment = comune.ok(&["enrol", "export", "--out", arg(mail)]);
    let fp = comune.ok(&["key", "fingerprint"]);
    capofila.ok(&[
        "enrol",
        "accept",
        enrolment.trim(),
        "--fingerprint",
        fp.trim(),
    ]);
    let district_file = capofila.ok(&["district", "export", "--out", arg(capofila.dir.path())]);
    let cfp = capofila.ok(&["key", "fingerprint"]);
    comune.ok(&[
        "district",
        "accept",
        district_file.trim(),
        "--fingerprint",
        cfp.trim(),
    ]);
    comune.ok(&["application", "add", arg(&fixture("demo/089009.json"))]);
    let bundle = comune.ok(&["bundle", "export", "--out", arg(mail)]);
    let bundle = bundle.trim();

    // Logged in: a run refused at login would also "fail" and prove nothing.
    let crashed = logged_in(Command::new(binary("sportello")))
        .args(["--db", arg(&capofila.db), "bundle", "import", bundle])
        .env("SPORTELLO_FAILPOINT", "import-before-commit")
        .output()
        .unwrap();
    assert_eq!(
        crashed.status.code(),
        None,
        "the fault injection must kill the import (build with `cargo build --workspace \
         --all-targets`, which enables the test-only failpoints): {}",
        String::from_utf8_lossy(&crashed.stderr)
    );

    assert_eq!(
        capofila.json(&["application", "list"]),
        serde_json::json!([])
    );
    let r = capofila.run(&["bundle", "import", bundle]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("importato"), "{}", r.stdout);
    let list = capofila.json(&["application", "list"]);
    assert_eq!(
        list.as_array().unwrap().len(),
        comune
            .json(&["application", "list"])
            .as_array()
            .unwrap()
            .len()
    );
}

/// One operation to interrupt.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    /// A comune files three applications.
    Add,
    /// The capofila imports a comune's upload.
    Import,
    /// A comune exports its upload.
    Export,
    /// The capofila publishes the provisional ranking.
    Publish,
    /// A comune makes a backup.
    Backup,
}

const OPS: [Op; 5] = [Op::Add, Op::Import, Op::Export, Op::Publish, Op::Backup];

/// The failpoints each operation passes (`SPORTELLO_FAILPOINT` aborts there).
fn failpoints(op: Op) -> &'static [&'static str] {
    match op {
        Op::Add => &["add-before-commit"],
        Op::Import => &["import-before-commit"],
        Op::Export => &[
            "export-between-tables",
            "export-before-file",
            "file-before-rename",
        ],
        Op::Publish => &["publish-before-commit"],
        Op::Backup => &["backup-before-rename"],
    }
}

/// A capofila and a comune: the comune filed ten applications and exported them; the capofila
/// has imported them (so it can publish) in `capofila_with`, and not in `capofila`.
struct District {
    capofila: Install,
    comune: Install,
    upload: PathBuf,
    forms: PathBuf,
    out: PathBuf,
    /// Saved databases to start each kill from.
    comune_saved: tempfile::TempDir,
    capofila_saved: tempfile::TempDir,
    capofila_with: tempfile::TempDir,
    /// The capofila's registry once it imported the comune's upload.
    registry: BTreeMap<String, Vec<String>>,
}

fn district() -> District {
    let capofila = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    let comune = Install::of("district-d48.toml", "089009", &[]);
    enrol(&capofila, &comune);
    distribute(&capofila, &[&comune]);
    let items = fixture_applications();
    comune.add(&items[0..10]);
    let exported = comune.export();
    let upload = capofila.path("upload.sportello");
    std::fs::copy(&exported[0], &upload).unwrap();
    let forms = comune.write(
        "tre-domande.json",
        &serde_json::to_string(&items[10..13]).unwrap(),
    );
    let comune_saved = comune.save();
    let capofila_saved = capofila.save();
    capofila.ok(&["bundle", "import", arg(&upload)]);
    let capofila_with = capofila.save();
    let registry = dump_tables(&capofila.db, REGISTRY);
    let out = comune.path("chiavetta");
    District {
        capofila,
        comune,
        upload,
        forms,
        out,
        comune_saved,
        capofila_saved,
        capofila_with,
        registry,
    }
}

impl District {
    /// The install the operation runs at, put back as it was before it.
    fn reset(&self, op: Op) -> &Install {
        let _ = std::fs::remove_dir_all(&self.out);
        std::fs::create_dir_all(&self.out).unwrap();
        match op {
            Op::Add | Op::Export | Op::Backup => {
                self.comune.restore(&self.comune_saved);
                &self.comune
            }
            Op::Import => {
                self.capofila.restore(&self.capofila_saved);
                &self.capofila
            }
            Op::Publish => {
                self.capofila.restore(&self.capofila_with);
                &self.capofila
            }
        }
    }

    fn args(&self, op: Op) -> Vec<String> {
        let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect();
        match op {
            Op::Add => s(&["application", "add", arg(&self.forms)]),
            Op::Import => s(&["bundle", "import", arg(&self.upload)]),
            Op::Export => s(&["bundle", "export", "--out", arg(&self.out)]),
            Op::Publish => s(&[
                "ranking",
                "publish",
                "--bando",
                "SC-2026-1",
                "--stage",
                "provisional",
                "--confirm-cross-comune",
            ]),
            Op::Backup => s(&[
                "backup",
                "create",
                "--out",
                arg(&self.out.join("copia.sportello-backup")),
            ]),
        }
    }

    /// What the operation changes, as it must be either before or after it: the tables it
    /// writes, without what differs between two runs (ids, clocks).
    fn state(&self, op: Op, at: &Install) -> Value {
        let count = |table: &str| -> i64 {
            sportello_tests::connect(&at.db)
                .unwrap()
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap()
        };
        match op {
            Op::Add => {
                let conn = sportello_tests::connect(&at.db).unwrap();
                let mut stmt = conn
                    .prepare(
                        "SELECT a.case_seq, r.revision, r.declaration FROM applications a
                         JOIN application_revisions r ON r.application_id = a.id
                         ORDER BY a.case_seq, r.revision",
                    )
                    .unwrap();
                let rows: Vec<(i64, i64, String)> = stmt
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .unwrap()
                    .collect::<rusqlite::Result<_>>()
                    .unwrap();
                serde_json::json!(rows)
            }
            Op::Import => serde_json::json!(dump_tables(&at.db, REGISTRY)),
            Op::Export => serde_json::json!(count("bundles_out")),
            Op::Publish => serde_json::json!(count("rankings")),
            Op::Backup => serde_json::json!(self.visible_files().len()),
        }
    }

    /// The files a user would take from the chosen folder: not hidden.
    fn visible_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
            .collect();
        files.sort();
        files
    }

    /// What a stopped process left half-written: hidden files in the chosen folder and backup
    /// work folders next to the database.
    fn leftovers(&self, at: &Install) -> Vec<PathBuf> {
        let hidden = |dir: &Path, prefix: &str| -> Vec<PathBuf> {
            std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
                .collect()
        };
        let mut left = hidden(&self.out, ".sportello-parziale-");
        left.extend(hidden(at.db.parent().unwrap(), ".sportello-backup-"));
        left
    }

    /// Every visible file in the folder is whole: a bundle that verifies its framing and hash,
    /// a backup that `backup verify` accepts.
    fn assert_files_whole(&self, op: Op, at: &Install, what: &str) {
        for file in self.visible_files() {
            match op {
                Op::Export => {
                    let bytes = std::fs::read(&file).unwrap();
                    sportello_sync::inspect(&bytes).unwrap_or_else(|e| {
                        panic!("{what}: {} is not a whole bundle: {e}", file.display())
                    });
                }
                Op::Backup => {
                    let r = at.run(&["backup", "verify", arg(&file)]);
                    assert_eq!(r.code, 0, "{what}: {} {}", file.display(), r.stderr);
                }
                _ => panic!("{what}: {op:?} left {} in the folder", file.display()),
            }
        }
    }
}

use serde_json::Value;

/// How a run was interrupted.
#[derive(Clone, Debug)]
enum Kill {
    /// SIGKILL this long after the start.
    After(Duration),
    /// An abort at this failpoint.
    At(&'static str),
}

fn integrity(db: &Path) -> String {
    sportello_tests::connect(db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn kills_anywhere_in_five_operations_lose_nothing() {
    let points: usize = std::env::var("SPORTELLO_CRASH_POINTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    let d = district();
    let mut interrupted: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for op in OPS {
        // An uninterrupted run: the state after, and how long it takes.
        let at = d.reset(op);
        let before = d.state(op, at);
        let started = Instant::now();
        let args = d.args(op);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        at.ok(&args);
        let took = started.elapsed();
        let after = d.state(op, at);
        assert_ne!(before, after, "{op:?} changes something");

        let mut kills: Vec<Kill> = failpoints(op).iter().map(|p| Kill::At(p)).collect();
        let timed = points / OPS.len() - kills.len();
        // Spread over the run, a little past its end (a slower run).
        kills.extend(
            (0..timed).map(|k| Kill::After(took.mul_f64((k as f64 + 0.5) / timed as f64 * 1.1))),
        );
        for kill in kills {
            let what = format!("{op:?} killed {kill:?}");
            let at = d.reset(op);
            let mut command = logged_in(Command::new(binary("sportello")));
            command
                .arg("--db")
                .arg(&at.db)
                .args(&args)
                .env_remove("SPORTELLO_DB")
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            let status = match kill {
                Kill::At(point) => {
                    let out = command.env("SPORTELLO_FAILPOINT", point).output().unwrap();
                    assert_eq!(
                        out.status.code(),
                        None,
                        "{what}: the failpoint did not stop it (build with the test-only \
                         failpoints, see this file's header): {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    out.status
                }
                Kill::After(delay) => {
                    let mut child = command.spawn().unwrap();
                    std::thread::sleep(delay);
                    let _ = child.kill();
                    child.wait().unwrap()
                }
            };
            assert_eq!(integrity(&at.db), "ok", "{what}");
            let now = d.state(op, at);
            let finished = now == after;
            assert!(
                finished || now == before,
                "{what}: neither before nor after"
            );
            let e = interrupted.entry(format!("{op:?}")).or_default();
            match (status.success(), finished) {
                (true, _) => e.2 += 1,
                (false, false) => e.0 += 1,
                (false, true) => e.1 += 1,
            }
            d.assert_files_whole(op, at, &what);
            // Done again, it ends as an uninterrupted run. A filing or a publication that
            // finished is not done twice (the user finds it in the list); an export or a backup
            // that died is simply made again.
            let again = matches!(op, Op::Export | Op::Backup) || !finished;
            if again {
                let r = at.run(&args);
                assert_eq!(r.code, 0, "{what}: run again: {}", r.stderr);
                d.assert_files_whole(op, at, &what);
                // Writing again clears what the stopped run left half-written.
                assert_eq!(
                    d.leftovers(at),
                    Vec::<PathBuf>::new(),
                    "{what}: left behind"
                );
                if !matches!(op, Op::Export | Op::Backup) {
                    assert_eq!(d.state(op, at), after, "{what}: run again");
                }
            }
            if op == Op::Export {
                // What the folder holds brings the capofila every record.
                d.capofila.restore(&d.capofila_saved);
                for file in d.visible_files() {
                    let r = d.capofila.run(&["bundle", "import", arg(&file)]);
                    assert_eq!(r.code, 0, "{what}: import {}: {}", file.display(), r.stderr);
                }
                assert_eq!(
                    dump_tables(&d.capofila.db, REGISTRY),
                    d.registry,
                    "{what}: the capofila's registry"
                );
            }
        }
    }
    eprintln!(
        "per operation (killed as before, killed as after, finished before the kill): \
         {interrupted:?}"
    );
}
