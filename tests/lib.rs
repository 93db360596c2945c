//! Helpers shared by the end-to-end tests: each test drives the built `sportello` binary
//! against real SQLite files in a temporary folder, as a user's script would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The repository's `fixtures/` folder.
/// The username and password of every install's first operator in these tests (a
/// responsabile, or the capofila's coordinatore).
pub const OPERATOR: &str = "test";
pub const PASSWORD: &str = "password-di-prova";

/// The first operator, as `init` creates it in these tests.
pub fn first_operator() -> sportello_app::NewOperator {
    sportello_app::NewOperator {
        username: OPERATOR.into(),
        name: None,
        role: sportello_app::Role::Responsabile,
        password: PASSWORD.into(),
    }
}

/// The database key of the install at `db`, unwrapped with the first operator's password.
pub fn db_key(db: &Path) -> sportello_app::inspection::DbKey {
    sportello_app::inspection::database_key(db, &credentials()).expect("the first operator's key")
}

/// A connection to the install's database at `db`, keyed: to read or damage stored rows.
pub fn connect(db: &Path) -> rusqlite::Result<rusqlite::Connection> {
    keyed(rusqlite::Connection::open(db)?, db)
}

/// The same, read-only.
pub fn connect_read_only(db: &Path) -> rusqlite::Result<rusqlite::Connection> {
    keyed(
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?,
        db,
    )
}

fn keyed(conn: rusqlite::Connection, db: &Path) -> rusqlite::Result<rusqlite::Connection> {
    let key = hex::encode(db_key(db).as_bytes());
    conn.execute_batch(&format!("PRAGMA key = \"x'{key}'\""))?;
    Ok(conn)
}

/// The install's secret keys (signing and age), as its bundles are made with.
pub fn install_keys(db: &Path) -> sportello_sync::InstallKeys {
    sportello_app::inspection::install_keys(db, &db_key(db)).expect("the install's keys")
}

/// The install's trust list, as its `settings` hold it.
pub fn trust_list(db: &Path) -> sportello_sync::TrustList {
    let text: String = connect(db)
        .expect("open the install's database")
        .query_row(
            "SELECT value FROM settings WHERE key = 'trust_list'",
            [],
            |r| r.get(0),
        )
        .expect("the trust list");
    sportello_sync::TrustList::from_json(&text).expect("a trust list")
}

/// Gives the install at `db` the keys written in `secret_text` (fixed test keys).
pub fn replace_install_keys(db: &Path, secret_text: &str) {
    let keys = sportello_sync::InstallKeys::from_secret_text(secret_text).expect("test keys");
    sportello_app::inspection::replace_install_keys(db, &db_key(db), &keys)
        .expect("write the install's keys");
}

/// The install's store at `db`, opened with its key.
pub fn store(db: &Path) -> sportello_store::Store {
    sportello_store::Store::open(db, &db_key(db)).expect("open the install's database")
}

/// The first operator logging in.
pub fn credentials() -> sportello_app::Credentials {
    sportello_app::Credentials {
        username: OPERATOR.into(),
        password: PASSWORD.into(),
    }
}

/// `command` run by the first operator: the username and password (and the password `init`
/// gives the first operator) in its environment, as a user's script would pass them.
pub fn logged_in(mut command: Command) -> Command {
    command
        .env("SPORTELLO_OPERATOR", OPERATOR)
        .env("SPORTELLO_PASSWORD", PASSWORD)
        .env("SPORTELLO_NEW_PASSWORD", PASSWORD);
    command
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(name)
}

/// A built binary of the workspace, next to this test executable's `deps/` folder.
/// The README's test command builds every binary before running the tests, with
/// `cargo build --workspace --all-targets`: that build enables the test-only failpoints the
/// crash tests need (a `cargo build -p sportello-cli` alone leaves them out).
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test executable lives in target/<profile>/deps");
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: build it first (`cargo build --workspace --bins`, as scripts/test.sh does)",
        path.display()
    );
    path
}

