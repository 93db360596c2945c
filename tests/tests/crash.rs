//! A crash in the middle of an import leaves the database as it was, and the same file
//! imports cleanly afterwards.

use std::process::Command;

use sportello_tests::{Install, arg, binary, fixture};

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

    let crashed = Command::new(binary("sportello"))
        .args(["--db", arg(&capofila.db), "bundle", "import", bundle])
        .env("SPORTELLO_FAILPOINT", "import-before-commit")
        .output()
        .unwrap();
    assert!(
        !crashed.status.success(),
        "the fault injection must kill the import (build with `cargo build --workspace \
         --all-targets`, which enables the test-only failpoints)"
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
