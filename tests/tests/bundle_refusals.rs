//! Every reason `bundle import` refuses a file, through the CLI: exit 1, the Italian message on
//! stderr, the file kept in the `quarantena` folder with a `.motivo.txt`, the attempt logged,
//! and nothing else changed. "Already imported" is exit 0 and changes nothing. A crash between
//! applying and committing leaves the database as it was.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use sportello_store::SCHEMA_VERSION;
use sportello_sync::{Ack, BundleKind, ChangeRange, HeaderFields, TrustList, seal};
use sportello_tests::{
    Install, REGISTRY, SYNC_STATE, arg, binary, distribute, dump_tables, enrol, fixture,
    fixture_applications,
};

const DISTRICT: &str = "district-d48.toml";
const CAPOFILA: &str = "089017";
const FLORIDIA: &str = "089009";
const PRIOLO: &str = "089021";

/// The capofila and two enrolled comuni that accepted the district file.
struct Pair {
    capofila: Install,
    floridia: Install,
    priolo: Install,
}

fn pair() -> Pair {
    let capofila = Install::init(DISTRICT, CAPOFILA);
    let floridia = Install::init(DISTRICT, FLORIDIA);
    let priolo = Install::init(DISTRICT, PRIOLO);
    enrol(&capofila, &floridia);
    enrol(&capofila, &priolo);
    capofila.ok(&["bando", "import", arg(&fixture("bando-sc-2026-1.toml"))]);
    distribute(&capofila, &[&floridia, &priolo]);
    Pair {
        capofila,
        floridia,
        priolo,
    }
}

/// `pair()` with the capofila already holding Floridia's first upload (so refusals are
/// checked against a registry that is not empty); returns Floridia's second upload, not yet
/// imported.
fn pair_with_history() -> (Pair, PathBuf) {
    let p = pair();
    let items = fixture_applications();
    p.floridia.add(&items[0..3]);
    let first = p.floridia.export().remove(0);
    p.capofila.ok(&["bundle", "import", arg(&first)]);
    p.floridia.add(&items[3..5]);
    let second = p.floridia.export().remove(0);
    (p, second)
}

/// What an import must leave untouched when it refuses a file.
struct Before {
    state: std::collections::BTreeMap<String, Vec<String>>,
    list: Value,
    quarantined: usize,
}

fn before(install: &Install) -> Before {
    Before {
        state: install.tables(SYNC_STATE),
        list: install.json(&["application", "list"]),
        quarantined: install.quarantined().len(),
    }
}

