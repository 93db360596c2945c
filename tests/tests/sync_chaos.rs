//! Sync that heals under chaos (issue 17, item 8): a district of a capofila and five comuni
//! over 200 rounds in which bundles and district files are lost, delivered twice, held back and
//! delivered in any order, one comune and the capofila each rotate their keys once, the
//! comuni file and correct applications while their bundles are on the way, and the capofila
//! publishes the provisional ranking again and again from whatever it holds by then. After the
//! chaos one lossless exchange delivers what is pending; then
//!
//! - the capofila's registry is, row for row, the comuni's own registries together (what a
//!   lossless run holds);
//! - it is the registry of a lossless run of the same edits (the same schedule with every file
//!   delivered at once), compared by case number, revision and declaration (ids and clocks
//!   differ between two runs);
//! - each comune holds, row for row, what the capofila sends it (bandi, named elsewhere), and
//!   the same number of people named elsewhere as in the lossless run;
//! - each comune holds the capofila's latest ranking, cut to its own applications, whatever
//!   older versions arrived after it, and no other comune's row in any version it holds;
//! - every refusal on the way was one the format foresees for a late or early file.
//!
//! Driven through `sportello_app` (real files, keys and bundles; no CLI) to stay fast.
//! Each schedule runs the district twice (chaos and lossless), about 6 s of CPU and 15 to 25 s
//! of wall time in a debug build on a shared machine, so the default is one schedule; run more
//! with `PROPTEST_CASES=50 cargo test --offline -p sportello-tests --test sync_chaos`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use sportello_app::{Sportello, Stage, parse_json_forms};
use sportello_tests::{REGISTRY, dump_tables, fixture, fixture_applications};

const CAPOFILA: &str = "089017";
const COMUNI: [&str; 5] = ["089009", "089021", "089015", "089019", "089018"];
const ROUNDS: usize = 200;
const BANDO: &str = "SC-2026-1";

/// What happens to one file in the post.
#[derive(Debug, Clone, Copy)]
enum Fate {
    Delivered,
    /// Delivered, and a copy stays in the post to arrive again later.
    Duplicated,
    Lost,
}

#[derive(Debug, Clone)]
enum Step {
    /// The comune files its next application.
    File(usize),
    /// The comune corrects one of its applications (a new revision).
    Correct { comune: usize, pick: usize },
    /// The comune exports its upload into the post.
    Upload(usize),
    /// The capofila exports a publish bundle for each comune into the post.
    Publish,
    /// The capofila publishes the provisional ranking of what it holds now.
    Rank,
    /// One file of the post, any of them (so files arrive out of order, and those not picked
    /// wait), meets its fate.
    Post { pick: usize, fate: Fate },
}

fn step() -> impl Strategy<Value = Step> {
    let comune = 0..COMUNI.len();
    prop_oneof![
        3 => comune.clone().prop_map(Step::File),
        2 => (comune.clone(), any::<usize>()).prop_map(|(comune, pick)| Step::Correct { comune, pick }),
        3 => comune.prop_map(Step::Upload),
        1 => Just(Step::Publish),
        1 => Just(Step::Rank),
        6 => (any::<usize>(), prop_oneof![
                5 => Just(Fate::Delivered),
                2 => Just(Fate::Duplicated),
                3 => Just(Fate::Lost),
            ]).prop_map(|(pick, fate)| Step::Post { pick, fate }),
    ]
}

/// The rounds, and when the keys rotate: (round, comune) for the comune, round for the capofila.
type Schedule = (Vec<Step>, (usize, usize), usize);

fn schedule() -> impl Strategy<Value = Schedule> {
    (
        prop::collection::vec(step(), ROUNDS),
        (0..ROUNDS, 0..COMUNI.len()),
        0..ROUNDS,
    )
}

/// A file on its way, to the capofila or to comune `to`.
#[derive(Debug, Clone)]
enum Mail {
    Upload(PathBuf),
    Publish { to: usize, file: PathBuf },
    District { to: usize, file: PathBuf },
}

/// Refusals the format foresees for a file that arrives late or early: an upload signed by a
/// key replaced meanwhile (its records travel again; even without loss, an upload made after
/// the one carrying the rotation and before the capofila's answer confirmed it), a publish
/// bundle signed by a capofila key the comune learns from a district file not yet arrived, a
/// publish bundle or a district file older than one already applied.
const FORESEEN: &[&str] = &["revoked_key", "unknown_key", "rollback"];

