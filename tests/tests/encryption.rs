//! The install at rest: nothing personal readable in its files without a password or the
//! recovery key; the recovery key that sets a new password; backups that restore the same
//! install elsewhere, its bundles still accepted by the capofila.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use sportello_app::{Sportello, parse_json_forms};
use sportello_tests::{Install, OPERATOR, arg, distribute, enrol, fixture, fixture_applications};

const CAPOFILA: &str = "089017";
const FLORIDIA: &str = "089009";

/// A new install of `comune` in D48; its recovery key, as `init --json` printed it once.
fn install_with_key(comune: &str) -> (Install, String) {
    let i = Install::new();
    let init = i.json(&[
        "init",
        "--district",
        arg(&fixture("district-d48.toml")),
        "--comune",
        comune,
    ]);
    let key = init["recovery_key"]
        .as_str()
        .expect("recovery_key")
        .to_string();
    (i, key)
}

/// What of the fixture applications would identify someone: codici fiscali, surnames, DSU
/// protocols, ISEE values of four digits or more.
fn personal_values() -> BTreeSet<String> {
    let mut values = BTreeSet::new();
    for a in fixture_applications() {
        let person = &a["applicant"];
        values.insert(person["codice_fiscale"].as_str().unwrap().to_string());
        values.insert(person["surname"].as_str().unwrap().to_string());
        if let Some(protocol) = a["isee"]["dsu_protocol"].as_str() {
            values.insert(protocol.to_string());
        }
        if let Some(value) = a["isee"]["value"].as_str().filter(|v| v.len() >= 7) {
            values.insert(value.to_string());
        }
        for member in a["household"].as_array().into_iter().flatten() {
            if let Some(cf) = member["codice_fiscale"].as_str() {
                values.insert(cf.to_string());
            }
        }
    }
    values
}

fn found_in(bytes: &[u8], values: &BTreeSet<String>) -> Vec<String> {
    values
        .iter()
        .filter(|v| bytes.windows(v.len()).any(|w| w == v.as_bytes()))
        .cloned()
        .collect()
}

