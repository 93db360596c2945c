//! Public ranking of 10,000 rows: time and size (target: at most 1 s and 1 MB in release).
//!
//! `cargo bench -p sportello-print --bench public_ranking`

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use sportello_print::public_ranking;

const ROWS: usize = 10_000;
const RUNS: usize = 5;

fn main() {
    let (doc, _, _) = common::ranking(ROWS, common::provisional());
    // The first run also parses the embedded fonts once per process.
    let started = Instant::now();
    let first = public_ranking(&doc).expect("the ranking prints");
    let cold = started.elapsed();

    let mut times = Vec::with_capacity(RUNS);
    let mut bytes = first.len();
    for _ in 0..RUNS {
        let started = Instant::now();
        let pdf = public_ranking(&doc).expect("the ranking prints");
        times.push(started.elapsed());
        bytes = pdf.len();
    }
    times.sort();
    let median = times[RUNS / 2];
    let pages = count_pages(&first);
    println!("public ranking, {ROWS} rows, {pages} pages");
    println!("  first run (fonts parsed): {:.3} s", cold.as_secs_f64());
    println!(
        "  median of {RUNS} runs:      {:.3} s (min {:.3} s, max {:.3} s)",
        median.as_secs_f64(),
        times[0].as_secs_f64(),
        times[RUNS - 1].as_secs_f64()
    );
    println!(
        "  size:                     {bytes} bytes ({:.2} MB)",
        bytes as f64 / 1_000_000.0
    );
    let within = median.as_secs_f64() <= 1.0 && bytes <= 1_000_000;
    println!(
        "  target <= 1 s and <= 1 MB: {}",
        if within { "met" } else { "NOT met" }
    );
}

/// Counts page objects: enough for a figure, without a PDF parser.
fn count_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type/Page";
    let spaced = b"/Type /Page";
    let count = |n: &[u8]| {
        pdf.windows(n.len() + 1)
            .filter(|w| &w[..n.len()] == n && w[n.len()] != b's')
            .count()
    };
    count(needle) + count(spaced)
}
