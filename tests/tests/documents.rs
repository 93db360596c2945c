//! Printed documents through the `sportello` command, read back with pdftotext.

use std::process::Command;

use serde_json::Value;
use sportello_tests::{Install, arg, fixture};

fn pdftotext(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", arg(path), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/test.sh");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// The capofila with the 60 demo applications, ranking published.
fn published() -> (Install, Value) {
    let i = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    i.ok(&["application", "add", arg(&fixture("applications.json"))]);
    i.ok(&[
        "ranking",
        "publish",
        "--bando",
        "SC-2026-1",
        "--stage",
        "provisional",
    ]);
    let list = i.json(&["application", "list"]);
    (i, list)
}

#[test]
fn the_public_ranking_lists_every_code_and_identifies_no_one() {
    let (i, list) = published();
    let out = i.dir.path().join("pubblica.pdf");
    let printed = i.ok(&[
        "print",
        "ranking",
        "--bando",
        "SC-2026-1",
        "--public",
        "--out",
        arg(&out),
    ]);
    assert_eq!(printed.trim(), arg(&out));
    let text = pdftotext(&out);
    assert!(text.contains("Graduatoria pubblica provvisoria"));
    assert!(text.contains("Opposizioni"));
    for a in list.as_array().unwrap() {
        let code = a["application_code"].as_str().unwrap();
        assert_eq!(text.matches(code).count(), 1, "{code} exactly once");
        let p = &a["applicant"];
        for personal in [&p["surname"], &p["codice_fiscale"], &p["birth_date"]] {
            let s = personal.as_str().unwrap();
            assert!(!text.contains(s), "public ranking must not contain {s}");
        }
        if let Some(isee) = a["isee"]["value"].as_str() {
            let euro = isee.replace('.', ",");
            assert!(!text.contains(&format!("€ {euro}")), "no ISEE value {isee}");
        }
        for m in a["household"].as_array().unwrap() {
            assert!(!text.contains(m["codice_fiscale"].as_str().unwrap()));
        }
    }
}

#[test]
fn the_internal_ranking_is_reserved_and_explains_scores() {
    let (i, list) = published();
    let out = i.dir.path().join("riservata.pdf");
    i.ok(&[
        "print",
        "ranking",
        "--bando",
        "SC-2026-1",
        "--internal",
        "--out",
        arg(&out),
    ]);
    let text = pdftotext(&out);
    let pages = text.split('\u{c}').filter(|p| !p.trim().is_empty()).count();
    assert!(pages >= 2);
    assert!(
        text.matches("RISERVATO").count() >= pages,
        "RISERVATO on every page"
    );
    for a in list.as_array().unwrap() {
        assert!(text.contains(a["applicant"]["codice_fiscale"].as_str().unwrap()));
    }
    assert!(
        text.contains("superiore alla soglia"),
        "exclusion reasons are printed"
    );
}

#[test]
fn a_receipt_carries_the_code_and_what_was_declared() {
    let (i, list) = published();
    let a = &list[0];
    let code = a["application_code"].as_str().unwrap();
    let out = i.dir.path().join("ricevuta.pdf");
    i.ok(&[
        "print",
        "receipt",
        "--application",
        code,
        "--out",
        arg(&out),
    ]);
    let text = pdftotext(&out);
    for expected in [
        "Ricevuta di presentazione",
        "Comune di Siracusa",
        code,
        a["case_number"].as_str().unwrap(),
        a["applicant"]["codice_fiscale"].as_str().unwrap(),
        a["applicant"]["surname"].as_str().unwrap(),
        a["isee"]["dsu_protocol"].as_str().unwrap(),
        "Informativa",
    ] {
        assert!(text.contains(expected), "receipt lacks {expected:?}");
    }
}

#[test]
fn documents_are_printed_only_where_they_belong() {
    let (i, _) = published();
    let r = i.run(&[
        "print",
        "receipt",
        "--application",
        "ZZZZ-ZZZZ",
        "--out",
        arg(&i.dir.path().join("x.pdf")),
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("ZZZZ-ZZZZ"));
    assert!(!i.dir.path().join("x.pdf").exists());

    let print_public = |i: &Install| {
        let out = i.dir.path().join("p.pdf");
        let r = i.run(&[
            "print",
            "ranking",
            "--bando",
            "SC-2026-1",
            "--public",
            "--out",
            arg(&out),
        ]);
        assert_eq!(r.code, 1);
        assert!(!out.exists());
        r.stderr
    };
    let bando = ["bando-sc-2026-1.toml"];
    let comune = Install::init("district-d48.toml", "089009");
    assert!(print_public(&comune).contains("capofila"));
    let unpublished = Install::of("district-d48.toml", "089017", &bando);
    assert!(print_public(&unpublished).contains("pubblicarla"));
}

/// The internal ranking's legend follows the bando's rules: a bando that gives the older
/// applicant's points from 55 says 55.
#[test]
fn the_internal_ranking_legend_says_the_bandos_own_age() {
    let i = Install::init("district-d48.toml", "089017");
    let bando = std::fs::read_to_string(fixture("bando-sc-2026-1.toml")).unwrap()
        + "\n[rules]\nolder_applicant_age = 55\n";
    i.ok(&["bando", "import", arg(&i.write("bando.toml", &bando))]);
    i.ok(&["application", "add", arg(&fixture("demo/089017.json"))]);
    i.ok(&[
        "ranking",
        "publish",
        "--bando",
        "SC-2026-1",
        "--stage",
        "provisional",
    ]);
    let out = i.path("riservata.pdf");
    i.ok(&[
        "print",
        "ranking",
        "--bando",
        "SC-2026-1",
        "--internal",
        "--out",
        arg(&out),
    ]);
    let text = pdftotext(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("almeno 55 anni"), "{text}");
    assert!(!text.contains("almeno 50 anni"), "{text}");
}