fn with_suffix(db: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

#[test]
fn no_file_of_the_install_holds_a_personal_value_in_clear() {
    let capofila = Install::of("district-d48.toml", CAPOFILA, &["bando-sc-2026-1.toml"]);
    let values = personal_values();
    assert!(values.len() > 100, "{} values", values.len());
    // Filed through the use cases, the install held open: its -wal and -shm exist and hold
    // the last writes when the files are read.
    let mut app = Sportello::open(&capofila.db, &sportello_tests::credentials()).unwrap();
    let text = serde_json::to_string(&fixture_applications()).unwrap();
    app.intake()
        .add_applications(&parse_json_forms(&text).unwrap())
        .unwrap();
    let mut checked = 0;
    for suffix in ["", "-wal", "-shm", ".keys", ".slots"] {
        let file = with_suffix(&capofila.db, suffix);
        let bytes =
            std::fs::read(&file).unwrap_or_else(|e| panic!("{} should exist: {e}", file.display()));
        assert!(!bytes.is_empty(), "{}", file.display());
        assert_eq!(
            found_in(&bytes, &values),
            Vec::<String>::new(),
            "{} holds personal values in clear",
            file.display()
        );
        checked += 1;
    }
    assert_eq!(checked, 5);
    // The same data decrypted holds them all: the check above looks for what is there.
    let dir = tempfile::tempdir().unwrap();
    let clear = dir.path().join("in-chiaro.db");
    sportello_tests::connect(&capofila.db)
        .unwrap()
        .execute_batch(&format!(
            "ATTACH DATABASE '{}' AS clear KEY ''; SELECT sqlcipher_export('clear');",
            clear.display()
        ))
        .unwrap();
    assert_eq!(
        found_in(&std::fs::read(&clear).unwrap(), &values).len(),
        values.len()
    );
    drop(app);
}

#[test]
fn the_recovery_key_sets_a_new_password_for_a_responsabile_only() {
    let (comune, key) = install_with_key(FLORIDIA);
    comune.ok(&["operator", "add", "sportellista", "--role", "operatore"]);
    let recover = |operator: &str, key: &str, password: &str| {
        let out = std::process::Command::new(sportello_tests::binary("sportello"))
            .env_remove("SPORTELLO_OPERATOR")
            .env_remove("SPORTELLO_PASSWORD")
            .env("SPORTELLO_RECOVERY_KEY", key)
            .env("SPORTELLO_NEW_PASSWORD", password)
            .args(["--db", arg(&comune.db), "recover", "--operator", operator])
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let before = comune.everything();

    // A key of another install, a mistyped key, an operatore: refused, nothing changes.
    let (_, other) = install_with_key(FLORIDIA);
    let (code, _, stderr) = recover(OPERATOR, &other, "una nuova password");
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("non è quella di questa installazione"),
        "{stderr}"
    );
    let typo = format!("Z{}", &key[1..]);
    let (code, _, stderr) = recover(OPERATOR, &typo, "una nuova password");
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("chiave di recupero non valida") || stderr.contains("non è quella"),
        "{stderr}"
    );
    let (code, _, stderr) = recover("sportellista", &key, "una nuova password");
    assert_eq!(code, Some(1));
    assert!(stderr.contains("nessun responsabile"), "{stderr}");
    assert_eq!(comune.everything(), before);

    // The key, typed loosely (lower case, spaces): the responsabile's new password works,
    // the old one no longer does, and the audit trail says how it changed.
    let loose = key.replace('-', " ").to_lowercase();
    let (code, stdout, stderr) = recover(OPERATOR, &loose, "una nuova password");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("Nuova password"), "{stdout}");
    assert_eq!(comune.run(&["settings", "show"]).code, 1);
    let with_new = std::process::Command::new(sportello_tests::binary("sportello"))
        .env("SPORTELLO_OPERATOR", OPERATOR)
        .env("SPORTELLO_PASSWORD", "una nuova password")
        .args(["--db", arg(&comune.db), "audit", "list", "--json"])
        .output()
        .unwrap();
    assert_eq!(with_new.status.code(), Some(0));
    let trail: Value = serde_json::from_slice(&with_new.stdout).unwrap();
    assert!(
        trail
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "password_recover" && e["operator"] == OPERATOR)
    );
}

