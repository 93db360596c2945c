//! Operators and roles, from outside: every verb of the command line run by every role,
//! allowed or refused (exit 1, naming the role it needs, the database unchanged); logging in.

use std::path::PathBuf;

use serde_json::Value;
use sportello_tests::{
    Install, OPERATOR, PASSWORD, arg, distribute, enrol, fixture, fixture_applications,
};

const ROLES: [&str; 4] = ["operatore", "responsabile", "coordinatore", "revisore"];

/// The username of the operator with `role` at `install` (the first operator for its own).
fn who(install_role: &str, role: &str) -> String {
    if role == install_role {
        OPERATOR.into()
    } else {
        format!("op-{role}")
    }
}

/// A capofila and a comune, each with one operator of every role it can have, an application
/// filed, enrolled and with the district file accepted.
struct District {
    capofila: Install,
    comune: Install,
    code: String,
    out: PathBuf,
}

fn district() -> District {
    let capofila = Install::init("district-d48.toml", "089017");
    let comune = Install::init("district-d48.toml", "089009");
    capofila.ok(&["bando", "import", arg(&fixture("bando-sc-2026-1.toml"))]);
    enrol(&capofila, &comune);
    distribute(&capofila, &[&comune]);
    for role in ["operatore", "responsabile", "revisore"] {
        capofila.ok(&["operator", "add", &format!("op-{role}"), "--role", role]);
    }
    for role in ["operatore", "revisore"] {
        comune.ok(&["operator", "add", &format!("op-{role}"), "--role", role]);
    }
    let code = comune.add(&fixture_applications()[0..1]).remove(0);
    let out = comune.path("uscita");
    std::fs::create_dir_all(&out).unwrap();
    District {
        capofila,
        comune,
        code,
        out,
    }
}

/// Runs `args` at `install` as each role in `roles`: those in `allowed` must not be refused
/// for their role, the others must be refused, naming the roles that may, changing nothing.
fn check(install: &Install, own: &str, roles: &[&str], args: &[&str], allowed: &[&str]) {
    for role in roles.iter().filter(|r| !allowed.contains(r)) {
        let before = install.everything();
        let run = install.run_as(&who(own, role), args);
        assert_eq!(run.code, 1, "{args:?} as {role}: {}", run.stdout);
        assert!(
            run.stderr.contains("richiede il ruolo"),
            "{args:?} as {role}: {}",
            run.stderr
        );
        for may in allowed {
            assert!(run.stderr.contains(may), "{args:?}: {}", run.stderr);
        }
        assert_eq!(
            install.everything(),
            before,
            "{args:?} as {role} changed something"
        );
    }
    for role in roles.iter().filter(|r| allowed.contains(r)) {
        let run = install.run_as(&who(own, role), args);
        assert!(
            !run.stderr.contains("richiede il ruolo"),
            "{args:?} as {role}: {}",
            run.stderr
        );
    }
}

