//! Sync at district scale (issue 3): 100 upload bundles totalling 100,000 applications
//! imported and merged at the capofila, next to a plain bulk INSERT of the same rows into the
//! same schema in one transaction (the floor), measured in the same run; and the export of
//! 10,000 and of 100,000 changed applications at a comune (a first export of a large comune).
//!
//! Targets: import + merge ≤ 1.5× the floor and ≤ 64 MB peak RSS; export of 10,000 ≤ 1 s;
//! export in ≤ 64 MB peak RSS whatever the number of records.
//!
//! `cargo bench -p sportello-tests --bench sync`. The set-up makes a synthetic district of a
//! capofila and 100 comuni with real installs (keys, enrolment, district file) through
//! `sportello_app`; each comune files 1,000 applications through the store
//! (`Store::file_applications`, skipping the form checks, which are not what is measured) and
//! exports one upload bundle. Each measured phase then runs in its own child process on a fresh
//! copy of the capofila's database, so its peak memory (VmHWM) is its own.
//! `SPORTELLO_BENCH_RUNS` (default 3) sets how many times each phase runs; the median is
//! reported. `SPORTELLO_BENCH_DIR` keeps the set-up in that folder and reuses it next time (to
//! profile one phase); a set-up kept across builds that migrate it measures slower than a fresh
//! one, the floor too (docs/benchmarks.md, "The margin, next"): figures to report come from a
//! fresh set-up, the default.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use rusqlite::types::Value as SqlValue;
use serde_json::{Value, json};
use sportello_app::{Actor, Sportello};
use sportello_domain::ApplicationForm;
use sportello_domain::codice_fiscale::encode;
use sportello_store::{NewApplication, Record, Store};
use sportello_sync::{Receiver, TrustList, inspect, open, verify};

