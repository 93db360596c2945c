//! The documents rendered in process, release build: the receipt, the attestato of the
//! servizio civico and the attestato di accreditamento (target: at most 50 ms each), then the
//! public ranking of 10,000 rows (time and size). The whole `sportello print ranking` process,
//! beside LibreOffice, is `tests/benches/documents.rs`.
//!
//! `cargo bench -p sportello-print --bench public_ranking`

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use std::time::Duration;

use sportello_print::{accreditation_certificate, attestato, public_ranking, receipt};

const ROWS: usize = 10_000;
const RUNS: usize = 5;
const SMALL_RUNS: usize = 21;
const SMALL_TARGET: Duration = Duration::from_millis(50);

fn main() {
    small_documents();
    let (doc, _, _) = common::ranking(ROWS, common::provisional());
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
    println!("  first run:                {:.3} s", cold.as_secs_f64());
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

/// The receipt first, as a process printing one document pays for it: the embedded faces
/// parsed, then the document; then each small document's median.
fn small_documents() {
    let r = common::receipt_fixture();
    let started = Instant::now();
    let pdf = receipt(&r).expect("the receipt prints");
    let cold = started.elapsed();
    println!(
        "receipt, first in the process (fonts parsed): {:.1} ms, {} bytes",
        cold.as_secs_f64() * 1000.0,
        pdf.len()
    );
    let a = common::attestato_fixture();
    let c = common::accreditation_fixture();
    let documents: [(&str, &dyn Fn() -> Vec<u8>); 3] = [
        ("receipt", &|| receipt(&r).unwrap()),
        ("attestato (servizio civico)", &|| attestato(&a).unwrap()),
        ("attestato di accreditamento", &|| {
            accreditation_certificate(&c).unwrap()
        }),
    ];
    for (name, print) in documents {
        let mut times: Vec<Duration> = (0..SMALL_RUNS)
            .map(|_| {
                let started = Instant::now();
                let pdf = print();
                let took = started.elapsed();
                assert!(!pdf.is_empty());
                took
            })
            .collect();
        times.sort();
        let median = times[SMALL_RUNS / 2];
        println!(
            "{name}: median of {SMALL_RUNS} {:.1} ms (max {:.1} ms), {} bytes; target <= 50 ms: {}",
            median.as_secs_f64() * 1000.0,
            times[SMALL_RUNS - 1].as_secs_f64() * 1000.0,
            print().len(),
            if median <= SMALL_TARGET {
                "met"
            } else {
                "NOT met"
            }
        );
    }
}

/// The page count poppler's `pdfinfo` reports (the page objects travel compressed).
fn count_pages(pdf: &[u8]) -> usize {
    common::pdfinfo(pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}
