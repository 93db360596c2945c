//! Monitoring from outside: each comune computes its indicators from what it holds and sends
//! its counts with its upload; the capofila's district figures are the sums over the comuni,
//! and each comune's figures read the same at the capofila as at the comune.

use serde_json::Value;
use sportello_tests::{Install, arg, distribute, enrol, fixture_applications};

const FLORIDIA: &str = "089009";
const PALAZZOLO: &str = "089015";
const H1: [&str; 4] = ["--from", "01/01/2026", "--to", "30/06/2026"];

fn indicators(i: &Install, comune: Option<&str>) -> Value {
    let mut args = vec!["monitor", "indicators"];
    args.extend(H1);
    if let Some(c) = comune {
        args.extend(["--comune", c]);
    }
    i.json(&args)
}

fn value(list: &Value, id: &str) -> Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no indicator {id}: {list}"))
        .clone()
}

#[test]
fn the_district_figures_are_the_sums_of_the_comuni() {
    let capofila = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    let floridia = Install::init("district-d48.toml", FLORIDIA);
    let palazzolo = Install::init("district-d48.toml", PALAZZOLO);
    for c in [&floridia, &palazzolo] {
        enrol(&capofila, c);
    }
    distribute(&capofila, &[&floridia, &palazzolo]);
    let apps = fixture_applications();
    floridia.add(&apps[0..7]);
    palazzolo.add(&apps[40..44]);

    // At a comune: its own, hand-counted; the half-year before had none.
    let own = indicators(&floridia, None);
    let received = value(&own, "sc_domande");
    assert_eq!(received["value"], "7");
    assert_eq!(received["comune"], FLORIDIA);
    assert_eq!(received["previous"], "0");
    assert_eq!(value(&own, "sc_giorni_avvio")["value"], Value::Null);
    assert_eq!(value(&own, "sc_giorni_avvio")["target"], "<= 60");
    let refused = floridia.run(&[
        "monitor",
        "indicators",
        "--from",
        "01/01/2026",
        "--to",
        "30/06/2026",
        "--comune",
        PALAZZOLO,
    ]);
    assert_eq!(refused.code, 1, "a comune sees only its own figures");

    for c in [&floridia, &palazzolo] {
        for file in c.export() {
            capofila.ok(&["bundle", "import", arg(&file)]);
        }
    }
    let district = indicators(&capofila, None);
    let total = value(&district, "sc_domande");
    assert_eq!(total["comune"], Value::Null);
    assert_eq!(total["value"], "11", "7 at Floridia and 4 at Palazzolo");
    for (c, install) in [(FLORIDIA, &floridia), (PALAZZOLO, &palazzolo)] {
        let there = indicators(install, None);
        let here = indicators(&capofila, Some(c));
        for id in [
            "sc_domande",
            "sc_idonei",
            "sc_ammessi",
            "sc_ore",
            "sc_liquidato",
        ] {
            assert_eq!(
                value(&here, id)["value"],
                value(&there, id)["value"],
                "{c} {id}"
            );
        }
    }
    // A period that is not a half-year: the comuni's counts are per half-year, so the
    // capofila counts only its own.
    let march = capofila.json(&[
        "monitor",
        "indicators",
        "--from",
        "01/03/2026",
        "--to",
        "31/03/2026",
    ]);
    assert_eq!(value(&march, "sc_domande")["value"], "0");
}
