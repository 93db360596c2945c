//! Strict input (issue 9): what the clerk did not mean to write is refused, naming where and
//! what to write instead, and nothing is stored; the terminal shows data, never obeys it.

use serde_json::{Value, json};
use sportello_domain::Sex;
use sportello_domain::codice_fiscale::encode;
use sportello_tests::{Install, arg, fixture};

/// Siracusa, the capofila of D48, with bando SC-2026-1 imported.
fn siracusa() -> Install {
    Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"])
}

/// The first synthetic application of fixtures/applications.json (Scrofani Marta, alone).
fn marta() -> Value {
    sportello_tests::fixture_applications().remove(0)
}

/// A household member whose codice fiscale agrees with the data.
fn child() -> Value {
    let born = chrono::NaiveDate::from_ymd_opt(2015, 4, 2).unwrap();
    json!({ "codice_fiscale": encode("Rossi", "Luca", born, Sex::M, "I754"),
            "surname": "Rossi", "name": "Luca", "birth_date": "2015-04-02", "sex": "M",
            "birth_place": "I754", "relation": "figlio", "dependent_minor": true })
}

/// The number of applications stored.
fn stored(i: &Install) -> usize {
    i.json(&["application", "list"]).as_array().unwrap().len()
}

/// Runs `application add` on `form` (any JSON text) and expects a refusal; returns stderr.
fn refused_json(i: &Install, text: &str) -> String {
    let file = i.write("domanda.json", text);
    let r = i.run(&["application", "add", arg(&file)]);
    assert_eq!(r.code, 1, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    r.stderr
}

#[test]
fn a_misspelt_key_is_refused_naming_its_path_and_the_key_meant() {
    let i = siracusa();
    let mut form = marta();
    form["single_parnet"] = true.into();
    form["household"] = json!([child()]);
    form["household"][0]["dependent_minr"] = true.into();
    form["household"][0]
        .as_object_mut()
        .unwrap()
        .remove("dependent_minor");
    let stderr = refused_json(&i, &form.to_string());
    assert!(
        stderr.contains("campo single_parnet: campo sconosciuto: forse single_parent?"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "campo household[0].dependent_minr: campo sconosciuto: forse dependent_minor?"
        ),
        "{stderr}"
    );
    assert_eq!(stored(&i), 0);

    // Written right, the same form is filed.
    let mut form = marta();
    form["single_parent"] = true.into();
    let file = i.write("giusta.json", &form.to_string());
    i.ok(&["application", "add", arg(&file)]);
    assert_eq!(stored(&i), 1);
}

#[test]
fn a_json_file_with_a_byte_order_mark_is_read() {
    let i = siracusa();
    let file = i.write("bom.json", &format!("\u{feff}{}", marta()));
    let filed = i.json(&["application", "add", arg(&file)]);
    assert_eq!(filed["surname"], "Scrofani");
}

#[test]
fn a_repeated_csv_column_is_refused_naming_both_columns() {
    let i = siracusa();
    let good = std::fs::read_to_string(fixture("applications.csv")).unwrap();
    let mut lines: Vec<String> = good.lines().take(3).map(str::to_string).collect();
    // `isee` again at the end: which of the two amounts counts?
    lines[0].push_str(",isee");
    let columns = lines[0].split(',').count();
    for line in &mut lines[1..] {
        line.push_str(",99999,00");
    }
    let file = i.write("doppia.csv", &(lines.join("\n") + "\n"));
    let r = i.run(&["application", "import", arg(&file)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let first = lines[0].split(',').position(|h| h == "isee").unwrap() + 1;
    assert!(
        r.stderr.contains(&format!(
            "riga 1, campo isee: colonna ripetuta: la colonna {columns} ripete la colonna {first}"
        )),
        "{}",
        r.stderr
    );
    assert_eq!(stored(&i), 0);
}

#[test]
fn an_amount_whose_dot_is_ambiguous_is_refused_with_the_forms_to_write() {
    let i = siracusa();
    // As a string and as a JSON number: serde reads the number 12.500 as 12.5.
    for value in [json!("12.500"), json!(12.5)] {
        let mut form = marta();
        form["isee"]["value"] = value.clone();
        let text = form.to_string().replace("12.5}", "12.500}");
        let stderr = refused_json(&i, &text);
        assert!(
            stderr.contains("campo isee.value") && stderr.contains("12500, 12.500,00 o 12500,00"),
            "{value}: {stderr}"
        );
    }
    assert_eq!(stored(&i), 0);

    // The same in a CSV file, which goes through the same parser.
    let good = std::fs::read_to_string(fixture("applications.csv")).unwrap();
    let lines: Vec<&str> = good.lines().take(2).collect();
    let row = lines[1].replace(",0.00,INPS", ",\"12.500\",INPS");
    assert_ne!(row, lines[1]);
    let file = i.write("ambigua.csv", &format!("{}\n{row}\n", lines[0]));
    let r = i.run(&["application", "import", arg(&file)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("riga 2, campo isee: importo ISEE ambiguo «12.500»"),
        "{}",
        r.stderr
    );

    // Grouped with the cents, it is twelve thousand five hundred.
    let mut form = marta();
    form["isee"]["value"] = "12.500,00".into();
    let file = i.write("chiara.json", &form.to_string());
    assert_eq!(
        i.json(&["application", "add", arg(&file)])["surname"],
        "Scrofani"
    );
    let list = i.json(&["application", "list"]);
    assert_eq!(list[0]["isee"]["value"], "12500.00");
}

#[test]
fn hidden_characters_are_refused_in_text_fields_new_lines_allowed_in_the_note() {
    let i = siracusa();
    let mut form = marta();
    // "Scrofani" shown as "Scro" + "inaf" reversed: the stored name is not the one read.
    form["applicant"]["surname"] = "Scro\u{202e}inaf".into();
    form["applicant"]["address"] = "Via delle Prove 2\u{1b}[2J".into();
    form["household"] = json!([child()]);
    form["household"][0]["relation"] = "figlio\nminore".into();
    form["protocol_number"] = "0012345\t".into();
    let stderr = refused_json(&i, &form.to_string());
    for (field, says) in [
        (
            "protocol_number",
            "carattere di controllo invisibile (U+0009, al carattere 8)",
        ),
        (
            "applicant.surname",
            "cambia il verso di lettura (U+202E, al carattere 5)",
        ),
        (
            "applicant.address",
            "carattere di controllo invisibile (U+001B, al carattere 18)",
        ),
        (
            "household[0].relation",
            "una sola riga e contiene un a capo (U+000A, al carattere 7)",
        ),
    ] {
        let line = format!("domanda 1, campo {field}: il testo ");
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(&line) && l.contains(says)),
            "{field}: {stderr}"
        );
    }
    assert_eq!(stderr.lines().count(), 5, "{stderr}");
    assert_eq!(stored(&i), 0);

    let mut form = marta();
    form["override_note"] = "verificato sul documento\r\nesibito allo sportello".into();
    let file = i.write("nota.json", &form.to_string());
    i.ok(&["application", "add", arg(&file)]);
    assert_eq!(stored(&i), 1);
}

#[test]
fn a_second_application_of_one_applicant_to_one_bando_is_refused_naming_the_first() {
    let i = siracusa();
    let file = i.write("prima.json", &marta().to_string());
    let first = i.json(&["application", "add", arg(&file)]);

    let mut again = marta();
    again["filed_at"] = "2026-02-02T09:00:00+01:00".into();
    let stderr = refused_json(&i, &again.to_string());
    assert!(
        stderr.contains(&format!(
            "campo applicant.codice_fiscale: Scrofani Marta (SCRMRT77E56B237K) ha già presentato \
             domanda per il bando SC-2026-1 in questo comune (pratica {}, domanda {})",
            first["case_number"].as_str().unwrap(),
            first["application_code"].as_str().unwrap()
        )),
        "{stderr}"
    );
    assert_eq!(stored(&i), 1);

    // Twice in one file: refused naming the first, and neither is stored.
    let others = sportello_tests::fixture_applications();
    let text = Value::Array(vec![others[1].clone(), others[1].clone()]).to_string();
    let stderr = refused_json(&i, &text);
    assert!(
        stderr.contains("domanda 2, campo applicant.codice_fiscale")
            && stderr.contains("è già richiedente in domanda 1 di questo file"),
        "{stderr}"
    );
    assert_eq!(stored(&i), 1);

    // Named as a household member of another application: that is the household rule's
    // business, not a second application.
    let mut family = others[1].clone();
    let mut member = marta()["applicant"].clone();
    let member_fields = member.as_object_mut().unwrap();
    for key in ["address", "phone", "email"] {
        member_fields.remove(key);
    }
    member_fields.insert("relation".into(), "convivente".into());
    family["household"] = json!([member]);
    let file = i.write("famiglia.json", &family.to_string());
    i.ok(&["application", "add", arg(&file)]);

    // Another bando: a new application.
    let bando = std::fs::read_to_string(fixture("bando-sc-2026-1.toml"))
        .unwrap()
        .replace("id = \"SC-2026-1\"", "id = \"SC-2026-2\"");
    i.ok(&["bando", "import", arg(&i.write("bando2.toml", &bando))]);
    let mut other_bando = marta();
    other_bando["bando"] = "SC-2026-2".into();
    let file = i.write("altro.json", &other_bando.to_string());
    i.ok(&["application", "add", arg(&file)]);
    assert_eq!(stored(&i), 3);
}

#[test]
fn another_program_s_database_is_refused_and_left_as_it_was() {
    let i = Install::new();
    let db = i.path("contabilita.db");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE fatture (numero INTEGER, importo TEXT);")
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    for args in [
        vec!["application", "list"],
        vec![
            "init",
            "--district",
            arg(&fixture("district-d48.toml")),
            "--comune",
            "089017",
        ],
    ] {
        let r = sportello_tests::logged_in(std::process::Command::new(sportello_tests::binary(
            "sportello",
        )))
        .arg("--db")
        .arg(&db)
        .args(&args)
        .output()
        .unwrap();
        let stderr = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("non è un database di Sportello"),
            "{args:?}: {stderr}"
        );
        let after = std::fs::read(&db).unwrap();
        let changed = (0..before.len().max(after.len()))
            .filter(|&at| before.get(at) != after.get(at))
            .collect::<Vec<_>>();
        assert!(
            changed.is_empty(),
            "{args:?} changed the bytes at {changed:?}"
        );
        assert!(
            !i.path("contabilita.db-wal").exists(),
            "{args:?} left a journal"
        );
    }
}

#[test]
fn the_terminal_shows_escapes_instead_of_obeying_what_data_says() {
    let i = siracusa();
    // The names of unknown keys and columns come back in the refusal, as they were written.
    let mut form = marta();
    form["nota\u{1b}[2J\u{202e}"] = "x".into();
    let stderr = refused_json(&i, &form.to_string());
    assert!(
        stderr.contains(r"campo nota\u{1b}[2J\u{202e}: campo sconosciuto"),
        "{stderr}"
    );
    let file = i.write("colonne.csv", "bando,cognome\u{7}\r\nSC-2026-1,Rossi\r\n");
    let r = i.run(&["application", "import", arg(&file)]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains(r"campo cognome\u{7}: colonna sconosciuta"),
        "{}",
        r.stderr
    );
    for stderr in [stderr, r.stderr] {
        assert!(
            !stderr.contains(['\u{1b}', '\u{7}', '\u{202e}']),
            "{stderr:?}"
        );
    }
}
