//! Golden files in `fixtures/bundles/`, made with the TEST-ONLY keys in `fixtures/keys/`. They
//! must verify and open with every future build: a failure here means old files in the field
//! would be refused. Regenerate them only on a deliberate format change (bump FORMAT_VERSION):
//!
//! ```text
//! cargo test -p sportello-sync --test format -- --ignored regenerate_golden_files
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sportello_sync::district::{self, DistrictContents};
use sportello_sync::{
    BundleError, BundleKind, Damage, HeaderFields, InstallKeys, enrolment, inspect, open, seal,
    verify,
};

use crate::common::*;

const KEYS: [(&str, &str); 3] = [
    (
        "TEST-ONLY-999001-fontebianca-capofila.key",
        "Fontebianca (capofila, 999001)",
    ),
    ("TEST-ONLY-999002-roccaverde.key", "Roccaverde (999002)"),
    (
        "TEST-ONLY-999003-marina-serena.key",
        "Marina Serena (999003)",
    ),
];
const UPLOAD: &str = "golden-v1-D99-999002-up-000001.sportello";
const PUBLISH: &str = "golden-v1-D99-999001-pub-999002-000001.sportello";
const ENROLMENT: &str = "golden-v1-D99-999002-adesione.sportello";
const DISTRICT_FILE: &str = "golden-v1-D99-distretto-0001.sportello";
const BROKEN: [(&str, &str); 4] = [
    ("broken-not-a-bundle.sportello", "not_a_bundle"),
    ("broken-truncated.sportello", "truncated"),
    ("broken-corrupted.sportello", "corrupted"),
    ("broken-bad-signature.sportello", "bad_signature"),
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn read(dir: &str, name: &str) -> Vec<u8> {
    let path = fixtures().join(dir).join(name);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load_keys() -> [InstallKeys; 3] {
    KEYS.map(|(file, _)| {
        InstallKeys::from_secret_text(&String::from_utf8(read("keys", file)).unwrap()).unwrap()
    })
}

pub(crate) fn golden_district() -> District {
    let [capofila, roccaverde, marina] = load_keys();
    District::with_keys(capofila, roccaverde, marina)
}

/// Fixed forever: the records inside the golden bundles (fictional test people only).
fn golden_records() -> Vec<Value> {
    vec![
        json!({
            "table": "application",
            "id": "01956a3c-8c00-7000-8000-000000000001",
            "owner": "999002",
            "version": 1,
            "deleted": false,
            "content_hash": "golden",
            "body": {"codice_fiscale": "BNCGLI92M55D636B", "surname": "Bianchi", "name": "Giulia",
                     "isee": "3200.00", "note": "domanda presentata allo sportello\nsecondo rigo"}
        }),
        json!({"table": "application", "id": "01956a3c-8c00-7000-8000-000000000002",
               "owner": "999002", "version": 2, "deleted": true, "body": null}),
    ]
}

fn golden_upload_fields() -> HeaderFields {
    HeaderFields {
        kind: BundleKind::Upload,
        district: DISTRICT.into(),
        sender: ROCCAVERDE.into(),
        seq: 1,
        prev_header_hash: None,
        changes: sportello_sync::ChangeRange {
            from_version: 0,
            to_version: 2,
        },
        ack: sportello_sync::Ack { seq: 0, version: 0 },
        schema_version: 1,
        app_version: "0.1.0".into(),
        created_at: AT.into(),
    }
}

fn golden_publish_fields() -> HeaderFields {
    HeaderFields {
        kind: BundleKind::Publish,
        sender: CAPOFILA.into(),
        changes: sportello_sync::ChangeRange {
            from_version: 0,
            to_version: 1,
        },
        ack: sportello_sync::Ack { seq: 1, version: 2 },
        ..golden_upload_fields()
    }
}

fn golden_district_contents(d: &District) -> DistrictContents {
    DistrictContents {
        district: DISTRICT.into(),
        capofila: CAPOFILA.into(),
        seq: 1,
        app_version: "0.1.0".into(),
        created_at: AT.into(),
        district_toml: "id = \"D99\"\nname = \"Valle dei Test\"\ncapofila = \"999001\"\n".into(),
        bandi: vec!["id = \"SC-2026\"\ntitle = \"Servizio civico 2026\"\n".into()],
        trust: d.capofila_trust.clone(),
        rotations: Vec::new(),
    }
}

#[test]
fn golden_upload_verifies_and_opens() {
    let d = golden_district();
    let bytes = read("bundles", UPLOAD);
    let inspected = inspect(&bytes).unwrap();
    let expected = golden_upload_fields();
    let header = inspected.header();
    assert_eq!(header.kind, expected.kind);
    assert_eq!(
        (header.district.as_str(), header.sender.as_str()),
        (DISTRICT, ROCCAVERDE)
    );
    assert_eq!((header.seq, header.prev_header_hash), (1, None));
    assert_eq!(
        (header.changes, header.ack),
        (expected.changes, expected.ack)
    );
    assert_eq!(header.created_at, AT);
    assert_eq!(header.file_name(), UPLOAD.trim_start_matches("golden-v1-"));
    let verified = verify(&inspected, &d.capofila_trust, &d.at_capofila()).unwrap();
    assert_eq!(open(&verified, &d.capofila).unwrap(), golden_records());
}

#[test]
fn golden_publish_verifies_and_opens() {
    let d = golden_district();
    let bytes = read("bundles", PUBLISH);
    let inspected = inspect(&bytes).unwrap();
    assert_eq!(inspected.header().ack, golden_publish_fields().ack);
    assert_eq!(
        inspected.header().file_name(),
        PUBLISH.trim_start_matches("golden-v1-")
    );
    let verified = verify(&inspected, &d.comune_trust, &d.at(ROCCAVERDE)).unwrap();
    assert_eq!(
        open(&verified, &d.roccaverde).unwrap(),
        golden_records()[..1]
    );
}

#[test]
fn golden_enrolment_verifies() {
    let d = golden_district();
    let fp = d.roccaverde.fingerprint().to_string();
    let enrolment = enrolment::verify(&read("bundles", ENROLMENT), &fp, DISTRICT).unwrap();
    assert_eq!(enrolment.comune, ROCCAVERDE);
    assert_eq!(enrolment.keys, d.roccaverde.public());
}

#[test]
fn golden_district_file_verifies() {
    let d = golden_district();
    let bytes = read("bundles", DISTRICT_FILE);
    let fp = d.capofila.fingerprint().to_string();
    let file = district::verify(&bytes, &fp, Some(DISTRICT)).unwrap();
    assert_eq!(file.contents, golden_district_contents(&d));
    assert_eq!(
        district::verify_trusted(&bytes, &d.comune_trust, DISTRICT).unwrap(),
        file
    );
}

#[test]
fn broken_fixtures_are_refused_with_their_reason() {
    let d = golden_district();
    for (name, code) in BROKEN {
        let bytes = read("bundles", name);
        let result = inspect(&bytes)
            .and_then(|i| verify(&i, &d.capofila_trust, &d.at_capofila()).map(|_| ()));
        assert_eq!(result.map_err(|e| e.code()), Err(code), "{name}");
    }
}

#[test]
fn key_readme_lists_the_test_keys_fingerprints() {
    let readme = String::from_utf8(read("keys", "README.md")).unwrap();
    for keys in load_keys() {
        assert!(
            readme.contains(&keys.fingerprint().to_string()),
            "{}",
            keys.key_id()
        );
        assert!(readme.contains(keys.key_id().as_str()));
    }
}

#[test]
#[ignore = "rewrites the golden fixtures: run only on a deliberate format change"]
fn regenerate_golden_files() {
    let keys_dir = fixtures().join("keys");
    let bundles_dir = fixtures().join("bundles");
    fs::create_dir_all(&keys_dir).unwrap();
    fs::create_dir_all(&bundles_dir).unwrap();

    // Keys are made once and kept: regenerating bundles must not change who signed them.
    let mut readme = String::from(KEYS_README);
    for (file, who) in KEYS {
        let path = keys_dir.join(file);
        if !path.exists() {
            let text = InstallKeys::generate().to_secret_text();
            let header =
                format!("# TEST-ONLY key of {who}, district D99. NEVER use outside tests.\n");
            fs::write(&path, format!("{header}{}", text.as_str())).unwrap();
        }
        let keys = InstallKeys::from_secret_text(&fs::read_to_string(&path).unwrap()).unwrap();
        readme.push_str(&format!(
            "| `{file}` | {who} | `{}` | `{}` |\n",
            keys.key_id(),
            keys.fingerprint()
        ));
    }
    fs::write(keys_dir.join("README.md"), readme).unwrap();

    let d = golden_district();
    let capofila = d.capofila_trust.capofila().unwrap().addressee();
    let upload = seal(
        &golden_upload_fields(),
        &golden_records(),
        &d.roccaverde,
        &[capofila],
    )
    .unwrap();
    let roccaverde = d.capofila_trust.current(ROCCAVERDE).unwrap().addressee();
    let publish = seal(
        &golden_publish_fields(),
        &golden_records()[..1],
        &d.capofila,
        &[roccaverde],
    )
    .unwrap();
    let enrol = enrolment::create(DISTRICT, ROCCAVERDE, &d.roccaverde, "0.1.0", AT);
    let district_file = district::create(&golden_district_contents(&d), &d.capofila);

    let (_, header_end, payload_start) = layout(&upload.bytes);
    let mut corrupted = upload.bytes.clone();
    corrupted[payload_start + 40] ^= 0x20;
    let mut bad_signature = upload.bytes.clone();
    bad_signature[header_end + 5] ^= 0x01;
    let files: [(&str, Vec<u8>); 8] = [
        (UPLOAD, upload.bytes.clone()),
        (PUBLISH, publish.bytes),
        (ENROLMENT, enrol),
        (DISTRICT_FILE, district_file),
        (BROKEN[0].0, b"cognome;nome\nRossi;Mario\n".to_vec()),
        (
            BROKEN[1].0,
            upload.bytes[..upload.bytes.len() * 2 / 3].to_vec(),
        ),
        (BROKEN[2].0, corrupted),
        (BROKEN[3].0, bad_signature),
    ];
    for (name, bytes) in files {
        fs::write(bundles_dir.join(name), bytes).unwrap();
    }
    // The freshly written files must pass the tests above.
    golden_upload_verifies_and_opens();
    golden_publish_verifies_and_opens();
    golden_enrolment_verifies();
    golden_district_file_verifies();
    broken_fixtures_are_refused_with_their_reason();
    assert_eq!(
        inspect(&read("bundles", BROKEN[2].0)).unwrap_err(),
        BundleError::Corrupted(Damage::PayloadHash)
    );
}

const KEYS_README: &str = "\
# TEST-ONLY keys

These keys sign and open the golden files in `fixtures/bundles/` and may be used by any test.
They are public, so they protect nothing: **never enrol them in a real district.** The
fictional district is D99 \"Valle dei Test\" (see the domain brief).

Each file is the text `InstallKeys::to_secret_text` writes, after `#` comment lines. This
README is rewritten by `regenerate_golden_files` (see `fixtures/bundles/README.md`); a test
checks that the fingerprints below are those of the key files.

| File | Install | Key id | Fingerprint |
|---|---|---|---|
";