/// The newest line of the import log: (file name, outcome, code).
fn last_logged(install: &Install) -> (String, String, Option<String>) {
    let conn = sportello_tests::connect_read_only(&install.db).expect("open read-only");
    conn.query_row(
        "SELECT file_name, outcome, code FROM import_log ORDER BY seq DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .expect("an import was logged")
}

/// Imports `file` at `install` and checks it is refused with `code` and a message containing
/// `says`, quarantined with its reason, logged, and that nothing else changed.
fn assert_refused(install: &Install, file: &Path, code: &str, says: &str) -> String {
    let was = before(install);
    let run = install.run(&["bundle", "import", arg(file)]);
    assert_eq!(
        run.code, 1,
        "{code}: stdout {} stderr {}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr.contains(&format!("RIFIUTATO ({code})")),
        "expected refusal {code}: {}",
        run.stderr
    );
    assert!(run.stderr.contains(says), "{code}: {}", run.stderr);
    assert!(
        run.stderr.contains("cartella quarantena"),
        "the operator is told where the file went: {}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);

    assert_eq!(
        install.tables(SYNC_STATE),
        was.state,
        "{code}: the state changed"
    );
    assert_eq!(install.json(&["application", "list"]), was.list, "{code}");

    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let quarantined = install.quarantined();
    assert_eq!(
        quarantined.len(),
        was.quarantined + 2,
        "{code}: {quarantined:?}"
    );
    let kept = quarantined
        .iter()
        .rev()
        .find(|q| q.to_string_lossy().ends_with(&format!("-{name}")))
        .unwrap_or_else(|| panic!("{name} not in quarantine: {quarantined:?}"));
    assert_eq!(std::fs::read(kept).unwrap(), std::fs::read(file).unwrap());
    let mut reason = kept.clone().into_os_string();
    reason.push(".motivo.txt");
    let reason = std::fs::read_to_string(&reason).expect("the reason is kept next to the file");
    assert_eq!(reason.lines().next(), Some(code), "{reason}");
    assert!(reason.contains(says), "{reason}");

    assert_eq!(
        last_logged(install),
        (name, "refused".to_string(), Some(code.to_string()))
    );
    run.stderr
}

/// Writes `bytes` as the file `name` in the install's folder.
fn write_beside(install: &Install, name: &str, bytes: &[u8]) -> PathBuf {
    let path = install.path(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Byte offsets of a file's header and signature (docs/bundle-format.md §1).
fn layout(bytes: &[u8]) -> (usize, usize) {
    let header_len = u32::from_be_bytes(bytes[16..20].try_into().unwrap()) as usize;
    (20, 20 + header_len)
}

#[test]
fn a_file_that_is_not_a_bundle_is_refused() {
    let (p, _) = pair_with_history();
    let text = p
        .capofila
        .write("domande.csv", "cognome;nome\nRossi;Maria\n");
    assert_refused(
        &p.capofila,
        &text,
        "not_a_bundle",
        "non è un file di Sportello",
    );
    let broken = fixture("bundles/broken-not-a-bundle.sportello");
    assert_refused(
        &p.capofila,
        &broken,
        "not_a_bundle",
        "non è un file di Sportello",
    );
    let short = p.capofila.write("breve.sportello", "ciao");
    assert_refused(
        &p.capofila,
        &short,
        "not_a_bundle",
        "non è un file di Sportello",
    );
}

#[test]
fn a_bundle_of_an_unsupported_format_version_is_refused() {
    let (p, upload) = pair_with_history();
    let mut bytes = std::fs::read(&upload).unwrap();
    bytes[14..16].copy_from_slice(&2u16.to_be_bytes());
    let file = write_beside(&p.capofila, "D48-089009-up-000002.sportello", &bytes);
    assert_refused(&p.capofila, &file, "unsupported_version", "versione 2");
}

#[test]
fn a_truncated_bundle_is_refused() {
    let (p, upload) = pair_with_history();
    let bytes = std::fs::read(&upload).unwrap();
    let (_, signature) = layout(&bytes);
    for (i, cut) in [10, signature, bytes.len() * 2 / 3, bytes.len() - 1]
        .into_iter()
        .enumerate()
    {
        let file = write_beside(
            &p.capofila,
            &format!("troncato-{i}.sportello"),
            &bytes[..cut],
        );
        assert_refused(&p.capofila, &file, "truncated", "troncato");
    }
    let broken = fixture("bundles/broken-truncated.sportello");
    assert_refused(&p.capofila, &broken, "truncated", "troncato");
    // An empty file, or the first bytes of the magic: a copy that stopped early.
    let empty = p.capofila.write("vuoto.sportello", "");
    assert_refused(&p.capofila, &empty, "truncated", "troncato");
    let start = write_beside(&p.capofila, "inizio.sportello", &bytes[..6]);
    assert_refused(&p.capofila, &start, "truncated", "troncato");
}

#[test]
fn a_corrupted_bundle_is_refused() {
    let (p, upload) = pair_with_history();
    let bytes = std::fs::read(&upload).unwrap();
    let mut payload = bytes.clone();
    *payload.last_mut().unwrap() ^= 0x01;
    let file = write_beside(&p.capofila, "payload.sportello", &payload);
    assert_refused(&p.capofila, &file, "corrupted", "danneggiato");
    let mut trailing = bytes.clone();
    trailing.push(b'\n');
    let file = write_beside(&p.capofila, "coda.sportello", &trailing);
    assert_refused(&p.capofila, &file, "corrupted", "danneggiato");
    let broken = fixture("bundles/broken-corrupted.sportello");
    assert_refused(&p.capofila, &broken, "corrupted", "danneggiato");
}

#[test]
fn a_bundle_of_another_district_is_refused() {
    let (p, _) = pair_with_history();
    // A comune of the fictional district D99, with its own capofila.
    let d99 = Install::init("district-d99.toml", "999001");
    let roccaverde = Install::init("district-d99.toml", "999002");
    enrol(&d99, &roccaverde);
    distribute(&d99, &[&roccaverde]);
    let upload = roccaverde.export().remove(0);
    assert!(
        d99.run(&["bundle", "import", arg(&upload)]).code == 0,
        "the bundle is good in its own district"
    );
    assert_refused(&p.capofila, &upload, "wrong_district", "distretto D99");
    let golden = fixture("bundles/golden-v1-D99-999002-up-000001.sportello");
    assert_refused(&p.capofila, &golden, "wrong_district", "distretto D99");
}

#[test]
fn a_bundle_signed_by_a_comune_never_enrolled_is_refused() {
    let (p, second) = pair_with_history();
    // Palazzolo Acreide took the district file but the capofila never accepted its enrolment.
    let palazzolo = Install::init(DISTRICT, "089015");
    distribute(&p.capofila, &[&palazzolo]);
    palazzolo.add(&fixture_applications()[19..21]);
    let upload = palazzolo.export().remove(0);
    assert_refused(
        &p.capofila,
        &upload,
        "unknown_key",
        "non risulta autorizzata",
    );
    // A comune's upload at another comune: that comune trusts only the capofila.
    assert_refused(&p.priolo, &second, "unknown_key", "non risulta autorizzata");
}

#[test]
fn a_bundle_with_a_bad_signature_is_refused() {
    let (p, upload) = pair_with_history();
    let bytes = std::fs::read(&upload).unwrap();
    let (header, signature) = layout(&bytes);

    let mut sig = bytes.clone();
    sig[signature + 10] ^= 0x40;
    let file = write_beside(&p.capofila, "firma.sportello", &sig);
    assert_refused(
        &p.capofila,
        &file,
        "bad_signature",
        "firma del file non è valida",
    );

    // A header edited so it still reads (a digit of the creation time): the signature fails.
    let text = std::str::from_utf8(&bytes[header..signature]).unwrap();
    let at = text.find("\"created_at\":\"").unwrap() + "\"created_at\":\"".len() + 3;
    let mut edited = bytes.clone();
    edited[header + at] = if edited[header + at] == b'7' {
        b'8'
    } else {
        b'7'
    };
    let file = write_beside(&p.capofila, "intestazione.sportello", &edited);
    assert_refused(
        &p.capofila,
        &file,
        "bad_signature",
        "firma del file non è valida",
    );
}

#[test]
fn a_bundle_addressed_to_another_install_is_refused() {
    let (p, upload) = pair_with_history();
    // The capofila's publish bundle for Floridia, given to Priolo.
    let publish = p.capofila.export();
    let for_floridia = publish
        .iter()
        .find(|f| f.to_string_lossy().contains(&format!("-pub-{FLORIDIA}-")))
        .unwrap();
    assert_refused(
        &p.priolo,
        for_floridia,
        "not_addressed_to_us",
        "è destinato a",
    );
    // Floridia's own upload, imported at Floridia by mistake.
    assert_refused(&p.floridia, &upload, "not_addressed_to_us", "è destinato a");
    // It was not spoiled for the right recipient.
    p.floridia.ok(&["bundle", "import", arg(for_floridia)]);
}

#[test]
fn two_different_bundles_with_one_number_are_a_fork() {
    let p = pair();
    let items = fixture_applications();
    p.floridia.add(&items[0..2]);
    // A backup of Floridia taken before the export...
    let backup = p.floridia.save();
    let first = p.floridia.export().remove(0);
    p.capofila.ok(&["bundle", "import", arg(&first)]);
    // ...restored after it, then other work exported: the same number, other content.
    p.floridia.restore(&backup);
    p.floridia.add(&items[2..3]);
    let other = p.floridia.export().remove(0);
    assert_eq!(
        first.file_name(),
        other.file_name(),
        "the same sender and number"
    );
    assert_ne!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&other).unwrap()
    );
    // Refused, and nothing of it applied; the only change is that the capofila's next bundle
    // for Floridia returns Floridia's records above where this one starts (recupero), so the
    // restored install catches up (tests/tests/recovery.rs follows it through).
    let registry = dump_tables(&p.capofila.db, REGISTRY);
    let run = p.capofila.run(&["bundle", "import", arg(&other)]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("RIFIUTATO (fork)") && run.stderr.contains("in conflitto"),
        "{}",
        run.stderr
    );
    assert_eq!(dump_tables(&p.capofila.db, REGISTRY), registry);
    let conn = sportello_tests::connect(&p.capofila.db).unwrap();
    let recovery: Option<i64> = conn
        .query_row(
            "SELECT recovery_from FROM peers WHERE comune = ?1",
            [FLORIDIA],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(recovery, Some(0));
}

/// Seals an upload from Floridia to the capofila with the given records, as Floridia's keys
/// would: a bundle that passes every check of the file itself.
fn craft_upload(p: &Pair, seq: u64, records: &[Value]) -> PathBuf {
    craft_upload_of_schema(p, seq, records, SCHEMA_VERSION as u32)
}

/// An upload as an install writing schema `schema` would make it.
fn craft_upload_of_schema(p: &Pair, seq: u64, records: &[Value], schema: u32) -> PathBuf {
    craft_upload_with(p, records, |fields| {
        fields.seq = seq;
        fields.schema_version = schema;
    })
}

/// An upload whose header fields `edit` changes (signed with Floridia's own keys), each
/// record with the content hash of its fields.
fn craft_upload_with(p: &Pair, records: &[Value], edit: impl FnOnce(&mut HeaderFields)) -> PathBuf {
    let records: Vec<Value> = records.iter().cloned().map(with_content_hash).collect();
    seal_upload(p, &records, edit)
}

/// An upload of `records` exactly as given.
fn seal_upload(p: &Pair, records: &[Value], edit: impl FnOnce(&mut HeaderFields)) -> PathBuf {
    let keys = sportello_tests::install_keys(&p.floridia.db);
    let trust = read_setting(&p.floridia.db, "trust_list");
    let trust = TrustList::from_json(&trust).expect("Floridia's trust list");
    let capofila = trust.capofila().expect("capofila trusted").addressee();
    let mut fields = HeaderFields {
        kind: BundleKind::Upload,
        district: "D48".into(),
        sender: FLORIDIA.into(),
        seq: 1,
        prev_header_hash: None,
        changes: ChangeRange {
            from_version: 0,
            to_version: 100,
        },
        ack: Ack::default(),
        schema_version: SCHEMA_VERSION as u32,
        app_version: "0.1.0".into(),
        created_at: "2026-03-02T09:30:00+01:00".into(),
    };
    edit(&mut fields);
    let sealed = seal(&fields, records, &keys, &[capofila]).expect("seal");
    let path = p.floridia.path(&format!("craft-{}", sealed.file_name));
    std::fs::write(&path, &sealed.bytes).unwrap();
    path
}

/// A record with the content hash of its fields, as docs/bundle-format.md defines it (SHA-256
/// of the fields as JSON with sorted keys), so that a crafted record is refused for what the
/// test changed and nothing else. A record without a body is left as it is.
fn with_content_hash(mut record: Value) -> Value {
    use sha2::{Digest, Sha256};
    let Some(body) = record.get("body").and_then(Value::as_object) else {
        return record;
    };
    let sorted: std::collections::BTreeMap<&String, &Value> = body.iter().collect();
    let hash = hex::encode(Sha256::digest(serde_json::to_vec(&sorted).unwrap()));
    record["content_hash"] = Value::String(hash);
    record
}

fn read_setting(db: &Path, key: &str) -> String {
    let conn = sportello_tests::connect_read_only(db).unwrap();
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .unwrap()
}

/// Floridia's own records, as its next upload would carry them.
fn floridia_records(p: &Pair) -> Vec<Value> {
    let store = sportello_tests::store(&p.floridia.db);
    store
        .records_since(sportello_store::Direction::Upload, FLORIDIA, 0)
        .unwrap()
        .records
        .into_iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .collect()
}

/// A copy of one of Floridia's own revisions under another id and owner: a well-formed record
/// that only its ownership or one edited field makes wrong.
fn revision(own: &[Value], owner: &str, id: &str) -> Value {
    let mut record = own
        .iter()
        .find(|r| r["table"] == "application_revisions")
        .expect("Floridia's records hold a revision")
        .clone();
    record["id"] = id.into();
    record["owner"] = owner.into();
    record["version"] = 1.into();
    record["body"]["revision"] = 2.into();
    record
}

/// `record` with one field of its declaration (a JSON text) set to `value`.
fn declaring(mut record: Value, pointer: &str, value: Value) -> Value {
    let text = record["body"]["declaration"].as_str().unwrap().to_string();
    let mut declaration: Value = serde_json::from_str(&text).unwrap();
    match declaration.pointer_mut(pointer) {
        Some(field) => *field = value,
        // A field the declaration does not have: added at the top.
        None => {
            declaration[pointer.trim_start_matches('/')] = value;
        }
    }
    record["body"]["declaration"] = declaration.to_string().into();
    record
}

#[test]
fn records_the_sender_does_not_own_are_refused() {
    let p = pair();
    p.floridia.add(&fixture_applications()[0..2]);
    let own = floridia_records(&p);

    // A revision of Priolo's, after Floridia's own good records: nothing of it applies.
    let mut records = own.clone();
    records.push(revision(
        &own,
        PRIOLO,
        "01960000-0000-7000-8000-000000000001",
    ));
    let file = craft_upload(&p, 1, &records);
    assert_refused(
        &p.capofila,
        &file,
        "record_not_owned",
        "appartiene al comune 089021",
    );

    // An application Floridia owns on paper, filed in another comune's name.
    let mut records = own.clone();
    let application = records
        .iter_mut()
        .find(|r| r["table"] == "applications")
        .unwrap();
    application["body"]["comune"] = PRIOLO.into();
    let file = craft_upload(&p, 1, &records);
    assert_refused(
        &p.capofila,
        &file,
        "record_not_owned",
        "appartiene al comune",
    );

    // The refused files did not use up the number: the real upload 1 imports.
    let real = p.floridia.export().remove(0);
    p.capofila.ok(&["bundle", "import", arg(&real)]);
    assert_eq!(
        dump_tables(&p.capofila.db, &["applications"])["applications"].len(),
        2
    );
}

/// Records are read in the layout of the schema that wrote them: an upload from an install not
/// yet updated (the layout before applications kept their declarations) or from a newer one is
/// refused with what to update, and changes nothing.
#[test]
fn uploads_of_another_record_layout_are_refused_naming_what_to_update() {
    let p = pair();
    p.floridia.add(&fixture_applications()[0..2]);
    let own = floridia_records(&p);
    let old = craft_upload_of_schema(&p, 1, &own, 2);
    let said = assert_refused(
        &p.capofila,
        &old,
        "sender_outdated",
        "aggiornare Sportello in quel comune",
    );
    assert!(said.contains("089009"), "{said}");
    let newer = craft_upload_of_schema(&p, 1, &own, SCHEMA_VERSION as u32 + 1);
    assert_refused(
        &p.capofila,
        &newer,
        "receiver_outdated",
        "su questo computer",
    );
    let real = p.floridia.export().remove(0);
    p.capofila.ok(&["bundle", "import", arg(&real)]);
}

/// Numbers outside what an install ever writes: bundle number 0 or 2^64−1, a change range
/// that runs backwards.
#[test]
fn impossible_numbers_are_refused() {
    let p = pair();
    p.floridia.add(&fixture_applications()[0..1]);
    let own = floridia_records(&p);
    for seq in [0, u64::MAX] {
        let file = craft_upload(&p, seq, &own);
        assert_refused(
            &p.capofila,
            &file,
            "seq_out_of_range",
            "fuori dall'intervallo",
        );
    }
    let backwards = craft_upload_with(&p, &own, |f| {
        f.changes = ChangeRange {
            from_version: 9,
            to_version: 3,
        }
    });
    assert_refused(&p.capofila, &backwards, "change_range_invalid", "da 9 a 3");
    let real = p.floridia.export().remove(0);
    p.capofila.ok(&["bundle", "import", arg(&real)]);
}

#[test]
fn a_record_whose_content_differs_from_its_hash_is_refused() {
    let p = pair();
    p.floridia.add(&fixture_applications()[0..1]);
    let mut own = floridia_records(&p);
    let revision = own
        .iter_mut()
        .find(|r| r["table"] == "application_revisions")
        .unwrap();
    // Signed by the sender, but not what the sender hashed: changed on the way or by a
    // faulty writer.
    revision["body"]["operator"] = "qualcun altro".into();
    let file = seal_upload(&p, &own, |fields| fields.seq = 1);
    let said = assert_refused(&p.capofila, &file, "invalid_record", "dato non valido");
    assert!(
        said.contains("impronta del contenuto diversa dal contenuto ricevuto"),
        "{said}"
    );
    // The same records as the sender wrote them are accepted.
    let fine = seal_upload(&p, &floridia_records(&p), |fields| fields.seq = 1);
    p.capofila.ok(&["bundle", "import", arg(&fine)]);
}

#[test]
fn invalid_records_are_refused() {
    let p = pair();
    p.floridia.add(&fixture_applications()[0..2]);
    let own = floridia_records(&p);
    let id = "01960000-0000-7000-8000-000000000002";

    let mut unknown_field = revision(&own, FLORIDIA, id);
    unknown_field["body"]["iban"] = "IT00".into();
    let mut missing_field = revision(&own, FLORIDIA, id);
    missing_field["body"]
        .as_object_mut()
        .unwrap()
        .remove("operator");
    let bad_value = declaring(revision(&own, FLORIDIA, id), "/applicant/sex", "X".into());
    let unknown_declared = declaring(revision(&own, FLORIDIA, id), "/iban", "IT00".into());
    let mut ranking = revision(&own, FLORIDIA, id);
    ranking["table"] = "rankings".into();
    let mut dangling = revision(&own, FLORIDIA, id);
    dangling["body"]["application_id"] = "01960000-0000-7000-8000-000000000003".into();
    let cases = [
        (
            "not a record",
            json!({"hello": "world"}),
            "campo \"table\" mancante",
        ),
        ("unknown field", unknown_field, "campo sconosciuto \"iban\""),
        ("missing field", missing_field, "operator: campo mancante"),
        (
            "value out of range",
            bad_value,
            "application_revisions/01960000-0000-7000-8000-000000000002",
        ),
        (
            "unknown field in the declaration",
            unknown_declared,
            "non è nella forma scritta da Sportello",
        ),
        (
            "table not sent by a comune",
            ranking,
            "tabella \"rankings\" non ammessa",
        ),
        (
            "revision of a missing application",
            dangling,
            "riferimenti mancanti",
        ),
    ];
    for (what, record, detail) in cases {
        // Floridia's good records first: the bundle applies whole or not at all.
        let mut records = own.clone();
        records.push(record);
        let file = craft_upload(&p, 1, &records);
        let was = dump_tables(&p.capofila.db, REGISTRY);
        let stderr = assert_refused(&p.capofila, &file, "invalid_record", "dato non valido");
        assert!(stderr.contains(detail), "{what}: {stderr}");
        assert_eq!(dump_tables(&p.capofila.db, REGISTRY), was, "{what}");
    }
    let real = p.floridia.export().remove(0);
    p.capofila.ok(&["bundle", "import", arg(&real)]);
}

/// A record the capofila holds for Priolo, sent again by Floridia under Floridia's name with a
/// higher version: the held row's owner decides, so it is refused and Priolo's data stays.
#[test]
fn a_record_held_for_another_comune_cannot_be_taken_over() {
    let p = pair();
    let items = fixture_applications();
    p.priolo.add(&items[10..11]);
    let priolo_upload = p.priolo.export().remove(0);
    p.capofila.ok(&["bundle", "import", arg(&priolo_upload)]);
    p.floridia.add(&items[0..1]);

    let store = sportello_tests::store(&p.priolo.db);
    let priolo_records = store
        .records_since(sportello_store::Direction::Upload, PRIOLO, 0)
        .unwrap()
        .records;
    drop(store);
    for table in ["application_revisions", "applications"] {
        let held = priolo_records.iter().find(|r| r.table == table).unwrap();
        let mut taken = serde_json::to_value(held).unwrap();
        taken["owner"] = FLORIDIA.into();
        taken["version"] = (held.meta.version + 100).into();
        if table == "applications" {
            taken["body"]["comune"] = FLORIDIA.into();
        } else {
            taken["body"]["operator"] = "Altro".into();
        }
        let mut records = floridia_records(&p);
        records.push(taken);
        let file = craft_upload(&p, 1, &records);
        assert_refused(
            &p.capofila,
            &file,
            "record_not_owned",
            "appartiene al comune 089021",
        );
    }
    let list = p.capofila.json(&["application", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["comune"], PRIOLO);
}

/// Records that fit the tables but not the domain (an ISEE that is not an amount, a filing time
/// that is not a time) would make every later reading of the registry fail: they must be
/// refused like any invalid record.
#[test]
fn records_the_registry_cannot_read_are_refused() {
    let p = pair();
    p.floridia.add(&fixture_applications()[0..2]);
    let own = floridia_records(&p);
    let of = |records: &[Value], table: &str| -> usize {
        records.iter().position(|r| r["table"] == table).unwrap()
    };
    type Edit = fn(&mut Value);
    let edits: [(&str, &str, Edit); 12] = [
        ("application_revisions", "ISEE that is not an amount", |r| {
            *r = declaring(r.clone(), "/isee/value", "molto basso".into())
        }),
        (
            "application_revisions",
            "birth date that is not a date",
            |r| *r = declaring(r.clone(), "/applicant/birth_date", "1980-13-45".into()),
        ),
        ("application_revisions", "a flag that is a word", |r| {
            *r = declaring(r.clone(), "/resident", "yes".into())
        }),
        ("application_revisions", "a flag that is a fraction", |r| {
            *r = declaring(r.clone(), "/unemployed", 0.5.into())
        }),
        (
            "application_revisions",
            "filing time that is not a time",
            |r| r["body"]["filed_at"] = "ieri mattina".into(),
        ),
        (
            "application_revisions",
            "declaration that is not JSON",
            |r| r["body"]["declaration"] = "{ non è JSON".into(),
        ),
        (
            "application_revisions",
            "a name that reverses the text shown",
            |r| *r = declaring(r.clone(), "/applicant/surname", "Rossi\u{202e}irtoP".into()),
        ),
        (
            "application_revisions",
            "an operator with a control character",
            |r| r["body"]["operator"] = "test\u{1b}[2J".into(),
        ),
        (
            "application_revisions",
            "revision number that is not a number",
            |r| r["body"]["revision"] = "2x".into(),
        ),
        ("applications", "a year with a letter", |r| {
            r["body"]["year"] = "2026x".into()
        }),
        ("applications", "a case number that is a fraction", |r| {
            r["body"]["case_seq"] = 0.5.into()
        }),
        ("applications", "a code not made by Sportello", |r| {
            r["body"]["application_code"] = "0000O-IIII1".into()
        }),
    ];
    for (table, what, edit) in edits {
        let mut records = own.clone();
        let i = of(&records, table);
        edit(&mut records[i]);
        let file = craft_upload(&p, 1, &records);
        let stderr = assert_refused(&p.capofila, &file, "invalid_record", "dato non valido");
        assert!(stderr.contains(&format!("{table}/")), "{what}: {stderr}");
        // The registry stays readable.
        p.capofila.ok(&["application", "list"]);
        p.capofila
            .ok(&["ranking", "compute", "--bando", "SC-2026-1"]);
    }
}

#[test]
fn refused_files_with_the_same_name_are_all_kept_in_quarantine() {
    let (p, upload) = pair_with_history();
    let bytes = std::fs::read(&upload).unwrap();
    let name = upload.file_name().unwrap();
    // Two damaged copies of one bundle, from two sticks, imported in one run.
    let mut files = Vec::new();
    for (stick, cut) in [("chiavetta-1", 100), ("chiavetta-2", 200)] {
        let dir = p.capofila.path(stick);
        std::fs::create_dir(&dir).unwrap();
        let file = dir.join(name);
        std::fs::write(&file, &bytes[..cut]).unwrap();
        files.push(file);
    }
    let run = p
        .capofila
        .run(&["bundle", "import", arg(&files[0]), arg(&files[1])]);
    assert_eq!(run.code, 1);
    let kept: Vec<Vec<u8>> = p
        .capofila
        .quarantined()
        .iter()
        .filter(|q| !q.to_string_lossy().ends_with(".motivo.txt"))
        .map(|q| std::fs::read(q).unwrap())
        .collect();
    assert_eq!(kept.len(), 2, "one copy per refused file");
    assert!(kept.contains(&bytes[..100].to_vec()) && kept.contains(&bytes[..200].to_vec()));
}

#[test]
fn a_bundle_already_imported_changes_nothing() {
    let (p, upload) = pair_with_history();
    p.capofila.ok(&["bundle", "import", arg(&upload)]);
    let was = before(&p.capofila);
    // The same file, and a copy of it under another name.
    let copy = write_beside(
        &p.capofila,
        "copia.sportello",
        &std::fs::read(&upload).unwrap(),
    );
    for file in [&upload, &copy] {
        let run = p.capofila.run(&["bundle", "import", arg(file)]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout.contains("già importato, nessuna modifica"),
            "{}",
            run.stdout
        );
        assert_eq!(p.capofila.tables(SYNC_STATE), was.state);
        assert_eq!(p.capofila.json(&["application", "list"]), was.list);
        assert_eq!(p.capofila.quarantined().len(), was.quarantined);
        assert_eq!(last_logged(&p.capofila).1, "already_imported");
    }
}

/// One system call seen by `strace -y`: its name and the file it wrote or synced.
struct Call {
    name: String,
    file: String,
}

/// `strace` can trace and inject faults here (it may be missing, or ptrace forbidden).
fn strace_works() -> bool {
    Command::new("strace")
        .args(["-f", "-o", "/dev/null", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs `sportello --db DB bundle import FILE` under strace with `options`, with the trace of
/// writes and syncs going to `trace`.
fn import_under_strace(install: &Install, file: &Path, trace: &Path, options: &[&str]) -> bool {
    Command::new("strace")
        .args(["-f", "-y", "-e", "trace=pwrite64,fsync,fdatasync", "-o"])
        .arg(trace)
        .args(options)
        .arg(binary("sportello"))
        .arg("--db")
        .arg(&install.db)
        .args(["bundle", "import"])
        .arg(file)
        .env("SPORTELLO_OPERATOR", sportello_tests::OPERATOR)
        .env("SPORTELLO_PASSWORD", sportello_tests::PASSWORD)
        .output()
        .expect("run strace")
        .status
        .success()
}

fn calls(trace: &Path) -> Vec<Call> {
    std::fs::read_to_string(trace)
        .unwrap()
        .lines()
        .filter_map(|line| {
            let rest = line.split_once(' ').map_or(line, |(_, r)| r).trim_start();
            let (name, args) = rest.split_once('(')?;
            let file = args.split_once('<')?.1.split_once('>')?.0.to_string();
            Some(Call {
                name: name.to_string(),
                file,
            })
        })
        .collect()
}

/// Killed with every record applied but the commit not yet on disk, the database is as it was
/// and the import then works; killed once the commit is written, the bundle is wholly applied
/// and a rerun says "already imported". The process is killed by the store's fault-injection
/// point (`SPORTELLO_FAILPOINT=import-before-commit`, just before `COMMIT`) and, where strace
/// can inject faults, by SIGKILL at the first, a middle and the last write of the transaction
/// to the write-ahead log, and at the sync that follows the commit: no hook needed.
#[test]
fn a_crash_before_the_commit_leaves_the_database_as_it_was() {
    let p = pair();
    p.floridia.add(&fixture_applications()[36..48]);
    let upload = p.floridia.export().remove(0);
    let backup = p.capofila.save();
    let empty = dump_tables(&p.capofila.db, REGISTRY);

    let aborted = Command::new(binary("sportello"))
        .args([
            "--db",
            arg(&p.capofila.db),
            "bundle",
            "import",
            arg(&upload),
        ])
        .env("SPORTELLO_FAILPOINT", "import-before-commit")
        .env("SPORTELLO_OPERATOR", sportello_tests::OPERATOR)
        .env("SPORTELLO_PASSWORD", sportello_tests::PASSWORD)
        .output()
        .unwrap();
    assert!(
        !aborted.status.success(),
        "the fault-injection point kills the import"
    );
    assert_eq!(dump_tables(&p.capofila.db, REGISTRY), empty);
    assert!(dump_tables(&p.capofila.db, &["bundles_in"])["bundles_in"].is_empty());
    p.capofila.restore(&backup);

    if !strace_works() {
        eprintln!("strace is not available (or ptrace is not allowed): SIGKILL cases skipped");
        return;
    }

    // A clean run, traced: which writes and syncs the import makes, in order.
    let trace = p.capofila.path("trace.txt");
    assert!(import_under_strace(&p.capofila, &upload, &trace, &[]));
    let imported = dump_tables(&p.capofila.db, REGISTRY);
    assert_eq!(imported["applications"].len(), 12);
    let calls = calls(&trace);
    // The first transaction in the log is the import's: the log's header (synced), the
    // transaction's frames, then the sync that makes the commit durable.
    let is_wal = |c: &Call| c.file.ends_with("-wal");
    let (mut pwrites, mut wal_writes, mut first_frame) = (0, 0, 0);
    let mut commit_sync = None;
    for (i, c) in calls.iter().enumerate() {
        if c.name == "pwrite64" {
            pwrites += 1;
            if is_wal(c) {
                wal_writes += 1;
                if wal_writes == 2 {
                    first_frame = pwrites;
                }
            }
        } else if is_wal(c) && wal_writes >= 2 {
            commit_sync = Some(i);
            break;
        }
    }
    let commit_sync = commit_sync.expect("the import commits to the log");
    let last_frame = pwrites;
    let sync = &calls[commit_sync].name;
    let syncs = calls[..=commit_sync]
        .iter()
        .filter(|c| &c.name == sync)
        .count();
    assert!(
        last_frame > first_frame + 4,
        "a transaction of several pages"
    );

    // Killed at the first, a middle and the last write of the transaction (strace counts
    // calls from 1): nothing applied, and the import then works.
    for k in [first_frame, (first_frame + last_frame) / 2, last_frame] {
        p.capofila.restore(&backup);
        let inject = format!("inject=pwrite64:signal=SIGKILL:when={k}");
        let ok = import_under_strace(&p.capofila, &upload, &trace, &["-e", &inject]);
        assert!(!ok, "the import was killed at write {k}");
        assert_eq!(
            dump_tables(&p.capofila.db, REGISTRY),
            empty,
            "killed at write {k}"
        );
        assert!(dump_tables(&p.capofila.db, &["bundles_in"])["bundles_in"].is_empty());
        let (run, reports) = p.capofila.import(&[&upload]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(reports[0]["outcome"], "applied");
        assert_eq!(dump_tables(&p.capofila.db, REGISTRY), imported);
    }

    // Killed at the sync that follows the commit: the transaction is in the log, whole.
    p.capofila.restore(&backup);
    let inject = format!("inject={sync}:signal=SIGKILL:when={syncs}");
    assert!(!import_under_strace(
        &p.capofila,
        &upload,
        &trace,
        &["-e", &inject]
    ));
    assert_eq!(dump_tables(&p.capofila.db, REGISTRY), imported);
    let (run, reports) = p.capofila.import(&[&upload]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(reports[0]["outcome"], "already_imported");
}

/// Files imported in one run are applied in one transaction, yet each stays whole or refused
/// on its own: a damaged file among them changes nothing of the others, and its refusal is
/// logged and kept once.
#[test]
fn a_refused_file_among_several_leaves_the_others_applied() {
    let p = pair();
    p.floridia.add(&fixture_applications()[36..40]);
    let first = p.floridia.export().remove(0);
    p.floridia.add(&fixture_applications()[40..44]);
    let second = p.floridia.export().remove(0);
    let bytes = std::fs::read(&second).unwrap();
    let damaged = write_beside(
        &p.capofila,
        "danneggiato.sportello",
        &bytes[..bytes.len() / 2],
    );
    let run = p
        .capofila
        .run(&["bundle", "import", arg(&first), arg(&damaged), arg(&second)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let held = dump_tables(&p.capofila.db, &["applications", "import_log"]);
    assert_eq!(held["applications"].len(), 8, "both whole files applied");
    let refused: Vec<&String> = held["import_log"]
        .iter()
        .filter(|row| row.contains("refused"))
        .collect();
    assert_eq!(
        refused.len(),
        1,
        "one refusal logged: {:?}",
        held["import_log"]
    );
    assert_eq!(held["import_log"].len(), 3, "{:?}", held["import_log"]);
    let kept = p
        .capofila
        .quarantined()
        .into_iter()
        .filter(|q| !q.to_string_lossy().ends_with(".motivo.txt"))
        .count();
    assert_eq!(kept, 1, "one copy of the refused file");
}

/// A bundle whose references are missing is found only when the run's transaction commits:
/// the run is then made again file by file, and only that bundle is refused.
#[test]
fn missing_references_refuse_only_their_own_file_among_several() {
    let p = pair();
    p.floridia.add(&fixture_applications()[0..2]);
    let own = floridia_records(&p);
    let mut dangling = revision(&own, FLORIDIA, "01960000-0000-7000-8000-000000000002");
    dangling["body"]["application_id"] = "01960000-0000-7000-8000-000000000003".into();
    let mut records = own.clone();
    records.push(dangling);
    let crafted = craft_upload(&p, 1, &records);
    let real = p.floridia.export().remove(0);
    let run = p
        .capofila
        .run(&["bundle", "import", arg(&crafted), arg(&real)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("riferimenti mancanti"),
        "{}",
        run.stderr
    );
    let held = dump_tables(&p.capofila.db, &["applications"]);
    assert_eq!(held["applications"].len(), 2, "the whole file applied");
}
