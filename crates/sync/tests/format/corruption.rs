//! Whatever happens to a file on the way, it is refused by some check, never opened and never a
//! panic: every single-byte change, every truncation, and arbitrary bytes.

use proptest::prelude::*;
use sportello_sync::{BundleError, district, enrolment, inspect, open, verify};

use crate::common::*;

/// The whole import pipeline up to the records.
fn import(d: &District, bytes: &[u8]) -> Result<Vec<serde_json::Value>, BundleError> {
    let inspected = inspect(bytes)?;
    let verified = verify(&inspected, &d.capofila_trust, &d.at_capofila())?;
    open(&verified, &d.capofila)
}

fn small_upload(d: &District) -> Vec<u8> {
    let bytes = d.upload(1, &records()).bytes;
    assert_eq!(
        import(d, &bytes).unwrap(),
        records(),
        "the intact file is accepted"
    );
    bytes
}

#[test]
fn flipping_any_single_byte_is_refused() {
    let d = District::new();
    let bytes = small_upload(&d);
    for position in 0..bytes.len() {
        for mask in [0x01, 0x80, 0xff] {
            let mut damaged = bytes.clone();
            damaged[position] ^= mask;
            assert!(
                import(&d, &damaged).is_err(),
                "byte {position} ^ {mask:#x} was accepted"
            );
        }
    }
}

#[test]
fn truncating_at_any_length_is_refused() {
    let d = District::new();
    let bytes = small_upload(&d);
    for len in 0..bytes.len() {
        let err = import(&d, &bytes[..len]).unwrap_err();
        // Every cut is reported as truncation: the framing declares each length in advance.
        assert!(
            matches!(err, BundleError::Truncated { .. }),
            "cut at {len}: {err:?}"
        );
    }
}

#[test]
fn enrolment_and_district_files_refuse_any_single_byte_change() {
    let d = District::new();
    let enrol = enrolment::create(DISTRICT, ROCCAVERDE, &d.roccaverde, "0.1.0", AT);
    let fp = d.roccaverde.fingerprint().to_string();
    assert!(enrolment::verify(&enrol, &fp, DISTRICT).is_ok());
    for position in 0..enrol.len() {
        let mut damaged = enrol.clone();
        damaged[position] ^= 0x01;
        assert!(
            enrolment::verify(&damaged, &fp, DISTRICT).is_err(),
            "enrolment byte {position}"
        );
    }

    let contents = district::DistrictContents {
        district: DISTRICT.into(),
        capofila: CAPOFILA.into(),
        seq: 1,
        app_version: "0.1.0".into(),
        created_at: AT.into(),
        district_toml: "id = \"D99\"\n".into(),
        bandi: vec![],
        trust: d.capofila_trust.clone(),
        rotations: Vec::new(),
    };
    let file = district::create(&contents, &d.capofila);
    let fp = d.capofila.fingerprint().to_string();
    assert!(district::verify(&file, &fp, Some(DISTRICT)).is_ok());
    for position in 0..file.len() {
        let mut damaged = file.clone();
        damaged[position] ^= 0x01;
        assert!(
            district::verify(&damaged, &fp, Some(DISTRICT)).is_err(),
            "district byte {position}"
        );
        assert!(district::verify_trusted(&damaged, &d.comune_trust, DISTRICT).is_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_change_of_one_byte_to_any_value_is_refused(position in any::<prop::sample::Index>(), value in any::<u8>()) {
        let d = District::new();
        let bytes = d.upload(1, &records()).bytes;
        let position = position.index(bytes.len());
        prop_assume!(bytes[position] != value);
        let mut damaged = bytes;
        damaged[position] = value;
        prop_assert!(import(&d, &damaged).is_err());
    }

    #[test]
    fn several_changed_bytes_are_refused(changes in prop::collection::vec((any::<prop::sample::Index>(), 1u8..), 1..8)) {
        let d = District::new();
        let original = d.upload(1, &records()).bytes;
        let mut damaged = original.clone();
        for (position, mask) in changes {
            damaged[position.index(original.len())] ^= mask;
        }
        // Two masks on the same byte can cancel out; only a changed file must be refused.
        prop_assume!(damaged != original);
        prop_assert!(import(&d, &damaged).is_err());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let d = District::new();
        prop_assert!(import(&d, &bytes).is_err());
        prop_assert!(enrolment::verify(&bytes, "x", DISTRICT).is_err());
        prop_assert!(district::verify(&bytes, "x", None).is_err());
    }

    #[test]
    fn arbitrary_bytes_after_a_valid_start_never_panic(tail in prop::collection::vec(any::<u8>(), 0..600)) {
        let d = District::new();
        let bytes = d.upload(1, &records()).bytes;
        let mut forged = bytes[..20].to_vec();
        forged.extend_from_slice(&tail);
        prop_assert!(import(&d, &forged).is_err());
    }
}
