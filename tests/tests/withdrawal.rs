//! The applicant's withdrawal (rinuncia alla domanda), from outside: recorded at the comune
//! with its date, refused when it cannot be right, shown with the application, carried to the
//! capofila, leaving the application out of the next ranking and told in the publishing
//! summary; annulled with a reason when recorded by mistake; the applicant may apply again.

use serde_json::Value;
use sportello_tests::{Install, arg, distribute, enrol, fixture_applications};

fn ranked_codes(capofila: &Install) -> Vec<String> {
    capofila
        .json(&["ranking", "compute", "--bando", "SC-2026-1"])
        .as_array()
        .expect("ranking rows")
        .iter()
        .map(|r| r["application_code"].as_str().unwrap().to_string())
        .collect()
}

/// Carries every upload of `comune` to `capofila` and every publish bundle back.
fn round(capofila: &Install, comune: &Install) {
    for file in comune.export() {
        capofila.ok(&["bundle", "import", arg(&file)]);
    }
    for file in capofila.export() {
        if file.to_string_lossy().contains("-pub-089009-") {
            comune.ok(&["bundle", "import", arg(&file)]);
        }
    }
}

#[test]
fn a_withdrawal_travels_and_leaves_the_application_out_of_the_next_ranking() {
    let capofila = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    let floridia = Install::init("district-d48.toml", "089009");
    enrol(&capofila, &floridia);
    distribute(&capofila, &[&floridia]);
    let items = fixture_applications();
    let codes = floridia.add(&items[0..3]);
    round(&capofila, &floridia);
    capofila.ok(&[
        "ranking",
        "publish",
        "--bando",
        "SC-2026-1",
        "--stage",
        "provisional",
    ]);
    round(&capofila, &floridia);

    // At the comune the detail carries its line of the published ranking: outcome, score,
    // breakdown with the bando's labels, the reasons of an exclusion.
    let shown = floridia.json(&["application", "show", &codes[1]]);
    let line = &shown["published"];
    assert_eq!(line["number"], 1, "{shown}");
    assert_eq!(line["stage"], "provisional");
    assert_eq!(line["row"]["application_code"], codes[1].as_str());
    assert!(
        line["factors"].as_array().is_some_and(|f| !f.is_empty()),
        "{line}"
    );
    assert_eq!(shown["own"], true);
    assert_eq!(shown["withdrawal"], Value::Null);

    // The withdrawal: dated today when no date is given, with its note.
    let withdrawn = floridia.json(&[
        "application",
        "withdraw",
        &codes[0],
        "--note",
        "rinuncia firmata allo sportello",
    ]);
    assert_eq!(withdrawn["application_code"], codes[0].as_str());
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Rome)
        .date_naive()
        .to_string();
    assert_eq!(withdrawn["withdrawal"]["withdrawn_on"], today.as_str());
    assert_eq!(withdrawn["withdrawal"]["annulled_at"], Value::Null);

    // Refused, changing nothing: twice, in the future, before the filing, a correction.
    let form = floridia.json(&["application", "show", &codes[0]])["form"].clone();
    let form_file = floridia.write("corretta.json", &form.to_string());
    let before = floridia.everything();
    for (args, expected) in [
        (vec!["application", "withdraw", &codes[0]], "già registrata"),
        (
            vec!["application", "withdraw", &codes[1], "--on", "31/12/2099"],
            "nel futuro",
        ),
        (
            vec!["application", "withdraw", &codes[1], "--on", "01/01/2001"],
            "precedente alla presentazione",
        ),
        (
            vec!["application", "withdraw", &codes[1], "--on", "31/02/2026"],
            "data non valida",
        ),
        (
            vec![
                "application",
                "annul-withdrawal",
                &codes[1],
                "--reason",
                "x",
            ],
            "non ha una rinuncia",
        ),
        (
            vec![
                "application",
                "annul-withdrawal",
                &codes[0],
                "--reason",
                " ",
            ],
            "manca il motivo",
        ),
    ] {
        let run = floridia.run(&args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stdout);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    }
    let run = floridia.run(&[
        "application",
        "correct",
        &codes[0],
        arg(&form_file),
        "--reason",
        "telefono",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("ritirata dal richiedente"),
        "{}",
        run.stderr
    );
    assert_eq!(floridia.everything(), before, "a refusal changed something");

    // The listing and the detail say so.
    let list = floridia.json(&["application", "list"]);
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["application_code"] == codes[0].as_str())
        .unwrap();
    assert_eq!(row["withdrawal"]["note"], "rinuncia firmata allo sportello");

    // At the capofila: out of the ranking, and the publishing summary names it.
    round(&capofila, &floridia);
    assert!(!ranked_codes(&capofila).contains(&codes[0]));
    assert_eq!(ranked_codes(&capofila).len(), 2);
    let changes = capofila.json(&["ranking", "changes", "--bando", "SC-2026-1"]);
    assert_eq!(
        changes["removed"],
        serde_json::json!([codes[0]]),
        "{changes}"
    );
    assert_eq!(
        changes["withdrawn"],
        serde_json::json!([codes[0]]),
        "{changes}"
    );
    let at_capofila = capofila.json(&["application", "show", &codes[0]]);
    assert_eq!(at_capofila["withdrawal"]["withdrawn_on"], today.as_str());
    assert_eq!(at_capofila["own"], false);

    // The capofila cannot withdraw or annul a comune's application.
    let run = capofila.run(&["application", "withdraw", &codes[1]]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("solo quel comune"), "{}", run.stderr);

    // The applicant may apply again.
    let again = floridia.add(&items[0..1]);
    assert_ne!(again[0], codes[0]);

    // Annulled by mistake: the application competes again, the reason kept.
    let annulled = floridia.json(&[
        "application",
        "annul-withdrawal",
        &codes[0],
        "--reason",
        "registrata sulla domanda sbagliata",
    ]);
    assert_eq!(
        annulled["withdrawal"]["annulled_reason"],
        "registrata sulla domanda sbagliata"
    );
    round(&capofila, &floridia);
    assert!(ranked_codes(&capofila).contains(&codes[0]));
    let shown = capofila.json(&["application", "show", &codes[0]]);
    assert!(shown["withdrawal"]["annulled_at"].is_string(), "{shown}");
    assert_eq!(shown["application"]["withdrawal"], Value::Null);

    // Withdrawn again later: the same record, a new version, back at the capofila.
    floridia.ok(&["application", "withdraw", &codes[0]]);
    round(&capofila, &floridia);
    assert!(!ranked_codes(&capofila).contains(&codes[0]));

    // Every step is in the audit trail.
    let trail = floridia.json(&["audit", "list"]);
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .filter(|a| a.starts_with("application_withdraw"))
        .collect();
    assert_eq!(
        actions.len(),
        3,
        "two withdrawals and an annulment: {actions:?}"
    );
}
