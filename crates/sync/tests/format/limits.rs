//! Files that would take unbounded memory or time to read are refused within the limits of
//! docs/bundle-format.md ("Limits"), even when signed by an enrolled comune.

use std::time::{Duration, Instant};

use sportello_sync::bundle::{MAX_FILE_LEN, seal_compressed_for_tests};
use sportello_sync::{BundleError, Damage, inspect, open, verify};

use crate::common::*;
use crate::golden::golden_district;

/// Roccaverde's upload 1 to the capofila, with `compressed` as its (encrypted) payload.
fn hostile_upload(d: &District, records: u64, compressed: &[u8]) -> Vec<u8> {
    let capofila = d.capofila_trust.capofila().unwrap().addressee();
    seal_compressed_for_tests(
        &upload_fields(1),
        records,
        compressed,
        &d.roccaverde,
        &[capofila],
    )
    .unwrap()
    .bytes
}

fn open_at_capofila(d: &District, bytes: &[u8]) -> Result<usize, BundleError> {
    let inspected = inspect(bytes)?;
    let verified = verify(&inspected, &d.capofila_trust, &d.at_capofila())?;
    open(&verified, &d.capofila).map(|records| records.len())
}

#[test]
fn a_hand_made_payload_within_the_limits_opens() {
    let d = golden_district();
    let mut raw = upload_manifest_line(&d, 1, 1);
    raw.push(b'"');
    let frame = zstd_frame(&raw, b'a', 100_000, b"\"\n");
    assert_eq!(open_at_capofila(&d, &hostile_upload(&d, 1, &frame)), Ok(1));
}

/// 2 GiB of spaces in a 64 KiB file, signed and encrypted with the TEST-ONLY keys: today's
/// reader held the whole line in memory; it stops at 64 times the payload's size.
#[test]
fn a_decompression_bomb_from_an_enrolled_comune_is_refused_quickly() {
    let d = golden_district();
    let frame = zstd_frame(&upload_manifest_line(&d, 1, 1), b' ', 2 << 30, b"1\n");
    let bytes = hostile_upload(&d, 1, &frame);
    assert!(bytes.len() < 100 << 10, "{} bytes", bytes.len());
    let start = Instant::now();
    let err = open_at_capofila(&d, &bytes).unwrap_err();
    assert_eq!(err, BundleError::Corrupted(Damage::DecompressedTooLarge));
    assert_eq!(err.code(), "corrupted");
    assert!(err.message().contains("decompresso"), "{}", err.message());
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

/// A record line longer than 16 MiB, in a payload large enough for the ratio to allow it.
#[test]
fn a_record_line_beyond_the_limit_is_refused() {
    let d = golden_district();
    let mut raw = upload_manifest_line(&d, 1, 1);
    raw.push(b'"');
    let padding = vec![b'x'; 300 << 10];
    let frame = zstd_frame(&raw, b'a', 17 << 20, &padding);
    let err = open_at_capofila(&d, &hostile_upload(&d, 1, &frame)).unwrap_err();
    assert_eq!(err, BundleError::Corrupted(Damage::LineTooLong));
}

#[test]
fn a_payload_length_beyond_any_file_we_read_is_refused() {
    let d = District::new();
    let mut bytes = d.upload(1, &records()).bytes;
    let (_, _, payload_start) = layout(&bytes);
    bytes[payload_start - 8..payload_start].copy_from_slice(&(MAX_FILE_LEN + 1).to_be_bytes());
    assert_eq!(
        inspect(&bytes).unwrap_err(),
        BundleError::Corrupted(Damage::PayloadTooLarge)
    );
}

#[test]
fn a_bundle_a_reader_would_refuse_is_never_written() {
    let d = District::new();
    let capofila = d.capofila_trust.capofila().unwrap().addressee();
    let huge = serde_json::json!({"note": "x".repeat(17 << 20)});
    let err =
        sportello_sync::seal(&upload_fields(1), &[huge], &d.roccaverde, &[capofila]).unwrap_err();
    assert_eq!(err.code(), "bundle_too_large");
    assert!(err.to_string().contains("16 MB"), "{err}");
}
