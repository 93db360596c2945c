//! The district-wide settings of an area, from outside: the front office's kinds of
//! back-office case, set by the capofila (district file at init, `settings case-kinds`
//! later), published to the comuni, read-only there.

use serde_json::{Value, json};
use sportello_tests::{Install, arg, distribute, enrol, fixture};

const KINDS: &str = r#"
[[case_kinds]]
id = "contributo"
name = "Contributo economico"
target_days = 10

[[case_kinds]]
id = "anziani"
name = "Assistenza domiciliare anziani"
target_days = 20
working_days = true
"#;

/// An install of `comune` in D99, whose district file names the kinds of case in `kinds`.
fn install(comune: &str, kinds: &str) -> Install {
    let i = Install::new();
    let district = std::fs::read_to_string(fixture("district-d99.toml")).unwrap();
    let file = i.write("distretto.toml", &format!("{district}\n{kinds}"));
    i.ok(&["init", "--district", arg(&file), "--comune", comune]);
    i
}

fn kinds(i: &Install) -> Value {
    i.json(&["settings", "show"])["case_kinds"].clone()
}

fn kind(id: &str, name: &str, days: u8, working: bool, active: bool) -> Value {
    json!({"id": id, "name": name, "target_days": days, "working_days": working,
           "active": active})
}

#[test]
fn the_capofila_s_kinds_of_case_reach_the_comuni_and_only_it_changes_them() {
    let capofila = install("999001", KINDS);
    let comune = install("999002", "");
    assert_eq!(
        kinds(&capofila),
        json!({"default": false, "kinds": [
            kind("anziani", "Assistenza domiciliare anziani", 20, true, true),
            kind("contributo", "Contributo economico", 10, false, true),
        ]})
    );
    // Before the capofila's first bundle, the district's default applies.
    assert_eq!(
        kinds(&comune),
        json!({"default": true, "kinds": [
            kind("generica", "Istruttoria generica", 30, false, true),
        ]})
    );

    enrol(&capofila, &comune);
    distribute(&capofila, &[&comune]);
    let files = capofila.export();
    let (run, reports) = comune.import(&files.iter().map(|f| f.as_path()).collect::<Vec<_>>());
    assert_eq!(run.code, 0, "{reports}");
    assert_eq!(kinds(&comune), kinds(&capofila));

    // A comune reads them; it cannot set them.
    let file = comune.write("tipi.toml", KINDS);
    let refused = comune.run(&["settings", "case-kinds", arg(&file)]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("capofila"), "{}", refused.stderr);

    // The capofila changes one target and drops a kind: kept, no longer in use.
    let file = capofila.write(
        "tipi.toml",
        "[[case_kinds]]\nid = \"contributo\"\nname = \"Contributo economico\"\ntarget_days = 15\n",
    );
    let saved = capofila.json(&["settings", "case-kinds", arg(&file)]);
    assert_eq!(
        saved,
        json!({"created": [], "updated": ["contributo"], "retired": ["anziani"],
               "unchanged": []})
    );
    let files = capofila.export();
    let (run, reports) = comune.import(&files.iter().map(|f| f.as_path()).collect::<Vec<_>>());
    assert_eq!(run.code, 0, "{reports}");
    assert_eq!(
        kinds(&comune),
        json!({"default": false, "kinds": [
            kind("contributo", "Contributo economico", 15, false, true),
            kind("anziani", "Assistenza domiciliare anziani", 20, true, false),
        ]})
    );
}

#[test]
fn kinds_outside_the_rules_are_refused_and_change_nothing() {
    let capofila = install("999001", KINDS);
    let before = kinds(&capofila);
    for (text, says) in [
        (
            "[[case_kinds]]\nid = \"lungo\"\nname = \"Lungo\"\ntarget_days = 31\n",
            "vanno da 2 a 30",
        ),
        (
            "[[case_kinds]]\nid = \"Con Spazi\"\nname = \"X\"\ntarget_days = 5\n",
            "lettere minuscole",
        ),
        ("titolo = \"nessun tipo\"\n", "nessun [[case_kinds]]"),
    ] {
        let file = capofila.write("tipi.toml", text);
        let run = capofila.run(&["settings", "case-kinds", arg(&file)]);
        assert_eq!(run.code, 1, "{text}");
        assert!(run.stderr.contains(says), "{text}: {}", run.stderr);
        assert_eq!(kinds(&capofila), before);
    }
    // A district file that breaks them is refused at init.
    let i = Install::new();
    let district = std::fs::read_to_string(fixture("district-d99.toml")).unwrap();
    let file = i.write(
        "distretto.toml",
        &format!("{district}\n[[case_kinds]]\nid = \"a\"\nname = \"A\"\ntarget_days = 1\n"),
    );
    let run = i.run(&["init", "--district", arg(&file), "--comune", "999001"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("vanno da 2 a 30"), "{}", run.stderr);
    assert!(!i.db.exists());
}
