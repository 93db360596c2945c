//! The audit trail through the `sportello` command: every use case and every read of personal
//! data leaves an entry (ids, never personal values), `audit list` selects by Italian day and
//! operator, and `audit verify` finds an entry edited or removed by someone who went around
//! the triggers with the database file in hand.

use serde_json::Value;
use sportello_tests::{Install, Run, arg, fixture_applications};

/// The capofila with the demo applications of bando SC-2026-1.
fn capofila(applications: usize) -> Install {
    let i = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    i.add(&fixture_applications()[..applications]);
    i
}

fn entries(i: &Install, filter: &[&str]) -> Vec<Value> {
    let mut args = vec!["audit", "list"];
    args.extend(filter);
    match i.json(&args) {
        Value::Array(entries) => entries,
        other => panic!("audit list --json is not an array: {other}"),
    }
}

fn actions(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect()
}

/// The entries of `action`.
fn of<'a>(entries: &'a [Value], action: &str) -> Vec<&'a Value> {
    entries.iter().filter(|e| e["action"] == action).collect()
}

/// `sql` run on the audit trail as someone with the file would: the triggers that refuse edits
/// dropped, the change made, the triggers put back.
fn tamper(i: &Install, sql: &str) {
    let conn = sportello_tests::connect(&i.db).unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER audit_log_no_update;
         DROP TRIGGER audit_log_no_delete;
         {sql};
         CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
         CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
    ))
    .unwrap();
}

fn verified(i: &Install) -> usize {
    let out = i.ok(&["audit", "verify"]);
    let n: usize = out
        .trim()
        .strip_prefix("catena integra: ")
        .and_then(|rest| rest.strip_suffix(" voci"))
        .unwrap_or_else(|| panic!("audit verify said {out:?}"))
        .parse()
        .unwrap();
    assert_eq!(i.json(&["audit", "verify"])["entries"], n);
    n
}

fn refused(r: &Run) -> &str {
    assert_eq!(r.code, 1, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    &r.stderr
}

#[test]
fn a_fresh_install_s_chain_is_intact() {
    let i = Install::of("district-d48.toml", "089009", &[]);
    let n = verified(&i);
    let listed = entries(&i, &[]);
    assert_eq!(listed.len(), n);
    assert_eq!(listed[0]["action"], "init");
    assert_eq!(listed[0]["seq"], 1);
    assert_eq!(listed[0]["prev_hash"], "0".repeat(64));
    for pair in listed.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
        assert_eq!(pair[1]["seq"], pair[0]["seq"].as_i64().unwrap() + 1);
    }
    // One line per entry in text, then the count.
    let text = i.ok(&["audit", "list"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), n + 1);
    assert!(lines[0].contains("init  install/089009"), "{}", lines[0]);
    assert!(lines[0].contains("  test  "), "{}", lines[0]);
    assert_eq!(lines[n], format!("Voci: {n}"));
}

