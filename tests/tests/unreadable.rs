//! A stored row that cannot be read (written by an older version, or a damaged file) never
//! takes a listing down: it is named, the ranking refuses to run without it, and the capofila
//! sets it aside; the comune's later uploads are not refused because of it.

use sportello_tests::{Install, arg, distribute, enrol, fixture_applications};

fn poison(db: &std::path::Path, sql: &str, id: &str) {
    let conn = sportello_tests::connect(db).unwrap();
    assert_eq!(conn.execute(sql, [id]).unwrap(), 1, "{sql}");
}

#[test]
fn an_unreadable_row_is_named_and_set_aside() {
    let capofila = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    let comune = Install::init("district-d48.toml", "089009");
    enrol(&capofila, &comune);
    distribute(&capofila, &[&comune]);
    let codes = comune.add(&fixture_applications()[0..3]);
    capofila.ok(&["bundle", "import", arg(&comune.export()[0])]);

    // Two rows as an older version could have written them: a year with a letter, a flag
    // that is a word.
    let id_of = |code: &str| -> String {
        let conn = sportello_tests::connect(&capofila.db).unwrap();
        conn.query_row(
            "SELECT id FROM applications WHERE application_code = ?1",
            [code],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (first, second) = (id_of(&codes[0]), id_of(&codes[1]));
    poison(
        &capofila.db,
        "UPDATE applications SET year = '2026x' WHERE id = ?1",
        &first,
    );
    poison(
        &capofila.db,
        "UPDATE application_revisions SET declaration = replace(declaration, '\"resident\":true', '\"resident\":\"yes\"') WHERE application_id = ?1",
        &second,
    );

    // The listing shows the readable one and names the other two.
    let run = capofila.run(&["application", "list", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    for id in [&first, &second] {
        assert!(
            run.stderr.contains(&format!("applications/{id}")),
            "{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("colonna year"), "{}", run.stderr);

    // The ranking will not run without them.
    let ranking = capofila.run(&["ranking", "compute", "--bando", "SC-2026-1"]);
    assert_eq!(ranking.code, 1);
    assert!(ranking.stderr.contains(&first), "{}", ranking.stderr);

    // The capofila sets them aside, with a reason; a comune cannot.
    let refused = comune.run(&[
        "record",
        "quarantine",
        &format!("applications/{first}"),
        "--reason",
        "x",
    ]);
    assert_eq!(refused.code, 1);
    for id in [&first, &second] {
        capofila.ok(&[
            "record",
            "quarantine",
            &format!("applications/{id}"),
            "--reason",
            "riga illeggibile dopo il ripristino del disco",
        ]);
    }
    let run = capofila.run(&["application", "list"]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    capofila.ok(&["ranking", "compute", "--bando", "SC-2026-1"]);

    // The comune corrects one of them and uploads again: nothing is refused, what refers to
    // a row set aside joins it, the rest applies.
    let mut form = comune.json(&["application", "show", &codes[0]])["form"].clone();
    form["protocol_number"] = "0000099".into();
    let file = comune.write("corretta.json", &form.to_string());
    comune.ok(&[
        "application",
        "correct",
        &codes[0],
        arg(&file),
        "--reason",
        "protocollo",
    ]);
    comune.add(&fixture_applications()[3..4]);
    let (run, _) = capofila.import(&[comune.export()[0].as_path()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list = capofila.json(&["application", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
}
