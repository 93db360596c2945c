//! The public ranking of 10,000 rows as a whole process (issue 17, item 3), side by side with
//! LibreOffice converting the same table to PDF.
//!
//! Targets: `sportello print ranking --public` at least 10 times as fast as
//! `libreoffice --headless --convert-to pdf` on the same four-column table (position,
//! application code, score, outcome), and a file no larger than LibreOffice's.
//!
//! `cargo build --release -p sportello-cli && cargo bench -p sportello-tests --bench documents`,
//! or `scripts/bench-documents.sh`, which installs LibreOffice first. The set-up makes the
//! capofila of district D48 (Siracusa) with bando SC-2026-1 and freezes a provisional ranking
//! of 10,000 synthetic applications through the store (`Store::publish_ranking`: computing the
//! ranking is not what is measured; one in twelve excluded, 60 % of the others admitted; the
//! rows and the inputs frozen beside them shaped as a real publication's). Each
//! measured run is the release `sportello` binary started as a user's script would start it
//! (`SPORTELLO_OPERATOR` and `SPORTELLO_PASSWORD` in its environment, so each run logs in:
//! argon2id and the encrypted database opened), which reads the published ranking, lays it
//! out and writes the PDF. The same table is written here as CSV (all 10,000 rows, in the
//! ranking's order, the excluded without a position), and LibreOffice converts it when
//! `libreoffice` is on the PATH; without it a notice says so and only Sportello is measured.
//! `SPORTELLO_BENCH_RUNS` (default 5) sets the runs of each; medians are reported, after one
//! run of each that is not timed (LibreOffice builds its user profile on its first start).
//! Wall time and processor time (user and system, of the processes started) are both given:
//! on a machine other programs keep busy, the wall time grows with them. `SPORTELLO_BENCH_DIR`
//! keeps the install (and the files written) in a folder and reuses it on the next run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use sportello_app::{Actor, Sportello};
use sportello_store::NewRanking;

const ROWS: usize = 10_000;
const COMUNE: &str = "089017";
const BANDO: &str = "SC-2026-1";
/// At least this many times as fast as LibreOffice.
const SPEED_TARGET: f64 = 10.0;
/// The application-code alphabet: no O, I, 0 or 1.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

struct Row {
    position: Option<u32>,
    code: String,
    score: i32,
    outcome: &'static str,
}

