//! Issue 9, "Bounded input" and "Files private", through the CLI: a decompression bomb and a
//! 2 GB file are refused within bounded memory and time, without being copied; the database,
//! keys, exports and quarantine are the owner's only; and no value from a refused record
//! reaches the import log or the quarantine folder.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sportello_store::SCHEMA_VERSION;
use sportello_sync::bundle::seal_compressed_for_tests;
use sportello_sync::{Ack, BundleKind, ChangeRange, HeaderFields, InstallKeys, TrustList, seal};
use sportello_tests::{Install, arg, binary, distribute, enrol, fixture, fixture_applications};

const DISTRICT: &str = "district-d48.toml";
const CAPOFILA: &str = "089017";
const FLORIDIA: &str = "089009";
/// A syntactically valid codice fiscale of a fictional person, never filed by the fixtures.
const CF: &str = "RSSMRA80A01H501U";

fn pair() -> (Install, Install) {
    let capofila = Install::init(DISTRICT, CAPOFILA);
    let floridia = Install::init(DISTRICT, FLORIDIA);
    enrol(&capofila, &floridia);
    capofila.ok(&["bando", "import", arg(&fixture("bando-sc-2026-1.toml"))]);
    distribute(&capofila, &[&floridia]);
    (capofila, floridia)
}

fn upload_fields() -> HeaderFields {
    HeaderFields {
        kind: BundleKind::Upload,
        district: "D48".into(),
        sender: FLORIDIA.into(),
        seq: 1,
        prev_header_hash: None,
        changes: ChangeRange {
            from_version: 0,
            to_version: 100,
        },
        ack: Ack::default(),
        schema_version: SCHEMA_VERSION as u32,
        app_version: "0.1.0".into(),
        created_at: "2026-03-02T09:30:00+01:00".into(),
    }
}

/// Floridia's keys and the capofila as Floridia trusts it: what an enrolled comune (or a thief
/// of its keys) can sign and encrypt with.
fn floridia_keys(floridia: &Install) -> (InstallKeys, sportello_sync::Addressee) {
    let keys = sportello_tests::install_keys(&floridia.db);
    let conn = sportello_tests::connect_read_only(&floridia.db).unwrap();
    let trust: String = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'trust_list'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let capofila = TrustList::from_json(&trust)
        .unwrap()
        .capofila()
        .unwrap()
        .addressee();
    (keys, capofila)
}

/// A zstd frame made by hand: `raw` stored as it is, then `repeat` copies of `byte` in
/// run-length blocks of 128 KiB (4 bytes each: 2 GiB take 64 KiB), then `tail`.
fn zstd_frame(raw: &[u8], byte: u8, repeat: u64, tail: &[u8]) -> Vec<u8> {
    const BLOCK: u64 = 128 << 10;
    // Magic, then a descriptor with no content size and a 128 KiB window.
    let mut out = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3];
    let block = |out: &mut Vec<u8>, kind: u32, size: u64, last: bool| {
        let header = (size as u32) << 3 | kind << 1 | u32::from(last);
        out.extend_from_slice(&header.to_le_bytes()[..3]);
    };
    block(&mut out, 0, raw.len() as u64, false);
    out.extend_from_slice(raw);
    let mut left = repeat;
    while left > 0 {
        let n = left.min(BLOCK);
        left -= n;
        block(&mut out, 1, n, false);
        out.push(byte);
    }
    block(&mut out, 0, tail.len() as u64, true);
    out.extend_from_slice(tail);
    out
}

/// Runs `sportello --db DB ARGS` under `/usr/bin/time` where it exists: the run and the peak
/// resident memory of the process, in MiB.
fn run_measured(install: &Install, args: &[&str]) -> (i32, String, Option<u64>) {
    let time = Path::new("/usr/bin/time");
    let report = install.path("time.txt");
    let mut command = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg("-o").arg(&report);
        c.arg(binary("sportello"));
        c
    } else {
        Command::new(binary("sportello"))
    };
    let out = command
        .arg("--db")
        .arg(&install.db)
        .args(args)
        .env("SPORTELLO_OPERATOR", sportello_tests::OPERATOR)
        .env("SPORTELLO_PASSWORD", sportello_tests::PASSWORD)
        .output()
        .unwrap();
    let peak = std::fs::read_to_string(&report)
        .ok()
        .and_then(|t| t.trim().lines().last()?.trim().parse::<u64>().ok())
        .map(|kb| kb / 1024);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        peak,
    )
}