struct World {
    dir: tempfile::TempDir,
    capofila: Sportello,
    comuni: Vec<Sportello>,
    /// The capofila's fingerprint the comuni confirmed by phone at enrolment.
    capofila_fingerprint: String,
    /// The next fixture application of each comune's share.
    next: Vec<usize>,
    /// Each comune's applications: code and the form as last filed.
    filed: Vec<Vec<(String, Value)>>,
    post: Vec<Mail>,
    files: usize,
    /// Every refusal met, by code (tolerated only if [`FORESEEN`]).
    refusals: BTreeMap<String, usize>,
    /// Whether every file is delivered at once.
    lossless: bool,
}

fn db(dir: &Path, comune: &str) -> PathBuf {
    dir.join(comune).join("sportello.db")
}

/// The fixture applications of comune `c`: each comune its own twelve (an applicant applies
/// once per bando).
fn share(c: usize) -> Vec<Value> {
    let all = fixture_applications();
    let per = all.len() / COMUNI.len();
    all[c * per..(c + 1) * per].to_vec()
}

impl World {
    /// A district with every comune enrolled and the district file accepted.
    fn new(lossless: bool) -> World {
        let dir = tempfile::tempdir().unwrap();
        let district = std::fs::read_to_string(fixture("district-d48.toml")).unwrap();
        let init = |comune: &str| {
            Sportello::init(
                &db(dir.path(), comune),
                &district,
                comune,
                &sportello_tests::first_operator(),
            )
            .expect("init")
        };
        let mut capofila = init(CAPOFILA);
        let mut comuni: Vec<Sportello> = COMUNI.iter().map(|c| init(c)).collect();
        capofila
            .settings()
            .import_bando(&std::fs::read_to_string(fixture("bando-sc-2026-1.toml")).unwrap())
            .unwrap();
        for comune in &mut comuni {
            let file = comune.trust().enrol_export(dir.path()).unwrap();
            capofila
                .trust()
                .enrol_accept(&file, &comune.trust().fingerprint().unwrap())
                .unwrap();
        }
        let capofila_fingerprint = capofila.trust().fingerprint().unwrap();
        let file = capofila.trust().district_export(dir.path()).unwrap();
        for comune in &mut comuni {
            comune
                .trust()
                .district_accept(&file, &capofila_fingerprint, false)
                .unwrap();
        }
        World {
            dir,
            capofila,
            comuni,
            capofila_fingerprint,
            next: vec![0; COMUNI.len()],
            filed: vec![Vec::new(); COMUNI.len()],
            post: Vec::new(),
            files: 0,
            refusals: BTreeMap::new(),
            lossless,
        }
    }

    /// A new folder for one export, as a USB stick or an e-mail would be.
    fn outbox(&mut self) -> PathBuf {
        self.files += 1;
        self.dir.path().join("posta").join(self.files.to_string())
    }

    fn file(&mut self, c: usize) {
        let Some(item) = share(c).get(self.next[c]).cloned() else {
            return;
        };
        self.next[c] += 1;
        let text = serde_json::to_string(&[&item]).unwrap();
        let filed = self.comuni[c]
            .intake()
            .add_applications(&parse_json_forms(&text).unwrap())
            .expect("application filed");
        self.filed[c].push((filed[0].application_code.clone(), item));
    }

    fn correct(&mut self, c: usize, pick: usize) {
        if self.filed[c].is_empty() {
            return;
        }
        let k = pick % self.filed[c].len();
        let (code, item) = &mut self.filed[c][k];
        // A new address: the whole form again, as the window sends it.
        let address = item["applicant"]["address"].as_str().unwrap();
        let moved = match address.rsplit_once(" n. ") {
            Some((street, n)) => format!("{street} n. {}", n.parse::<u32>().unwrap() + 1),
            None => format!("{address} n. 1"),
        };
        item["applicant"]["address"] = Value::from(moved);
        let text = serde_json::to_string(item).unwrap();
        let code = code.clone();
        self.comuni[c]
            .intake()
            .correct_application(&code, &text, "cambio di indirizzo")
            .expect("correction stored");
    }

    fn upload(&mut self, c: usize) {
        let out = self.outbox();
        for file in self.comuni[c].exchange().export(&out).expect("upload") {
            self.send(Mail::Upload(file));
        }
    }

    fn publish(&mut self) {
        let out = self.outbox();
        for file in self.capofila.exchange().export(&out).expect("publish") {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let to = COMUNI
                .iter()
                .position(|c| name.contains(&format!("-pub-{c}-")))
                .expect("a publish bundle names its comune");
            self.send(Mail::Publish { to, file });
        }
    }

