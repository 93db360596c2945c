//! The Domande search as a clerk types it (issue 12): application codes with or without the
//! dash, case numbers either way round, any codice fiscale of the household, names ignoring
//! spaces, apostrophes, accents and case. Each search finds the right applications and only
//! them; the CLI's `application list --search` finds the same.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde_json::Value;
use sportello_app::{OutcomeChoice, Sportello, parse_json_forms};
use sportello_domain::Sex;
use sportello_domain::codice_fiscale::encode;
use sportello_store::ApplicationFilter;
use sportello_tests::{
    Install, arg, distribute, dump_tables, enrol, fixture, fixture_applications,
};

const CAPOFILA: &str = "089017";
const FLORIDIA: &str = "089009";
/// The fixture application made "D'Amico Nicolò" (synthetic, like every fixture).
const CRAFTED: usize = 2;

/// The fixture applications, one of them renamed with an apostrophe and an accent (its codice
/// fiscale made again from the new name).
fn applications() -> Vec<Value> {
    let mut items = fixture_applications();
    let applicant = &mut items[CRAFTED]["applicant"];
    let born =
        NaiveDate::parse_from_str(applicant["birth_date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let place = applicant["birth_place"].as_str().unwrap().to_string();
    applicant["surname"] = "D'Amico".into();
    applicant["name"] = "Nicolò".into();
    applicant["codice_fiscale"] = encode("D'Amico", "Nicolò", born, Sex::M, &place).into();
    items
}

#[test]
fn each_way_a_clerk_writes_it_finds_the_application_and_only_it() {
    let capofila = Install::of("district-d48.toml", CAPOFILA, &["bando-sc-2026-1.toml"]);
    let items = applications();
    let mut app = Sportello::open(&capofila.db, &sportello_tests::credentials()).unwrap();
    let filed = app
        .intake()
        .add_applications(&parse_json_forms(&serde_json::to_string(&items).unwrap()).unwrap())
        .unwrap();
    let codes_of = |indexes: &[usize]| -> BTreeSet<String> {
        indexes
            .iter()
            .map(|&i| filed[i].application_code.clone())
            .collect()
    };
    let mut found = |text: &str| -> BTreeSet<String> {
        app.intake()
            .search_applications(&ApplicationFilter::default(), text)
            .unwrap()
            .into_iter()
            .map(|a| a.application_code)
            .collect()
    };

    // An application code, with or without the dash, with spaces, any case.
    let code = &filed[7].application_code;
    assert_eq!(code.len(), 11, "{code}");
    let (left, right) = code.split_at(5);
    let right = &right[1..];
    for typed in [
        code.clone(),
        code.to_lowercase(),
        format!("{left}{right}").to_lowercase(),
        format!("{left} {right}"),
        format!(" {} - {} ", left.to_lowercase(), right),
    ] {
        assert_eq!(found(&typed), codes_of(&[7]), "{typed:?}");
    }

    // A case number, stored like 2026/0000016.
    let case_number = &filed[15].case_number;
    let (year, seq) = case_number.split_once('/').unwrap();
    let seq = seq.trim_start_matches('0');
    for typed in [
        format!("{year}/{seq}"),
        format!("{seq}/{year}"),
        case_number.clone(),
        format!("{year} / {seq}"),
    ] {
        assert_eq!(found(&typed), codes_of(&[15]), "{typed:?}");
    }

    // Any codice fiscale of the household, not just the applicant's, any case.
    let member = items[19]["household"][1]["codice_fiscale"]
        .as_str()
        .unwrap();
    assert_eq!(found(member), codes_of(&[19]));
    assert_eq!(found(&member.to_lowercase()), codes_of(&[19]));
    // A person who applied and is declared in another application: both.
    assert_eq!(found("LPRLCU90L63I754K"), codes_of(&[28, 29]));

    // Names ignoring spaces, apostrophes, accents and case.
    assert_eq!(found("dipietro"), codes_of(&[36, 41, 53, 54]));
    assert_eq!(found("dipietro sebastiano"), codes_of(&[36]));
    assert_eq!(found("Sebastiano Di Pietro"), codes_of(&[36]));
    for typed in [
        "damico",
        "D'Amico",
        "d’amico",
        "nicolo",
        "Nicolò",
        "NICOLÒ D'AMICO",
    ] {
        assert_eq!(found(typed), codes_of(&[CRAFTED]), "{typed:?}");
    }

    // Nothing typed: every application.
    assert_eq!(found("  ").len(), items.len());
    drop(app);

    // The CLI finds the same.
    let listed = capofila.json(&["application", "list", "--search", &format!("{seq}/{year}")]);
    let listed: BTreeSet<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["application_code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, codes_of(&[15]));
    let listed = capofila.json(&["application", "list", "--search", "d amico"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(
        listed[0]["application_code"],
        filed[CRAFTED].application_code.as_str()
    );

    // Every search is in the trail, without what was typed.
    let trail = capofila.json(&["audit", "list"]);
    let searches: Vec<&Value> = trail
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "application_search")
        .collect();
    assert!(searches.len() >= 22, "{}", searches.len());
    for entry in searches {
        let detail = entry["detail"].to_string().to_lowercase();
        assert!(
            !detail.contains("amico") && !detail.contains("pietro"),
            "{detail}"
        );
        assert!(entry["detail"]["rows"].is_u64(), "{detail}");
    }
}

/// The Domande list a page at a time (issue 17): the pages together are the whole list in its
/// order — the published ranking by position, then the applications not ranked, newest case
/// number first — the outcome chosen narrows it, and a search pages the same way.
#[test]
fn pages_of_the_list_make_the_whole_list_in_its_order() {
    let capofila = Install::of("district-d48.toml", CAPOFILA, &["bando-sc-2026-1.toml"]);
    let mut app = Sportello::open(&capofila.db, &sportello_tests::credentials()).unwrap();
    let filed = app
        .intake()
        .add_applications(
            &parse_json_forms(&serde_json::to_string(&applications()).unwrap()).unwrap(),
        )
        .unwrap();
    drop(app);
    // The first 20 filed are ranked, in reverse order of filing; one in five excluded.
    let ranked: Vec<(String, &str)> = filed[..20]
        .iter()
        .rev()
        .enumerate()
        .map(|(i, f)| {
            let outcome = if i % 5 == 4 { "ESCLUSO" } else { "AMMESSO" };
            (f.application_code.clone(), outcome)
        })
        .collect();
    let bando = std::fs::read_to_string(sportello_tests::fixture("bando-sc-2026-1.toml")).unwrap();
    sportello_tests::bench::publish_definitive(
        &mut sportello_tests::store(&capofila.db),
        &bando,
        CAPOFILA,
        &ranked,
    );
    let mut app = Sportello::open(&capofila.db, &sportello_tests::credentials()).unwrap();
    let all = ApplicationFilter::default();

    // The order expected: ranked by position, then the others by case number, newest first.
    let mut unranked: Vec<&sportello_app::Filed> = filed[20..].iter().collect();
    unranked.sort_by(|a, b| b.case_number.cmp(&a.case_number));
    let expected: Vec<String> = ranked
        .iter()
        .map(|(code, _)| code.clone())
        .chain(unranked.iter().map(|f| f.application_code.clone()))
        .collect();
    let mut paged = Vec::new();
    for offset in (0..filed.len()).step_by(7) {
        let page = app.intake().search_page(&all, "", None, offset, 7).unwrap();
        assert_eq!((page.total, page.found), (filed.len(), filed.len()));
        assert!(page.applications.len() <= 7);
        paged.extend(page.applications.into_iter().map(|a| a.application_code));
    }
    assert_eq!(paged, expected);

    // An outcome chosen: only those, counted among all the search found.
    let excluded = app
        .intake()
        .search_page(
            &all,
            "",
            Some(OutcomeChoice::Is(sportello_domain::Outcome::Escluso)),
            0,
            100,
        )
        .unwrap();
    assert_eq!((excluded.total, excluded.found), (4, filed.len()));
    assert!(
        excluded
            .applications
            .iter()
            .all(|a| a.outcome == Some(sportello_domain::Outcome::Escluso))
    );
    let not_ranked = app
        .intake()
        .search_page(&all, "", Some(OutcomeChoice::NotRanked), 0, 100)
        .unwrap();
    let codes: Vec<String> = not_ranked
        .applications
        .into_iter()
        .map(|a| a.application_code)
        .collect();
    assert_eq!(codes, expected[20..]);

    // A search pages the same way as the whole list: its rows in the list's order.
    let typed = &filed[25].application_code;
    let one = app.intake().search_page(&all, typed, None, 0, 100).unwrap();
    assert_eq!((one.total, one.found), (1, 1));
    assert_eq!(one.applications[0].application_code, *typed);
    let beyond = app.intake().search_page(&all, "", None, 1000, 100).unwrap();
    assert!(beyond.applications.is_empty());
    assert_eq!(beyond.total, filed.len());
}

/// An application imported at the capofila is found there as at its comune: the import writes
/// each revision's search text (read from the declaration ahead of the writer) exactly as
/// filing does.
#[test]
fn an_imported_application_is_found_at_the_capofila_as_at_its_comune() {
    let capofila = Install::init("district-d48.toml", CAPOFILA);
    let floridia = Install::init("district-d48.toml", FLORIDIA);
    enrol(&capofila, &floridia);
    capofila.ok(&["bando", "import", arg(&fixture("bando-sc-2026-1.toml"))]);
    distribute(&capofila, &[&floridia]);
    let items = applications()[..25].to_vec();
    let filed = floridia.add(&items);
    for file in floridia.export() {
        capofila.ok(&["bundle", "import", arg(&file)]);
    }

    let found = |install: &Install, typed: &str| -> BTreeSet<String> {
        install
            .json(&["application", "list", "--search", typed])
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["application_code"].as_str().unwrap().to_string())
            .collect()
    };
    let member = items
        .iter()
        .find_map(|i| i["household"][0]["codice_fiscale"].as_str())
        .expect("a fixture household member");
    let code = filed[7].replace('-', "").to_lowercase();
    for typed in ["d amico", "NICOLÒ D'AMICO", member, &code] {
        let at_capofila = found(&capofila, typed);
        assert!(!at_capofila.is_empty(), "{typed:?} found nothing");
        assert_eq!(at_capofila, found(&floridia, typed), "{typed:?}");
    }
    assert_eq!(
        found(&capofila, "d amico"),
        BTreeSet::from([filed[CRAFTED].clone()])
    );
    assert_eq!(
        dump_tables(&capofila.db, &["application_search"]),
        dump_tables(&floridia.db, &["application_search"])
    );
}
