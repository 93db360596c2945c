//! A district on one machine, through the CLI: the capofila Siracusa (089017) and three comuni,
//! Floridia (089009), Priolo Gargallo (089021) and Palazzolo Acreide (089015). Keys are trusted
//! by fingerprint, applications are recorded at each comune (one household split across two
//! comuni), uploads reach the capofila shuffled and duplicated, the ranking is published, and
//! each comune sees the outcomes of its own applications and nothing of the others'.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use sportello_tests::{Install, SYNC_STATE, arg, distribute, enrol, fixture_applications};

const DISTRICT: &str = "district-d48.toml";
const BANDO: &str = "SC-2026-1";
const CAPOFILA: &str = "089017";
const FLORIDIA: &str = "089009";
const PRIOLO: &str = "089021";
const PALAZZOLO: &str = "089015";

/// The applicant of fixture item 28, filed at Priolo on 2 March, is a household member in
/// item 29, filed at Floridia on 9 March: one household split across two comuni.
const SPLIT_CODICE_FISCALE: &str = "LPRLCU90L63I754K";
const SPLIT_FIRST: usize = 28;
const SPLIT_LATER: usize = 29;

/// The capofila and three enrolled comuni, each with its applications filed.
struct District {
    capofila: Install,
    floridia: Install,
    priolo: Install,
    palazzolo: Install,
    /// Every application code, with the comune that filed it.
    comune_of: BTreeMap<String, String>,
    /// The codes of the split household's two applications: (first filed, later filed).
    split: (String, String),
}

impl District {
    fn comuni(&self) -> [(&'static str, &Install); 3] {
        [
            (FLORIDIA, &self.floridia),
            (PRIOLO, &self.priolo),
            (PALAZZOLO, &self.palazzolo),
        ]
    }

    fn codes_of(&self, comune: &str) -> BTreeSet<String> {
        self.comune_of
            .iter()
            .filter(|(_, c)| c.as_str() == comune)
            .map(|(code, _)| code.clone())
            .collect()
    }
}

/// Trust set up both ways, bando distributed, applications filed (not yet exchanged).
fn district() -> District {
    let capofila = Install::init(DISTRICT, CAPOFILA);
    let floridia = Install::init(DISTRICT, FLORIDIA);
    let priolo = Install::init(DISTRICT, PRIOLO);
    let palazzolo = Install::init(DISTRICT, PALAZZOLO);

    for comune in [&floridia, &priolo, &palazzolo] {
        enrol(&capofila, comune);
    }
    capofila.ok(&[
        "bando",
        "import",
        arg(&sportello_tests::fixture("bando-sc-2026-1.toml")),
    ]);
    distribute(&capofila, &[&floridia, &priolo, &palazzolo]);
    for comune in [&floridia, &priolo, &palazzolo] {
        let bandi = comune.json(&["bando", "list"]);
        assert_eq!(bandi[0]["id"], BANDO, "the district file carries the bando");
    }

    let items = fixture_applications();
    let pick = |ids: &[usize]| -> Vec<Value> { ids.iter().map(|&i| items[i].clone()).collect() };
    let mut comune_of = BTreeMap::new();
    let mut file = |install: &Install, comune: &str, ids: &[usize]| -> Vec<String> {
        let codes = install.add(&pick(ids));
        for code in &codes {
            comune_of.insert(code.clone(), comune.to_string());
        }
        codes
    };
    // More eligible applications than places everywhere, so the places bind.
    let floridia_ids: Vec<usize> = (0..=9).chain([SPLIT_LATER]).collect();
    let priolo_ids: Vec<usize> = (10..=18).chain([SPLIT_FIRST]).collect();
    let floridia_codes = file(&floridia, FLORIDIA, &floridia_ids);
    let priolo_codes = file(&priolo, PRIOLO, &priolo_ids);
    file(&palazzolo, PALAZZOLO, &(19..=27).collect::<Vec<_>>());
    file(&capofila, CAPOFILA, &(32..=35).collect::<Vec<_>>());
    let split = (
        priolo_codes.last().expect("split first").clone(),
        floridia_codes.last().expect("split later").clone(),
    );
    District {
        capofila,
        floridia,
        priolo,
        palazzolo,
        comune_of,
        split,
    }
}

/// Each comune's upload bundle: exactly one file, named after the comune and its sequence.
fn uploads(d: &District) -> BTreeMap<&'static str, PathBuf> {
    d.comuni()
        .into_iter()
        .map(|(comune, install)| {
            let files = install.export();
            assert_eq!(files.len(), 1, "a comune writes one upload bundle");
            let name = file_name(&files[0]);
            assert_eq!(name, format!("D48-{comune}-up-000001.sportello"));
            (comune, files[0].clone())
        })
        .collect()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("file name")
        .to_string_lossy()
        .into_owned()
}