/// One install (a comune's or the capofila's database) in its own folder.
pub struct Install {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Self {
        Self {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Default for Install {
    fn default() -> Self {
        Self::new()
    }
}

impl Install {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("sportello.db");
        Self { dir, db }
    }

    /// A new install of `comune` in the district file `district` (in fixtures/), with the
    /// given bando files (in fixtures/) imported.
    pub fn of(district: &str, comune: &str, bandi: &[&str]) -> Self {
        let i = Self::new();
        i.ok(&[
            "init",
            "--district",
            arg(&fixture(district)),
            "--comune",
            comune,
        ]);
        for bando in bandi {
            i.ok(&["bando", "import", arg(&fixture(bando))]);
        }
        i
    }

    /// Runs `sportello --db <this db> ARGS` as the install's first operator.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_as(OPERATOR, args)
    }

    /// Runs `sportello --db <this db> ARGS` as `operator` (whose password is [`PASSWORD`]).
    pub fn run_as(&self, operator: &str, args: &[&str]) -> Run {
        let out = logged_in(Command::new(binary("sportello")))
            .env("SPORTELLO_OPERATOR", operator)
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("SPORTELLO_DB")
            .output()
            .expect("run sportello");
        Run::from(out)
    }

    /// Runs `sportello --db <this db> ARGS` as `operator` with the clock at `utc`
    /// (`aaaa-mm-gg hh:mm:ss`, UTC) through `faketime`: the product has no clock of its own to
    /// set.
    pub fn run_at(&self, utc: &str, operator: &str, args: &[&str]) -> Run {
        let out = logged_in(Command::new("faketime"))
            .env("SPORTELLO_OPERATOR", operator)
            .env("TZ", "UTC")
            .env_remove("SPORTELLO_DB")
            .arg(utc)
            .arg(binary("sportello"))
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .output()
            .expect("faketime is missing: scripts/test.sh installs it (apt-get install faketime)");
        Run::from(out)
    }

    /// Every table of the install's database, dumped (see [`dump_tables`]).
    pub fn everything(&self) -> std::collections::BTreeMap<String, Vec<String>> {
        let conn = connect_read_only(&self.db).expect("open database read-only");
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .expect("list tables")
            .query_map([], |r| r.get(0))
            .expect("tables")
            .collect::<rusqlite::Result<_>>()
            .expect("table names");
        drop(conn);
        let names: Vec<&str> = tables.iter().map(String::as_str).collect();
        dump_tables(&self.db, &names)
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(
            r.code, 0,
            "sportello {args:?} failed\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        r.stdout
    }

    /// Runs with `--json` appended and parses stdout, which must be JSON only.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        let out = self.ok(&args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {out}"))
    }

    /// Writes a file into this install's folder and returns its path.
    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content).expect("write test file");
        path
    }
}