fn main() {
    let runs: usize = std::env::var("SPORTELLO_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
        .max(1);
    let temporary = tempfile::tempdir().expect("work folder");
    let work = match std::env::var_os("SPORTELLO_BENCH_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => temporary.path().to_path_buf(),
    };
    std::fs::create_dir_all(&work).expect("work folder");
    let db = work.join("sportello.db");
    let rows = synthetic_rows();

    if db.exists() {
        println!("set-up: the install in {} reused", work.display());
    } else {
        let started = Instant::now();
        set_up(&db, &rows);
        println!(
            "set-up: a published ranking of {ROWS} applications in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }

    // Sportello: the whole process, as a user's script runs it.
    // The release binary beside this benchmark; `SPORTELLO_BENCH_BIN` names another build.
    let sportello = std::env::var_os("SPORTELLO_BENCH_BIN")
        .map_or_else(|| sportello_tests::binary("sportello"), PathBuf::from);
    let ours = work.join("graduatoria.pdf");
    let print = || {
        let out = sportello_tests::logged_in(Command::new(&sportello))
            .env_remove("SPORTELLO_DB")
            .arg("--db")
            .arg(&db)
            .args(["print", "ranking", "--bando", BANDO, "--public", "--out"])
            .arg(&ours)
            .output()
            .expect("run sportello");
        assert!(
            out.status.success(),
            "sportello print ranking failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let ours_time = median(runs, print);
    let ours_size = std::fs::metadata(&ours).expect("the PDF written").len();
    println!("sportello print ranking --public, {ROWS} rows (whole process, release build)");
    println!(
        "  median of {runs}: {} · {} · {} pages",
        seconds(ours_time),
        kb(ours_size),
        pages(&ours)
    );

    // LibreOffice: the same table as CSV, converted to PDF.
    let csv = work.join("graduatoria.csv");
    std::fs::write(&csv, csv_text(&rows)).expect("CSV written");
    let Some(office) = on_path("libreoffice") else {
        println!(
            "libreoffice is not installed: the comparison is skipped \
             (scripts/bench-documents.sh installs it and runs this benchmark)"
        );
        return;
    };
    let out_dir = work.join("libreoffice");
    // Its own user profile, so a desktop session's LibreOffice is neither used nor disturbed.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        work.join("lo-profile").display()
    );
    let convert = || {
        let out = Command::new(&office)
            .arg(&profile)
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&out_dir)
            .arg(&csv)
            .output()
            .expect("run libreoffice");
        assert!(
            out.status.success(),
            "libreoffice failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let theirs_time = median(runs, convert);
    let theirs = out_dir.join("graduatoria.pdf");
    let theirs_size = std::fs::metadata(&theirs)
        .expect("libreoffice wrote the PDF")
        .len();
    println!("libreoffice --headless --convert-to pdf, the same {ROWS} rows as CSV");
    println!(
        "  median of {runs}: {} · {} · {} pages",
        seconds(theirs_time),
        kb(theirs_size),
        pages(&theirs)
    );

    let ratio = theirs_time.wall.as_secs_f64() / ours_time.wall.as_secs_f64();
    let cpu_ratio = theirs_time.cpu.as_secs_f64() / ours_time.cpu.as_secs_f64().max(0.001);
    println!(
        "speed: Sportello {ratio:.1}× as fast as LibreOffice in wall time (target ≥ \
         {SPEED_TARGET}×): {}; {cpu_ratio:.1}× in processor time",
        met(ratio >= SPEED_TARGET)
    );
    println!(
        "size: {} against {} ({:.0} %; target ≤ LibreOffice's): {}",
        kb(ours_size),
        kb(theirs_size),
        ours_size as f64 * 100.0 / theirs_size as f64,
        met(ours_size <= theirs_size)
    );
}

fn met(yes: bool) -> &'static str {
    if yes { "met" } else { "NOT met" }
}

fn kb(bytes: u64) -> String {
    format!("{bytes} bytes ({:.0} KB)", bytes as f64 / 1000.0)
}

/// What one command took: wall time, and the processor time (user and system) of the
/// processes it started, which other programs running on the machine do not inflate.
#[derive(Clone, Copy)]
struct Took {
    wall: Duration,
    cpu: Duration,
}

/// Runs `f` once untimed, then `runs` times; the medians of wall and processor time.
fn median(runs: usize, mut f: impl FnMut()) -> Took {
    f();
    let (mut wall, mut cpu): (Vec<Duration>, Vec<Duration>) = (0..runs)
        .map(|_| {
            let (started, before) = (Instant::now(), children_cpu());
            f();
            (started.elapsed(), children_cpu().saturating_sub(before))
        })
        .unzip();
    wall.sort();
    cpu.sort();
    Took {
        wall: wall[wall.len() / 2],
        cpu: cpu[cpu.len() / 2],
    }
}

/// User and system time of the child processes waited for so far (`cutime` and `cstime` of
/// /proc/self/stat, in clock ticks: 10 ms at the usual 100 a second).
fn children_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(") ").map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = [13, 14]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 1000 / clock_ticks())
}

fn clock_ticks() -> u64 {
    static TICKS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .filter(|&t| t > 0)
            .unwrap_or(100)
    })
}

fn seconds(t: Took) -> String {
    format!(
        "{:.3} s wall, {:.2} s processor",
        t.wall.as_secs_f64(),
        t.cpu.as_secs_f64()
    )
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join(name))
        .find(|p| p.is_file())
}

/// The page count `pdfinfo` reports, or "?" without poppler-utils.
fn pages(pdf: &Path) -> String {
    Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .ok()
        .and_then(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().to_string()))
        })
        .unwrap_or_else(|| "?".into())
}