fn outcomes(reports: &Value) -> Vec<&str> {
    reports
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| r["outcome"].as_str().expect("outcome"))
        .collect()
}

/// The capofila imports the uploads shuffled, one of them twice in the same run.
fn merge(d: &District) -> BTreeMap<&'static str, PathBuf> {
    let up = uploads(d);
    let order = [&up[PRIOLO], &up[FLORIDIA], &up[PALAZZOLO], &up[FLORIDIA]];
    let (run, reports) = d.capofila.import(&order.map(PathBuf::as_path));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        outcomes(&reports),
        ["applied", "applied", "applied", "already_imported"]
    );
    up
}

/// `application list --json`, by application code.
fn listed(install: &Install) -> BTreeMap<String, Value> {
    install
        .json(&["application", "list"])
        .as_array()
        .expect("list")
        .iter()
        .map(|a| {
            (
                a["application_code"].as_str().expect("code").to_string(),
                a.clone(),
            )
        })
        .collect()
}

fn ranking_rows(install: &Install) -> Vec<Value> {
    install
        .json(&["ranking", "compute", "--bando", BANDO])
        .as_array()
        .expect("ranking rows")
        .clone()
}

/// The capofila's publish bundles, one per enrolled comune, by recipient.
fn publish_bundles(d: &District, seq: u32) -> BTreeMap<String, PathBuf> {
    let files = d.capofila.export();
    assert_eq!(files.len(), 3, "one publish bundle per enrolled comune");
    let by_recipient: BTreeMap<String, PathBuf> = files
        .into_iter()
        .map(|f| {
            let header = &d.capofila.json(&["bundle", "inspect", arg(&f)])["header"];
            assert_eq!(header["kind"], "publish");
            assert_eq!(header["seq"], seq);
            let recipients = header["recipients"].as_array().expect("recipients");
            assert_eq!(recipients.len(), 1, "encrypted to its comune only");
            let to = recipients[0]["comune"]
                .as_str()
                .expect("comune")
                .to_string();
            assert_eq!(
                file_name(&f),
                format!("D48-{CAPOFILA}-pub-{to}-{seq:06}.sportello")
            );
            (to, f)
        })
        .collect();
    let recipients: Vec<&str> = by_recipient.keys().map(String::as_str).collect();
    assert_eq!(recipients, [FLORIDIA, PALAZZOLO, PRIOLO]);
    by_recipient
}

/// Every ranking row a comune's database holds (from the publish bundles it imported).
fn held_ranking_rows(install: &Install) -> Vec<Value> {
    rusqlite_rows(&install.db, "SELECT rows FROM rankings")
        .iter()
        .flat_map(|text| {
            serde_json::from_str::<Vec<Value>>(text).expect("ranking rows are a JSON array")
        })
        .collect()
}

/// One text column of a query over the database at `db`.
fn rusqlite_rows(db: &Path, sql: &str) -> Vec<String> {
    let conn = sportello_tests::connect_read_only(db).expect("open read-only");
    let mut stmt = conn.prepare(sql).expect("query");
    stmt.query_map([], |r| r.get::<_, String>(0))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("text column")
}