    fn rank(&mut self) {
        self.capofila
            .ranking()
            .publish(BANDO, Stage::Provisional, true)
            .expect("ranking published");
    }

    fn rotate_comune(&mut self, c: usize) {
        self.comuni[c].trust().rotate_keys().expect("keys rotated");
    }

    /// The capofila moves to new keys: the district file that says so goes to every comune.
    fn rotate_capofila(&mut self) {
        self.capofila.trust().rotate_keys().expect("keys rotated");
        self.send_district_file();
    }

    fn send_district_file(&mut self) {
        let out = self.outbox();
        let file = self.capofila.trust().district_export(&out).unwrap();
        for to in 0..COMUNI.len() {
            self.send(Mail::District {
                to,
                file: file.clone(),
            });
        }
    }

    /// Into the post, or, for a lossless run, delivered at once.
    fn send(&mut self, mail: Mail) {
        if self.lossless {
            self.deliver(&mail);
        } else {
            self.post.push(mail);
        }
    }

    fn post(&mut self, pick: usize, fate: Fate) {
        if self.post.is_empty() {
            return;
        }
        let mail = self.post.remove(pick % self.post.len());
        match fate {
            Fate::Lost => {}
            Fate::Delivered => self.deliver(&mail),
            Fate::Duplicated => {
                self.deliver(&mail);
                self.post.push(mail);
            }
        }
    }

    fn deliver(&mut self, mail: &Mail) {
        let (install, file) = match mail {
            Mail::Upload(file) => (&mut self.capofila, file),
            Mail::Publish { to, file } => (&mut self.comuni[*to], file),
            Mail::District { to, file } => {
                let accepted = self.comuni[*to].trust().district_accept(
                    file,
                    &self.capofila_fingerprint,
                    false,
                );
                if let Err(e) = accepted {
                    self.refused(e.code.as_str(), &e.message, file);
                }
                return;
            }
        };
        let report = install
            .exchange()
            .import(std::slice::from_ref(file))
            .expect("import allowed");
        if let Some(e) = &report[0].error {
            let (code, message) = (e.code.as_str(), e.message.clone());
            self.refused(code, &message, file);
        }
    }

    fn refused(&mut self, code: &str, message: &str, file: &Path) {
        assert!(
            FORESEEN.contains(&code),
            "{} refused as {code}, which no late or early file explains: {message}",
            file.display()
        );
        *self.refusals.entry(code.to_string()).or_default() += 1;
    }

    fn run(&mut self, (steps, (comune_round, comune), capofila_round): &Schedule) {
        for (round, s) in steps.iter().enumerate() {
            if round == *comune_round {
                self.rotate_comune(*comune);
            }
            if round == *capofila_round {
                self.rotate_capofila();
            }
            match *s {
                Step::File(c) => self.file(c),
                Step::Correct { comune, pick } => self.correct(comune, pick),
                Step::Upload(c) => self.upload(c),
                Step::Publish => self.publish(),
                Step::Rank => self.rank(),
                Step::Post { pick, fate } => self.post(pick, fate),
            }
        }
    }

    /// What is pending, delivered without loss: the district file again, then rounds of every
    /// upload and every answer until the capofila has confirmed each comune's rotation and
    /// holds everything (three are enough: the upload that carries a rotation, the answer that
    /// confirms it, an upload signed by the new key).
    fn settle(&mut self) {
        self.post.clear();
        self.lossless = true;
        self.send_district_file();
        for _ in 0..3 {
            for c in 0..COMUNI.len() {
                self.upload(c);
            }
            self.publish();
        }
    }

    fn db(&self, comune: &str) -> PathBuf {
        db(self.dir.path(), comune)
    }
}

/// Rows of `table` at the install at `db` whose column `column` is `value`, dumped like
/// [`dump_tables`].
fn rows_where(db: &Path, table: &str, column: &str, value: &str) -> Vec<String> {
    let all = dump_tables(db, &[table]).remove(table).unwrap();
    let conn = sportello_tests::connect_read_only(db).unwrap();
    let at = conn
        .prepare(&format!("SELECT * FROM {table}"))
        .unwrap()
        .column_names()
        .position(|c| c == column)
        .unwrap();
    all.into_iter()
        .filter(|row| serde_json::from_str::<Vec<Value>>(row).unwrap()[at] == value)
        .collect()
}