/// 10,000 applications with distinct codes, by descending score; one in twelve excluded,
/// 60 % of the eligible admitted.
fn synthetic_rows() -> Vec<Row> {
    let mut state: u64 = 20_261_201;
    let mut next = move |below: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % below
    };
    let mut seen = std::collections::HashSet::new();
    let mut drawn: Vec<(i32, String, bool)> = (0..ROWS)
        .map(|i| {
            let code = loop {
                let raw: String = (0..10)
                    .map(|_| ALPHABET[next(ALPHABET.len() as u64) as usize] as char)
                    .collect();
                let code = format!("{}-{}", &raw[..5], &raw[5..]);
                if seen.insert(code.clone()) {
                    break code;
                }
            };
            (next(90) as i32 + 5, code, i % 12 == 5)
        })
        .collect();
    drawn.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let eligible = drawn.iter().filter(|d| !d.2).count();
    let admitted = eligible * 6 / 10;
    let mut position = 0;
    drawn
        .into_iter()
        .map(|(score, code, excluded)| {
            let (position, outcome) = if excluded {
                (None, "ESCLUSO")
            } else {
                position += 1;
                let outcome = if position as usize <= admitted {
                    "AMMESSO"
                } else {
                    "IDONEO NON AMMESSO"
                };
                (Some(position), outcome)
            };
            Row {
                position,
                code,
                score,
                outcome,
            }
        })
        .collect()
}

/// The capofila with the bando and the ranking published as a provisional version.
fn set_up(db: &Path, rows: &[Row]) {
    let read = |name: &str| std::fs::read_to_string(sportello_tests::fixture(name)).unwrap();
    let bando_toml = read("bando-sc-2026-1.toml");
    let mut app = Sportello::init(
        db,
        &read("district-d48.toml"),
        COMUNE,
        &sportello_tests::first_operator(),
    )
    .unwrap();
    app.settings().import_bando(&bando_toml).unwrap();
    drop(app);
    let json: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let excluded = r.position.is_none();
            serde_json::json!({
                "position": r.position, "application_code": r.code, "comune": COMUNE,
                "score": r.score, "outcome": r.outcome.replace(' ', "_"),
                "breakdown": {"isee": r.score, "household_size": 0, "dependent_minors": 0,
                    "disability": 0, "single_parent": 0, "unemployment": 0, "housing": 0,
                    "older_applicant": 0, "previous_participation": 0},
                "reasons": if excluded { vec!["ISEE oltre la soglia"] } else { vec![] },
                "reason_codes": if excluded { vec!["isee_over_ceiling"] } else { vec![] },
            })
        })
        .collect();
    // What a real publication freezes beside the rows: the revision ranked of each application.
    let inputs: Vec<serde_json::Value> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            serde_json::json!({
                "id": format!("{:032x}", 0x5150_0000_0000_u64 + i as u64), "revision": 1,
                "content_hash": format!("{:064x}", (i as u128 + 1) * 0x9e37_79b9_7f4a_7c15),
                "application_code": r.code, "comune": COMUNE,
            })
        })
        .collect();
    sportello_tests::store(db)
        .publish_ranking(
            &NewRanking {
                bando: BANDO,
                stage: "provisional",
                bando_toml: &bando_toml,
                inputs: &serde_json::Value::Array(inputs),
                rows: &serde_json::Value::Array(json),
                confirmed_exclusions: &[],
            },
            sportello_app::now(),
            &Actor("benchmark".into()),
        )
        .unwrap();
}

/// The same four columns LibreOffice is given: position, application code, score, outcome.
fn csv_text(rows: &[Row]) -> String {
    let mut csv = String::from("Posizione,Codice domanda,Punteggio,Esito\n");
    for r in rows {
        let position = r.position.map(|p| p.to_string()).unwrap_or_default();
        csv.push_str(&format!(
            "{position},{},{},{}\n",
            r.code, r.score, r.outcome
        ));
    }
    csv
}
