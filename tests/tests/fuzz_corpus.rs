//! Issue 17, "Hostile input": every file that fuzzing found (`fuzz/corpus/<target>/`, AFL++'s
//! minimised queue and the crashes since fixed) goes again through its target, which must
//! return without panicking. Fuzzing itself runs outside the tests (docs/fuzzing.md).

use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use sportello_app::fuzzing::{TARGETS, open_payload};
use sportello_sync::{BundleError, Damage};

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus")
}

#[test]
fn every_corpus_file_is_read_without_a_panic() {
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (name, target) in TARGETS {
        let folder = corpus().join(name);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.is_file())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no corpus for target {name}");
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            if panic::catch_unwind(AssertUnwindSafe(|| target(&bytes))).is_err() {
                failures.push(format!("{name}: {}", file.display()));
            }
            replayed += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {replayed} corpus files panicked:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_corpus_folder_has_its_target() {
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            TARGETS.iter().any(|(n, _)| *n == name),
            "fuzz/corpus/{name} names no target of sportello_app::fuzzing"
        );
    }
}

/// A zstd bomb as the zstd tool makes it (1 GiB of zeros in 33 KB, kept in the payload corpus),
/// sealed by an enrolled comune: refused once it has grown to 64 times its size, so in a few
/// megabytes and well under a second, never decompressed whole.
#[test]
fn a_zstd_bomb_of_one_gigabyte_is_refused_at_its_ceiling() {
    let bomb = std::fs::read(corpus().join("payload/regression-zstd-bomb-1GiB-zeros")).unwrap();
    assert!(bomb.len() < 40 << 10, "{} bytes", bomb.len());
    let start = Instant::now();
    let refused = open_payload(&bomb).expect("sealed");
    assert_eq!(
        refused.unwrap_err(),
        BundleError::Corrupted(Damage::DecompressedTooLarge)
    );
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

/// The payload target reaches the records: a seed with the right manifest opens, whether the
/// harness compresses it (first byte even) or it is a zstd stream already (odd).
#[test]
fn the_payload_seeds_open() {
    for seed in ["clear-two-records", "zstd-two-records"] {
        let bytes = std::fs::read(corpus().join("payload").join(seed)).unwrap();
        let records = open_payload(&bytes).expect("sealed").expect(seed);
        assert_eq!(records.len(), 2, "{seed}");
    }
}
