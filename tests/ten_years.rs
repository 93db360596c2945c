//! Ten years of a district for the benchmarks (issue 16's monitoring, issue 17's screens): the
//! capofila of D48 with 15,000 applications of its own filed evenly from 2016 with a definitive
//! ranking, 2,500 participants with projects and 500,000 attendance days, 200,000 front-office
//! contacts (with cases and questionnaires), and the counts of its 10 other comuni for 20
//! half-years, as their uploads bring them.
//!
//! The applications are filed and the projects recorded through the store; attendance,
//! contacts and the comuni's counts are written straight into the install's tables (the
//! writing is not what is measured).

use std::path::{Path, PathBuf};

use chrono::{Days, FixedOffset, NaiveDate, TimeZone};
use rusqlite::params;
use sportello_app::{Actor, Sportello};
use sportello_domain::ApplicationForm;
use sportello_domain::civico::CallEventKind;
use sportello_store::NewApplication;

pub const APPLICATIONS: usize = 15_000;
pub const PARTICIPANTS: usize = 2_500;
/// Days of service of each participant: 2,500 × 200 = 500,000 attendance days.
pub const DAYS_EACH: u64 = 200;
pub const CONTACTS: usize = 200_000;
/// Entries of the audit trail: about a hundred a working day (every read is one).
pub const AUDIT_ENTRIES: usize = 250_000;
/// The capofila (Siracusa).
pub const COMUNE: &str = "089017";
/// The bando every application is filed for.
pub const BANDO: &str = "SC-2026-1";

/// The install built, and what the benchmarks look for in it.
pub struct TenYears {
    pub db: PathBuf,
    /// Every application's code, in filing order.
    pub codes: Vec<String>,
    /// The participants: the index of their application in `codes`, and the day they started.
    pub participants: Vec<(usize, NaiveDate)>,
}