#[test]
fn a_slot_kept_from_before_a_password_change_logs_no_one_in() {
    let comune = Install::init("district-d48.toml", FLORIDIA);
    comune.ok(&["operator", "add", "collega", "--role", "operatore"]);
    let old_slots = std::fs::read(comune.path("sportello.db.slots")).unwrap();
    comune.ok(&["operator", "disable", "collega"]);
    // Disabling removes their slot: their password no longer opens the database.
    let slots: Value =
        serde_json::from_slice(&std::fs::read(comune.path("sportello.db.slots")).unwrap()).unwrap();
    assert!(slots["operators"].get("collega").is_none(), "{slots}");
    assert!(slots["operators"].get(OPERATOR).is_some(), "{slots}");
    // The disabled operator puts back the slots file of before: their password opens the
    // file, but the database no longer names that slot as theirs.
    std::fs::write(comune.path("sportello.db.slots"), old_slots).unwrap();
    let run = comune.run_as("collega", &["application", "list"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("disattivato"), "{}", run.stderr);
    // A slot of the same operator copied under another name opens nothing.
    let text = std::fs::read_to_string(comune.path("sportello.db.slots")).unwrap();
    let mut slots: Value = serde_json::from_str(&text).unwrap();
    let theirs = slots["operators"]["collega"].clone();
    slots["operators"][OPERATOR] = theirs;
    std::fs::write(comune.path("sportello.db.slots"), slots.to_string()).unwrap();
    let run = comune.run(&["application", "list"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("accesso negato"), "{}", run.stderr);
}

#[test]
fn a_backup_restores_the_same_install_which_keeps_syncing() {
    let capofila = Install::of("district-d48.toml", CAPOFILA, &["bando-sc-2026-1.toml"]);
    let (floridia, key) = install_with_key(FLORIDIA);
    enrol(&capofila, &floridia);
    distribute(&capofila, &[&floridia]);
    let items = fixture_applications();
    floridia.add(&items[0..3]);
    let upload = floridia.export().remove(0);
    capofila.ok(&["bundle", "import", arg(&upload)]);
    floridia.add(&items[3..5]);

    let backup = floridia.path("chiavetta/backup.sportello");
    let printed = floridia.ok(&["backup", "create", "--out", arg(&backup)]);
    assert_eq!(printed.trim(), backup.display().to_string());
    let checked = floridia.json(&["backup", "verify", arg(&backup)]);
    assert_eq!(checked["comune"], FLORIDIA);
    assert_eq!(checked["applications"], 5);
    let listed = floridia.json(&["application", "list"]);
    // The backup holds nothing in clear either.
    let bytes = std::fs::read(&backup).unwrap();
    assert_eq!(found_in(&bytes, &personal_values()), Vec::<String>::new());

    // A damaged backup is found out, and changes nothing.
    let mut damaged = bytes.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x40;
    let damaged_file = floridia.write("danneggiato.sportello", "");
    std::fs::write(&damaged_file, &damaged).unwrap();
    let run = floridia.run(&["backup", "verify", arg(&damaged_file)]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("danneggiato"), "{}", run.stderr);
    let truncated = floridia.write("troncato.sportello", "");
    std::fs::write(&truncated, &bytes[..bytes.len() - 100]).unwrap();
    assert_eq!(floridia.run(&["backup", "verify", arg(&truncated)]).code, 1);
    // Another install's backup is not this one's.
    let (other, _) = install_with_key(FLORIDIA);
    let run = other.run(&["backup", "verify", arg(&backup)]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("non è un backup di questa"),
        "{}",
        run.stderr
    );

    // The disk dies: every file of the install is gone.
    for suffix in ["", "-wal", "-shm", ".keys", ".slots"] {
        let _ = std::fs::remove_file(with_suffix(&floridia.db, suffix));
    }
    let restore = |key: &str, db: &Path, file: &Path| {
        std::process::Command::new(sportello_tests::binary("sportello"))
            .env_remove("SPORTELLO_OPERATOR")
            .env_remove("SPORTELLO_PASSWORD")
            .env("SPORTELLO_RECOVERY_KEY", key)
            .args(["backup", "restore", arg(file), "--db", arg(db), "--json"])
            .output()
            .unwrap()
    };
    let (_, wrong_key) = install_with_key(CAPOFILA);
    let refused = restore(&wrong_key, &floridia.db, &backup);
    assert_eq!(refused.status.code(), Some(1));
    assert!(!floridia.db.exists());
    let restored = restore(&key, &floridia.db, &backup);
    assert_eq!(
        restored.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let report: Value = serde_json::from_slice(&restored.stdout).unwrap();
    assert_eq!(report["comune"], FLORIDIA);
    // Restoring over an install is refused.
    assert_eq!(restore(&key, &floridia.db, &backup).status.code(), Some(1));

    // The same install: the same records, the same password, the same keys.
    assert_eq!(floridia.json(&["application", "list"]), listed);
    floridia.ok(&["audit", "verify"]);
    floridia.add(&items[5..6]);
    let upload = floridia.export().remove(0);
    let (run, reports) = capofila.import(&[upload.as_path()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        reports[0]["summary"]["tables"]["applications"]["new"], 3,
        "{}",
        reports[0]
    );
    assert_eq!(
        capofila
            .json(&["application", "list"])
            .as_array()
            .unwrap()
            .len(),
        6
    );
}