/// Filing, correcting, showing, listing, searching by person, printing and reviewing
/// duplicates each leave one entry naming the records by id; no name, codice fiscale, ISEE
/// amount or reason is written in the trail.
#[test]
fn use_cases_and_reads_of_personal_data_are_recorded_without_personal_values() {
    let i = capofila(4);
    let list = i.json(&["application", "list"]);
    let list = list.as_array().unwrap();
    let code = list[0]["application_code"].as_str().unwrap();
    let cf = list[0]["applicant"]["codice_fiscale"].as_str().unwrap();

    let shown = i.json(&["application", "show", code]);
    let mut form = shown["form"].clone();
    form["isee"]["value"] = "4321.00".into();
    let file = i.write("corretta.json", &form.to_string());
    let surname = list[0]["applicant"]["surname"].as_str().unwrap();
    let reason = format!("attestazione ISEE di {surname} ricopiata male");
    i.ok(&[
        "application",
        "correct",
        code,
        arg(&file),
        "--reason",
        &reason,
    ]);
    i.ok(&["application", "list", "--person", cf]);
    i.ok(&["application", "duplicates"]);
    let receipt = i.path(&format!("ricevuta-{surname}-{cf}.pdf"));
    i.ok(&[
        "print",
        "receipt",
        "--application",
        code,
        "--out",
        arg(&receipt),
    ]);
    i.ok(&[
        "ranking",
        "publish",
        "--bando",
        "SC-2026-1",
        "--stage",
        "provisional",
    ]);
    let ranking = i.path(&format!("riservata-{surname}.pdf"));
    i.ok(&[
        "print",
        "ranking",
        "--bando",
        "SC-2026-1",
        "--internal",
        "--out",
        arg(&ranking),
    ]);

    let trail = entries(&i, &[]);
    let id = of(&trail, "application_create")
        .iter()
        .find(|e| e["detail"]["application_code"] == code)
        .map(|e| e["entity_id"].clone())
        .expect("filing recorded");
    assert_eq!(of(&trail, "application_create").len(), 4);
    for (action, count) in [
        ("application_correct", 1),
        ("application_show", 1),
        ("print_receipt", 1),
    ] {
        let found = of(&trail, action);
        assert_eq!(found.len(), count, "{action}: {:?}", actions(&trail));
        for e in found {
            assert_eq!(e["entity"], "application", "{e}");
            assert_eq!(e["entity_id"], id, "{e}");
            assert_eq!(e["operator"], "test", "{e}");
        }
    }
    let listings = of(&trail, "application_list");
    assert_eq!(listings.len(), 2, "{:?}", actions(&trail));
    assert_eq!(listings[0]["detail"]["rows"], 4);
    assert_eq!(listings[0]["detail"]["filter"]["person"], false);
    assert_eq!(listings[1]["detail"]["rows"], 1);
    assert_eq!(listings[1]["detail"]["filter"]["person"], true);
    assert_eq!(of(&trail, "application_duplicates").len(), 1);
    let printed = of(&trail, "print_ranking_internal");
    assert_eq!(printed.len(), 1);
    assert_eq!(printed[0]["entity_id"], "SC-2026-1/1");

    let written = serde_json::to_string(&trail).unwrap();
    for a in list {
        let p = &a["applicant"];
        let mut personal = vec![
            p["surname"].as_str().unwrap().to_string(),
            p["codice_fiscale"].as_str().unwrap().to_string(),
            format!(
                "{} {}",
                p["surname"].as_str().unwrap(),
                p["name"].as_str().unwrap()
            ),
        ];
        if let Some(isee) = a["isee"]["value"].as_str().filter(|v| v.len() > 4) {
            personal.push(isee.to_string());
        }
        for m in a["household"].as_array().unwrap() {
            personal.push(m["codice_fiscale"].as_str().unwrap().to_string());
        }
        for value in personal {
            assert!(!written.contains(&value), "the audit trail holds {value}");
        }
    }
    for value in ["4321.00", &reason] {
        assert!(!written.contains(value), "the audit trail holds {value}");
    }
    assert_eq!(verified(&i), trail.len());
}

