//! An install replaced (a dead disk, a new PC) or restored from an older backup catches up
//! with the capofila: it gets its own records back, continues the same case-number series and
//! the same bundle numbers, and nothing it files is lost or numbered twice.

use std::path::PathBuf;

use serde_json::Value;
use sportello_tests::{Install, arg, distribute, enrol, fixture_applications};

const CAPOFILA: &str = "089017";
const FLORIDIA: &str = "089009";

fn capofila() -> Install {
    Install::of("district-d48.toml", CAPOFILA, &["bando-sc-2026-1.toml"])
}

fn floridia(capofila: &Install) -> Install {
    let comune = Install::init("district-d48.toml", FLORIDIA);
    enrol(capofila, &comune);
    distribute(capofila, &[&comune]);
    comune
}

/// `bundle import` that must succeed; returns its report.
fn import(into: &Install, file: &std::path::Path) -> Value {
    let (run, reports) = into.import(&[file]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    reports[0].clone()
}

/// The publish bundle the capofila writes for Floridia.
fn publish_for_floridia(capofila: &Install) -> PathBuf {
    publish_for(capofila, FLORIDIA)
}

/// The publish bundle the capofila writes for `comune`.
fn publish_for(capofila: &Install, comune: &str) -> PathBuf {
    capofila
        .export()
        .into_iter()
        .find(|f| f.to_string_lossy().contains(&format!("-pub-{comune}-")))
        .expect("a bundle for the comune")
}

/// Case numbers of the applications listed, sorted.
fn case_numbers(list: &Value) -> Vec<String> {
    let mut numbers: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["case_number"].as_str().unwrap().to_string())
        .collect();
    numbers.sort();
    numbers
}

