//! Accreditation of providers, from outside: the capofila imports the notice, records an
//! application, assesses it and confirms the assessment; the register travels to the comuni
//! in the publish bundles; a certificate printed at the capofila is verified offline at a
//! comune, and every forged, altered, foreign, expired or revoked one is refused or flagged.

use std::path::Path;
use std::process::Command;

use data_encoding::BASE64URL_NOPAD;
use serde_json::Value;
use sportello_tests::{Install, arg, distribute, enrol, fixture, install_keys, round_trip};

const FLORIDIA: &str = "089009";
const MARK: &str = "%SPORTELLO-DICHIARAZIONE ";

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is missing: scripts/test.sh installs poppler-utils");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The assessment of `fixtures/accreditation/valutazione-60.json` with one criterion's points
/// set to `rete` (5 there: 60 points) and, when named, one gate not met.
fn assessment(rete: i64, unmet: Option<&str>) -> String {
    let text = std::fs::read_to_string(fixture("accreditation/valutazione-60.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["scores"]["rete"]["points"] = rete.into();
    if let Some(gate) = unmet {
        v["gates"][gate]["met"] = false.into();
    }
    v.to_string()
}

/// Applies, assesses with `rete` points and confirms at `capofila`; the assessment's output.
fn accredit(capofila: &Install, application: &Path, rete: i64) -> Value {
    let applied = capofila.json(&["provider", "apply", arg(application)]);
    let id = applied["application_id"].as_str().unwrap();
    let file = capofila.write("valutazione.json", &assessment(rete, None));
    let assessed = capofila.json(&["provider", "assess", id, arg(&file)]);
    let confirmed = capofila.json(&[
        "provider",
        "confirm",
        assessed["assessment_id"].as_str().unwrap(),
    ]);
    assert_eq!(confirmed["confirmed"], true);
    assessed
}

/// `certificate verify ARGS --json` at `i`: the exit code and the report.
fn verify(i: &Install, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["certificate", "verify"];
    all.extend_from_slice(args);
    all.push("--json");
    let run = i.run(&all);
    let report = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", run.stdout, run.stderr));
    (run.code, report)
}

fn statement_of(pdf: &Path) -> String {
    let bytes = std::fs::read(pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let start = text.rfind(MARK).expect("the PDF carries its statement") + MARK.len();
    text[start..].lines().next().unwrap().to_string()
}

fn problems(report: &Value) -> String {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// A statement with the same content as `text`, `key_id` changed and signed by `keys`.
fn forged(text: &str, keys: &sportello_sync::InstallKeys) -> String {
    let body = text.strip_prefix("SPORTELLO-ACC1.").unwrap();
    let (payload, _) = body.split_once('.').unwrap();
    let mut statement: Value =
        serde_json::from_slice(&BASE64URL_NOPAD.decode(payload.as_bytes()).unwrap()).unwrap();
    statement["key_id"] = keys.key_id().to_string().into();
    let bytes = serde_json::to_vec(&statement).unwrap();
    let signature = sportello_sync::statement::sign(keys, &bytes);
    format!(
        "SPORTELLO-ACC1.{}.{}",
        BASE64URL_NOPAD.encode(&bytes),
        BASE64URL_NOPAD.encode(&signature)
    )
}

#[test]
fn a_certificate_verifies_at_a_comune_and_every_forgery_is_refused() {
    let capofila = Install::init("district-d48.toml", "089017");
    let floridia = Install::init("district-d48.toml", FLORIDIA);
    enrol(&capofila, &floridia);
    distribute(&capofila, &[&floridia]);
    capofila.ok(&[
        "accreditation",
        "notice",
        "import",
        arg(&fixture("accreditation/avviso-2026.toml")),
    ]);
    let assessed = accredit(&capofila, &fixture("accreditation/istanza-aretusa.json"), 5);
    assert_eq!(assessed["total"], 60);
    assert_eq!(assessed["outcome"], "accreditato");
    let number = assessed["register_number"].as_str().unwrap().to_string();
    assert!(number.starts_with("ACC-"), "{number}");
    assert!(assessed["valid_until"].is_string());

    let pdf = capofila.path("attestato.pdf");
    capofila.ok(&[
        "print",
        "accreditation",
        "--provider",
        &number,
        "--out",
        arg(&pdf),
    ]);
    let text = pdf_text(&pdf);
    for expected in [
        "Attestato di accreditamento",
        "Distretto socio-sanitario 48 - Siracusa",
        "Comune di Siracusa",
        &number,
        "Legge 8 novembre 2000, n. 328",
        "SI ATTESTA",
        "Aretusa Servizi Società Cooperativa Sociale",
        "12345678903",
        "Maria Rossi",
        "Assistenza domiciliare anziani; Centro diurno",
        "Siracusa, Floridia, Priolo Gargallo",
        "Validità",
        "Condizioni",
        "Il responsabile dell'Ufficio di piano",
    ] {
        assert!(text.contains(expected), "«{expected}» missing:\n{text}");
    }

    // Before the register reaches Floridia, the certificate is authentic but unknown there.
    let (code, report) = verify(&floridia, &[arg(&pdf)]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["valid"], false);

    // The register travels down with the publish bundle; the comune reads it.
    round_trip(&capofila, &floridia, FLORIDIA);
    let register = floridia.json(&["provider", "list"]);
    assert_eq!(register["providers"][0]["register_number"], number.as_str());
    assert_eq!(register["providers"][0]["status"], "attivo");
    assert!(register["as_of"].is_string());
    let filtered = floridia.json(&[
        "provider",
        "list",
        "--service",
        "sad_anziani",
        "--comune",
        FLORIDIA,
    ]);
    assert_eq!(filtered["providers"].as_array().unwrap().len(), 1);
    let none = floridia.json(&["provider", "list", "--service", "comunita_alloggio"]);
    assert_eq!(none["providers"].as_array().unwrap().len(), 0);
    // Read-only at the comune.
    let refused = floridia.run(&[
        "provider",
        "status",
        &number,
        "--set",
        "sospeso",
        "--reason",
        "prova",
        "--date",
        "2026-12-01",
    ]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);

    // A valid certificate verifies: from the PDF and from the QR text.
    let (code, report) = verify(&floridia, &[arg(&pdf)]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["valid"], true);
    assert_eq!(report["status"], "attivo");
    assert_eq!(report["register_number"], number.as_str());
    assert_eq!(
        report["provider"],
        "Aretusa Servizi Società Cooperativa Sociale"
    );
    assert_eq!(report["valid_until"], assessed["valid_until"]);
    assert_eq!(report["problems"], serde_json::json!([]));
    let qr = statement_of(&pdf);
    let (code, _) = verify(&floridia, &["--qr", &qr]);
    assert_eq!(code, 0);

    // Rotations honoured: the capofila rotates its keys and the comune accepts the district
    // file vouching for the new one; the certificate signed before and one signed after both
    // verify.
    let old_fingerprint = capofila.fingerprint();
    capofila.ok(&["key", "rotate"]);
    let district = std::path::PathBuf::from(
        capofila
            .ok(&["district", "export", "--out", arg(capofila.dir.path())])
            .trim(),
    );
    floridia.ok(&[
        "district",
        "accept",
        arg(&district),
        "--fingerprint",
        &old_fingerprint,
    ]);
    let after = capofila.path("attestato-nuova-chiave.pdf");
    capofila.ok(&[
        "print",
        "accreditation",
        "--provider",
        &number,
        "--out",
        arg(&after),
    ]);
    for pdf in [&pdf, &after] {
        let (code, report) = verify(&floridia, &[arg(pdf)]);
        assert_eq!(code, 0, "{report}");
    }
    let (_, before) = verify(&floridia, &[arg(&pdf)]);
    let (_, now) = verify(&floridia, &[arg(&after)]);
    assert_ne!(before["key_id"], now["key_id"], "signed by the new key");

    // One byte changed in the QR statement.
    let at = "SPORTELLO-ACC1.".len() + 40;
    let mut altered = qr.clone().into_bytes();
    altered[at] = if altered[at] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    let (code, report) = verify(&floridia, &["--qr", &altered]);
    assert_eq!(code, 1);
    assert_eq!(report["valid"], false);
    assert!(!problems(&report).is_empty());
    // The same change inside the PDF file.
    let tampered = floridia.path("alterato.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    let mut out = bytes.clone();
    let pos = bytes
        .windows(MARK.len())
        .rposition(|w| w == MARK.as_bytes())
        .unwrap()
        + MARK.len()
        + at;
    out[pos] = altered.as_bytes()[at];
    std::fs::write(&tampered, out).unwrap();
    let (code, report) = verify(&floridia, &[arg(&tampered)]);
    assert_eq!(code, 1);
    assert_eq!(report["valid"], false);

    // Signed by a comune's key: refused at the comune and at the capofila.
    let by_comune = forged(&qr, &install_keys(&floridia.db));
    for at in [&floridia, &capofila] {
        let (code, report) = verify(at, &["--qr", &by_comune]);
        assert_eq!(code, 1);
        assert_eq!(report["valid"], false);
        assert!(
            problems(&report).contains("chiave del comune 089009"),
            "{report}"
        );
    }

    // From another district: its capofila accredits its own provider.
    let other = Install::init("district-d99.toml", "999001");
    let application = std::fs::read_to_string(fixture("accreditation/istanza-aretusa.json"))
        .unwrap()
        .replace("089017", "999001")
        .replace("089009", "999002")
        .replace(", \"089021\"", "");
    let file = other.write("istanza.json", &application);
    let theirs = accredit(&other, &file, 5);
    let foreign = other.path("estero.pdf");
    other.ok(&[
        "print",
        "accreditation",
        "--provider",
        theirs["register_number"].as_str().unwrap(),
        "--out",
        arg(&foreign),
    ]);
    let (code, report) = verify(&floridia, &[arg(&foreign)]);
    assert_eq!(code, 1);
    assert_eq!(report["valid"], false);
    assert!(problems(&report).contains("altro distretto"), "{report}");

    // Expired: the same certificate read after its last day.
    let until: chrono::NaiveDate = report_date(&assessed["valid_until"]);
    let after = format!("{} 12:00:00", until.succ_opt().unwrap());
    let run = floridia.run_at(
        &after,
        sportello_tests::OPERATOR,
        &["certificate", "verify", arg(&pdf), "--json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["status"], "scaduto");
    assert!(problems(&report).contains("scaduto"), "{report}");
    // On its last day it still verifies.
    let last = format!("{until} 12:00:00");
    let run = floridia.run_at(
        &last,
        sportello_tests::OPERATOR,
        &["certificate", "verify", arg(&pdf), "--json"],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);

    // Revoked at the capofila, then the comune receives the new register.
    let today = chrono::Utc::now().date_naive().to_string();
    capofila.ok(&[
        "provider",
        "status",
        &number,
        "--set",
        "revocato",
        "--reason",
        "DURC irregolare",
        "--date",
        &today,
    ]);
    let (code, report) = verify(&floridia, &[arg(&pdf)]);
    assert_eq!((code, report["status"].as_str()), (0, Some("attivo")));
    round_trip(&capofila, &floridia, FLORIDIA);
    let (code, report) = verify(&floridia, &[arg(&pdf)]);
    assert_eq!(code, 1);
    assert_eq!(report["valid"], true, "authentic, but no longer accredited");
    assert_eq!(report["status"], "revocato");
    assert!(problems(&report).contains("DURC irregolare"), "{report}");
    assert!(report["register_as_of"].is_string());
    let register = floridia.json(&["provider", "list"]);
    assert_eq!(register["providers"][0]["status"], "revocato");
    // A revoked provider gets no certificate.
    let run = capofila.run(&[
        "print",
        "accreditation",
        "--provider",
        &number,
        "--out",
        arg(&capofila.path("di-nuovo.pdf")),
    ]);
    assert_eq!(run.code, 1);
}

fn report_date(v: &Value) -> chrono::NaiveDate {
    v.as_str().unwrap().parse().unwrap()
}

#[test]
fn scores_at_the_edge_corrections_and_confirmation() {
    let capofila = Install::init("district-d48.toml", "089017");
    // Without a notice, the district's default applies.
    let notice = capofila.json(&["accreditation", "notice", "show"]);
    assert_eq!(notice["imported"], false);
    assert_eq!(notice["pass_mark"], 60);
    let applied = capofila.json(&[
        "provider",
        "apply",
        arg(&fixture("accreditation/istanza-aretusa.json")),
    ]);
    let id = applied["application_id"].as_str().unwrap();

    // 59 points: not accredited, the reason named, no register number.
    let file = capofila.write("59.json", &assessment(4, None));
    let first = capofila.json(&["provider", "assess", id, arg(&file)]);
    assert_eq!(first["total"], 59);
    assert_eq!(first["outcome"], "non_accreditato");
    assert!(first["register_number"].is_null());
    assert!(first["reasons"][0].as_str().unwrap().contains("59"));

    // Every gate but one: not accredited even with full marks elsewhere.
    let gates = capofila.json(&[
        "provider",
        "apply",
        arg(&fixture("accreditation/istanza-aretusa.json")),
    ]);
    assert_eq!(gates["new_provider"], false, "one identity per tax code");
    assert_eq!(gates["provider_id"], applied["provider_id"]);
    let file = capofila.write("durc.json", &assessment(10, Some("durc")));
    let no_durc = capofila.json(&[
        "provider",
        "assess",
        gates["application_id"].as_str().unwrap(),
        arg(&file),
    ]);
    assert_eq!(no_durc["outcome"], "non_accreditato");
    assert!(no_durc["reasons"][0].as_str().unwrap().contains("DURC"));

    // A second assessment of the same application is a correction: a reason is required.
    let file = capofila.write("60.json", &assessment(5, None));
    let run = capofila.run(&["provider", "assess", id, arg(&file)]);
    assert_eq!(run.code, 1);
    let corrected = capofila.json(&[
        "provider",
        "assess",
        id,
        arg(&file),
        "--reason",
        "punteggio della rete ricalcolato",
    ]);
    assert_eq!(corrected["total"], 60);
    assert_eq!(corrected["outcome"], "accreditato");
    assert_eq!(corrected["corrects"], first["assessment_id"]);
    // The corrected one can no longer be confirmed; the correction can.
    let run = capofila.run(&[
        "provider",
        "confirm",
        first["assessment_id"].as_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        capofila.json(&["provider", "list"])["providers"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // The application's history: both assessments, the second correcting the first.
    let shown = capofila.json(&["provider", "show", id]);
    assert_eq!(shown["assessments"].as_array().unwrap().len(), 2);
    assert_eq!(shown["assessments"][1]["corrects"], first["assessment_id"]);
    assert_eq!(shown["application"]["tax_code"], "12345678903");
    let all = capofila.json(&["provider", "applications"]);
    assert_eq!(all.as_array().unwrap().len(), 2);

    // The commission (a responsabile) assesses; only a coordinatore confirms.
    capofila.ok(&["operator", "add", "commissione", "--role", "responsabile"]);
    let run = capofila.run_as(
        "commissione",
        &[
            "provider",
            "confirm",
            corrected["assessment_id"].as_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("coordinatore"), "{}", run.stderr);
    let confirmed = capofila.json(&[
        "provider",
        "confirm",
        corrected["assessment_id"].as_str().unwrap(),
    ]);
    assert_eq!(confirmed["confirmed"], true);
    let run = capofila.run(&[
        "provider",
        "confirm",
        corrected["assessment_id"].as_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "confirmed once");
    let register = capofila.json(&["provider", "list"]);
    assert_eq!(register["providers"][0]["score"], 60);
    assert_eq!(
        register["providers"][0]["register_number"],
        corrected["register_number"]
    );

    // Statuses: scaduto is never set by hand; suspended and back.
    let number = corrected["register_number"].as_str().unwrap();
    let today = chrono::Utc::now().date_naive().to_string();
    let set = |status: &str| {
        capofila.run(&[
            "provider", "status", number, "--set", status, "--reason", "verifica", "--date", &today,
        ])
    };
    assert_eq!(set("scaduto").code, 1);
    assert_eq!(set("attivo").code, 1, "already active");
    assert_eq!(set("sospeso").code, 0);
    assert_eq!(set("attivo").code, 0);

    // The Home to-do at the capofila: a renewed DURC expiring in 10 days is listed, the
    // registration (three years away) is not.
    let soon = (chrono::Utc::now().date_naive() + chrono::Days::new(10)).to_string();
    let durc = capofila.write(
        "durc.json",
        &format!(r#"{{"number": "INPS_1", "date": "{today}", "expires": "{soon}"}}"#),
    );
    capofila.ok(&["provider", "document", number, "durc", arg(&durc)]);
    let app = sportello_app::Sportello::open(&capofila.db, &sportello_tests::credentials())
        .expect("open the capofila");
    let todo = app.overview().expect("overview").accreditation_expiring;
    assert_eq!(todo.len(), 1, "{todo:?}");
    assert_eq!(todo[0].document.as_deref(), Some("durc"));
    assert_eq!(todo[0].expires.to_string(), soon);
    drop(app);

    capofila.ok(&[
        "print",
        "register",
        "--out",
        arg(&capofila.path("registro.pdf")),
    ]);
    let text = pdf_text(&capofila.path("registro.pdf"));
    assert!(
        text.contains("Registro distrettuale degli enti accreditati"),
        "{text}"
    );
    assert!(text.contains("Aretusa Servizi"), "{text}");
    assert!(text.contains("Maria Rossi"), "{text}");
    let csv = std::fs::read_to_string(capofila.path("registro.csv")).unwrap();
    assert!(csv.starts_with("numero,ente,codice_fiscale"), "{csv}");
    assert!(csv.contains(number));
    assert!(
        !csv.contains("pec") && !csv.contains("0931"),
        "no contacts: {csv}"
    );
}

#[test]
fn bad_inputs_exit_1_and_change_nothing() {
    let capofila = Install::init("district-d48.toml", "089017");
    let applied = capofila.json(&[
        "provider",
        "apply",
        arg(&fixture("accreditation/istanza-aretusa.json")),
    ]);
    let id = applied["application_id"].as_str().unwrap().to_string();
    let before = capofila.everything();
    let istanza = std::fs::read_to_string(fixture("accreditation/istanza-aretusa.json")).unwrap();
    let bad: Vec<(&str, String, &str)> = vec![
        (
            "partita IVA with a wrong check digit",
            istanza.replace("12345678903", "12345678901"),
            "tax_code: cifra di controllo errata",
        ),
        (
            "unknown service",
            istanza.replace("centro_diurno", "mensa"),
            "services[1]",
        ),
        (
            "comune outside the district",
            istanza.replace("089021", "082053"),
            "comuni[2]",
        ),
        ("not JSON", "{".into(), "istanza non valida"),
    ];
    for (what, text, names) in bad {
        let file = capofila.write("bad.json", &text);
        let run = capofila.run(&["provider", "apply", arg(&file)]);
        assert_eq!(run.code, 1, "{what}: {}", run.stdout);
        assert!(run.stderr.contains(names), "{what}: {}", run.stderr);
    }
    let mut above: Value = serde_json::from_str(&assessment(5, None)).unwrap();
    above["scores"]["rete"]["points"] = 11.into();
    let mut no_gate: Value = serde_json::from_str(&assessment(5, None)).unwrap();
    no_gate["gates"]
        .as_object_mut()
        .unwrap()
        .remove("assicurazione");
    let mut no_criterion: Value = serde_json::from_str(&assessment(5, None)).unwrap();
    no_criterion["scores"]
        .as_object_mut()
        .unwrap()
        .remove("formazione");
    for (what, value, names) in [
        ("points above the maximum", above, "scores.rete.points"),
        ("a gate missing", no_gate, "gates.assicurazione"),
        ("a criterion missing", no_criterion, "scores.formazione"),
    ] {
        let file = capofila.write("bad.json", &value.to_string());
        let run = capofila.run(&["provider", "assess", &id, arg(&file)]);
        assert_eq!(run.code, 1, "{what}");
        assert!(run.stderr.contains(names), "{what}: {}", run.stderr);
    }
    let good = capofila.write("good.json", &assessment(5, None));
    let run = capofila.run(&["provider", "assess", "nessuna", arg(&good)]);
    assert_eq!(run.code, 1);
    let run = capofila.run(&[
        "provider",
        "status",
        "ACC-2026-999",
        "--set",
        "sospeso",
        "--reason",
        "x",
        "--date",
        "2026-12-01",
    ]);
    assert_eq!(run.code, 1);
    let run = capofila.run(&["certificate", "verify", "--qr", "non una dichiarazione"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        capofila.everything(),
        before,
        "refused inputs change nothing"
    );

    // A comune records no applications.
    let floridia = Install::init("district-d48.toml", FLORIDIA);
    let run = floridia.run(&[
        "provider",
        "apply",
        arg(&fixture("accreditation/istanza-aretusa.json")),
    ]);
    assert_eq!(run.code, 1);
}
