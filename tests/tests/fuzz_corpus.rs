//! Issue 17, "Hostile input": every file that fuzzing found (`fuzz/corpus/<target>/`, AFL++'s
//! minimised queue and the crashes since fixed) goes again through its target, which must
//! return without panicking. Fuzzing itself runs outside the tests (docs/fuzzing.md).

use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;

use sportello_app::fuzzing::TARGETS;

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