#[test]
fn the_chain_holds_after_many_actions() {
    let i = capofila(60);
    let codes: Vec<String> = i
        .json(&["application", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["application_code"].as_str().unwrap().to_string())
        .collect();
    for code in codes.iter().step_by(6) {
        i.ok(&["application", "show", code]);
    }
    i.ok(&["application", "list", "--bando", "SC-2026-1"]);
    let n = verified(&i);
    assert_eq!(n, entries(&i, &[]).len());
    assert!(n >= 60 + 10 + 2, "{n}");
}

#[test]
fn an_entry_edited_behind_the_triggers_is_named() {
    let i = capofila(3);
    let code = i.json(&["application", "list"])[1]["application_code"]
        .as_str()
        .unwrap()
        .to_string();
    i.ok(&["application", "show", &code]);
    i.ok(&["application", "list"]);
    let before = verified(&i);
    let seq = of(&entries(&i, &[]), "application_show")[0]["seq"]
        .as_i64()
        .unwrap();

    // Who looked at the application, rewritten.
    tamper(
        &i,
        &format!("UPDATE audit_log SET actor = 'qualcun_altro' WHERE seq = {seq}"),
    );
    let said = i.run(&["audit", "verify"]);
    let stderr = refused(&said);
    assert!(
        stderr.contains(&format!("voce n. {seq} alterata")),
        "{stderr}"
    );
    assert!(
        stderr.contains("registro delle attività non integro"),
        "{stderr}"
    );
    // Still refused after more work: the break stays where it is.
    i.ok(&["application", "list"]);
    let again = i.run(&["audit", "verify"]);
    assert!(refused(&again).contains(&format!("voce n. {seq} alterata")));
    assert!(before > seq as usize);
}

#[test]
fn an_entry_removed_from_the_middle_is_found() {
    let i = capofila(3);
    i.ok(&["application", "list"]);
    let n = verified(&i) as i64;
    let seq = n / 2;
    tamper(&i, &format!("DELETE FROM audit_log WHERE seq = {seq}"));
    let said = i.run(&["audit", "verify"]);
    let stderr = refused(&said);
    assert!(
        stderr.contains(&format!(
            "voce n. {seq} mancante: dopo la n. {} viene la n. {}",
            seq - 1,
            seq + 1
        )),
        "{stderr}"
    );
}

/// Runs `sportello ARGS` on `i` as `operator` with the clock at `utc` (faketime).
fn at(i: &Install, utc: &str, operator: &str, args: &[&str]) {
    let run = i.run_at(utc, operator, args);
    assert_eq!(
        run.code, 0,
        "faketime {utc} sportello {args:?}: {}",
        run.stderr
    );
}

/// Days are Italian calendar days, both ends included; the operator is a username.
#[test]
fn the_list_selects_by_italian_day_and_by_operator() {
    let i = Install::of("district-d48.toml", "089009", &[]);
    i.ok(&["operator", "add", "bruna", "--role", "operatore"]);
    at(&i, "2031-03-01 10:00:00", "test", &["application", "list"]);
    at(&i, "2031-03-02 09:00:00", "bruna", &["application", "list"]);
    at(&i, "2031-03-02 16:00:00", "test", &["application", "list"]);
    // 00:30 of 3 March in Italy (UTC+1).
    at(&i, "2031-03-02 23:30:00", "bruna", &["application", "list"]);
    at(&i, "2031-03-04 12:00:00", "test", &["application", "list"]);

    let times = |filter: &[&str]| -> Vec<String> {
        entries(&i, filter)
            .iter()
            .filter(|e| e["action"] == "application_list")
            // To the minute: the faked clock runs on from the instant given.
            .map(|e| {
                format!(
                    "{} {}",
                    &e["italian_time"].as_str().unwrap()[..16],
                    e["operator"]
                )
            })
            .collect()
    };
    assert_eq!(
        times(&["--from", "2031-03-02", "--to", "02/03/2031"]),
        ["02/03/2031 10:00 \"bruna\"", "02/03/2031 17:00 \"test\""]
    );
    assert_eq!(
        times(&["--from", "03/03/2031"]),
        ["03/03/2031 00:30 \"bruna\"", "04/03/2031 13:00 \"test\""]
    );
    assert_eq!(
        times(&["--to", "2031-03-01"]),
        ["01/03/2031 11:00 \"test\""]
    );
    assert_eq!(
        times(&["--operator", "bruna"]),
        ["02/03/2031 10:00 \"bruna\"", "03/03/2031 00:30 \"bruna\""]
    );
    assert_eq!(
        times(&[
            "--operator",
            "bruna",
            "--from",
            "2031-03-03",
            "--to",
            "2031-03-03"
        ]),
        ["03/03/2031 00:30 \"bruna\""]
    );
    assert!(entries(&i, &["--operator", "nessuno"]).is_empty());
    // Every entry of a filtered list is the operator's.
    assert!(
        entries(&i, &["--operator", "test"])
            .iter()
            .all(|e| e["operator"] == "test")
    );

    let wrong = i.run(&["audit", "list", "--from", "2031-02-30"]);
    assert!(
        refused(&wrong).contains("data non valida"),
        "{}",
        wrong.stderr
    );
    let reversed = i.run(&[
        "audit",
        "list",
        "--from",
        "2031-03-04",
        "--to",
        "2031-03-01",
    ]);
    assert!(
        refused(&reversed).contains("successiva"),
        "{}",
        reversed.stderr
    );
    verified(&i);
}