/// Builds the ten years at `db` (a file not yet there).
pub fn build(db: &Path) -> TenYears {
    let read = |name: &str| std::fs::read_to_string(crate::fixture(name)).unwrap();
    let district = read("district-d48.toml");
    let bando_toml = read("bando-sc-2026-1.toml");
    let mut app = Sportello::init(db, &district, COMUNE, &crate::first_operator()).unwrap();
    app.settings().import_bando(&bando_toml).unwrap();
    drop(app);

    // Ten years of applications, filed evenly from 1 January 2016.
    let first_day = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap();
    let days = 3652u64;
    let forms: Vec<ApplicationForm> =
        serde_json::from_str(&read("applications.json")).expect("fixture forms");
    let italian = FixedOffset::east_opt(3600).unwrap();
    let applications: Vec<NewApplication> = (0..APPLICATIONS)
        .map(|j| {
            let day = first_day + Days::new(j as u64 * days / APPLICATIONS as u64);
            let form = &forms[j % forms.len()];
            let at = italian.from_local_datetime(&day.and_hms_opt(10, 0, 0).unwrap());
            crate::bench::as_filed(form, at.unwrap())
        })
        .collect();
    let actor = Actor("benchmark".into());
    let now = sportello_app::now();
    let mut store = crate::store(db);
    let filed = store.file_applications(&applications, now, &actor).unwrap();
    let outcome = |i: usize| match i % 5 {
        0 => "AMMESSO",
        4 => "ESCLUSO",
        _ => "IDONEO_NON_AMMESSO",
    };
    let rows: Vec<(String, &str)> = filed
        .iter()
        .enumerate()
        .map(|(i, f)| (f.application_code.clone(), outcome(i)))
        .collect();
    crate::bench::publish_definitive(&mut store, &bando_toml, COMUNE, &rows);
    // Every sixth application starts a project 40 days after filing, for 200 days of service.
    let participants: Vec<(usize, NaiveDate)> = (0..APPLICATIONS)
        .step_by(APPLICATIONS / PARTICIPANTS)
        .map(|j| {
            let filed_on = first_day + Days::new(j as u64 * days / APPLICATIONS as u64);
            (j, filed_on + Days::new(40))
        })
        .collect();
    for (j, start) in &participants {
        let code = &filed[*j].application_code;
        store
            .record_call_event(code, CallEventKind::Accepted, *start, None, now, &actor)
            .unwrap();
        let project = crate::bench::project(*start, *start + Days::new(DAYS_EACH * 7 / 5));
        store.save_project(code, &project, now, &actor).unwrap();
    }
    drop(store);

    let mut conn = crate::connect(db).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut day_served = tx
            .prepare(
                "INSERT INTO civico_attendance (id, owner, version, content_hash, application_id,
                 day, hours, operator, recorded_at)
                 SELECT ?1, ?2, ?3, '', id, ?4, '4', 'benchmark', ?5 FROM applications
                 WHERE application_code = ?6",
            )
            .unwrap();
        let mut version = 1_000_000i64;
        for (j, start) in &participants {
            for d in 0..DAYS_EACH {
                version += 1;
                day_served
                    .execute(params![
                        format!("t{version:09}"),
                        COMUNE,
                        version,
                        (*start + Days::new(d)).to_string(),
                        now.to_rfc3339(),
                        filed[*j].application_code,
                    ])
                    .unwrap();
            }
        }
        // The 10 other comuni's counts of every half-year, as their uploads bring them.
        let mut counts = tx
            .prepare(
                "INSERT INTO monitoring_counts (id, owner, version, content_hash, period, counts,
                 computed_at) VALUES (?1, ?2, ?3, '', ?4, ?5, ?6)",
            )
            .unwrap();
        let comuni: Vec<String> = sportello_domain::District::from_toml(&district)
            .unwrap()
            .comuni
            .into_iter()
            .map(|c| c.istat)
            .filter(|c| c != COMUNE)
            .collect();
        for (n, comune) in comuni.iter().enumerate() {
            for year in 2016..2026 {
                for half in ["H1", "H2"] {
                    version += 1;
                    let k = (n + 1) as u64;
                    let figures = serde_json::json!({
                        "civico.applications": (70 * k).to_string(),
                        "civico.eligible": (50 * k).to_string(),
                        "civico.admitted": (12 * k).to_string(),
                        "civico.waiting": (30 * k).to_string(),
                        "civico.started": (10 * k).to_string(),
                        "civico.start_days": (480 * k).to_string(),
                        "civico.started_within_target": (9 * k).to_string(),
                        "civico.in_service": (12 * k).to_string(),
                        "civico.hours": (2400 * k).to_string(),
                        "civico.paid": format!("{}.40", 12_000 * k),
                        "fo.contacts": (900 * k).to_string(),
                        "fo.population": (4000 * k).to_string(),
                    });
                    counts
                        .execute(params![
                            format!("m{version:09}"),
                            comune,
                            version,
                            format!("{year}-{half}"),
                            figures.to_string(),
                            now.to_rfc3339(),
                        ])
                        .unwrap();
                }
            }
        }
    }
    tx.commit().unwrap();
    crate::bench::seed_front_office(&mut conn, COMUNE, CONTACTS, 20_000, first_day);
    seed_audit(&mut conn, first_day);
    TenYears {
        db: db.to_path_buf(),
        codes: filed.into_iter().map(|f| f.application_code).collect(),
        participants,
    }
}

/// Ten years of the audit trail after the entries the set-up wrote: `AUDIT_ENTRIES` reads of
/// four operators, chained one to the next (the hashes are not SHA-256: only listing reads
/// them).
fn seed_audit(conn: &mut rusqlite::Connection, first_day: NaiveDate) {
    let tx = conn.transaction().unwrap();
    {
        let mut last: String = tx
            .query_row(
                "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let mut entry = tx
            .prepare(
                "INSERT INTO audit_log (at, actor, action, entity, entity_id, detail, prev_hash,
                 hash) VALUES (?1, ?2, 'application_search', 'application', NULL,
                 '{\"filter\":{\"bando\":null,\"comune\":null,\"person\":false},\"rows\":12,\"text\":true}',
                 ?3, ?4)",
            )
            .unwrap();
        let operators = [
            "maria.rossi",
            "giuseppe.bianchi",
            "anna.russo",
            "luca.ferrara",
        ];
        let seconds = 3652 * 86_400 / AUDIT_ENTRIES as i64;
        let start = first_day.and_hms_opt(8, 0, 0).unwrap();
        for n in 0..AUDIT_ENTRIES {
            let at = start + chrono::Duration::seconds(n as i64 * seconds);
            let hash = format!("{:064x}", (n as u128 + 1) * 0x9e37_79b9_7f4a_7c15);
            entry
                .execute(params![
                    format!("{}+01:00", at.format("%Y-%m-%dT%H:%M:%S")),
                    operators[n % operators.len()],
                    last,
                    hash,
                ])
                .unwrap();
            last = hash;
        }
    }
    tx.commit().unwrap();
}