/// A path as an argument.
pub fn arg(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

// ---- A district on one machine: installs that trust each other and exchange bundles. ----

/// The synthetic applications of `fixtures/applications.json` (each a valid `application add`
/// object of bando SC-2026-1).
pub fn fixture_applications() -> Vec<Value> {
    let text = std::fs::read_to_string(fixture("applications.json")).expect("fixture applications");
    match serde_json::from_str(&text).expect("fixture applications are JSON") {
        Value::Array(items) => items,
        other => panic!("fixtures/applications.json is not an array: {other}"),
    }
}

impl Install {
    /// A new install of `comune` in the district described by `fixtures/<district_file>`.
    pub fn init(district_file: &str, comune: &str) -> Self {
        let i = Self::new();
        i.ok(&[
            "init",
            "--district",
            arg(&fixture(district_file)),
            "--comune",
            comune,
        ]);
        i
    }

    /// A path inside this install's folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `key fingerprint`: the text read over the phone.
    pub fn fingerprint(&self) -> String {
        self.ok(&["key", "fingerprint"]).trim().to_string()
    }

    /// Files `items` with `application add --json`; returns their application codes in order.
    pub fn add(&self, items: &[Value]) -> Vec<String> {
        let file = self.write(
            "domande.json",
            &serde_json::to_string(&Value::Array(items.to_vec())).expect("JSON"),
        );
        let filed = self.json(&["application", "add", arg(&file)]);
        filed
            .as_array()
            .expect("filed list")
            .iter()
            .map(|f| f["application_code"].as_str().expect("code").to_string())
            .collect()
    }

    /// `bundle export` into a new folder of this install; returns the files it printed.
    pub fn export(&self) -> Vec<PathBuf> {
        static EXPORTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = EXPORTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let out = self.path(&format!("uscita-{n}"));
        let stdout = self.ok(&["bundle", "export", "--out", arg(&out)]);
        let files: Vec<PathBuf> = stdout.lines().map(PathBuf::from).collect();
        for f in &files {
            assert!(
                f.exists(),
                "bundle export printed {} but no such file",
                f.display()
            );
        }
        files
    }

    /// `bundle import FILES --json`: the run and its per-file reports.
    pub fn import(&self, files: &[&Path]) -> (Run, Value) {
        let mut args = vec!["bundle", "import"];
        args.extend(files.iter().map(|f| arg(f)));
        args.push("--json");
        let run = self.run(&args);
        let reports = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("bundle import stdout is not JSON ({e}): {}", run.stdout));
        (run, reports)
    }

    /// The files in the `quarantena` folder next to the database, sorted.
    pub fn quarantined(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.path("quarantena"))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        files
    }

    /// Every row of each of `tables`, as sorted JSON arrays: a canonical dump to compare
    /// states.
    pub fn tables(&self, tables: &[&str]) -> std::collections::BTreeMap<String, Vec<String>> {
        dump_tables(&self.db, tables)
    }
}

/// The registry the capofila merges: what the comuni's upload bundles carry.
pub const REGISTRY: &[&str] = &[
    "applications",
    "application_revisions",
    "application_people",
];

/// Everything an import may change besides its log: the registry, the capofila's records, the
/// bundles imported, the peers' acknowledgements and the settings (the trust list).
pub const SYNC_STATE: &[&str] = &[
    "applications",
    "application_revisions",
    "application_people",
    "bandi",
    "rankings",
    "bundles_in",
    "peers",
    "settings",
];

/// Every row of each of `tables` in the database at `db`, as sorted JSON arrays.
pub fn dump_tables(db: &Path, tables: &[&str]) -> std::collections::BTreeMap<String, Vec<String>> {
    use rusqlite::types::ValueRef;
    let conn = connect_read_only(db).expect("open database read-only");
    let mut dump = std::collections::BTreeMap::new();
    for table in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table}"))
            .expect("table exists");
        let columns = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut row = Vec::with_capacity(columns);
                for i in 0..columns {
                    row.push(match r.get_ref(i)? {
                        ValueRef::Null => Value::Null,
                        ValueRef::Integer(n) => Value::from(n),
                        ValueRef::Real(f) => Value::from(f),
                        ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
                        ValueRef::Blob(b) => Value::from(format!("{} bytes", b.len())),
                    });
                }
                Ok(Value::Array(row).to_string())
            })
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        rows.sort();
        dump.insert(table.to_string(), rows);
    }
    dump
}

/// One round trip: every upload of `comune` (ISTAT `istat`) imported at `capofila`, and the
/// capofila's publish bundle for it imported back.
pub fn round_trip(capofila: &Install, comune: &Install, istat: &str) {
    for file in comune.export() {
        capofila.ok(&["bundle", "import", arg(&file)]);
    }
    for file in capofila.export() {
        if file.to_string_lossy().contains(&format!("-pub-{istat}-")) {
            comune.ok(&["bundle", "import", arg(&file)]);
        }
    }
}

