//! Figures for the benchmark, printed rather than asserted (timings depend on the
//! machine). Run in release:
//! `cargo test -p sportello-sync --release --test format -- --ignored --nocapture measure`

use std::time::Instant;

use serde_json::json;
use sportello_sync::{inspect, open, verify};

use crate::common::*;

#[test]
#[ignore = "prints timings; run in release with --nocapture"]
fn measure_ten_thousand_applications() {
    let d = District::new();
    let records: Vec<_> = (0..10_000u64)
        .map(|i| {
            json!({
                "table": "application",
                "id": format!("0195a1b2-0000-7000-8000-{i:012}"),
                "owner": ROCCAVERDE,
                "version": i + 1,
                "deleted": false,
                "content_hash": format!("{:064x}", i * 7919),
                "body": {
                    "bando": "SC-2026", "code": format!("K{i:07}X"),
                    "codice_fiscale": "RSSMRA80A01I754N", "surname": "Rossi", "name": "Mario",
                    "birth_date": "1980-01-01", "sex": "M", "address": "Via dei Test 1",
                    "isee": format!("{}.00", i % 8000), "dsu": "INPS-ISEE-2026-AB123C789-00",
                    "household": [{"codice_fiscale": "BNCGLI92M55D636B", "relation": "coniuge"}],
                    "unemployed": true, "income_support": false, "filed_at": "2026-02-10T10:00:00",
                    "note": "domanda presentata allo sportello del comune"
                }
            })
        })
        .collect();
    let json_len: usize = records.iter().map(|r| r.to_string().len() + 1).sum();

    let start = Instant::now();
    let sealed = d.upload(1, &records);
    let seal_time = start.elapsed();

    let start = Instant::now();
    let inspected = inspect(&sealed.bytes).unwrap();
    let verified = verify(&inspected, &d.capofila_trust, &d.at_capofila()).unwrap();
    let check_time = start.elapsed();
    let start = Instant::now();
    let opened = open(&verified, &d.capofila).unwrap();
    let open_time = start.elapsed();
    assert_eq!(opened.len(), records.len());

    println!(
        "10,000 records: JSON Lines {:.1} MB, bundle {:.2} MB; seal {:?}, inspect+verify {:?}, open {:?}",
        json_len as f64 / 1e6,
        sealed.bytes.len() as f64 / 1e6,
        seal_time,
        check_time,
        open_time
    );
}