/// The bytes of an install's database (and its write-ahead log, if any).
/// The install's database decrypted: a copy in clear (`sqlcipher_export`), read whole.
fn database_bytes(db: &Path) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let clear = dir.path().join("in-chiaro.db");
    sportello_tests::connect(db)
        .expect("open the install's database")
        .execute_batch(&format!(
            "ATTACH DATABASE '{}' AS clear KEY ''; SELECT sqlcipher_export('clear'); \
             DETACH DATABASE clear;",
            clear.display()
        ))
        .expect("export in clear");
    std::fs::read(clear).expect("the copy in clear")
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn a_district_merges_ranks_publishes_and_each_comune_sees_only_its_own_outcomes() {
    let d = district();
    let up = merge(&d);

    // Imported again, in another order: "already imported", exit 0, nothing changes.
    let before = d.capofila.tables(SYNC_STATE);
    let again = d
        .capofila
        .run(&["bundle", "import", arg(&up[PALAZZOLO]), arg(&up[PRIOLO])]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        again
            .stdout
            .matches("già importato, nessuna modifica")
            .count(),
        2,
        "{}",
        again.stdout
    );
    assert_eq!(d.capofila.tables(SYNC_STATE), before);

    // The capofila holds every comune's applications, each under the comune that filed it.
    let at_capofila = listed(&d.capofila);
    let held: BTreeMap<String, String> = at_capofila
        .iter()
        .map(|(code, a)| (code.clone(), a["comune"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(held, d.comune_of);

    // Ranking with per-comune places.
    let places = d.capofila.json(&["bando", "list"])[0]["places"].clone();
    let rows = ranking_rows(&d.capofila);
    assert_eq!(rows.len(), d.comune_of.len());
    let mut positions: Vec<u64> = rows.iter().filter_map(|r| r["position"].as_u64()).collect();
    positions.sort_unstable();
    assert_eq!(
        positions,
        (1..=positions.len() as u64).collect::<Vec<_>>(),
        "positions are 1..n without gaps"
    );
    for r in &rows {
        assert_eq!(
            r["position"].is_null(),
            r["outcome"] == "ESCLUSO",
            "only excluded applications have no position: {r}"
        );
    }
    for comune in [CAPOFILA, FLORIDIA, PRIOLO, PALAZZOLO] {
        let of = |outcome: &str| {
            rows.iter()
                .filter(|r| r["comune"] == comune && r["outcome"] == outcome)
                .count() as u64
        };
        let places = places[comune].as_u64().expect("places");
        let eligible = of("AMMESSO") + of("IDONEO_NON_AMMESSO");
        assert!(of("AMMESSO") <= places, "comune {comune}");
        assert_eq!(
            of("AMMESSO"),
            places.min(eligible),
            "comune {comune}: places go to its eligible applications"
        );
    }
    assert!(
        rows.iter()
            .any(|r| r["outcome"] == "IDONEO_NON_AMMESSO" && r["comune"] == FLORIDIA),
        "Floridia has more eligible applications than places"
    );

    // The household split across Priolo and Floridia: the later filed is excluded.
    let row = |code: &str| {
        rows.iter()
            .find(|r| r["application_code"] == code)
            .unwrap_or_else(|| panic!("{code} not ranked"))
            .clone()
    };
    let (first, later) = &d.split;
    assert_ne!(row(first)["outcome"], "ESCLUSO");
    assert_eq!(row(later)["outcome"], "ESCLUSO");
    assert_eq!(
        row(later)["reason_codes"],
        serde_json::json!(["same_household"])
    );
    assert!(
        row(later)["reasons"][0]
            .as_str()
            .unwrap()
            .contains(first.as_str()),
        "the reason names the application that stands"
    );

    // The exclusion across comuni is shown to the coordinator, who confirms it to publish.
    let conflicts = d.capofila.json(&["ranking", "conflicts", "--bando", BANDO]);
    assert_eq!(conflicts.as_array().unwrap().len(), 1, "{conflicts}");
    assert_eq!(conflicts[0]["excluded"]["application_code"], later.as_str());
    assert_eq!(conflicts[0]["standing"]["application_code"], first.as_str());
    assert_eq!(conflicts[0]["excluded"]["comune"], FLORIDIA);
    assert_eq!(conflicts[0]["standing"]["comune"], PRIOLO);
    assert_eq!(
        conflicts[0]["shared_codici_fiscali"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let unconfirmed = d.capofila.run(&[
        "ranking",
        "publish",
        "--bando",
        BANDO,
        "--stage",
        "provisional",
    ]);
    assert_eq!(unconfirmed.code, 1);
    assert!(
        unconfirmed.stderr.contains(later.as_str())
            && unconfirmed.stderr.contains("--confirm-cross-comune"),
        "{}",
        unconfirmed.stderr
    );
    let published = d.capofila.json(&[
        "ranking",
        "publish",
        "--bando",
        BANDO,
        "--stage",
        "provisional",
        "--confirm-cross-comune",
    ]);
    assert_eq!(published["number"], 1);
    assert_eq!(published["stage"], "provisional");
    assert_eq!(published["rows"], rows.len());
    let at_capofila = listed(&d.capofila);

    let pubs = publish_bundles(&d, 1);
    for (comune, install) in d.comuni() {
        let (run, reports) = install.import(&[&pubs[comune]]);
        assert_eq!(run.code, 0, "{comune}: {}", run.stderr);
        assert_eq!(outcomes(&reports), ["applied"]);

        // Its own applications show the published position and outcome.
        let own = d.codes_of(comune);
        let list = listed(install);
        assert_eq!(list.keys().cloned().collect::<BTreeSet<_>>(), own);
        for (code, a) in &list {
            let published = &at_capofila[code];
            assert!(!a["outcome"].is_null(), "{comune} {code} has no outcome");
            assert_eq!(a["position"], published["position"], "{code}");
            assert_eq!(a["outcome"], published["outcome"], "{code}");
            assert_eq!(a["position"], row(code)["position"], "{code}");
            assert_eq!(a["outcome"], row(code)["outcome"], "{code}");
        }

        // The ranking it received holds its own rows only.
        let held = held_ranking_rows(install);
        let held_codes: BTreeSet<String> = held
            .iter()
            .map(|r| r["application_code"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            held_codes, own,
            "{comune} holds exactly its own ranking rows"
        );
        assert!(held.iter().all(|r| r["comune"] == comune));
        let inputs = rusqlite_rows(&install.db, "SELECT inputs FROM rankings");
        for text in inputs {
            let inputs: Vec<Value> = serde_json::from_str(&text).unwrap();
            assert!(inputs.iter().all(|i| i["comune"] == comune), "{comune}");
        }

        // And nothing of any other comune's applications anywhere in its database file, but
        // the code (a public pseudonym) of the application that stands in the split household,
        // named in the reason its own application is excluded.
        let bytes = database_bytes(&install.db);
        let items = fixture_applications();
        let foreign: BTreeSet<&String> = d
            .comune_of
            .iter()
            .filter(|(code, owner)| *owner != comune && contains(&bytes, code))
            .map(|(code, _)| code)
            .collect();
        let named: BTreeSet<&String> = if comune == FLORIDIA {
            BTreeSet::from([&d.split.0])
        } else {
            BTreeSet::new()
        };
        assert_eq!(
            foreign, named,
            "{comune} holds other comuni's application codes"
        );
        let own_codici: BTreeSet<String> = list
            .values()
            .flat_map(|a| {
                std::iter::once(a["applicant"]["codice_fiscale"].clone()).chain(
                    a["household"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|m| m["codice_fiscale"].clone()),
                )
            })
            .map(|cf| cf.as_str().unwrap().to_string())
            .collect();
        for item in &items {
            let cf = item["applicant"]["codice_fiscale"].as_str().unwrap();
            if !own_codici.contains(cf) {
                assert!(
                    !contains(&bytes, cf),
                    "{comune} holds another comune's {cf}"
                );
            }
        }
    }

    // The comuni's registries hold their own applications only.
    for (comune, install) in d.comuni() {
        let comuni = rusqlite_rows(&install.db, "SELECT DISTINCT comune FROM applications");
        assert_eq!(comuni, [comune]);
        let owners = rusqlite_rows(
            &install.db,
            "SELECT DISTINCT owner FROM application_revisions",
        );
        assert_eq!(owners, [comune]);
    }
}

#[test]
fn later_rounds_carry_only_new_records_and_old_publish_bundles_change_nothing() {
    let d = district();
    merge(&d);
    d.capofila.ok(&[
        "ranking",
        "publish",
        "--bando",
        BANDO,
        "--stage",
        "provisional",
        "--confirm-cross-comune",
    ]);
    let first_pubs = publish_bundles(&d, 1);
    // Priolo's install as it was before the first publish bundle reached it (for later).
    let priolo_late = d.priolo.copy();
    for (comune, install) in d.comuni() {
        install.ok(&["bundle", "import", arg(&first_pubs[comune])]);
    }

    // Second round at Palazzolo: the capofila's acknowledgement came in the publish bundle,
    // so the new upload starts where the first one ended and carries only the new records.
    let first_up = d
        .capofila
        .json(&["bundle", "inspect", arg(&upload_of(&d, PALAZZOLO))]);
    let new_code = d.palazzolo.add(&[fixture_applications()[36].clone()]);
    let files = d.palazzolo.export();
    assert_eq!(files.len(), 1);
    assert_eq!(
        file_name(&files[0]),
        format!("D48-{PALAZZOLO}-up-000002.sportello")
    );
    let header = &d.capofila.json(&["bundle", "inspect", arg(&files[0])])["header"];
    assert_eq!(
        header["changes"]["from_version"], first_up["header"]["changes"]["to_version"],
        "the second upload starts after what the capofila acknowledged"
    );
    assert_eq!(
        header["ack"]["seq"], 1,
        "Palazzolo acknowledges publish bundle 1"
    );
    assert_eq!(
        header["prev_header_hash"], first_up["header_sha256"],
        "the stream is chained"
    );
    let (run, reports) = d.capofila.import(&[&files[0]]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let tables = &reports[0]["summary"]["tables"];
    assert_eq!(
        tables["applications"],
        serde_json::json!({"new": 1, "updated": 0, "unchanged": 0})
    );
    for (table, counts) in tables.as_object().unwrap() {
        assert_eq!(counts["unchanged"], 0, "{table}: only new records travel");
        // The half-year's monitoring counts changed with the new application: they travel
        // again, as one update.
        let updated = if table == "monitoring_counts" { 1 } else { 0 };
        assert_eq!(
            counts["updated"], updated,
            "{table}: only new records travel"
        );
    }
    let mut expected = d.comune_of.clone();
    expected.insert(new_code[0].clone(), PALAZZOLO.to_string());
    assert_eq!(
        listed(&d.capofila).keys().cloned().collect::<BTreeSet<_>>(),
        expected.keys().cloned().collect::<BTreeSet<_>>()
    );

    // The coordinator's review list shows the split household, across comuni.
    let groups = d.capofila.json(&["application", "duplicates"]);
    let (first, later) = &d.split;
    let group = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| {
            g["applications"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["application_code"] == first.as_str())
        })
        .expect("the split household is listed");
    assert_eq!(group["across_comuni"], true);
    assert_eq!(
        group["shared_codici_fiscali"],
        serde_json::json!([SPLIT_CODICE_FISCALE])
    );
    let members: BTreeSet<(String, String)> = group["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["application_code"].as_str().unwrap().to_string(),
                a["comune"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        members,
        BTreeSet::from([
            (first.clone(), PRIOLO.to_string()),
            (later.clone(), FLORIDIA.to_string())
        ])
    );

    // The definitive ranking, once the objections window is over (the clock moved past it),
    // reaches every comune, Palazzolo's new application included.
    let after_window = (chrono::Utc::now() + chrono::Duration::days(12))
        .format("%Y-%m-%d 12:00:00")
        .to_string();
    let run = d.capofila.run_at(
        &after_window,
        "test",
        &[
            "ranking",
            "publish",
            "--bando",
            BANDO,
            "--stage",
            "definitive",
            "--confirm-cross-comune",
            "--json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let definitive: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(definitive["number"], 2);
    let at_capofila = listed(&d.capofila);
    let second_pubs = publish_bundles(&d, 2);
    for (comune, install) in d.comuni() {
        let (run, _) = install.import(&[&second_pubs[comune]]);
        assert_eq!(run.code, 0, "{comune}: {}", run.stderr);
        for (code, a) in listed(install) {
            assert_eq!(a["outcome"], at_capofila[&code]["outcome"], "{code}");
            assert_eq!(a["position"], at_capofila[&code]["position"], "{code}");
            assert!(!a["outcome"].is_null(), "{code}");
        }
    }
    assert!(!listed(&d.palazzolo)[&new_code[0]]["outcome"].is_null());

    // The old publish bundle again, at a comune that imported it: the same file (same sender,
    // number and signed header), so "already imported", exit 0, and the definitive outcomes
    // stay.
    let before = d.floridia.tables(SYNC_STATE);
    let list_before = listed(&d.floridia);
    let (run, reports) = d.floridia.import(&[&first_pubs[FLORIDIA]]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(outcomes(&reports), ["already_imported"]);
    assert_eq!(d.floridia.tables(SYNC_STATE), before);
    assert_eq!(listed(&d.floridia), list_before);
    assert!(d.floridia.quarantined().is_empty());

    // At a comune that never imported it (the stick arrived late, after the definitive one):
    // the ranking in it is older than the one held, so it is refused as a rollback.
    let (run, _) = priolo_late.import(&[&second_pubs[PRIOLO]]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = priolo_late.tables(SYNC_STATE);
    let list_before = listed(&priolo_late);
    let (run, reports) = priolo_late.import(&[&first_pubs[PRIOLO]]);
    assert_eq!(run.code, 1);
    assert_eq!(reports[0]["error"]["code"], "rollback", "{reports}");
    assert!(
        reports[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("più vecchia"),
        "{reports}"
    );
    assert!(run.stderr.contains("quarantena"), "{}", run.stderr);
    assert_eq!(priolo_late.tables(SYNC_STATE), before);
    assert_eq!(listed(&priolo_late), list_before);
    for (code, a) in &list_before {
        assert_eq!(a["outcome"], at_capofila[code]["outcome"], "{code}");
    }
    assert_eq!(
        priolo_late.quarantined().len(),
        2,
        "the file and its reason"
    );
}

/// The upload the capofila imported from `comune` first (kept in its own export folder).
fn upload_of(d: &District, comune: &str) -> PathBuf {
    let install = d
        .comuni()
        .into_iter()
        .find(|(c, _)| *c == comune)
        .expect("comune")
        .1;
    let mut found: Vec<PathBuf> = std::fs::read_dir(install.dir.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .flat_map(|dir| {
            std::fs::read_dir(dir)
                .unwrap()
                .filter_map(|e| e.ok().map(|e| e.path()))
        })
        .filter(|p| file_name(p) == format!("D48-{comune}-up-000001.sportello"))
        .collect();
    assert_eq!(found.len(), 1);
    found.pop().unwrap()
}

/// A fingerprint read wrong over the phone trusts nothing, and the refusal never tells the
/// right one, which a clerk could copy instead of making the call: it says what was typed, that
/// the file was not accepted and whom to call, in text and with `--json` alike. The same for the
/// comune's enrolment file at the capofila and the capofila's district file at a comune.
/// A comune is set up from the file the capofila sends (its signed district file, checked
/// against the fingerprint read out by phone): it trusts its capofila and has the bandi at once.
#[test]
fn a_comune_is_set_up_from_the_capofila_s_signed_district_file() {
    let capofila = Install::of("district-d48.toml", CAPOFILA, &["bando-sc-2026-1.toml"]);
    let file = capofila
        .ok(&["district", "export", "--out", arg(capofila.dir.path())])
        .trim()
        .to_string();
    let fingerprint = capofila.fingerprint();
    let comune = Install::new();
    let init = |extra: &[&str]| {
        let mut args = vec!["init", "--district", &file, "--comune", "089009"];
        args.extend_from_slice(extra);
        comune.run(&args)
    };
    // Without the fingerprint, or with a wrong one: refused, nothing created.
    let without = init(&[]);
    assert_eq!(without.code, 1);
    assert!(without.stderr.contains("impronta"), "{}", without.stderr);
    let wrong = init(&["--fingerprint", "AAAA-BBBB-CCCC-DDDD-EEEE"]);
    assert_eq!(wrong.code, 1, "{}", wrong.stderr);
    assert!(!comune.db.exists() && !comune.path("sportello.db.slots").exists());
    let done = init(&["--fingerprint", &fingerprint]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    // The capofila is trusted and the bando is there: the comune can file and send at once.
    let bandi = comune.json(&["bando", "list"]);
    assert_eq!(bandi[0]["id"], "SC-2026-1", "{bandi}");
    comune.add(&fixture_applications()[0..1]);
    let upload = comune.export().remove(0);
    enrol(&capofila, &comune);
    capofila.ok(&["bundle", "import", arg(&upload)]);
}

#[test]
fn a_wrong_fingerprint_is_refused_without_telling_the_right_one() {
    let capofila = Install::of(DISTRICT, CAPOFILA, &["bando-sc-2026-1.toml"]);
    let floridia = Install::init(DISTRICT, FLORIDIA);
    // Priolo's fingerprint, read by mistake, typed as a clerk might.
    let typed = Install::init(DISTRICT, PRIOLO).fingerprint();

    let enrolment = floridia.path("adesione.sportello");
    floridia.ok(&["enrol", "export", "--out", arg(&enrolment)]);
    refused_without_the_right_fingerprint(
        &capofila,
        &["enrol", "accept", arg(&enrolment)],
        &typed,
        &floridia.fingerprint(),
        "Telefonare al comune che ha inviato il file",
    );

    let district_file = PathBuf::from(
        capofila
            .ok(&["district", "export", "--out", arg(capofila.dir.path())])
            .trim(),
    );
    refused_without_the_right_fingerprint(
        &floridia,
        &["district", "accept", arg(&district_file)],
        &typed,
        &capofila.fingerprint(),
        "Telefonare al capofila",
    );

    // Read back right, both files are accepted.
    enrol(&capofila, &floridia);
    distribute(&capofila, &[&floridia]);
}

/// Runs `accept` with the fingerprint `typed` (lowercase, spaced), in text and with `--json`:
/// refused, with `typed` echoed and `call` to do, nothing of `right` beyond what `typed` shares
/// with it, and nothing changed in `install`.
fn refused_without_the_right_fingerprint(
    install: &Install,
    accept: &[&str],
    typed: &str,
    right: &str,
    call: &str,
) {
    let state = [SYNC_STATE, &["install"]].concat();
    let before = install.tables(&state);
    let as_typed = typed.to_lowercase().replace('-', " ");
    for json in [false, true] {
        let mut args = accept.to_vec();
        args.extend(["--fingerprint", &as_typed]);
        if json {
            args.push("--json");
        }
        let run = install.run(&args);
        let said = format!("{}\n{}", run.stdout, run.stderr);
        assert_eq!(run.code, 1, "{said}");
        assert!(!said.contains(right), "{said}");
        for group in right.split('-').filter(|g| !typed.contains(g)) {
            assert!(!said.contains(group), "{group} of {right}: {said}");
        }
        for told in [
            typed,
            "non corrisponde",
            "non è stato accettato",
            call,
            "Impostazioni",
            "sportello key fingerprint",
        ] {
            assert!(run.stderr.contains(told), "{told:?} missing: {said}");
        }
    }
    assert_eq!(install.tables(&state), before, "a refusal changes nothing");
}

/// The district file applies whole or not at all, and the capofila's key cannot be swapped by
/// a file that only carries the right fingerprint of another key.
#[test]
fn a_district_file_applies_atomically_and_an_impostor_capofila_is_refused() {
    use sportello_tests::{Install, arg, fixture};
    let capofila = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    let comune = Install::init("district-d48.toml", "089009");
    sportello_tests::distribute(&capofila, &[&comune]);
    // A comune does not import bandi: they come from the capofila.
    let refused = comune.run(&["bando", "import", arg(&fixture("bando-sc-2026-1.toml"))]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("capofila"), "{}", refused.stderr);

    // Another install claiming to be the capofila signs a district file with its own key.
    let impostor = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    let file = std::path::PathBuf::from(
        impostor
            .ok(&["district", "export", "--out", arg(impostor.dir.path())])
            .trim(),
    );
    let trust_before = sportello_tests::dump_tables(&comune.db, &["settings", "install", "bandi"]);
    let run = comune.run(&[
        "district",
        "accept",
        arg(&file),
        "--fingerprint",
        &impostor.fingerprint(),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(&capofila.fingerprint()) && run.stderr.contains("--replace"),
        "{}",
        run.stderr
    );
    assert_eq!(
        sportello_tests::dump_tables(&comune.db, &["settings", "install", "bandi"]),
        trust_before
    );
    // Confirmed by phone and replaced on purpose, the new key is the one uploads go to.
    let replaced = comune.run(&[
        "district",
        "accept",
        arg(&file),
        "--fingerprint",
        &impostor.fingerprint(),
        "--replace",
        "--json",
    ]);
    assert_eq!(replaced.code, 0, "{}", replaced.stderr);
    assert!(
        replaced.stderr.contains(&capofila.fingerprint()),
        "{}",
        replaced.stderr
    );
}

/// The signed configuration is applied: a comune added to the district by the capofila is known
/// to the comuni that accept the new district file (and its bandi can give it places).
#[test]
fn the_signed_district_configuration_is_applied() {
    use sportello_sync::district::{self, DistrictContents};
    use sportello_tests::{Install, arg, fixture};
    let capofila = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    let comune = Install::init("district-d48.toml", "089009");
    sportello_tests::distribute(&capofila, &[&comune]);

    // The capofila's configuration gains a comune (a district redrawn), signed with its key.
    let toml = std::fs::read_to_string(fixture("district-d48.toml")).unwrap()
        + "\n[[comuni]]\nistat = \"089099\"\nname = \"Nuovo Comune\"\nbelfiore = \"Z999\"\n";
    let keys = sportello_tests::install_keys(&capofila.db);
    let trust = sportello_tests::trust_list(&capofila.db);
    let file = capofila.path("D48-distretto-0099.sportello");
    std::fs::write(
        &file,
        district::create(
            &DistrictContents {
                district: "D48".into(),
                capofila: "089017".into(),
                seq: 99,
                app_version: "0.1.0".into(),
                created_at: "2026-11-30T10:00:00+01:00".into(),
                district_toml: toml.clone(),
                bandi: vec![],
                trust,
                rotations: vec![],
            },
            &keys,
        ),
    )
    .unwrap();
    comune.ok(&[
        "district",
        "accept",
        arg(&file),
        "--fingerprint",
        &capofila.fingerprint(),
    ]);
    let install = sportello_tests::dump_tables(&comune.db, &["install"]);
    assert!(
        install["install"][0].contains("Nuovo Comune"),
        "{install:?}"
    );

    // The first district file, arriving again late, does not bring the old configuration
    // back.
    let first = capofila.path("D48-distretto-0001.sportello");
    assert!(first.exists());
    let late = comune.run(&[
        "district",
        "accept",
        arg(&first),
        "--fingerprint",
        &capofila.fingerprint(),
    ]);
    assert_eq!(late.code, 1, "{}", late.stdout);
    assert!(late.stderr.contains("più vecchio"), "{}", late.stderr);
    assert_eq!(
        sportello_tests::dump_tables(&comune.db, &["install"]),
        install
    );
}

/// Before publishing, the coordinatore reads what a new version would change: applications new
/// since the last one, corrected since, and the positions and outcomes that move.
#[test]
fn publishing_shows_what_changes_against_the_last_version() {
    let capofila = Install::of("district-d48.toml", CAPOFILA, &["bando-sc-2026-1.toml"]);
    let items = fixture_applications();
    capofila.add(&items[0..10]);
    let first = capofila.json(&["ranking", "changes", "--bando", "SC-2026-1"]);
    assert_eq!(first["against_number"], Value::Null, "{first}");
    assert_eq!(first["rows"], 10);
    assert_eq!(first["added"], serde_json::json!([]));
    capofila.ok(&[
        "ranking",
        "publish",
        "--bando",
        "SC-2026-1",
        "--stage",
        "provisional",
        "--confirm-cross-comune",
    ]);
    let unchanged = capofila.json(&["ranking", "changes", "--bando", "SC-2026-1"]);
    assert_eq!(unchanged["against_number"], 1);
    for list in ["added", "removed", "outcome_changed", "moved", "corrected"] {
        assert_eq!(
            unchanged[list],
            serde_json::json!([]),
            "{list}: {unchanged}"
        );
    }
    let added = capofila.add(&items[10..12]);
    let after = capofila.json(&["ranking", "changes", "--bando", "SC-2026-1"]);
    let mut expected = added.clone();
    expected.sort();
    let mut got: Vec<String> = after["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    got.sort();
    assert_eq!(got, expected, "{after}");
    assert_eq!(after["rows"], 12);
    let text = capofila.ok(&["ranking", "changes", "--bando", "SC-2026-1"]);
    assert!(text.contains("graduatoria provvisoria n. 1"), "{text}");
    assert!(text.contains("Domande nuove (2)"), "{text}");
}