/// The capofila trusts `comune`'s keys: enrolment file exported, fingerprint typed.
pub fn enrol(capofila: &Install, comune: &Install) {
    let file = comune.path("adesione.sportello");
    comune.ok(&["enrol", "export", "--out", arg(&file)]);
    capofila.ok(&[
        "enrol",
        "accept",
        arg(&file),
        "--fingerprint",
        &comune.fingerprint(),
    ]);
}

/// The capofila writes the signed district file; each comune accepts it with the capofila's
/// fingerprint (and takes its bandi).
pub fn distribute(capofila: &Install, comuni: &[&Install]) {
    let file = PathBuf::from(
        capofila
            .ok(&["district", "export", "--out", arg(capofila.dir.path())])
            .trim(),
    );
    let fingerprint = capofila.fingerprint();
    for comune in comuni {
        comune.ok(&[
            "district",
            "accept",
            arg(&file),
            "--fingerprint",
            &fingerprint,
        ]);
    }
}

/// The files that make an install's database: the file itself, its write-ahead log and shared
/// memory index, and the key slots that open it (the install's keys are not part of it).
const DB_SUFFIXES: &[&str] = &["", "-wal", "-shm", ".slots"];

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

impl Install {
    /// A copy of the database as it is now, to put back with [`Install::restore`] (as an
    /// operator restoring a backup would). Call it between runs, never during one.
    pub fn save(&self) -> tempfile::TempDir {
        let saved = tempfile::tempdir().expect("temp dir");
        for suffix in DB_SUFFIXES {
            let from = with_suffix(&self.db, suffix);
            if from.exists() {
                std::fs::copy(&from, with_suffix(&saved.path().join("db"), suffix))
                    .expect("save database file");
            }
        }
        saved
    }

    /// Puts back the database saved by [`Install::save`].
    pub fn restore(&self, saved: &tempfile::TempDir) {
        for suffix in DB_SUFFIXES {
            let to = with_suffix(&self.db, suffix);
            let from = with_suffix(&saved.path().join("db"), suffix);
            if from.exists() {
                std::fs::copy(&from, &to).expect("restore database file");
            } else if to.exists() {
                std::fs::remove_file(&to).expect("remove database file");
            }
        }
    }

    /// The same install (database and keys) in a new folder, as it is now.
    pub fn copy(&self) -> Install {
        let to = Install::new();
        for suffix in DB_SUFFIXES.iter().chain(&[".keys", ".keys.previous"]) {
            let from = with_suffix(&self.db, suffix);
            if from.exists() {
                std::fs::copy(&from, with_suffix(&to.db, suffix)).expect("copy install file");
            }
        }
        to
    }
}

/// The text `pdftotext -layout` extracts from a PDF (poppler-utils, installed by
/// scripts/test.sh).
pub fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is missing: scripts/test.sh installs poppler-utils");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub mod ten_years;

/// Timing for the benchmarks in `benches/`.
pub mod bench {
    use std::time::{Duration, Instant};

    /// Runs `f` `runs` times; the median time and what the last run returned.
    pub fn median(runs: usize, mut f: impl FnMut() -> usize) -> (Duration, usize) {
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..runs.max(1) {
            let started = Instant::now();
            rows = f();
            times.push(started.elapsed());
        }
        times.sort();
        (times[times.len() / 2], rows)
    }

