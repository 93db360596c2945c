//! The Domande search on 15,000 applications (issue 12): a clerk's searches through
//! `app.intake().search_applications`, as the window calls it, each timed in full (the search
//! texts matched in SQL, the rows found read and decoded, the published outcomes, the domain's
//! check, the audit entry), next to the listing alone (`list_applications` with its audit
//! entry), which is what a search with nothing typed returns.
//!
//! Target: ≤ 50 ms per search.
//!
//! `cargo bench -p sportello-tests --bench search`. The set-up makes a comune of district D48
//! with bando SC-2026-1 and files 15,000 applications through the store
//! (`Store::file_applications`, skipping the form checks, which are not what is measured): the
//! fixture's synthetic forms, cycled. `SPORTELLO_BENCH_RUNS` (default 15) sets how many times
//! each search runs; the median is reported.

use std::time::{Duration, Instant};

use serde_json::Value;
use sportello_app::{Actor, Sportello};
use sportello_domain::ApplicationForm;
use sportello_store::{ApplicationFilter, NewApplication};
use sportello_tests::bench::{median, ms};

const APPLICATIONS: usize = 15_000;
const COMUNE: &str = "089017";
/// The store's query of current revisions (`store::applications::SELECT_CURRENT`).
const CURRENT: &str = "
    SELECT a.id, a.owner, a.year, a.case_seq, a.application_code, a.comune, a.bando,
           r.id AS revision_id, r.revision, r.content_hash AS revision_hash, r.filed_at,
           r.protocol_number, r.override_note, r.declaration
    FROM applications a JOIN application_revisions r ON r.application_id = a.id
    WHERE a.deleted = 0 AND r.deleted = 0
      AND r.revision = (SELECT MAX(revision) FROM application_revisions
                        WHERE application_id = a.id AND deleted = 0)";
const TARGET: Duration = Duration::from_millis(50);

fn main() {
    let runs: usize = std::env::var("SPORTELLO_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(15);
    let work = tempfile::tempdir().expect("work folder");
    let db = work.path().join("sportello.db");
    let read = |name: &str| std::fs::read_to_string(sportello_tests::fixture(name)).unwrap();

    let started = Instant::now();
    let mut app = Sportello::init(
        &db,
        &read("district-d48.toml"),
        COMUNE,
        &sportello_tests::first_operator(),
    )
    .unwrap();
    app.settings()
        .import_bando(&read("bando-sc-2026-1.toml"))
        .unwrap();
    drop(app);
    let forms: Vec<ApplicationForm> =
        serde_json::from_str(&read("applications.json")).expect("fixture forms");
    let fixture: Vec<Value> = serde_json::from_str(&read("applications.json")).unwrap();
    let applications: Vec<NewApplication> = (0..APPLICATIONS)
        .map(|j| {
            let form = &forms[j % forms.len()];
            NewApplication {
                bando: form.bando.clone(),
                filed_at: form.filed_at.expect("fixture forms carry a filing time"),
                declaration: form.declaration.clone(),
                override_note: None,
                protocol_number: None,
            }
        })
        .collect();
    let filed = sportello_tests::store(&db)
        .file_applications(
            &applications,
            sportello_app::now(),
            &Actor("benchmark".into()),
        )
        .unwrap();
    println!(
        "set-up: {APPLICATIONS} applications filed in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut app = Sportello::open(&db, &sportello_tests::credentials()).unwrap();
    let code = filed[7_777].application_code.clone();
    let (year, seq) = filed[7_777].case_number.split_once('/').unwrap();
    let case = format!("{}/{year}", seq.trim_start_matches('0'));
    let member = fixture[19]["household"][1]["codice_fiscale"]
        .as_str()
        .unwrap()
        .to_lowercase();
    let searches = [
        (
            "code, no dash, lower case",
            code.replace('-', "").to_lowercase(),
        ),
        ("case number, number/year", case),
        ("household member's codice fiscale", member),
        ("name, no space (\"dipietro\")", "dipietro".to_string()),
        ("nothing typed (every application)", String::new()),
    ];

    let filter = ApplicationFilter::default();
    // Where the listing's time goes: the rows read (and decrypted) with no decoding, then the
    // store's listing (rows decoded into declarations), then the use case.
    let store = sportello_tests::store(&db);
    let (rows_read, _) = median(runs, || {
        let mut stmt = store.connection().prepare(CURRENT).unwrap();
        let mut rows = stmt.query([]).unwrap();
        let mut n = 0;
        while let Some(row) = rows.next().unwrap() {
            let declaration: String = row.get("declaration").unwrap();
            n += usize::from(!declaration.is_empty());
        }
        n
    });
    let (decoded, _) = median(runs, || {
        store.applications(&filter).unwrap().applications.len()
    });
    drop(store);
    let (listing, rows) = median(runs, || {
        app.intake().list_applications(&filter).unwrap().len()
    });
    println!();
    println!(
        "rows read, not decoded (SQL, SQLCipher): {:>7.1} ms",
        ms(rows_read)
    );
    println!(
        "store listing (rows decoded):             {:>7.1} ms",
        ms(decoded)
    );
    println!(
        "listing alone (read, decode, audit):      {:>7.1} ms  {rows:>6} rows",
        ms(listing)
    );
    let mut worst = Duration::ZERO;
    for (what, text) in &searches {
        let (time, rows) = median(runs, || {
            app.intake()
                .search_applications(&filter, text)
                .unwrap()
                .len()
        });
        worst = worst.max(time);
        println!("search: {what:<34} {:>7.1} ms  {rows:>6} rows", ms(time));
    }
    println!(
        "target ≤ {} ms per search: {}",
        TARGET.as_millis(),
        if worst <= TARGET { "met" } else { "MISSED" }
    );
}