#[test]
fn every_verb_checks_the_role_at_a_comune() {
    let d = district();
    let c = &d.comune;
    let roles = ["operatore", "responsabile", "revisore"];
    let form = c.write("domanda.json", &fixture_applications()[1].to_string());
    let mut correction = c.json(&["application", "show", &d.code])["form"].clone();
    correction["protocol_number"] = "0099".into();
    let correction = c.write("corretta.json", &correction.to_string());
    let receipt = c.path("ricevuta.pdf");
    let out = arg(&d.out);
    let writers = ["operatore", "responsabile"];
    check(
        c,
        "responsabile",
        &roles,
        &["application", "add", arg(&form)],
        &writers,
    );
    check(
        c,
        "responsabile",
        &roles,
        &["application", "show", &d.code],
        &writers,
    );
    check(
        c,
        "responsabile",
        &roles,
        &[
            "print",
            "receipt",
            "--application",
            &d.code,
            "--out",
            arg(&receipt),
        ],
        &writers,
    );
    check(
        c,
        "responsabile",
        &roles,
        &[
            "application",
            "correct",
            &d.code,
            arg(&correction),
            "--reason",
            "protocollo",
        ],
        &["responsabile"],
    );
    check(
        c,
        "responsabile",
        &roles,
        &[
            "application",
            "withdraw",
            &d.code,
            "--note",
            "firmata allo sportello",
        ],
        &["operatore", "responsabile"],
    );
    check(
        c,
        "responsabile",
        &roles,
        &[
            "application",
            "annul-withdrawal",
            &d.code,
            "--reason",
            "registrata per errore",
        ],
        &["responsabile"],
    );
    check(
        c,
        "responsabile",
        &roles,
        &[
            "civico",
            "answer",
            "--application",
            &d.code,
            "--accepts",
            "--date",
            "01/06/2026",
        ],
        &["operatore", "responsabile"],
    );
    check(
        c,
        "responsabile",
        &roles,
        &["bundle", "export", "--out", out],
        &["responsabile"],
    );
    check(
        c,
        "responsabile",
        &roles,
        &["key", "rotate"],
        &["responsabile"],
    );
    check(
        c,
        "responsabile",
        &roles,
        &["operator", "list"],
        &["responsabile"],
    );
    check(
        c,
        "responsabile",
        &roles,
        &["operator", "add", "nuovo", "--role", "operatore"],
        &["responsabile"],
    );
    check(
        c,
        "responsabile",
        &roles,
        &["enrol", "export", "--out", out],
        &["responsabile"],
    );
    // The coordinator's verbs exist at no comune: refused for every role here.
    let kinds = c.write(
        "tipi.toml",
        "[[case_kinds]]\nid = \"a\"\nname = \"A\"\ntarget_days = 5\n",
    );
    check(
        c,
        "responsabile",
        &roles,
        &["settings", "case-kinds", arg(&kinds)],
        &[],
    );
    // Read by everyone: the key fingerprint and the settings.
    // The front office: contacts and cases with personal data for who works the desk;
    // statistics (counts only) for the revisore too.
    let contact = c.write(
        "contatto.json",
        r#"{"channel": "telefono", "person": {"anonymous": true}, "needs": [{"area": 1}],
            "answer": "informazione"}"#,
    );
    let questionnaire = c.write("questionario.json", r#"{"courtesy": 5}"#);
    for args in [
        vec!["contact", "add", arg(&contact)],
        vec!["contact", "list"],
        vec!["contact", "history", "--codice-fiscale", "RSSMRA80A01I754N"],
        vec!["case", "list"],
        vec!["satisfaction", "add", arg(&questionnaire)],
    ] {
        check(c, "responsabile", &roles, &args, &writers);
    }
    check(
        c,
        "responsabile",
        &roles,
        &[
            "stats",
            "front-office",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
        ],
        &roles,
    );
    check(c, "responsabile", &roles, &["key", "fingerprint"], &roles);
    check(c, "responsabile", &roles, &["settings", "show"], &roles);
}

#[test]
fn every_verb_checks_the_role_at_the_capofila() {
    let d = district();
    let k = &d.capofila;
    let roles = ROLES;
    let files = d.comune.export();
    let out = arg(&d.out);
    let all_files: Vec<&str> = files.iter().map(|f| arg(f)).collect();
    let mut import = vec!["bundle", "import"];
    import.extend(all_files);
    check(
        k,
        "coordinatore",
        &roles,
        &import,
        &["responsabile", "coordinatore"],
    );
    check(
        k,
        "coordinatore",
        &roles,
        &["ranking", "compute", "--bando", "SC-2026-1"],
        &["coordinatore"],
    );
    check(
        k,
        "coordinatore",
        &roles,
        &[
            "ranking",
            "publish",
            "--bando",
            "SC-2026-1",
            "--stage",
            "provisional",
        ],
        &["coordinatore"],
    );
    let internal = k.path("interna.pdf");
    check(
        k,
        "coordinatore",
        &roles,
        &[
            "print",
            "ranking",
            "--bando",
            "SC-2026-1",
            "--internal",
            "--out",
            arg(&internal),
        ],
        &["responsabile", "coordinatore"],
    );
    let public = k.path("pubblica.pdf");
    check(
        k,
        "coordinatore",
        &roles,
        &[
            "print",
            "ranking",
            "--bando",
            "SC-2026-1",
            "--public",
            "--out",
            arg(&public),
        ],
        &roles,
    );
    check(
        k,
        "coordinatore",
        &roles,
        &["bando", "import", arg(&fixture("bando-sc-2026-1.toml"))],
        &["coordinatore"],
    );
    check(
        k,
        "coordinatore",
        &roles,
        &["district", "export", "--out", out],
        &["coordinatore"],
    );
    check(
        k,
        "coordinatore",
        &roles,
        &["application", "duplicates"],
        &["responsabile", "coordinatore"],
    );
    check(
        k,
        "coordinatore",
        &roles,
        &["enrol", "revoke", "089009"],
        &["coordinatore"],
    );
}