/// The newest line of the import log: (outcome, code, message).
fn last_logged(install: &Install) -> (String, Option<String>, Option<String>) {
    let conn = sportello_tests::connect_read_only(&install.db).unwrap();
    conn.query_row(
        "SELECT outcome, code, message FROM import_log ORDER BY seq DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .expect("the attempt was logged")
}

/// 2 GiB of spaces after the manifest, in a 64 KiB upload signed and encrypted with Floridia's
/// keys: the reader used to hold the whole line (about 2 GB of memory for this file, and a
/// 126 KB one aborted the process). It is refused once the payload has grown to 64 times its
/// size, in a few megabytes.
#[test]
fn a_decompression_bomb_is_refused_within_bounded_memory_and_time() {
    let (capofila, floridia) = pair();
    let (keys, to) = floridia_keys(&floridia);
    let mut manifest = serde_json::to_vec(&json!({
        "district": "D48", "kind": "upload", "sender": FLORIDIA,
        "key_id": keys.key_id(), "seq": 1, "records": 1,
    }))
    .unwrap();
    manifest.push(b'\n');
    let frame = zstd_frame(&manifest, b' ', 2 << 30, b"1\n");
    let sealed = seal_compressed_for_tests(&upload_fields(), 1, &frame, &keys, &[to]).unwrap();
    assert!(
        sealed.bytes.len() < 100 << 10,
        "{} bytes",
        sealed.bytes.len()
    );
    let file = floridia.path(&sealed.file_name);
    std::fs::write(&file, &sealed.bytes).unwrap();

    let start = Instant::now();
    let (code, stderr, peak) = run_measured(&capofila, &["bundle", "import", arg(&file)]);
    let took = start.elapsed();
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("RIFIUTATO (corrupted)"), "{stderr}");
    assert!(
        stderr.contains("decompresso, supera il massimo"),
        "{stderr}"
    );
    assert!(took < Duration::from_secs(20), "{took:?}");
    if let Some(peak) = peak {
        println!(
            "bomb of {} bytes: refused in {took:?}, peak {peak} MiB",
            sealed.bytes.len()
        );
        assert!(peak < 100, "peak resident memory {peak} MiB");
    }
    let (outcome, code, _) = last_logged(&capofila);
    assert_eq!(
        (outcome.as_str(), code.as_deref()),
        ("refused", Some("corrupted"))
    );
    assert!(
        capofila
            .json(&["application", "list"])
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// A sparse file of 2 GiB (no disk space, no data) named like a bundle: refused from its size,
/// before any of it is read, and not copied into the quarantine folder; the attempt is logged.
#[test]
fn a_two_gigabyte_file_is_refused_without_being_read_or_copied() {
    let capofila = Install::init(DISTRICT, CAPOFILA);
    let file = capofila.path("D48-089009-up-000001.sportello");
    std::fs::File::create(&file)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();

    let start = Instant::now();
    let (code, stderr, peak) = run_measured(&capofila, &["bundle", "import", arg(&file)]);
    let took = start.elapsed();
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("RIFIUTATO (file_too_large)"), "{stderr}");
    assert!(
        stderr.contains("troppo grande (2048 MB; il massimo è 512 MB)"),
        "{stderr}"
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
    if let Some(peak) = peak {
        println!("2 GiB file: refused in {took:?}, peak {peak} MiB");
        assert!(peak < 100, "peak resident memory {peak} MiB");
    }
    assert_eq!(capofila.quarantined(), Vec::<PathBuf>::new());
    let (outcome, code, message) = last_logged(&capofila);
    assert_eq!(
        (outcome.as_str(), code.as_deref()),
        ("refused", Some("file_too_large"))
    );
    assert!(message.unwrap().contains("troppo grande"));

    // Not a byte of it read, where strace can tell.
    let trace = capofila.path("trace.txt");
    let traced = Command::new("strace")
        .args(["-f", "-y", "-e", "trace=read,pread64,readv,mmap", "-o"])
        .arg(&trace)
        .arg(binary("sportello"))
        .arg("--db")
        .arg(&capofila.db)
        .args(["bundle", "import"])
        .arg(&file)
        .output();
    if traced.is_ok_and(|out| out.status.code() == Some(1)) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let trace = std::fs::read_to_string(&trace).unwrap();
        let reads: Vec<&str> = trace.lines().filter(|l| l.contains(&name)).collect();
        assert!(reads.is_empty(), "{reads:?}");
    }
}

/// Every file that holds personal data or secrets is the owner's only: the database and its
/// journal, the keys, enrolment, district and bundle files, quarantine copies and reasons.
#[cfg(unix)]
#[test]
fn the_install_s_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;

    // A database in a folder that does not exist yet.
    let dir = tempfile::tempdir().unwrap();
    let capofila = Install {
        db: dir.path().join("dati/sportello/capofila.db"),
        dir,
    };
    capofila.ok(&[
        "init",
        "--district",
        arg(&fixture(DISTRICT)),
        "--comune",
        CAPOFILA,
    ]);
    let floridia = Install::init(DISTRICT, FLORIDIA);
    enrol(&capofila, &floridia);
    capofila.ok(&["bando", "import", arg(&fixture("bando-sc-2026-1.toml"))]);
    distribute(&capofila, &[&floridia]);
    // SQLite deletes the write-ahead log and its index when the last connection closes: one
    // held open keeps them while the CLI writes.
    let held = sportello_tests::connect(&floridia.db).unwrap();
    held.query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0))
        .unwrap();
    floridia.add(&fixture_applications()[0..2]);

    let with = |db: &Path, suffix: &str| {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    for suffix in ["", "-wal", "-shm", ".keys", ".slots"] {
        let file = with(&floridia.db, suffix);
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    drop(held);
    for suffix in ["", ".keys", ".slots"] {
        assert_eq!(mode(&with(&capofila.db, suffix)), 0o600);
    }
    assert_eq!(mode(&capofila.path("dati")), 0o700);
    assert_eq!(mode(&capofila.path("dati/sportello")), 0o700);

    // Enrolment and district files, into folders made for them.
    let enrolment = floridia.path("posta/adesione/floridia.sportello");
    floridia.ok(&["enrol", "export", "--out", arg(&enrolment)]);
    let district = capofila.path("posta/distretto.sportello");
    capofila.ok(&["district", "export", "--out", arg(&district)]);
    for file in [&enrolment, &district] {
        assert_eq!(mode(file), 0o600, "{}", file.display());
        assert_eq!(mode(file.parent().unwrap()), 0o700, "{}", file.display());
    }
    let upload = floridia.export().remove(0);
    assert_eq!(mode(&upload), 0o600);

    // A refused file: the quarantine folder, the copy and its reason.
    let mut damaged = std::fs::read(&upload).unwrap();
    damaged.truncate(damaged.len() - 1);
    let broken = capofila.path("D48-089009-up-000001.sportello");
    std::fs::write(&broken, &damaged).unwrap();
    assert_eq!(capofila.run(&["bundle", "import", arg(&broken)]).code, 1);
    let quarantine = capofila.path("dati/sportello/quarantena");
    assert_eq!(mode(&quarantine), 0o700);
    let kept: Vec<PathBuf> = std::fs::read_dir(&quarantine)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    for file in &kept {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
}

/// Records whose refusal would quote a codice fiscale: a version that is not a number (the
/// parser quotes the value) and an owner that is not a comune. The operator sees the full
/// message; the import log, the audit trail and the quarantine folder never hold the value.
#[test]
fn a_refused_record_s_values_stay_out_of_the_log_and_the_quarantine() {
    let (capofila, floridia) = pair();
    floridia.add(&fixture_applications()[0..1]);
    let store = sportello_tests::store(&floridia.db);
    let own: Vec<Value> = store
        .records_since(sportello_store::Direction::Upload, FLORIDIA, 0)
        .unwrap()
        .records
        .into_iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .collect();
    drop(store);
    let (keys, to) = floridia_keys(&floridia);

    let mut version = own[0].clone();
    version["version"] = CF.into();
    let mut owner = own[0].clone();
    owner["owner"] = CF.into();
    for (what, record, refusal) in [
        ("version", version, "invalid_record"),
        ("owner", owner, "record_not_owned"),
    ] {
        let sealed = seal(
            &upload_fields(),
            &[record],
            &keys,
            std::slice::from_ref(&to),
        )
        .unwrap();
        let file = floridia.path(&format!("{what}-{}", sealed.file_name));
        std::fs::write(&file, &sealed.bytes).unwrap();
        let run = capofila.run(&["bundle", "import", arg(&file)]);
        assert_eq!(run.code, 1, "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("RIFIUTATO ({refusal})")),
            "{what}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains(CF),
            "{what}: the operator sees it: {}",
            run.stderr
        );

        let (outcome, code, message) = last_logged(&capofila);
        assert_eq!(
            (outcome.as_str(), code.as_deref()),
            ("refused", Some(refusal))
        );
        let message = message.unwrap();
        assert!(!message.contains(CF), "{what}: {message}");
    }

    let conn = sportello_tests::connect_read_only(&capofila.db).unwrap();
    for table in ["import_log", "audit_log"] {
        let rows: Vec<String> = conn
            .prepare(&format!("SELECT * FROM {table}"))
            .unwrap()
            .query_map([], |r| {
                let mut row = String::new();
                for i in 0..r.as_ref().column_count() {
                    if let Ok(text) = r.get::<_, String>(i) {
                        row.push_str(&text);
                    }
                }
                Ok(row)
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(!rows.is_empty(), "{table}");
        for row in rows {
            assert!(!row.contains(CF), "{table}: {row}");
        }
    }
    let quarantined = capofila.quarantined();
    assert_eq!(quarantined.len(), 4, "{quarantined:?}");
    for file in quarantined {
        let bytes = std::fs::read(&file).unwrap();
        let found = bytes.windows(CF.len()).any(|w| w == CF.as_bytes());
        assert!(!found, "{}", file.display());
    }
}
