use sportello_sync::{BundleKind, inspect, open, verify};

use crate::common::*;

#[test]
fn an_upload_reaches_the_capofila_intact() {
    let d = District::new();
    let sealed = d.upload(42, &records());
    assert_eq!(sealed.file_name, "D99-999002-up-000042.sportello");

    let inspected = inspect(&sealed.bytes).unwrap();
    assert_eq!(inspected.header(), &sealed.header);
    assert_eq!(inspected.header_hash(), sealed.header_hash);
    let header = inspected.header();
    assert_eq!(
        (header.kind, header.seq, header.sender.as_str()),
        (BundleKind::Upload, 42, ROCCAVERDE)
    );
    assert_eq!(header.key_id, d.roccaverde.key_id());
    assert_eq!(header.prev_header_hash, Some([42; 32]));
    assert_eq!(
        (header.changes.from_version, header.changes.to_version),
        (410, 420)
    );
    assert_eq!(header.recipients.len(), 1);
    assert_eq!(header.recipients[0].key_id, d.capofila.key_id());

    let verified = verify(&inspected, &d.capofila_trust, &d.at_capofila()).unwrap();
    assert_eq!(verified.signer().comune, ROCCAVERDE);
    assert_eq!(open(&verified, &d.capofila).unwrap(), records());
}

#[test]
fn a_publish_bundle_reaches_its_comune_intact() {
    let d = District::new();
    let sealed = d.publish(7, &records());
    assert_eq!(sealed.file_name, "D99-999001-pub-999002-000007.sportello");
    let inspected = inspect(&sealed.bytes).unwrap();
    assert_eq!(inspected.header().ack.version, 120);
    let verified = verify(&inspected, &d.comune_trust, &d.at(ROCCAVERDE)).unwrap();
    assert_eq!(open(&verified, &d.roccaverde).unwrap(), records());
}

#[test]
fn an_empty_bundle_carries_only_its_acknowledgement() {
    let d = District::new();
    let sealed = d.publish(1, &[]);
    let inspected = inspect(&sealed.bytes).unwrap();
    let verified = verify(&inspected, &d.comune_trust, &d.at(ROCCAVERDE)).unwrap();
    assert!(open(&verified, &d.roccaverde).unwrap().is_empty());
}

#[test]
fn nothing_personal_is_readable_without_the_key() {
    let d = District::new();
    let sealed = d.upload(1, &records());
    let text = String::from_utf8_lossy(&sealed.bytes);
    for personal in ["RSSMRA80A01I754N", "Rossi", "Mario", "application"] {
        assert!(
            !text.contains(personal),
            "{personal} is readable in the file"
        );
    }
    assert!(!sealed.file_name.contains("Rossi"));
}

#[test]
fn sealing_the_same_records_twice_gives_two_different_files() {
    // Encryption is randomised: the same sequence number sealed twice is a fork, which is why
    // the caller stores a bundle's bytes before writing the file.
    let d = District::new();
    let a = d.upload(1, &records());
    let b = d.upload(1, &records());
    assert_ne!(a.bytes, b.bytes);
    assert_ne!(a.header_hash, b.header_hash);
}

#[test]
fn many_records_round_trip_in_order() {
    let d = District::new();
    let many: Vec<_> = (0..5_000)
        .map(|i| serde_json::json!({"id": i, "owner": ROCCAVERDE, "version": i, "pad": "x".repeat(i % 50)}))
        .collect();
    let sealed = d.upload(1, &many);
    let inspected = inspect(&sealed.bytes).unwrap();
    let verified = verify(&inspected, &d.capofila_trust, &d.at_capofila()).unwrap();
    assert_eq!(open(&verified, &d.capofila).unwrap(), many);
}
