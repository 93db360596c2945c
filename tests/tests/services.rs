//! The map of services from outside: the capofila imports the district catalogue and
//! publishes it; a comune receives it read-only, adds its local entries and uploads them; the
//! capofila sees them. Search folds accents and takes the last word as a prefix, filtered by
//! area and comune; a bad file changes nothing; stale entries are flagged to the capofila;
//! the scheda informativa prints.

use serde_json::Value;
use sportello_tests::{Install, OPERATOR, arg, distribute, enrol, fixture, pdf_text, round_trip};

const CAPOFILA: &str = "089017";
const FLORIDIA: &str = "089009";

fn ids(found: &Value) -> Vec<String> {
    found
        .as_array()
        .expect("a list of services")
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

fn search(i: &Install, args: &[&str]) -> Vec<String> {
    let mut all = vec!["services", "search"];
    all.extend_from_slice(args);
    ids(&i.json(&all))
}

fn refused(i: &Install, args: &[&str], expected: &[&str]) {
    let before = i.everything();
    let run = i.run(args);
    assert_eq!(run.code, 1, "{args:?}: {}", run.stdout);
    for e in expected {
        assert!(run.stderr.contains(e), "{args:?}: {e:?} in {}", run.stderr);
    }
    assert_eq!(i.everything(), before, "{args:?} changed something");
}

const LOCAL: &str = "id,nome,ente,area,comuni,destinatari
doposcuola,Doposcuola parrocchiale,Parrocchia (convenzione),1,,Ragazzi delle scuole medie
ludoteca-anziani,Ludoteca per Anziàni e nipoti,Associazione locale,2,,Nonni e nipoti
";

#[test]
fn the_catalogue_travels_down_and_local_entries_travel_up() {
    let capofila = Install::of("district-d48.toml", CAPOFILA, &[]);
    let floridia = Install::init("district-d48.toml", FLORIDIA);
    enrol(&capofila, &floridia);
    distribute(&capofila, &[&floridia]);

    let imported = capofila.json(&["services", "import", arg(&fixture("services-d48.csv"))]);
    assert_eq!(imported["scope"], "district");
    assert_eq!(imported["created"].as_array().unwrap().len(), 31);
    round_trip(&capofila, &floridia, FLORIDIA);
    let district = floridia.json(&["services", "list"]);
    assert_eq!(ids(&district).len(), 31);
    assert!(
        district
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["scope"] == "district" && s["owner"] == CAPOFILA)
    );

    // Local entries: a district code is not the comune's to take; a good file is.
    let taken = floridia.write("presi.csv", "id,nome,area\nsad-anziani,Assistenza,2\n");
    refused(
        &floridia,
        &["services", "import", arg(&taken)],
        &["riga 2", "id", "catalogo del distretto"],
    );
    let local = floridia.write("locali.csv", LOCAL);
    let imported = floridia.json(&["services", "import", arg(&local)]);
    assert_eq!(imported["scope"], "local");
    assert_eq!(
        imported["created"],
        serde_json::json!(["doposcuola", "ludoteca-anziani"])
    );
    // The district's entries are the capofila's: a comune does not review them.
    let run = floridia.run(&["services", "review", "sad-anziani"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("catalogo del distretto"),
        "{}",
        run.stderr
    );

    round_trip(&capofila, &floridia, FLORIDIA);
    let seen = capofila.json(&["services", "show", "ludoteca-anziani"]);
    assert_eq!(seen["scope"], "local");
    assert_eq!(seen["owner"], FLORIDIA);
    // At the capofila a local entry with no comuni listed covers its own comune only.
    assert!(
        search(&capofila, &["ludoteca", "--comune", FLORIDIA]).contains(&"ludoteca-anziani".into())
    );
    assert!(search(&capofila, &["ludoteca", "--comune", CAPOFILA]).is_empty());

    // Accents folded both ways, the last word a prefix while typing.
    assert_eq!(search(&floridia, &["anziani nipoti"]), ["ludoteca-anziani"]);
    assert_eq!(search(&floridia, &["ANZIÀNI nip"]), ["ludoteca-anziani"]);
    let assist = search(&floridia, &["assist"]);
    assert!(assist.contains(&"sad-anziani".into()), "{assist:?}");
    assert!(assist.contains(&"adi".into()), "{assist:?}");
    assert!(
        search(&floridia, &["assist "]).is_empty(),
        "a finished word is whole"
    );
    // Ranked: the word in the name first.
    assert_eq!(search(&floridia, &["consultorio"])[0], "consultorio");
    // Filters: area, comune covered.
    let area1 = floridia.json(&["services", "search", "", "--area", "1"]);
    assert!(area1.as_array().unwrap().iter().all(|s| s["area"] == 1));
    assert!(ids(&area1).contains(&"asilo-nido".into()));
    let nido = |comune: &str| search(&floridia, &["asilo", "--comune", comune]);
    assert_eq!(nido(FLORIDIA), ["asilo-nido"]);
    assert!(nido("089015").is_empty());
    assert_eq!(
        search(&floridia, &["mensa", "--comune", FLORIDIA]),
        Vec::<String>::new()
    );
    assert_eq!(
        search(&floridia, &["mensa", "--comune", CAPOFILA]),
        ["mensa-sociale"]
    );

    // Re-importing without an entry retires it: kept, no longer found.
    let fewer = floridia.write(
        "meno.csv",
        "id,nome,area\ndoposcuola,Doposcuola parrocchiale,1\n",
    );
    let imported = floridia.json(&["services", "import", arg(&fewer)]);
    assert_eq!(imported["retired"], serde_json::json!(["ludoteca-anziani"]));
    assert_eq!(imported["updated"], serde_json::json!(["doposcuola"]));
    assert!(search(&floridia, &["ludoteca"]).is_empty());
    let shown = floridia.json(&["services", "show", "ludoteca-anziani"]);
    assert_eq!(shown["active"], false);
    round_trip(&capofila, &floridia, FLORIDIA);
    assert_eq!(
        capofila.json(&["services", "show", "ludoteca-anziani"])["active"],
        false
    );

    // Stale: the entries without a provider (the fixture's one, Floridia's doposcuola as
    // imported again); a year later, every entry in use.
    let stale = capofila.json(&["services", "stale"]);
    assert_eq!(ids(&stale), ["banco-alimentare", "doposcuola"]);
    assert_eq!(stale[0]["reasons"], serde_json::json!(["no_provider"]));
    // The capofila's Home counts them; a comune's does not.
    let home = |i: &Install| {
        sportello_app::Sportello::open(&i.db, &sportello_tests::credentials())
            .unwrap()
            .overview()
            .unwrap()
            .services_to_review
    };
    assert_eq!((home(&capofila), home(&floridia)), (2, 0));
    let later = (chrono::Utc::now() + chrono::Duration::days(366))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    let run = capofila.run_at(&later, OPERATOR, &["services", "stale", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stale: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        ids(&stale).len(),
        31 + 1,
        "the district's and Floridia's doposcuola"
    );
    let run = capofila.run_at(&later, OPERATOR, &["services", "review", "adi"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = capofila.run_at(&later, OPERATOR, &["services", "stale", "--json"]);
    let stale: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(!ids(&stale).contains(&"adi".into()));
    // Only the capofila follows them.
    let run = floridia.run(&["services", "stale"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("capofila"), "{}", run.stderr);

    // The scheda informativa.
    let pdf = floridia.path("scheda.pdf");
    floridia.ok(&[
        "print",
        "service",
        "--id",
        "sad-anziani",
        "--out",
        arg(&pdf),
    ]);
    let text = pdf_text(&pdf);
    for expected in [
        "Scheda informativa del servizio",
        "Assistenza domiciliare anziani (SAD)",
        "Distretto 48 – Ufficio di Piano",
        "disabilità e non autosufficienza",
        "tutti i comuni del distretto",
        "Documenti da portare",
        "certificato del medico curante",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
}

#[test]
fn a_bad_services_file_changes_nothing_and_names_row_field_and_problem() {
    let capofila = Install::of("district-d48.toml", CAPOFILA, &[]);
    capofila.ok(&["services", "import", arg(&fixture("services-d48.csv"))]);
    let bad = [
        (
            "id;nome;area\nsad;Assistenza;2\nnido;Asilo nido;7\n",
            vec!["riga 3", "area", "«7» non valida"],
        ),
        (
            "id,nome,area\nsad,Assistenza,2\n,Senza codice,1\n",
            vec!["riga 3", "id", "manca il codice"],
        ),
        (
            "id,nome,area,comuni\nsad,Assistenza,2,089017 999001\n",
            vec!["riga 2", "comuni", "999001"],
        ),
        (
            "id,nome,area\nsad,Assistenza,2\nsad,Assistenza bis,2\n",
            vec!["riga 3", "id", "più sopra (riga 2)"],
        ),
        (
            "id,nome,aria\nsad,Assistenza,2\n",
            vec!["aria", "forse «area»"],
        ),
        ("id,nome,area\n", vec!["nessun servizio"]),
    ];
    for (i, (text, expected)) in bad.into_iter().enumerate() {
        let file = capofila.write(&format!("bad-{i}.csv"), text);
        refused(&capofila, &["services", "import", arg(&file)], &expected);
    }
    let toml = capofila.write(
        "bad.toml",
        "[[service]]\nid = \"sad\"\nnome = \"Assistenza\"\narea = 2\n\n\
         [[service]]\nid = \"nido\"\narea = 1\n",
    );
    refused(
        &capofila,
        &["services", "import", arg(&toml)],
        &["servizio 2", "nome", "manca il nome"],
    );
    // A good TOML file takes the same fields.
    let good = capofila.write(
        "good.toml",
        "[[service]]\nid = \"sad\"\nnome = \"Assistenza domiciliare\"\nente = \"Comune\"\n\
         area = 2\ncomuni = \"089017 089009\"\n",
    );
    let imported = capofila.json(&["services", "import", arg(&good)]);
    assert_eq!(imported["created"], serde_json::json!(["sad"]));
    assert_eq!(imported["retired"].as_array().unwrap().len(), 31);
    // A front-office operatore reads the map but does not change it.
    capofila.ok(&["operator", "add", "sportello", "--role", "operatore"]);
    let run = capofila.run_as("sportello", &["services", "search", "assist", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = capofila.run_as("sportello", &["services", "import", arg(&good)]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("ggiornare la mappa dei servizi"),
        "{}",
        run.stderr
    );
}