/// The registry as two runs of the same edits must agree on it: per comune and case number,
/// each revision's number, declaration and reason.
fn declared(db: &Path) -> Vec<(String, i64, i64, String, Option<String>)> {
    let conn = sportello_tests::connect_read_only(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT a.comune, a.case_seq, r.revision, r.declaration, r.reason
             FROM applications a JOIN application_revisions r ON r.application_id = a.id
             ORDER BY a.comune, a.case_seq, r.revision",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

/// The published rankings held at `db`, per bando: the number of the latest and its rows (as
/// JSON values), only those of `comune` when given.
fn latest_rankings(db: &Path, comune: Option<&str>) -> BTreeMap<String, (i64, Vec<Value>)> {
    let conn = sportello_tests::connect_read_only(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT bando, number, rows FROM rankings ORDER BY bando, number")
        .unwrap();
    let held: Vec<(String, i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    held.into_iter()
        .map(|(bando, number, rows)| {
            let rows: Vec<Value> = serde_json::from_str(&rows).unwrap();
            let rows = rows
                .into_iter()
                .filter(|row| comune.is_none_or(|c| row["comune"] == c))
                .collect();
            (bando, (number, rows))
        })
        .collect()
}

/// The comuni named in the rows of every ranking version held at `db`.
fn ranking_comuni(db: &Path) -> Vec<String> {
    let conn = sportello_tests::connect_read_only(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT DISTINCT json_extract(row.value, '$.comune')
             FROM rankings, json_each(rankings.rows) AS row ORDER BY 1",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// How many people each comune is told are named elsewhere, per bando.
fn named_elsewhere_counts(db: &Path) -> Vec<(String, String, i64)> {
    let conn = sportello_tests::connect_read_only(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT bando, recipient, json_array_length(digests) FROM named_elsewhere
             ORDER BY bando, recipient",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn check(schedule: &Schedule) -> Result<BTreeMap<String, usize>, TestCaseError> {
    let mut chaos = World::new(false);
    chaos.run(schedule);
    chaos.settle();
    let mut lossless = World::new(true);
    lossless.run(schedule);
    lossless.settle();

    // The capofila holds each comune's registry exactly as the comune does.
    let capofila = chaos.db(CAPOFILA);
    let held = dump_tables(&capofila, REGISTRY);
    let mut own: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for comune in COMUNI {
        for (table, rows) in dump_tables(&chaos.db(comune), REGISTRY) {
            own.entry(table).or_default().extend(rows);
        }
    }
    for rows in own.values_mut() {
        rows.sort();
    }
    prop_assert_eq!(&held, &own, "the capofila's registry is the comuni's");

    // And it is what the same edits give without any loss.
    let filed: usize = lossless.next.iter().sum();
    prop_assert_eq!(held["applications"].len(), filed);
    prop_assert_eq!(declared(&capofila), declared(&lossless.db(CAPOFILA)));

    // Each comune holds what the capofila sends it.
    let bandi = dump_tables(&capofila, &["bandi"]);
    for comune in COMUNI {
        let at = chaos.db(comune);
        prop_assert_eq!(&dump_tables(&at, &["bandi"]), &bandi, "bandi at {}", comune);
        prop_assert_eq!(
            dump_tables(&at, &["named_elsewhere"])["named_elsewhere"].clone(),
            rows_where(&capofila, "named_elsewhere", "recipient", comune),
            "named elsewhere at {}",
            comune
        );
        prop_assert_eq!(
            named_elsewhere_counts(&at),
            named_elsewhere_counts(&lossless.db(comune)),
            "people named elsewhere at {}",
            comune
        );
        prop_assert_eq!(
            latest_rankings(&at, None),
            latest_rankings(&capofila, Some(comune)),
            "the ranking at {}",
            comune
        );
        prop_assert_eq!(
            ranking_comuni(&at),
            if latest_rankings(&capofila, Some(comune))
                .values()
                .any(|(_, rows)| !rows.is_empty())
            {
                vec![comune.to_string()]
            } else {
                vec![]
            },
            "no other comune's rows in any version held at {}",
            comune
        );
    }
    Ok(chaos.refusals)
}

#[test]
fn a_district_converges_to_the_lossless_registry_whatever_the_post_does() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        // A failing schedule of 200 rounds shrinks slowly: a few attempts, then the report.
        max_shrink_iters: 16,
        ..Config::default()
    });
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let seen_cell = std::cell::RefCell::new(&mut seen);
    runner
        .run(&schedule(), |s| {
            for (code, n) in check(&s)? {
                *seen_cell.borrow_mut().entry(code).or_default() += n;
            }
            Ok(())
        })
        .unwrap();
    eprintln!("refusals met on the way: {seen:?}");
}
