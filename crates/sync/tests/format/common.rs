//! A fictional district (D99 "Valle dei Test") with fresh keys, and helpers to tamper with files.

use serde_json::{Value, json};
use sportello_sync::{
    Ack, BundleKind, ChangeRange, HeaderFields, InstallKeys, Receiver, Role, SealedBundle,
    TrustEntry, TrustList, seal,
};

pub const DISTRICT: &str = "D99";
pub const CAPOFILA: &str = "999001";
pub const ROCCAVERDE: &str = "999002";
pub const MARINA: &str = "999003";
pub const AT: &str = "2026-03-02T09:30:00+01:00";

pub struct District {
    pub capofila: InstallKeys,
    pub roccaverde: InstallKeys,
    pub marina: InstallKeys,
    /// What the capofila trusts: every enrolled comune and itself.
    pub capofila_trust: TrustList,
    /// What a comune trusts: the capofila.
    pub comune_trust: TrustList,
}

impl District {
    pub fn new() -> Self {
        Self::with_keys(
            InstallKeys::generate(),
            InstallKeys::generate(),
            InstallKeys::generate(),
        )
    }

    pub fn with_keys(capofila: InstallKeys, roccaverde: InstallKeys, marina: InstallKeys) -> Self {
        let capofila_entry = TrustEntry::new(CAPOFILA, Role::Capofila, &capofila.public()).unwrap();
        let mut capofila_trust = TrustList::new();
        capofila_trust.add(capofila_entry.clone()).unwrap();
        for (istat, keys) in [(ROCCAVERDE, &roccaverde), (MARINA, &marina)] {
            capofila_trust
                .add(TrustEntry::new(istat, Role::Comune, &keys.public()).unwrap())
                .unwrap();
        }
        let mut comune_trust = TrustList::new();
        comune_trust.add(capofila_entry).unwrap();
        District {
            capofila,
            roccaverde,
            marina,
            capofila_trust,
            comune_trust,
        }
    }

    pub fn at_capofila(&self) -> Receiver {
        Receiver::new(DISTRICT, CAPOFILA, &self.capofila)
    }

    pub fn at(&self, comune: &str) -> Receiver {
        let keys = if comune == ROCCAVERDE {
            &self.roccaverde
        } else {
            &self.marina
        };
        Receiver::new(DISTRICT, comune, keys)
    }

    /// Roccaverde's upload number `seq`, sealed for the capofila.
    pub fn upload(&self, seq: u64, records: &[Value]) -> SealedBundle {
        let capofila = self.capofila_trust.capofila().unwrap().addressee();
        seal(&upload_fields(seq), records, &self.roccaverde, &[capofila]).unwrap()
    }

    /// The capofila's publish bundle number `seq` for Roccaverde.
    pub fn publish(&self, seq: u64, records: &[Value]) -> SealedBundle {
        let to = self.capofila_trust.current(ROCCAVERDE).unwrap().addressee();
        let fields = HeaderFields {
            kind: BundleKind::Publish,
            sender: CAPOFILA.into(),
            ack: Ack {
                seq: 3,
                version: 120,
            },
            ..upload_fields(seq)
        };
        seal(&fields, records, &self.capofila, &[to]).unwrap()
    }
}

pub fn upload_fields(seq: u64) -> HeaderFields {
    HeaderFields {
        kind: BundleKind::Upload,
        district: DISTRICT.into(),
        sender: ROCCAVERDE.into(),
        seq,
        prev_header_hash: (seq > 1).then_some([seq as u8; 32]),
        changes: ChangeRange {
            from_version: 10 * (seq - 1),
            to_version: 10 * seq,
        },
        ack: Ack { seq: 0, version: 0 },
        schema_version: 1,
        app_version: "0.1.0".into(),
        created_at: AT.into(),
    }
}

/// Synthetic records shaped like what the app syncs; the people are the fictional test people.
pub fn records() -> Vec<Value> {
    vec![
        json!({
            "table": "application",
            "id": "0195a1b2-0000-7000-8000-000000000001",
            "owner": ROCCAVERDE,
            "version": 1,
            "deleted": false,
            "body": {"codice_fiscale": "RSSMRA80A01I754N", "surname": "Rossi", "name": "Mario",
                     "note": "prima riga\nseconda riga, città, perché"}
        }),
        json!({
            "table": "application",
            "id": "0195a1b2-0000-7000-8000-000000000002",
            "owner": ROCCAVERDE,
            "version": 3,
            "deleted": true,
            "body": null
        }),
    ]
}

/// Byte offsets of a framed file: (header start, header end, payload start).
pub fn layout(bytes: &[u8]) -> (usize, usize, usize) {
    let header_len = u32::from_be_bytes(bytes[16..20].try_into().unwrap()) as usize;
    let header_end = 20 + header_len;
    (20, header_end, header_end + 64 + 8)
}

/// Rebuilds a file with an edited header but the original signature and payload: what a
/// courier who edits the header (to replay it under another number, say) produces.
pub fn with_header(bytes: &[u8], edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let (start, end, _) = layout(bytes);
    let mut header: Value = serde_json::from_slice(&bytes[start..end]).unwrap();
    edit(&mut header);
    let header = serde_json::to_vec(&header).unwrap();
    let mut out = bytes[..16].to_vec();
    out.extend_from_slice(&(header.len() as u32).to_be_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(&bytes[end..]);
    out
}

/// A zstd frame made by hand, as a hostile sender would: `raw` stored as it is, then `repeat`
/// copies of `byte` in run-length blocks of 128 KiB (4 bytes each, so 2 GiB take 64 KiB),
/// then `tail` stored as it is.
pub fn zstd_frame(raw: &[u8], byte: u8, repeat: u64, tail: &[u8]) -> Vec<u8> {
    const BLOCK: u64 = 128 << 10;
    // Magic, then a descriptor with no content size and a 128 KiB window (2^(10+7)).
    let mut out = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3];
    let block = |out: &mut Vec<u8>, kind: u32, size: u64, last: bool| {
        let header = (size as u32) << 3 | kind << 1 | u32::from(last);
        out.extend_from_slice(&header.to_le_bytes()[..3]);
    };
    let stored = |out: &mut Vec<u8>, bytes: &[u8], last: bool| {
        let chunks: Vec<_> = bytes.chunks(BLOCK as usize).collect();
        for (i, chunk) in chunks.iter().enumerate() {
            block(out, 0, chunk.len() as u64, last && i + 1 == chunks.len());
            out.extend_from_slice(chunk);
        }
    };
    stored(&mut out, raw, false);
    let mut left = repeat;
    while left > 0 {
        let n = left.min(BLOCK);
        left -= n;
        block(&mut out, 1, n, left == 0 && tail.is_empty());
        out.push(byte);
    }
    stored(&mut out, tail, true);
    if tail.is_empty() && repeat == 0 {
        block(&mut out, 0, 0, true);
    }
    out
}

/// The manifest line a payload of Roccaverde's upload `seq` starts with.
pub fn upload_manifest_line(d: &District, seq: u64, records: u64) -> Vec<u8> {
    let mut line = serde_json::to_vec(&json!({
        "district": DISTRICT, "kind": "upload", "sender": ROCCAVERDE,
        "key_id": d.roccaverde.key_id(), "seq": seq, "records": records,
    }))
    .unwrap();
    line.push(b'\n');
    line
}
