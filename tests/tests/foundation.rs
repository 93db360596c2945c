//! The foundation end to end: the built `sportello` binary on a real SQLite file.

use serde_json::Value;
use sportello_tests::{Install, arg, fixture};

/// A capofila install of the fictional district D99 with the small bando imported.
fn capofila() -> Install {
    Install::of("district-d99.toml", "999001", &["small/bando.toml"])
}

fn code_of(list: &Value, surname: &str) -> String {
    list.as_array()
        .unwrap()
        .iter()
        .find(|a| a["applicant"]["surname"] == surname)
        .unwrap_or_else(|| panic!("{surname} not listed"))["application_code"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn the_ranking_matches_the_one_worked_out_by_hand() {
    let i = capofila();
    let imported = i.json(&[
        "application",
        "import",
        arg(&fixture("small/applications.csv")),
    ]);
    assert_eq!(imported.as_array().unwrap().len(), 9);
    assert_eq!(imported[0]["case_number"], "2026/0000001");
    assert_eq!(imported[8]["case_number"], "2026/0000009");

    let list = i.json(&["application", "list"]);
    let code = |s| code_of(&list, s);
    let ranking = i.json(&["ranking", "compute", "--bando", "TEST-1"]);
    let rows = ranking.as_array().unwrap();
    assert_eq!(rows.len(), 9);

    let expected = [
        ("Bravo", 1, 67, "AMMESSO"),
        ("Alfa", 2, 58, "AMMESSO"),
        ("Ciarlo", 3, 47, "AMMESSO"),
        ("Eco", 4, 46, "IDONEO_NON_AMMESSO"),
        ("Delta", 5, 46, "IDONEO_NON_AMMESSO"),
    ];
    for (row, (who, position, score, outcome)) in rows.iter().zip(expected) {
        assert_eq!(
            row["application_code"],
            code(who).as_str(),
            "position {position}"
        );
        assert_eq!(row["position"], position);
        assert_eq!(row["score"], score, "{who}");
        assert_eq!(row["outcome"], outcome, "{who}");
        assert_eq!(row["comune"], "999001");
        assert_eq!(row["reasons"], Value::Array(vec![]));
    }
    let bravo = &rows[0]["breakdown"];
    assert_eq!(
        (
            bravo["isee"].as_i64(),
            bravo["household_size"].as_i64(),
            bravo["dependent_minors"].as_i64(),
            bravo["single_parent"].as_i64(),
            bravo["unemployment"].as_i64(),
            bravo["housing"].as_i64()
        ),
        (Some(45), Some(6), Some(4), Some(6), Some(2), Some(4))
    );
    let ciarlo = &rows[2]["breakdown"];
    assert_eq!(ciarlo["older_applicant"], 2);
    assert_eq!(ciarlo["previous_participation"], -5);
    assert_eq!(ciarlo["unemployment"], 0);

    let excluded = [
        ("Fox", "isee_over_ceiling"),
        ("Golf", "over_age"),
        ("Hotel", "same_household"),
        ("India", "not_unemployed"),
    ];
    for row in &rows[5..] {
        assert_eq!(row["position"], Value::Null);
        assert_eq!(row["outcome"], "ESCLUSO");
        assert!(!row["reasons"].as_array().unwrap().is_empty());
    }
    for (who, reason) in excluded {
        let row = rows
            .iter()
            .find(|r| r["application_code"] == code(who).as_str())
            .unwrap();
        assert_eq!(row["outcome"], "ESCLUSO", "{who}");
        assert_eq!(row["reason_codes"], serde_json::json!([reason]), "{who}");
    }
    let hotel = rows
        .iter()
        .find(|r| r["application_code"] == code("Hotel").as_str())
        .unwrap();
    assert!(
        hotel["reasons"][0]
            .as_str()
            .unwrap()
            .contains(&code("Alfa"))
    );
}

#[test]
fn a_csv_with_bad_rows_imports_nothing_and_names_every_bad_row() {
    let i = capofila();
    let good = std::fs::read_to_string(fixture("small/applications.csv")).unwrap();
    let mut lines: Vec<String> = good.lines().map(str::to_string).collect();
    lines[2] = lines[2].replace("BRVBRN91B03Y001Z", "BRVBRN91B03Y001A"); // wrong check character
    lines[4] = lines[4].replace(";2500;", ";duemila;"); // not an amount
    let bad = i.write("bad.csv", &(lines.join("\n") + "\n"));

    let r = i.run(&["application", "import", arg(&bad)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("riga 3") && r.stderr.contains("codice_fiscale"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("riga 5") && r.stderr.contains("isee"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("nessuna domanda è stata salvata"),
        "{}",
        r.stderr
    );
    assert_eq!(i.json(&["application", "list"]), serde_json::json!([]));
}

#[test]
fn a_refused_application_leaves_the_database_as_it_was() {
    let i = capofila();
    i.ok(&[
        "application",
        "import",
        arg(&fixture("small/applications.csv")),
    ]);
    let before = i.json(&["application", "list"]);

    let apps: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("applications.json")).unwrap())
            .unwrap();
    let mut one = apps[0].clone();
    one["bando"] = "TEST-1".into();
    let mut broken = one.clone();
    broken["applicant"]["sex"] = "X".into();
    // An array with one good and one bad application: all or nothing.
    let file = i.write(
        "two.json",
        &serde_json::to_string(&vec![one.clone(), broken]).unwrap(),
    );
    let r = i.run(&["application", "add", arg(&file), "--json"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.is_empty(),
        "--json keeps stdout for JSON only: {}",
        r.stdout
    );
    assert!(
        r.stderr.contains("domanda 2, campo applicant.sex"),
        "{}",
        r.stderr
    );
    assert_eq!(i.json(&["application", "list"]), before);

    // An unknown bando, then the good one alone: accepted, numbered after the others.
    let mut unknown = one.clone();
    unknown["bando"] = "NON-ESISTE".into();
    let file = i.write("unknown.json", &unknown.to_string());
    let r = i.run(&["application", "add", arg(&file)]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("campo bando"), "{}", r.stderr);
    assert_eq!(i.json(&["application", "list"]), before);

    let file = i.write("one.json", &one.to_string());
    let filed = i.json(&["application", "add", arg(&file)]);
    assert!(filed.is_object(), "one object in, one object out");
    assert_eq!(filed["case_number"], "2026/0000010");
    let code = filed["application_code"].as_str().unwrap();
    assert_eq!(code.len(), 11);
    assert!(
        code.chars()
            .all(|c| c == '-' || "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".contains(c))
    );
    assert_eq!(
        i.json(&["application", "list"]).as_array().unwrap().len(),
        10
    );
}

#[test]
fn a_codice_fiscale_mismatch_needs_the_operators_note() {
    let i = capofila();
    let apps: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("applications.json")).unwrap())
            .unwrap();
    let mut a = apps[0].clone();
    a["bando"] = "TEST-1".into();
    a["applicant"]["sex"] = if a["applicant"]["sex"] == "M" {
        "F"
    } else {
        "M"
    }
    .into();
    let file = i.write("mismatch.json", &a.to_string());
    let r = i.run(&["application", "add", arg(&file)]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("applicant.sex"), "{}", r.stderr);

    a["override_note"] = "Verificato sul documento".into();
    let file = i.write("confirmed.json", &a.to_string());
    let r = i.run(&["application", "add", arg(&file)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("avviso"),
        "the mismatch stays visible as a warning: {}",
        r.stderr
    );
}

/// The help and the usage errors speak Italian, down to clap's own headings and flags.
#[test]
fn help_and_usage_errors_are_in_italian() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(sportello_tests::binary("sportello"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    for (args, code) in [
        (&["--help"][..], 0),
        (&["backup", "restore", "--help"], 0),
        (&["bundle"], 2),
        (&["bundle", "export", "--bogus"], 2),
        (&["comando-inesistente"], 2),
    ] {
        let (exit, text) = run(args);
        assert_eq!(exit, Some(code), "{args:?}: {text}");
        for english in [
            "Usage:",
            "[OPTIONS]",
            "<COMMAND>",
            "Commands:",
            "Options:",
            "Arguments:",
            "Print help",
            "Print version",
            "error:",
            "For more information",
            "[env:",
        ] {
            assert!(!text.contains(english), "{args:?} says {english:?}: {text}");
        }
        assert!(text.contains("Uso: sportello"), "{args:?}: {text}");
    }
    // A subcommand's usage names the whole command, with the Italian word for its options.
    let (_, text) = run(&["bundle", "export", "--bogus"]);
    assert!(
        text.contains("Uso: sportello bundle export [OPZIONI]"),
        "{text}"
    );
    let (_, text) = run(&["--help"]);
    assert!(
        text.contains("Comandi:") && text.contains("Opzioni:"),
        "{text}"
    );
    assert!(
        text.contains("-h, --help") && text.contains("Mostra questo aiuto"),
        "{text}"
    );
    // A missing file: the system's reason in Italian, never its English text.
    let i = Install::init("district-d99.toml", "999001");
    let missing = i.run(&["application", "add", "/non/esiste/domande.json"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("il file o la cartella non esiste"),
        "{}",
        missing.stderr
    );
    assert!(!missing.stderr.contains("os error"), "{}", missing.stderr);
}

#[test]
fn usage_errors_exit_2_and_refusals_exit_1() {
    let i = capofila();
    let r = i.run(&["application", "frobnicate"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("errore: comando sconosciuto: frobnicate"),
        "{}",
        r.stderr
    );
    assert_eq!(i.run(&["ranking", "compute"]).code, 2);
    let again = i.run(&[
        "init",
        "--district",
        arg(&fixture("district-d99.toml")),
        "--comune",
        "999001",
    ]);
    assert_eq!(again.code, 1);
    assert!(
        again.stderr.contains("già inizializzato"),
        "{}",
        again.stderr
    );
    let r = i.run(&["ranking", "compute", "--bando", "NON-ESISTE"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("NON-ESISTE"));

    let fresh = Install::new();
    let r = fresh.run(&[
        "init",
        "--district",
        arg(&fixture("district-d99.toml")),
        "--comune",
        "089017",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("non fa parte del distretto"),
        "{}",
        r.stderr
    );
    let r = fresh.run(&["application", "list"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("sportello init"), "{}", r.stderr);
}

#[test]
fn the_demo_fixtures_import_as_json_and_as_csv_alike() {
    let setup = || Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    let (a, b) = (setup(), setup());
    a.ok(&["application", "add", arg(&fixture("applications.json"))]);
    b.ok(&["application", "import", arg(&fixture("applications.csv"))]);
    let strip = |v: Value| -> Vec<Value> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| {
                let mut x = x.clone();
                x.as_object_mut().unwrap().remove("application_code");
                x
            })
            .collect()
    };
    let (la, lb) = (
        strip(a.json(&["application", "list"])),
        strip(b.json(&["application", "list"])),
    );
    assert!(la.len() >= 50);
    assert_eq!(la, lb);
    let outcomes = |i: &Install| -> Vec<(Value, Value, Value)> {
        i.json(&["ranking", "compute", "--bando", "SC-2026-1"])
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["position"].clone(),
                    r["score"].clone(),
                    r["outcome"].clone(),
                )
            })
            .collect()
    };
    let oa = outcomes(&a);
    assert_eq!(
        oa.iter().filter(|o| o.2 == "AMMESSO").count(),
        20,
        "Siracusa funds 20 places"
    );
    assert!(oa.iter().any(|o| o.2 == "IDONEO_NON_AMMESSO"));
    assert!(oa.iter().any(|o| o.2 == "ESCLUSO"));
}

#[test]
fn codici_fiscali_are_stored_uppercase_whatever_was_typed() {
    let i = capofila();
    let apps: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("applications.json")).unwrap())
            .unwrap();
    let mut a = apps[0].clone();
    a["bando"] = "TEST-1".into();
    let cf = a["applicant"]["codice_fiscale"]
        .as_str()
        .unwrap()
        .to_string();
    a["applicant"]["codice_fiscale"] = format!("  {}  ", cf.to_lowercase()).into();
    let file = i.write("lower.json", &a.to_string());
    i.ok(&["application", "add", arg(&file)]);
    let list = i.json(&["application", "list"]);
    assert_eq!(list[0]["applicant"]["codice_fiscale"], cf.as_str());
}

#[test]
fn missing_fields_and_broken_rules_are_reported_together() {
    let i = capofila();
    let apps: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("applications.json")).unwrap())
            .unwrap();
    let mut a = apps[0].clone();
    a["bando"] = "TEST-1".into();
    a["applicant"].as_object_mut().unwrap().remove("surname");
    let cf = a["applicant"]["codice_fiscale"]
        .as_str()
        .unwrap()
        .to_string();
    a["applicant"]["codice_fiscale"] = format!("{}X", &cf[..15]).into();
    a.as_object_mut().unwrap().remove("resident");
    let file = i.write("two.json", &a.to_string());
    let r = i.run(&["application", "add", arg(&file)]);
    assert_eq!(r.code, 1);
    for field in ["applicant.surname", "resident", "applicant.codice_fiscale"] {
        assert!(
            r.stderr.contains(&format!("campo {field}:")),
            "{field}: {}",
            r.stderr
        );
    }
    assert_eq!(
        r.stderr.matches("campo applicant.surname").count(),
        1,
        "{}",
        r.stderr
    );
    assert_eq!(i.json(&["application", "list"]), serde_json::json!([]));
}