    /// Milliseconds, for printing.
    pub fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1000.0
    }

    /// A fixture form as the benchmarks file it straight through the store, at `filed_at`
    /// (the form checks are not what they measure).
    pub fn as_filed(
        form: &sportello_domain::ApplicationForm,
        filed_at: chrono::DateTime<chrono::FixedOffset>,
    ) -> sportello_store::NewApplication {
        sportello_store::NewApplication {
            bando: form.bando.clone(),
            filed_at,
            declaration: form.declaration.clone(),
            override_note: None,
            protocol_number: None,
        }
    }

    /// A participant's project from `start` to `end`, 20 hours a week, as the benchmarks
    /// record it.
    pub fn project(
        start: chrono::NaiveDate,
        end: chrono::NaiveDate,
    ) -> sportello_domain::civico::project::Project {
        sportello_domain::civico::project::Project {
            sector: "ambiente".into(),
            site: "Villa comunale".into(),
            office: None,
            tutor: "Tutor".into(),
            start,
            end,
            weekly_hours: sportello_domain::Decimal::from(20),
            schedule: None,
            inail_position: Some("INAIL".into()),
            rc_policy: Some("RC".into()),
        }
    }

    /// Publishes a definitive ranking of bando `SC-2026-1` straight through the store (the
    /// objections window is not what the benchmarks measure): each of `rows` is an application
    /// code with its outcome (`AMMESSO`, `IDONEO_NON_AMMESSO`, `ESCLUSO`), in position order,
    /// all at `comune`, 50 points each.
    pub fn publish_definitive(
        store: &mut sportello_store::Store,
        bando_toml: &str,
        comune: &str,
        rows: &[(String, &str)],
    ) {
        let rows: Vec<serde_json::Value> = rows
            .iter()
            .enumerate()
            .map(|(i, (code, outcome))| {
                serde_json::json!({
                    "position": i + 1, "application_code": code, "comune": comune,
                    "score": 50, "outcome": outcome,
                    "breakdown": {"isee": 50, "household_size": 0, "dependent_minors": 0,
                        "disability": 0, "single_parent": 0, "unemployment": 0, "housing": 0,
                        "older_applicant": 0, "previous_participation": 0},
                    "reasons": [], "reason_codes": [],
                })
            })
            .collect();
        store
            .publish_ranking(
                &sportello_store::NewRanking {
                    bando: "SC-2026-1",
                    stage: "definitive",
                    bando_toml,
                    inputs: &serde_json::json!([]),
                    rows: &serde_json::Value::Array(rows),
                    confirmed_exclusions: &[],
                },
                sportello_app::now(),
                &sportello_app::Actor("benchmark".into()),
            )
            .unwrap();
    }

    /// Writes `contacts` front-office contacts of `comune` over ten years from `first_day`
    /// straight into the install's tables (one transaction, no audit entries: the writing is
    /// not what the benchmarks measure), each with the desk's private part. About 60 % name
    /// one of `persons` persons (keyed digests), the rest are anonymous; one in eight opens a
    /// back-office case (two in three closed), one in forty leaves a satisfaction
    /// questionnaire; channels, areas, answers and services vary with the row.
    pub fn seed_front_office(
        conn: &mut rusqlite::Connection,
        comune: &str,
        contacts: usize,
        persons: usize,
        first_day: chrono::NaiveDate,
    ) {
        use chrono::Days;
        use rusqlite::params;

        let days = 3652u64;
        let channels = ["sportello", "telefono", "email", "domicilio", "altro"];
        let answers = ["informazione", "invio", "istruttoria"];
        let services = [
            "sfratti",
            "cons-fam",
            "sad",
            "rei",
            "asilo",
            "trasporto",
            "pasti",
        ];
        let tx = conn.transaction().unwrap();
        {
            let mut contact = tx
                .prepare(
                    "INSERT INTO contacts (id, owner, version, content_hash, comune, day, channel,
                     interlocutor, sent_by, person_key, sex, age_band, residence_istat, needs,
                     answer, services, unmet_need, number)
                     VALUES (?1, ?2, ?3, ?11, ?2, ?4, ?5, 'utente', 'spontaneo', ?6, 'F', '35-44',
                     ?2, ?7, ?8, ?9, ?10, ?3)",
                )
                .unwrap();
            // What the desk wrote of each contact, kept on this install only.
            let mut private = tx
                .prepare(
                    "INSERT INTO contact_private (contact_id, at, surname, name, request,
                     operator, recorded_at)
                     VALUES (?1, ?2 || 'T10:00:00+01:00', ?3, ?4, 'Informazioni sui servizi',
                     'benchmark', ?2 || 'T10:00:00+01:00')",
                )
                .unwrap();
            let mut case = tx
                .prepare(
                    "INSERT INTO front_office_cases (id, owner, version, content_hash, contact_id,
                     kind, target_days, working_days, opened_on, due_on, closed_on, outcome)
                     VALUES (?1, ?2, ?3, '', ?4, 'generica', 30, 0, ?5, ?6, ?7, ?8)",
                )
                .unwrap();
            let mut satisfaction = tx
                .prepare(
                    "INSERT INTO satisfaction (id, owner, version, content_hash, comune, day,
                     courtesy, clarity, waiting, finding) VALUES (?1, ?2, ?3, '', ?2, ?4, ?5, ?5,
                     ?6, ?6)",
                )
                .unwrap();
            let mut version = 0i64;
            for n in 0..contacts {
                version += 1;
                let day = first_day + Days::new(n as u64 * days / contacts as u64);
                // Ids and content hashes as long as the real ones (UUID, SHA-256 hex).
                let id = format!("0193f2a4-7c1e-7d3a-9b2f-{n:012}");
                let hash = format!("{:064x}", n as u128 * 0x9e37_79b9_7f4a_7c15);
                let person = (n % 5 < 3).then(|| format!("{:032x}", (n * 7919) % persons));
                let answer = answers[if n % 8 == 0 { 2 } else { n % 2 }];
                let needs = format!("[{{\"area\":{}}}]", n % 3 + 1);
                let named = if n % 4 == 0 {
                    format!("[\"{}\"]", services[n % services.len()])
                } else {
                    "[]".to_string()
                };
                contact
                    .execute(params![
                        id,
                        comune,
                        version,
                        day.to_string(),
                        channels[n % channels.len()],
                        person,
                        needs,
                        answer,
                        named,
                        n % 11 == 0,
                        hash,
                    ])
                    .unwrap();
                let (surname, name) = match &person {
                    Some(_) => (Some(format!("Cognome{}", n % 997)), Some("Maria")),
                    None => (None, None),
                };
                private
                    .execute(params![id, day.to_string(), surname, name])
                    .unwrap();
                if answer == "istruttoria" {
                    version += 1;
                    let closed =
                        (n % 3 != 0).then(|| (day + Days::new((n % 40) as u64)).to_string());
                    case.execute(params![
                        format!("k{n:07}"),
                        comune,
                        version,
                        id,
                        day.to_string(),
                        (day + Days::new(30)).to_string(),
                        closed,
                        closed.as_ref().map(|_| "accolta"),
                    ])
                    .unwrap();
                }
                if n % 40 == 0 {
                    version += 1;
                    satisfaction
                        .execute(params![
                            format!("s{n:07}"),
                            comune,
                            version,
                            day.to_string(),
                            (n % 5 + 1) as i64,
                            (n % 4 + 2) as i64
                        ])
                        .unwrap();
                }
            }
        }
        tx.commit().unwrap();
    }
}

/// Decrypts and opens an upload with the keys of the capofila `capofila` (ISTAT `comune`), as
/// its import does: the records as they travel.
pub fn decrypt_upload(capofila: &Install, comune: &str, bytes: &[u8]) -> Vec<Value> {
    let keys = install_keys(&capofila.db);
    let trust = trust_list(&capofila.db);
    let inspected = sportello_sync::inspect(bytes).expect("a bundle");
    let receiver = sportello_sync::Receiver::new("D48", comune, &keys);
    let verified = sportello_sync::verify(&inspected, &trust, &receiver).expect("verified");
    sportello_sync::open(&verified, &keys).expect("opened")
}