fn codes(list: &Value) -> Vec<String> {
    let mut codes: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["application_code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

#[test]
fn a_new_pc_gets_its_records_back_and_continues_the_same_series() {
    let capofila = capofila();
    let old_pc = floridia(&capofila);
    let items = fixture_applications();
    old_pc.add(&items[0..3]);
    import(&capofila, &old_pc.export()[0]);
    old_pc.add(&items[3..4]);
    import(&capofila, &old_pc.export()[0]);

    // The disk dies. A new PC is set up and enrolled again: the capofila is warned that the
    // comune's key is replaced, and the old key is revoked from the next bundle number.
    let new_pc = Install::init("district-d48.toml", FLORIDIA);
    let file = new_pc.path("adesione.sportello");
    new_pc.ok(&["enrol", "export", "--out", arg(&file)]);
    let accepted = capofila.run(&[
        "enrol",
        "accept",
        arg(&file),
        "--fingerprint",
        &new_pc.fingerprint(),
    ]);
    assert_eq!(accepted.code, 0, "{}", accepted.stderr);
    assert!(
        accepted.stderr.contains(&old_pc.fingerprint())
            && accepted.stderr.contains("revocata dal pacchetto n. 3"),
        "{}",
        accepted.stderr
    );
    distribute(&capofila, &[&new_pc]);

    // Exported before getting anything back, its first bundle clashes with the old PC's first:
    // refused, with what to do, and nothing lost.
    let early = new_pc.export().remove(0);
    let (run, reports) = capofila.import(&[early.as_path()]);
    assert_eq!(run.code, 1);
    let said = reports[0]["error"]["message"].as_str().unwrap_or_default();
    assert!(
        said.contains("importi prima l'ultimo pacchetto del capofila"),
        "{reports}"
    );

    // The recovery: the capofila's next bundle returns Floridia's four applications (each
    // with its revision) and its monitoring counts, one record per half-year since the first.
    let report = import(&new_pc, &publish_for_floridia(&capofila));
    let half_years = report["summary"]["tables"]["monitoring_counts"]["new"]
        .as_u64()
        .unwrap_or(0);
    assert!(half_years >= 1, "{report}");
    assert_eq!(report["summary"]["recovered"], 8 + half_years, "{report}");
    let held = capofila.json(&["application", "list", "--comune", FLORIDIA]);
    assert_eq!(codes(&new_pc.json(&["application", "list"])), codes(&held));

    // The series continues: the next case number is the fifth, the next bundle the third.
    let filed = new_pc.json(&[
        "application",
        "add",
        arg(&new_pc.write("nuova.json", &items[4].to_string())),
    ]);
    assert_eq!(filed["case_number"], "2026/0000005");
    let upload = new_pc.export().remove(0);
    assert!(
        upload.to_string_lossy().ends_with("-up-000003.sportello"),
        "{}",
        upload.display()
    );
    import(&capofila, &upload);
    let held = capofila.json(&["application", "list", "--comune", FLORIDIA]);
    assert_eq!(
        case_numbers(&held),
        (1..=5).map(|n| format!("2026/{n:07}")).collect::<Vec<_>>()
    );

    // The old PC's key (a stolen laptop, say) signs nothing the capofila accepts any more.
    old_pc.add(&items[5..6]);
    let stolen = old_pc.export().remove(0);
    let (run, reports) = capofila.import(&[stolen.as_path()]);
    assert_eq!(run.code, 1);
    assert_eq!(reports[0]["error"]["code"], "revoked_key", "{reports}");
    assert_eq!(
        capofila
            .json(&["application", "list", "--comune", FLORIDIA])
            .as_array()
            .unwrap()
            .len(),
        5
    );
}

#[test]
fn an_install_restored_from_an_older_backup_loses_nothing_and_numbers_nothing_twice() {
    let capofila = capofila();
    let comune = floridia(&capofila);
    let items = fixture_applications();
    comune.add(&items[0..2]);
    import(&capofila, &comune.export()[0]);
    let backup = comune.save();
    comune.add(&items[2..4]);
    import(&capofila, &comune.export()[0]);
    import(&comune, &publish_for_floridia(&capofila));

    // The disk is restored from the older backup: two applications are gone from it, and the
    // next one filed takes a case number the capofila already holds.
    comune.restore(&backup);
    let filed = comune.json(&[
        "application",
        "add",
        arg(&comune.write("dopo.json", &items[4].to_string())),
    ]);
    assert_eq!(filed["case_number"], "2026/0000003");
    let clashing = comune.export().remove(0);
    let (run, reports) = capofila.import(&[clashing.as_path()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(reports[0]["error"]["code"], "fork", "{reports}");
    // Exported again before the capofila's answer, the bundle is numbered anew: it is its
    // case number, another application's at the capofila, that tells the comune lost data.
    let again = comune.export().remove(0);
    let (run, reports) = capofila.import(&[again.as_path()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(reports[0]["error"]["code"], "sender_restored", "{reports}");
    let held = capofila.json(&["application", "list", "--comune", FLORIDIA]);
    assert_eq!(held.as_array().unwrap().len(), 4);

    // The capofila's next bundle returns what the comune lost; the application filed after the
    // restore moves past the numbers returned, and reaches the capofila.
    let report = import(&comune, &publish_for_floridia(&capofila));
    assert_eq!(
        report["summary"]["renumbered"],
        serde_json::json!(["2026/0000003 → 2026/0000005"]),
        "{report}"
    );
    import(&capofila, &comune.export()[0]);
    let held = capofila.json(&["application", "list", "--comune", FLORIDIA]);
    assert_eq!(held.as_array().unwrap().len(), 5);
    assert_eq!(codes(&held), codes(&comune.json(&["application", "list"])));
    assert_eq!(
        case_numbers(&held),
        (1..=5).map(|n| format!("2026/{n:07}")).collect::<Vec<_>>()
    );
}

#[test]
fn a_revoked_key_signs_nothing_from_its_number_on_and_earlier_files_stay_valid() {
    let capofila = capofila();
    let comune = floridia(&capofila);
    let items = fixture_applications();
    comune.add(&items[0..1]);
    let first = comune.export().remove(0);
    comune.add(&items[1..2]);
    let second = comune.export().remove(0);
    let zero = capofila.run(&["enrol", "revoke", FLORIDIA, "--from-seq", "0"]);
    assert_eq!(zero.code, 1);
    assert!(zero.stderr.contains("numerati da 1"), "{}", zero.stderr);
    // The laptop is stolen after the first bundle left: from the second on, nothing counts.
    let said = capofila.ok(&["enrol", "revoke", FLORIDIA, "--from-seq", "2"]);
    assert!(said.contains("revocata dal pacchetto n. 2"), "{said}");
    import(&capofila, &first);
    let (run, reports) = capofila.import(&[second.as_path()]);
    assert_eq!(run.code, 1);
    assert_eq!(reports[0]["error"]["code"], "revoked_key", "{reports}");
    assert_eq!(
        comune.run(&["enrol", "revoke", FLORIDIA]).code,
        1,
        "a comune revokes nothing"
    );
}

/// A planned key change: the new keys reach the capofila signed by the old ones, uploads switch
/// to them once the capofila confirms, and the old keys sign nothing more.
#[test]
fn a_rotated_key_takes_over_and_the_old_one_signs_nothing_more() {
    let capofila = capofila();
    let comune = floridia(&capofila);
    let items = fixture_applications();
    comune.add(&items[0..1]);
    import(&capofila, &comune.export()[0]);
    let before = comune.copy();
    let old_fingerprint = comune.fingerprint();

    let rotated = comune.json(&["key", "rotate"]);
    assert_eq!(rotated["old_fingerprint"], old_fingerprint.as_str());
    assert_eq!(
        comune.fingerprint(),
        rotated["new_fingerprint"].as_str().unwrap()
    );
    let again = comune.run(&["key", "rotate"]);
    assert_eq!(again.code, 1, "one rotation at a time");

    // The next upload, still signed by the old key, carries the new one.
    comune.add(&items[1..2]);
    import(&capofila, &comune.export()[0]);
    // The capofila's answer is encrypted to the new key, and confirms it.
    import(&comune, &publish_for_floridia(&capofila));
    comune.add(&items[2..3]);
    let signed_new = comune.export().remove(0);
    let header = capofila.json(&["bundle", "inspect", arg(&signed_new)]);
    assert_eq!(header["signature"], "valid");
    import(&capofila, &signed_new);
    assert_eq!(
        capofila
            .json(&["application", "list", "--comune", FLORIDIA])
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // The old key, in a copy taken before the rotation, signs nothing the capofila accepts
    // from the rotation on (its number 2 is the capofila's already: that one is a fork).
    before.export();
    before.add(&items[3..4]);
    let stolen = before.export().remove(0);
    assert!(stolen.to_string_lossy().ends_with("-up-000003.sportello"));
    let (run, reports) = capofila.import(&[stolen.as_path()]);
    assert_eq!(run.code, 1);
    assert_eq!(reports[0]["error"]["code"], "revoked_key", "{reports}");
}

/// The capofila moves to new keys: the district file, signed by the old key the comuni trust,
/// carries the new one; a comune that accepts it reads the capofila's bundles signed by the new
/// key, and one that has not yet accepted it still uploads to the old key, and is told what to
/// do with bundles it cannot verify yet.
#[test]
fn the_capofila_rotates_through_the_district_file() {
    let capofila = capofila();
    let floridia = floridia(&capofila);
    let priolo = Install::init("district-d48.toml", "089021");
    enrol(&capofila, &priolo);
    distribute(&capofila, &[&priolo]);
    let old_fingerprint = capofila.fingerprint();
    let items = fixture_applications();
    floridia.add(&items[0..1]);
    import(&capofila, &floridia.export()[0]);

    let rotated = capofila.json(&["key", "rotate"]);
    assert_eq!(rotated["old_fingerprint"], old_fingerprint.as_str());
    assert_ne!(capofila.fingerprint(), old_fingerprint);

    // Floridia accepts the new district file with the fingerprint it always knew.
    let file = PathBuf::from(
        capofila
            .ok(&["district", "export", "--out", arg(capofila.dir.path())])
            .trim(),
    );
    floridia.ok(&[
        "district",
        "accept",
        arg(&file),
        "--fingerprint",
        &old_fingerprint,
    ]);
    import(&floridia, &publish_for(&capofila, FLORIDIA));
    floridia.add(&items[1..2]);
    import(&capofila, &floridia.export()[0]);

    // Priolo has not accepted it yet: its upload still reaches the capofila; the capofila's
    // bundle, signed by the new key, waits until Priolo accepts the district file.
    priolo.add(&items[10..11]);
    import(&capofila, &priolo.export()[0]);
    let to_priolo = publish_for(&capofila, "089021");
    let (run, reports) = priolo.import(&[to_priolo.as_path()]);
    assert_eq!(run.code, 1);
    assert_eq!(reports[0]["error"]["code"], "unknown_key", "{reports}");
    let said = reports[0]["error"]["message"].as_str().unwrap_or_default();
    assert!(said.contains("file del distretto"), "{said}");
    priolo.ok(&[
        "district",
        "accept",
        arg(&file),
        "--fingerprint",
        &old_fingerprint,
    ]);
    import(&priolo, &publish_for(&capofila, "089021"));
    assert_eq!(
        capofila
            .json(&["application", "list"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
}
