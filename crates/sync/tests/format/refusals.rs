//! One test per refusal, each with a file that fails exactly that check, plus the order in which
//! the checks run when a file fails several.

use serde_json::json;
use sportello_sync::{
    BundleError, Damage, FileKind, InstallKeys, KeyRevocation, KeyRotation, Receiver, TrustList,
    enrolment, inspect, open, seal, verify,
};

use crate::common::*;

fn verify_at_capofila(d: &District, bytes: &[u8]) -> Result<(), BundleError> {
    let inspected = inspect(bytes)?;
    verify(&inspected, &d.capofila_trust, &d.at_capofila()).map(|_| ())
}

#[test]
fn not_a_bundle() {
    let err = inspect(b"id,cognome,nome\n1,Rossi,Mario\n").unwrap_err();
    assert_eq!(err, BundleError::NotABundle);
    assert_eq!(err.code(), "not_a_bundle");
    // A zip or a PDF renamed to .sportello is not a bundle either.
    assert_eq!(
        inspect(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").unwrap_err(),
        BundleError::NotABundle
    );
}

#[test]
fn unsupported_version() {
    let d = District::new();
    let mut bytes = d.upload(1, &records()).bytes;
    bytes[14..16].copy_from_slice(&2u16.to_be_bytes());
    let err = inspect(&bytes).unwrap_err();
    assert_eq!(
        err,
        BundleError::UnsupportedVersion {
            found: 2,
            supported: 1
        }
    );
    assert_eq!(err.code(), "unsupported_version");
}

#[test]
fn truncated() {
    let d = District::new();
    let bytes = d.upload(1, &records()).bytes;
    let cut = &bytes[..bytes.len() - 100];
    let err = inspect(cut).unwrap_err();
    assert_eq!(
        err,
        BundleError::Truncated {
            needed: bytes.len() as u64,
            actual: cut.len() as u64
        }
    );
    assert_eq!(err.code(), "truncated");
    assert!(err.message().contains("chiavetta"));
}

#[test]
fn corrupted_payload() {
    let d = District::new();
    let mut bytes = d.upload(1, &records()).bytes;
    let last = bytes.len() - 1;
    bytes[last] ^= 0x40;
    let err = inspect(&bytes).unwrap_err();
    assert_eq!(err, BundleError::Corrupted(Damage::PayloadHash));
    assert_eq!(err.code(), "corrupted");
}

#[test]
fn corrupted_by_bytes_appended() {
    let d = District::new();
    let mut bytes = d.upload(1, &records()).bytes;
    bytes.extend_from_slice(b"\r\n");
    assert_eq!(
        inspect(&bytes).unwrap_err(),
        BundleError::Corrupted(Damage::TrailingBytes)
    );
}

#[test]
fn wrong_file_kind() {
    let keys = InstallKeys::generate();
    let enrol = enrolment::create(DISTRICT, ROCCAVERDE, &keys, "0.1.0", AT);
    let err = inspect(&enrol).unwrap_err();
    assert_eq!(
        err,
        BundleError::WrongFileKind {
            expected: FileKind::Bundle,
            found: FileKind::Enrolment
        }
    );
    assert_eq!(err.code(), "wrong_file_kind");
}

#[test]
fn wrong_district() {
    let d = District::new();
    let bytes = d.upload(1, &records()).bytes;
    let inspected = inspect(&bytes).unwrap();
    let elsewhere = Receiver {
        district: "D48".into(),
        ..d.at_capofila()
    };
    let err = verify(&inspected, &d.capofila_trust, &elsewhere).unwrap_err();
    assert_eq!(
        err,
        BundleError::WrongDistrict {
            expected: "D48".into(),
            found: "D99".into()
        }
    );
    assert_eq!(err.code(), "wrong_district");
}

#[test]
fn unknown_key() {
    let d = District::new();
    let stranger = InstallKeys::generate();
    let capofila = d.capofila_trust.capofila().unwrap().addressee();
    let sealed = seal(&upload_fields(1), &records(), &stranger, &[capofila]).unwrap();
    let err = verify_at_capofila(&d, &sealed.bytes).unwrap_err();
    assert_eq!(
        err,
        BundleError::UnknownKey {
            sender: ROCCAVERDE.into(),
            key_id: stranger.key_id().to_string()
        }
    );
    assert_eq!(err.code(), "unknown_key");
}

#[test]
fn a_comune_key_signing_for_another_comune_is_unknown() {
    // Marina Serena's genuine key cannot upload Roccaverde's records.
    let d = District::new();
    let capofila = d.capofila_trust.capofila().unwrap().addressee();
    let sealed = seal(&upload_fields(1), &records(), &d.marina, &[capofila]).unwrap();
    assert!(matches!(
        verify_at_capofila(&d, &sealed.bytes),
        Err(BundleError::UnknownKey { .. })
    ));
}

#[test]
fn a_comune_key_cannot_sign_a_publish_bundle() {
    let d = District::new();
    let capofila = d.capofila_trust.capofila().unwrap().addressee();
    let fields = sportello_sync::HeaderFields {
        kind: sportello_sync::BundleKind::Publish,
        ..upload_fields(1)
    };
    let sealed = seal(&fields, &records(), &d.roccaverde, &[capofila]).unwrap();
    assert!(matches!(
        verify_at_capofila(&d, &sealed.bytes),
        Err(BundleError::UnknownKey { .. })
    ));
}

#[test]
fn revoked_key_is_refused_from_its_sequence_number_and_accepted_below() {
    let mut d = District::new();
    let revocation = KeyRevocation::sign(ROCCAVERDE, &d.roccaverde.key_id(), 5, AT, &d.capofila);
    assert_eq!(d.capofila_trust.apply_revocation(&revocation), Ok(true));

    assert_eq!(
        verify_at_capofila(&d, &d.upload(4, &records()).bytes),
        Ok(())
    );
    for seq in [5, 6, 1_000] {
        let err = verify_at_capofila(&d, &d.upload(seq, &records()).bytes).unwrap_err();
        assert_eq!(
            err,
            BundleError::RevokedKey {
                sender: ROCCAVERDE.into(),
                key_id: d.roccaverde.key_id().to_string(),
                seq,
                revoked_from_seq: 5,
            }
        );
        assert_eq!(err.code(), "revoked_key");
    }
}

#[test]
fn after_rotation_the_old_key_is_refused_from_the_rotation_on() {
    let mut d = District::new();
    let new = InstallKeys::generate();
    let rotation = KeyRotation::sign(ROCCAVERDE, &d.roccaverde, &new, 10, AT);
    d.capofila_trust.apply_rotation(&rotation).unwrap();

    // A file the old key signed before the rotation, still on its way, is accepted.
    assert_eq!(
        verify_at_capofila(&d, &d.upload(9, &records()).bytes),
        Ok(())
    );
    assert!(matches!(
        verify_at_capofila(&d, &d.upload(10, &records()).bytes),
        Err(BundleError::RevokedKey { .. })
    ));
    let capofila = d.capofila_trust.capofila().unwrap().addressee();
    let with_new_key = seal(&upload_fields(10), &records(), &new, &[capofila]).unwrap();
    assert_eq!(verify_at_capofila(&d, &with_new_key.bytes), Ok(()));
}

#[test]
fn bad_signature() {
    let d = District::new();
    let bytes = d.upload(1, &records()).bytes;
    let (_, header_end, _) = layout(&bytes);
    let mut flipped = bytes.clone();
    flipped[header_end + 10] ^= 0x01;
    let err = verify_at_capofila(&d, &flipped).unwrap_err();
    assert_eq!(err, BundleError::BadSignature);
    assert_eq!(err.code(), "bad_signature");
}

#[test]
fn a_header_edited_by_a_courier_has_a_bad_signature() {
    // Replaying an old upload under a new number, or widening its change range.
    let d = District::new();
    let bytes = d.upload(3, &records()).bytes;
    let replayed = with_header(&bytes, |h| h["seq"] = json!(4));
    assert_eq!(
        verify_at_capofila(&d, &replayed),
        Err(BundleError::BadSignature)
    );
    let widened = with_header(&bytes, |h| h["changes"]["to_version"] = json!(1_000));
    assert_eq!(
        verify_at_capofila(&d, &widened),
        Err(BundleError::BadSignature)
    );
}

#[test]
fn not_addressed_to_us() {
    // A publish bundle for Roccaverde carried to Marina Serena.
    let d = District::new();
    let bytes = d.publish(1, &records()).bytes;
    let inspected = inspect(&bytes).unwrap();
    let err = verify(&inspected, &d.comune_trust, &d.at(MARINA)).unwrap_err();
    assert!(matches!(&err, BundleError::NotAddressedToUs { us, .. } if us.contains(MARINA)));
    assert_eq!(err.code(), "not_addressed_to_us");
}

#[test]
fn an_install_with_new_keys_is_not_addressed() {
    // The capofila's PC was replaced: files sealed to its old key are not for the new one.
    let d = District::new();
    let bytes = d.upload(1, &records()).bytes;
    let inspected = inspect(&bytes).unwrap();
    let new_pc = InstallKeys::generate();
    let receiver = Receiver::new(DISTRICT, CAPOFILA, &new_pc);
    assert!(matches!(
        verify(&inspected, &d.capofila_trust, &receiver),
        Err(BundleError::NotAddressedToUs { .. })
    ));
}

#[test]
fn open_refuses_a_key_that_cannot_decrypt() {
    let d = District::new();
    let bytes = d.upload(1, &records()).bytes;
    let inspected = inspect(&bytes).unwrap();
    let verified = verify(&inspected, &d.capofila_trust, &d.at_capofila()).unwrap();
    assert!(matches!(
        open(&verified, &d.marina),
        Err(BundleError::NotAddressedToUs { .. })
    ));
}

#[test]
fn checks_run_in_the_documented_order() {
    let d = District::new();
    let bytes = d.upload(1, &records()).bytes;

    // Unsupported version and truncated: the version is reported.
    let mut old = bytes[..bytes.len() / 2].to_vec();
    old[14..16].copy_from_slice(&9u16.to_be_bytes());
    assert!(matches!(
        inspect(&old),
        Err(BundleError::UnsupportedVersion { .. })
    ));

    // Truncated and damaged payload: truncation is reported.
    let mut cut = bytes[..bytes.len() - 10].to_vec();
    let last = cut.len() - 1;
    cut[last] ^= 1;
    assert!(matches!(inspect(&cut), Err(BundleError::Truncated { .. })));

    // Wrong district and bad signature: the district is reported.
    let inspected = inspect(&with_header(&bytes, |h| h["district"] = json!("D48"))).unwrap();
    assert!(matches!(
        verify(&inspected, &d.capofila_trust, &d.at_capofila()),
        Err(BundleError::WrongDistrict { .. })
    ));

    // Unknown key and bad signature: the key is reported.
    let empty = TrustList::new();
    let inspected = inspect(&with_header(&bytes, |h| h["seq"] = json!(2))).unwrap();
    assert!(matches!(
        verify(&inspected, &empty, &d.at_capofila()),
        Err(BundleError::UnknownKey { .. })
    ));

    // Bad signature and not addressed to us: the signature is reported.
    let inspected = inspect(&with_header(&bytes, |h| h["seq"] = json!(2))).unwrap();
    let stranger = Receiver::new(DISTRICT, MARINA, &d.marina);
    assert_eq!(
        verify(&inspected, &d.capofila_trust, &stranger).unwrap_err(),
        BundleError::BadSignature
    );
}