#[test]
fn a_revisore_lists_codes_and_outcomes_never_personal_data() {
    let d = district();
    let c = &d.comune;
    let listed: Value = serde_json::from_str(
        &c.run_as("op-revisore", &["application", "list", "--json"])
            .stdout,
    )
    .unwrap();
    let row = &listed[0];
    assert_eq!(row["application_code"], d.code.as_str());
    let text = listed.to_string();
    let applicant = &fixture_applications()[0]["applicant"];
    for personal in ["codice_fiscale", "surname", "name"] {
        let value = applicant[personal].as_str().unwrap();
        assert!(
            !text.contains(value),
            "{personal} shown to a revisore: {text}"
        );
    }
    assert!(
        row.get("isee").is_none() && row.get("applicant").is_none(),
        "{row}"
    );
    // A search by codice fiscale would reveal who applied.
    let cf = applicant["codice_fiscale"].as_str().unwrap();
    let run = c.run_as("op-revisore", &["application", "list", "--person", cf]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("richiede il ruolo"), "{}", run.stderr);
}

#[test]
fn logging_in_needs_the_right_password_and_an_active_operator() {
    let d = district();
    let c = &d.comune;
    // Nobody named: access is required.
    let run = sportello_tests::logged_in(std::process::Command::new(sportello_tests::binary(
        "sportello",
    )))
    .env_remove("SPORTELLO_OPERATOR")
    .args(["--db", arg(&c.db), "settings", "show"])
    .output()
    .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("accesso richiesto"));
    // A wrong password and an unknown user get the same answer.
    let wrong = std::process::Command::new(sportello_tests::binary("sportello"))
        .env("SPORTELLO_OPERATOR", OPERATOR)
        .env("SPORTELLO_PASSWORD", "non è questa")
        .args(["--db", arg(&c.db), "settings", "show"])
        .output()
        .unwrap();
    let unknown = std::process::Command::new(sportello_tests::binary("sportello"))
        .env("SPORTELLO_OPERATOR", "nessuno")
        .env("SPORTELLO_PASSWORD", PASSWORD)
        .args(["--db", arg(&c.db), "settings", "show"])
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    assert_eq!(wrong.stderr, unknown.stderr);
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("accesso negato"));
    // A disabled operator is refused; a reset lets them in again.
    c.ok(&["operator", "disable", "op-operatore"]);
    let run = c.run_as("op-operatore", &["settings", "show"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("disattivato"), "{}", run.stderr);
    c.ok(&["operator", "reset", "op-operatore"]);
    assert_eq!(c.run_as("op-operatore", &["settings", "show"]).code, 0);
    // The password is stored nowhere: it only unwraps the database key in its slot.
    let dump = format!("{:?}", c.everything());
    assert!(!dump.contains(PASSWORD));
    let slots = std::fs::read_to_string(c.path("sportello.db.slots")).unwrap();
    assert!(!slots.contains(PASSWORD));
    assert!(slots.contains("\"op-operatore\""), "{slots}");
    // A short new password is refused.
    let short = std::process::Command::new(sportello_tests::binary("sportello"))
        .env("SPORTELLO_OPERATOR", OPERATOR)
        .env("SPORTELLO_PASSWORD", PASSWORD)
        .env("SPORTELLO_NEW_PASSWORD", "corta")
        .args(["--db", arg(&c.db), "operator", "password"])
        .output()
        .unwrap();
    assert_eq!(short.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&short.stderr).contains("almeno 10 caratteri"));
}

#[test]
fn repeated_failures_slow_the_next_attempts() {
    let d = district();
    let c = &d.comune;
    let attempt = |password: &str| {
        std::process::Command::new(sportello_tests::binary("sportello"))
            .env("SPORTELLO_OPERATOR", OPERATOR)
            .env("SPORTELLO_PASSWORD", password)
            .args(["--db", arg(&c.db), "settings", "show"])
            .output()
            .unwrap()
    };
    for _ in 0..3 {
        assert_eq!(attempt("sbagliata!!").status.code(), Some(1));
    }
    // After three failures even the right password waits.
    let run = attempt(PASSWORD);
    assert_eq!(run.status.code(), Some(1));
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(said.contains("riprovare tra"), "{said}");
}