const COMUNI: usize = 100;
const PER_COMUNE: usize = 1_000;
const EXPORTED: usize = 10_000;
const EXPORTED_LARGE: usize = 100_000;
const EXPORT_RSS_TARGET_MB: f64 = 64.0;
const BANDO: &str = "BENCH-1";
const CAPOFILA: &str = "990000";
const IMPORT_FACTOR_TARGET: f64 = 1.5;
const IMPORT_RSS_TARGET_MB: f64 = 64.0;
/// Encryption at rest may slow the import by this much at most (issue 11).
const ENCRYPTION_FACTOR_TARGET: f64 = 1.25;
const EXPORT_TARGET: Duration = Duration::from_secs(1);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--phase") {
        let result = match args[i + 1].as_str() {
            "floor" => floor(Path::new(&args[i + 2])),
            "import" => import(Path::new(&args[i + 2]), true),
            "import-clear" => import(Path::new(&args[i + 2]), false),
            "export" => export(Path::new(&args[i + 2]), "export"),
            "export-large" => export(Path::new(&args[i + 2]), "export-large"),
            other => panic!("unknown phase {other}"),
        };
        println!("{result}");
        return;
    }
    let runs: usize = std::env::var("SPORTELLO_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);

    // A kept folder (`SPORTELLO_BENCH_DIR`) is set up once and reused, e.g. for profiling one
    // phase: `perf record -g target/release/deps/sync-… --phase import $SPORTELLO_BENCH_DIR`.
    let temp = tempfile::tempdir().expect("work folder");
    let work =
        std::env::var_os("SPORTELLO_BENCH_DIR").map_or(temp.path().to_path_buf(), PathBuf::from);
    if work.join("bundles").exists() {
        println!("set-up: reusing {}", work.display());
        // Made by an older build, its databases are brought to the current schema once here,
        // so no phase measures a migration.
        for install in ["capofila", "export", "export-large"] {
            Sportello::open(
                &work.join(install).join("sportello.db"),
                &sportello_tests::credentials(),
            )
            .expect("the kept set-up opens");
        }
    } else {
        let started = Instant::now();
        setup(&work);
        println!(
            "set-up: {COMUNI} comuni × {PER_COMUNE} applications filed and exported in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let work = work.as_path();

    let floor = median_of(runs, "floor", work);
    let import = median_of(runs, "import", work);
    let import_clear = median_of(runs, "import-clear", work);
    let export = median_of(runs, "export", work);
    let export_large = median_of(runs, "export-large", work);

    let secs = |v: &Value| v["seconds"].as_f64().expect("seconds");
    let rss = |v: &Value| v["peak_rss_mb"].as_f64().expect("peak");
    let factor = secs(&import) / secs(&floor);
    println!();
    println!(
        "records: {} rows in {} bundles ({:.1} MB of bundles)",
        import["records"], import["bundles"], import["bundle_mb"]
    );
    println!(
        "floor  (bulk INSERT, one transaction): {:>7.2} s  peak RSS {:>6.1} MB",
        secs(&floor),
        rss(&floor)
    );
    println!(
        "import + merge (100 bundles):          {:>7.2} s  peak RSS {:>6.1} MB  = {factor:.2}× the floor \
         (target ≤ {IMPORT_FACTOR_TARGET}×, ≤ {IMPORT_RSS_TARGET_MB} MB)",
        secs(&import),
        rss(&import)
    );
    println!(
        "export of {EXPORTED} changed applications:  {:>7.3} s  peak RSS {:>6.1} MB  ({} records, {:.1} MB; target ≤ {:?})",
        secs(&export),
        rss(&export),
        export["records"],
        export["bundle_mb"],
        EXPORT_TARGET
    );
    println!(
        "export of {EXPORTED_LARGE} changed applications: {:>7.3} s  peak RSS {:>6.1} MB  ({} records, {} MB; target ≤ {EXPORT_RSS_TARGET_MB} MB){}",
        secs(&export_large),
        rss(&export_large),
        export_large["records"],
        export_large["bundle_mb"],
        export_large["refused"]
            .as_str()
            .map(|m| format!("\n  refused: {m}"))
            .unwrap_or_default(),
    );
    let encryption = secs(&import) / secs(&import_clear);
    println!(
        "import + merge in clear (no SQLCipher):  {:>7.2} s  peak RSS {:>6.1} MB  → encryption costs {encryption:.2}× \
         (target ≤ {ENCRYPTION_FACTOR_TARGET}×)",
        secs(&import_clear),
        rss(&import_clear)
    );
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    println!(
        "targets: import time {}, import memory {}, encryption {}, export time {}, export memory {}",
        verdict(factor <= IMPORT_FACTOR_TARGET),
        verdict(rss(&import) <= IMPORT_RSS_TARGET_MB),
        verdict(encryption <= ENCRYPTION_FACTOR_TARGET),
        verdict(secs(&export) <= EXPORT_TARGET.as_secs_f64()),
        verdict(rss(&export).max(rss(&export_large)) <= EXPORT_RSS_TARGET_MB)
    );
}

/// Runs a phase `runs` times in child processes; returns the run with the median time.
fn median_of(runs: usize, phase: &str, work: &Path) -> Value {
    let mut results: Vec<Value> = (0..runs.max(1))
        .map(|_| {
            let out = Command::new(std::env::current_exe().expect("bench executable"))
                .args(["--phase", phase])
                .arg(work)
                .output()
                .expect("run phase");
            assert!(
                out.status.success(),
                "phase {phase} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8_lossy(&out.stdout);
            let result: Value = serde_json::from_str(text.trim()).expect("phase result");
            println!("  {phase}: {result}");
            result
        })
        .collect();
    results.sort_by(|a, b| {
        a["seconds"]
            .as_f64()
            .partial_cmp(&b["seconds"].as_f64())
            .unwrap()
    });
    results.swap_remove(results.len() / 2)
}

// ---- Set-up --------------------------------------------------------------------------------

fn actor() -> Actor {
    Actor("benchmark".into())
}

fn comune_code(i: usize) -> String {
    format!("99{i:04}")
}

fn district_toml() -> String {
    let mut toml = format!(
        "id = \"B01\"\nname = \"Distretto di prova (benchmark)\"\ncapofila = \"{CAPOFILA}\"\n"
    );
    for i in 0..=COMUNI {
        toml += &format!(
            "[[comuni]]\nistat = \"{}\"\nname = \"Comune {i}\"\nbelfiore = \"Y{i:03}\"\n",
            comune_code(i)
        );
    }
    toml
}

fn bando_toml() -> String {
    let mut toml = format!(
        "id = \"{BANDO}\"\ntitle = \"Bando di prova\"\nopens = 2026-01-10\ncloses = 2026-03-31\n[places]\n"
    );
    for i in 0..=COMUNI {
        toml += &format!("\"{}\" = 5\n", comune_code(i));
    }
    toml
}

/// Applications for comune `c`: the fixture's synthetic forms, cycled, each with its own
/// codici fiscali (unique in the district; the store does not check them).
fn applications(c: usize, n: usize) -> Vec<NewApplication> {
    let text = std::fs::read_to_string(sportello_tests::fixture("applications.json")).unwrap();
    let forms: Vec<ApplicationForm> = serde_json::from_str(&text).expect("fixture forms");
    (0..n)
        .map(|j| {
            let form = &forms[(c * 7 + j) % forms.len()];
            let mut declaration = form.declaration.clone();
            let mut people = std::iter::once(&mut declaration.applicant.person)
                .chain(declaration.household.iter_mut().map(|m| &mut m.person));
            for (m, person) in (0..).zip(&mut people) {
                // Valid, district-unique codici fiscali: the capofila checks them on import.
                let n = j * 8 + m;
                person.surname = consonants(c * 20 + n / 8000);
                person.name = consonants(n % 8000);
                person.codice_fiscale = encode(
                    &person.surname,
                    &person.name,
                    person.birth_date,
                    person.sex,
                    &person.birth_place,
                );
            }
            NewApplication {
                bando: BANDO.into(),
                filed_at: form.filed_at.expect("fixture forms carry a filing time"),
                declaration,
                override_note: None,
                protocol_number: None,
            }
        })
        .collect()
}

/// Three consonants spelling `n` in base 20: a synthetic surname or name, unique per `n`.
fn consonants(n: usize) -> String {
    const C: &[u8; 20] = b"BCDFGHJKLMNPQRSTVWXZ";
    [n / 400 % 20, n / 20 % 20, n % 20]
        .iter()
        .map(|&d| C[d] as char)
        .collect()
}

fn now() -> DateTime<FixedOffset> {
    sportello_app::now()
}

/// The installs, the 100 upload bundles, and a comune with 10,000 unexported applications.
fn setup(work: &Path) {
    let district = district_toml();
    let db = |name: &str| work.join(name).join("sportello.db");
    let mut capofila = Sportello::init(
        &db("capofila"),
        &district,
        CAPOFILA,
        &sportello_tests::first_operator(),
    )
    .unwrap();
    capofila.settings().import_bando(&bando_toml()).unwrap();
    let files = work.join("files");
    let comuni: Vec<String> = (1..=COMUNI).map(comune_code).collect();
    for code in &comuni {
        let mut comune = Sportello::init(
            &db(code),
            &district,
            code,
            &sportello_tests::first_operator(),
        )
        .unwrap();
        let file = comune.trust().enrol_export(&files).unwrap();
        capofila
            .trust()
            .enrol_accept(&file, &comune.trust().fingerprint().unwrap())
            .unwrap();
    }
    let district_file = capofila.trust().district_export(&files).unwrap();
    let fingerprint = capofila.trust().fingerprint().unwrap();
    drop(capofila);

    let bundles = work.join("bundles");
    let mut codes = std::collections::HashSet::new();
    for (c, code) in comuni.iter().enumerate() {
        let mut comune = Sportello::open(&db(code), &sportello_tests::credentials()).unwrap();
        comune
            .trust()
            .district_accept(&district_file, &fingerprint, false)
            .unwrap();
        drop(comune);
        let mut store = sportello_tests::store(&db(code));
        let filed = store
            .file_applications(&applications(c, PER_COMUNE), now(), &actor())
            .unwrap();
        // Application codes are random (40 bits) and unique per install only: among 100,000
        // a collision between two comuni has a chance of about 1 in 200, and the capofila
        // refuses the second bundle. Re-code such an application before it is exported.
        for (j, f) in filed.iter().enumerate() {
            if !codes.insert(f.application_code.clone()) {
                let fresh = format!("Z{c:03}-{j:04}");
                println!(
                    "set-up: code {} drawn twice, re-coded {fresh}",
                    f.application_code
                );
                store
                    .connection()
                    .execute(
                        "UPDATE applications SET application_code = ?1 WHERE id = ?2",
                        [&fresh, &f.id.to_string()],
                    )
                    .unwrap();
                codes.insert(fresh);
            }
        }
        drop(store);
        let written = Sportello::open(&db(code), &sportello_tests::credentials())
            .unwrap()
            .exchange()
            .export(&bundles)
            .unwrap();
        assert_eq!(written.len(), 1);
    }

    // The exporting comuni: twins of the first comune, with 10,000 and 100,000 applications
    // never sent (filed in batches: the set-up's own memory is not what is measured).
    for (name, count) in [("export", EXPORTED), ("export-large", EXPORTED_LARGE)] {
        let exporting = db(name);
        let mut comune = Sportello::init(
            &exporting,
            &district,
            &comuni[0],
            &sportello_tests::first_operator(),
        )
        .unwrap();
        comune
            .trust()
            .district_accept(&district_file, &fingerprint, false)
            .unwrap();
        drop(comune);
        let mut store = sportello_tests::store(&exporting);
        let all = applications(COMUNI, count);
        for batch in all.chunks(10_000) {
            store.file_applications(batch, now(), &actor()).unwrap();
        }
    }
}

/// A fresh copy of an install (database and keys) under `work/<name>`.
fn fresh_copy(work: &Path, from: &str, name: &str) -> PathBuf {
    let dir = work.join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    let to = dir.join("sportello.db");
    for suffix in ["", "-wal", ".slots", ".keys"] {
        let src = PathBuf::from(format!("{}/{from}/sportello.db{suffix}", work.display()));
        if src.exists() {
            std::fs::copy(&src, format!("{}{suffix}", to.display())).unwrap();
        }
    }
    to
}

fn bundle_files(work: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(work.join("bundles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), COMUNI);
    files
}

fn megabytes(files: &[PathBuf]) -> f64 {
    files
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum::<u64>() as f64
        / 1e6
}

/// Peak resident set size of this process so far, in MB (VmHWM).
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .expect("VmHWM")
        / 1024.0
}

fn count(db: &Path, table: &str) -> i64 {
    sportello_tests::store(db)
        .connection()
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

// ---- Phases (each in its own process) ------------------------------------------------------

/// The floor: the same rows, inserted into the same schema (a copy of the capofila's
/// database, same pragmas) in one transaction with one prepared statement per table. Reading
/// and decrypting the bundles is not timed.
fn floor(work: &Path) -> Value {
    let db = fresh_copy(work, "capofila", "floor");
    let files = bundle_files(work);
    let key = sportello_tests::db_key(&db);
    let keys = sportello_app::inspection::install_keys(&db, &key).unwrap();
    let mut store = Store::open(&db, &key).unwrap();
    let trust = TrustList::from_json(&store.setting("trust_list").unwrap().unwrap()).unwrap();
    let receiver = Receiver::new("B01", CAPOFILA, &keys);
    let mut inserting = Duration::ZERO;
    let mut records = 0usize;
    let mut sql: HashMap<String, String> = HashMap::new();
    let tx = store.connection_mut().transaction().unwrap();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let inspected = inspect(&bytes).unwrap();
        let verified = verify(&inspected, &trust, &receiver).unwrap();
        let rows: Vec<(String, Vec<SqlValue>)> = open(&verified, &keys)
            .unwrap()
            .into_iter()
            .map(|v| {
                let r: Record = serde_json::from_value(v).unwrap();
                let Value::Object(body) = &r.body else {
                    panic!("record body")
                };
                let statement = sql.entry(r.table.clone()).or_insert_with(|| {
                    let mut names = vec!["id", "owner", "version", "content_hash", "deleted"];
                    names.extend(body.keys().map(String::as_str));
                    let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
                    format!(
                        "INSERT INTO {} ({}) VALUES ({})",
                        r.table,
                        names.join(", "),
                        marks.join(", ")
                    )
                });
                let mut values = vec![
                    SqlValue::Text(r.meta.id.to_string()),
                    SqlValue::Text(r.meta.owner.clone()),
                    SqlValue::Integer(r.meta.version),
                    SqlValue::Text(r.meta.content_hash.clone()),
                    SqlValue::Integer(i64::from(r.meta.deleted)),
                ];
                values.extend(body.values().map(to_sql));
                (statement.clone(), values)
            })
            .collect();
        records += rows.len();
        let started = Instant::now();
        for (statement, values) in rows {
            tx.prepare_cached(&statement)
                .unwrap()
                .execute(rusqlite::params_from_iter(values))
                .unwrap();
        }
        inserting += started.elapsed();
    }
    let started = Instant::now();
    tx.commit().unwrap();
    inserting += started.elapsed();
    drop(store);
    assert_eq!(count(&db, "applications"), (COMUNI * PER_COMUNE) as i64);
    json!({
        "seconds": inserting.as_secs_f64(),
        "records": records,
        "peak_rss_mb": peak_rss_mb(),
    })
}

/// Replaces the database at `db` by the same rows in clear (its keys and slots stay).
fn decrypt_in_place(db: &Path) {
    let clear = db.with_extension("chiaro");
    let conn = sportello_tests::connect(db).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    conn.execute_batch(&format!(
        "ATTACH DATABASE '{}' AS clear KEY ''; SELECT sqlcipher_export('clear'); \
         PRAGMA clear.user_version = {version}; DETACH DATABASE clear;",
        clear.display()
    ))
    .unwrap();
    drop(conn);
    std::fs::rename(&clear, db).unwrap();
}

fn to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => n
            .as_i64()
            .map_or_else(|| SqlValue::Real(n.as_f64().unwrap()), SqlValue::Integer),
        Value::String(s) => SqlValue::Text(s.clone()),
        other => panic!("not a column value: {other}"),
    }
}

/// Import and merge, as `sportello bundle import FILE...` does it: every check, one
/// transaction per bundle, the import log. `encrypted: false` runs the same use case on a
/// copy of the database decrypted beforehand: what encryption at rest costs.
fn import(work: &Path, encrypted: bool) -> Value {
    let db = fresh_copy(work, "capofila", "import");
    let files = bundle_files(work);
    if !encrypted {
        decrypt_in_place(&db);
    }
    let rss_before = peak_rss_mb();
    let credentials = sportello_tests::credentials();
    let mut capofila = if encrypted {
        Sportello::open(&db, &credentials).unwrap()
    } else {
        sportello_app::inspection::open_in_clear(&db, &credentials).unwrap()
    };
    let started = Instant::now();
    let reports = capofila.exchange().import(&files).expect("import allowed");
    let seconds = started.elapsed().as_secs_f64();
    let peak = peak_rss_mb();
    drop(capofila);
    let mut records = 0u64;
    for r in &reports {
        assert!(r.error.is_none(), "{}: {:?}", r.file, r.error);
        assert_eq!(r.outcome, "applied");
        records += u64::from(r.summary.as_ref().unwrap().total().new);
    }
    if encrypted {
        assert_eq!(count(&db, "applications"), (COMUNI * PER_COMUNE) as i64);
    }
    json!({
        "seconds": seconds,
        "bundles": files.len(),
        "records": records,
        "bundle_mb": megabytes(&files),
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak,
    })
}

/// `bundle export` at a comune holding 10,000 (`export`) or 100,000 (`export-large`)
/// applications the capofila has not acknowledged.
fn export(work: &Path, install: &str) -> Value {
    let db = fresh_copy(work, install, "exporting");
    let out = work.join("exporting").join("out");
    let mut comune = Sportello::open(&db, &sportello_tests::credentials()).unwrap();
    let started = Instant::now();
    let files = match comune.exchange().export(&out) {
        Ok(files) => files,
        // Past what a reader accepts in one bundle (docs/bundle-format.md, "Limits").
        Err(e) => {
            return json!({
                "seconds": started.elapsed().as_secs_f64(),
                "refused": e.message,
                "peak_rss_mb": peak_rss_mb(),
            });
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    let records = comune.exchange().exports(1).unwrap()[0].records;
    json!({
        "seconds": seconds,
        "records": records,
        "bundle_mb": megabytes(&files),
        "peak_rss_mb": peak_rss_mb(),
    })
}
