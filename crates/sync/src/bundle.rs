//! The sync bundle (docs/bundle-format.md §1): a signed JSON header and an age-encrypted, zstd-compressed
//! JSON Lines payload of opaque records.
//!
//! Reading goes in three steps that cannot be skipped: [`inspect`] checks the framing and the
//! payload hash (nothing decrypted), [`verify`] checks district, key, signature and addressee
//! against the trust list, and only a [`Verified`] bundle can be [`open`]ed.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{BundleError, Damage, FileKind};
use crate::framing::{self, Domain};
use crate::hexser;
use crate::keys::{InstallKeys, KeyId, PublicKeys};
use crate::payload::{self, Manifest, PayloadError};
use crate::trust::{Role, TrustEntry, TrustList};

/// File name extension of every Sportello file.
pub const EXTENSION: &str = "sportello";

/// The largest file [`inspect`] (and the enrolment and district readers) accept, in bytes:
/// callers reading from disk check the size against it before reading.
pub const MAX_FILE_LEN: u64 = framing::MAX_FILE_LEN;

/// Which way a bundle travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BundleKind {
    /// Comune → capofila: the comune's changed records.
    Upload,
    /// Capofila → one comune: acknowledgements and published snapshots.
    Publish,
}

impl BundleKind {
    /// The role whose key may sign this kind of bundle.
    pub fn signer_role(self) -> Role {
        match self {
            BundleKind::Upload => Role::Comune,
            BundleKind::Publish => Role::Capofila,
        }
    }
}

/// The range of the sender's change counter that the records cover (whether the bounds are
/// inclusive is the caller's convention: this crate only carries the numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeRange {
    pub from_version: u64,
    pub to_version: u64,
}

/// What the sender acknowledges having applied from the recipient: the last bundle sequence
/// number and the highest change version. Zero when nothing was applied yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ack {
    pub seq: u64,
    pub version: u64,
}

/// A recipient as named in the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientId {
    pub comune: String,
    pub key_id: KeyId,
}

/// A recipient to seal a bundle for: usually [`TrustEntry::addressee`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    pub comune: String,
    pub keys: PublicKeys,
}

/// What the caller decides about a bundle; the rest of the header is computed by [`seal`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderFields {
    pub kind: BundleKind,
    pub district: String,
    /// ISTAT code of the sending comune (or of the capofila).
    pub sender: String,
    /// Per-sender (per stream, for publish) sequence number, from 1.
    pub seq: u64,
    /// [`Inspected::header_hash`] of the previous bundle in the same stream; `None` for the first.
    pub prev_header_hash: Option<[u8; 32]>,
    pub changes: ChangeRange,
    pub ack: Ack,
    pub schema_version: u32,
    pub app_version: String,
    /// Creation time as text (the caller's clock, informative only: never used for ordering).
    pub created_at: String,
}

/// The signed header, exactly as written in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleHeader {
    pub kind: BundleKind,
    pub district: String,
    pub sender: String,
    pub key_id: KeyId,
    pub seq: u64,
    #[serde(with = "hexser::option_array")]
    pub prev_header_hash: Option<[u8; 32]>,
    pub changes: ChangeRange,
    pub ack: Ack,
    pub schema_version: u32,
    pub app_version: String,
    pub recipients: Vec<RecipientId>,
    pub payload_len: u64,
    #[serde(with = "hexser::array")]
    pub payload_sha256: [u8; 32],
    pub created_at: String,
}

impl BundleHeader {
    fn manifest(&self, records: u64) -> Manifest {
        Manifest {
            district: self.district.clone(),
            kind: self.kind,
            sender: self.sender.clone(),
            key_id: self.key_id.clone(),
            seq: self.seq,
            records,
        }
    }

    /// `D48-089009-up-000042.sportello`, or `D48-089017-pub-089009-000007.sportello` for a
    /// publish bundle (named after its recipient). No personal data, only codes.
    pub fn file_name(&self) -> String {
        let district = file_name_part(&self.district);
        let sender = file_name_part(&self.sender);
        match self.kind {
            BundleKind::Upload => format!("{district}-{sender}-up-{:06}.{EXTENSION}", self.seq),
            BundleKind::Publish => match self.recipients.iter().find(|r| r.comune != self.sender) {
                Some(r) => format!(
                    "{district}-{sender}-pub-{}-{:06}.{EXTENSION}",
                    file_name_part(&r.comune),
                    self.seq
                ),
                None => format!("{district}-{sender}-pub-{:06}.{EXTENSION}", self.seq),
            },
        }
    }
}

/// Keeps a name part to letters, digits and `_`, so no header value can make a path.
pub(crate) fn file_name_part(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Why a bundle could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("Nessun destinatario: registrare prima le chiavi del destinatario (adesione).")]
    NoRecipients,
    #[error(
        "La chiave di cifratura del comune {comune} non è valida: ripetere l'adesione del comune."
    )]
    InvalidRecipient { comune: String },
    #[error("Cifratura del pacchetto non riuscita: {0}")]
    Encryption(String),
    #[error(
        "Il pacchetto non è stato scritto perché supererebbe i limiti che ogni installazione \
         accetta in lettura ({what}). Contattare l'assistenza."
    )]
    TooLarge { what: String },
}

impl SealError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            SealError::NoRecipients => "no_recipients",
            SealError::InvalidRecipient { .. } => "invalid_recipient",
            SealError::Encryption(_) => "encryption_failed",
            SealError::TooLarge { .. } => "bundle_too_large",
        }
    }
}

/// A bundle ready to be stored and written.
#[derive(Debug, Clone)]
pub struct SealedBundle {
    pub bytes: Vec<u8>,
    pub header: BundleHeader,
    /// SHA-256 of the exact header bytes: the next bundle's `prev_header_hash`, and what tells
    /// a re-import (same hash) from a fork (same sender and seq, other hash).
    pub header_hash: [u8; 32],
    pub file_name: String,
}

/// Signs and encrypts `records` (opaque JSON values) for `recipients`. Refuses
/// ([`SealError::TooLarge`]) a bundle that a reader would refuse for its size.
pub fn seal(
    fields: &HeaderFields,
    records: &[Value],
    keys: &InstallKeys,
    recipients: &[Addressee],
) -> Result<SealedBundle, SealError> {
    let mut sealer = Sealer::new(fields, keys, recipients, records.len() as u64)?;
    for record in records {
        sealer.push(record)?;
    }
    sealer.finish(keys)
}

/// A bundle being written record by record, for a sender that streams its records rather than
/// hold them all: announced with their number, pushed one at a time, then signed.
pub struct Sealer {
    header: BundleHeader,
    payload: payload::PayloadWriter,
    announced: u64,
    pushed: u64,
}

impl Sealer {
    /// Starts a bundle of `records` records for `recipients`.
    pub fn new(
        fields: &HeaderFields,
        keys: &InstallKeys,
        recipients: &[Addressee],
        records: u64,
    ) -> Result<Self, SealError> {
        let (header, to) = start(fields, keys, recipients)?;
        let payload = payload::PayloadWriter::new(&header.manifest(records), &to)?;
        Ok(Self {
            header,
            payload,
            announced: records,
            pushed: 0,
        })
    }

    pub fn push(&mut self, record: &impl Serialize) -> Result<(), SealError> {
        self.pushed += 1;
        self.payload.push(record)
    }

    /// Signs the header over the payload written. The records pushed must be those announced:
    /// a reader refuses a payload whose count differs from its manifest.
    pub fn finish(self, keys: &InstallKeys) -> Result<SealedBundle, SealError> {
        // The records are counted before they are written: a difference is a bug here.
        assert_eq!(self.pushed, self.announced);
        finish(self.header, self.payload.finish()?, keys)
    }
}

/// For tests only: seals `compressed` (a zstd stream, taken as it is) as the payload of a
/// bundle whose manifest announces `records`, to make the hostile files [`seal`] never writes
/// (decompression bombs, overlong lines). It signs with the caller's keys, so it makes nothing
/// those keys could not make anyway.
#[doc(hidden)]
pub fn seal_compressed_for_tests(
    fields: &HeaderFields,
    _records: u64,
    compressed: &[u8],
    keys: &InstallKeys,
    recipients: &[Addressee],
) -> Result<SealedBundle, SealError> {
    // The compressed stream carries its own manifest, whatever it announces.
    let (header, to) = start(fields, keys, recipients)?;
    finish(header, payload::encrypt_raw(compressed, &to)?, keys)
}

/// The header of a bundle for `recipients` (its payload's length and hash still to come), and
/// the recipients' encryption keys, each once.
fn start(
    fields: &HeaderFields,
    keys: &InstallKeys,
    recipients: &[Addressee],
) -> Result<(BundleHeader, Vec<age::x25519::Recipient>), SealError> {
    let mut ids: Vec<RecipientId> = Vec::with_capacity(recipients.len());
    let mut age_recipients = Vec::with_capacity(recipients.len());
    for addressee in recipients {
        let key_id = addressee.keys.key_id();
        if ids.iter().any(|r| r.key_id == key_id) {
            continue;
        }
        let invalid = || SealError::InvalidRecipient {
            comune: addressee.comune.clone(),
        };
        addressee.keys.validate().map_err(|_| invalid())?;
        age_recipients.push(addressee.keys.recipient().map_err(|_| invalid())?);
        ids.push(RecipientId {
            comune: addressee.comune.clone(),
            key_id,
        });
    }
    if ids.is_empty() {
        return Err(SealError::NoRecipients);
    }

    let header = BundleHeader {
        kind: fields.kind,
        district: fields.district.clone(),
        sender: fields.sender.clone(),
        key_id: keys.key_id(),
        seq: fields.seq,
        prev_header_hash: fields.prev_header_hash,
        changes: fields.changes,
        ack: fields.ack,
        schema_version: fields.schema_version,
        app_version: fields.app_version.clone(),
        recipients: ids,
        payload_len: 0,
        payload_sha256: [0; 32],
        created_at: fields.created_at.clone(),
    };
    Ok((header, age_recipients))
}

/// Signs `header` over `payload` and frames the file.
fn finish(
    mut header: BundleHeader,
    payload: Vec<u8>,
    keys: &InstallKeys,
) -> Result<SealedBundle, SealError> {
    header.payload_len = payload.len() as u64;
    header.payload_sha256 = framing::sha256(&payload);
    let header_bytes = serde_json::to_vec(&header).expect("a header always serialises");
    let bytes = framing::write_around(Domain::Bundle, &header_bytes, payload, keys);
    if bytes.len() as u64 > MAX_FILE_LEN {
        return Err(SealError::TooLarge {
            what: format!(
                "un file di {} MB; massimo {} MB",
                (bytes.len() as u64).div_ceil(1 << 20),
                MAX_FILE_LEN >> 20
            ),
        });
    }
    Ok(SealedBundle {
        bytes,
        header_hash: framing::sha256(&header_bytes),
        file_name: header.file_name(),
        header,
    })
}

/// A bundle whose framing and payload hash are intact and whose header was read. Nothing in it
/// is trusted until [`verify`] succeeds.
#[derive(Debug, Clone)]
pub struct Inspected {
    header: BundleHeader,
    header_text: String,
    signature: [u8; 64],
    /// The whole file, kept rather than a copy of its payload, which may be most of it.
    file: Vec<u8>,
    payload_start: usize,
    header_hash: [u8; 32],
}

impl Inspected {
    pub fn header(&self) -> &BundleHeader {
        &self.header
    }

    /// The exact signed header text, for `bundle inspect --json` and the import log.
    pub fn header_json(&self) -> &str {
        &self.header_text
    }

    /// SHA-256 of the exact header bytes (see [`SealedBundle::header_hash`]).
    pub fn header_hash(&self) -> [u8; 32] {
        self.header_hash
    }

    pub fn signature_hex(&self) -> String {
        hex::encode(self.signature)
    }

    fn payload(&self) -> &[u8] {
        &self.file[self.payload_start..]
    }
}

/// Checks, in order: too large, not a bundle, unsupported version, truncated, corrupted
/// (lengths, header, payload hash), wrong kind of file. Decrypts nothing and needs no key.
pub fn inspect(bytes: &[u8]) -> Result<Inspected, BundleError> {
    if bytes.len() as u64 > MAX_FILE_LEN {
        return Err(BundleError::FileTooLarge {
            size: bytes.len() as u64,
            limit: MAX_FILE_LEN,
        });
    }
    inspect_owned(bytes.to_vec())
}

/// [`inspect`] of a file already read into memory, kept without a copy.
pub fn inspect_owned(file: Vec<u8>) -> Result<Inspected, BundleError> {
    let frame = framing::read(&file, FileKind::Bundle)?;
    let header: BundleHeader = framing::parse_header(&frame)?;
    let header_text = std::str::from_utf8(frame.header)
        .map_err(|_| BundleError::Corrupted(Damage::HeaderUnreadable))?
        .to_string();
    let (signature, header_hash) = (frame.signature, framing::sha256(frame.header));
    let payload_start = file.len() - frame.payload.len();
    Ok(Inspected {
        header,
        header_text,
        signature,
        file,
        payload_start,
        header_hash,
    })
}

/// Who is reading: the install's district, comune and current key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receiver {
    pub district: String,
    pub comune: String,
    pub key_id: KeyId,
}

impl Receiver {
    pub fn new(district: &str, comune: &str, keys: &InstallKeys) -> Self {
        Receiver {
            district: district.to_string(),
            comune: comune.to_string(),
            key_id: keys.key_id(),
        }
    }
}

/// A bundle whose signature was made by a key trusted for its sender and kind, and which is
/// addressed to the receiver.
#[derive(Debug, Clone)]
pub struct Verified<'a> {
    inspected: &'a Inspected,
    signer: TrustEntry,
    receiver: Receiver,
}

impl<'a> Verified<'a> {
    pub fn header(&self) -> &'a BundleHeader {
        &self.inspected.header
    }

    pub fn header_hash(&self) -> [u8; 32] {
        self.inspected.header_hash
    }

    /// The trust entry whose key signed the bundle.
    pub fn signer(&self) -> &TrustEntry {
        &self.signer
    }
}

/// Checks, in order: wrong district, unknown key (or a key not allowed to sign this kind of
/// bundle for this sender), revoked key, bad signature, not addressed to us.
pub fn verify<'a>(
    inspected: &'a Inspected,
    trust: &TrustList,
    receiver: &Receiver,
) -> Result<Verified<'a>, BundleError> {
    let header = &inspected.header;
    if header.district != receiver.district {
        return Err(BundleError::WrongDistrict {
            expected: receiver.district.clone(),
            found: header.district.clone(),
        });
    }
    let signer = trust
        .get(&header.key_id)
        .filter(|e| e.comune == header.sender && e.role == header.kind.signer_role())
        .ok_or_else(|| BundleError::UnknownKey {
            sender: header.sender.clone(),
            key_id: header.key_id.to_string(),
        })?;
    if let Some(revoked_from_seq) = signer.revoked_from_seq.filter(|from| header.seq >= *from) {
        return Err(BundleError::RevokedKey {
            sender: header.sender.clone(),
            key_id: header.key_id.to_string(),
            seq: header.seq,
            revoked_from_seq,
        });
    }
    if signer.public_keys().key_id() != header.key_id
        || !Domain::Bundle.verifies(
            &signer.public_keys(),
            inspected.header_text.as_bytes(),
            &inspected.signature,
        )
    {
        return Err(BundleError::BadSignature);
    }
    let addressed = header
        .recipients
        .iter()
        .any(|r| r.comune == receiver.comune && r.key_id == receiver.key_id);
    if !addressed {
        return Err(not_addressed(header, receiver));
    }
    Ok(Verified {
        inspected,
        signer: signer.clone(),
        receiver: receiver.clone(),
    })
}

fn not_addressed(header: &BundleHeader, receiver: &Receiver) -> BundleError {
    let recipients = header
        .recipients
        .iter()
        .map(|r| format!("{} (chiave {})", r.comune, r.key_id))
        .collect::<Vec<_>>()
        .join(", ");
    BundleError::NotAddressedToUs {
        recipients,
        us: format!("{} (chiave {})", receiver.comune, receiver.key_id),
    }
}

/// Decrypts and decompresses the payload, checks the manifest against the header and returns
/// the records in the order they were sealed, all held at once (for tools and tests: an
/// import reads them one at a time with [`records`]).
pub fn open(verified: &Verified<'_>, keys: &InstallKeys) -> Result<Vec<Value>, BundleError> {
    records(verified, keys)?.collect()
}

/// The payload's records in the order they were sealed, decrypted, decompressed and parsed
/// one at a time as the iterator is advanced: reading ends at the first refusal.
pub fn records<'v>(
    verified: &'v Verified<'_>,
    keys: &InstallKeys,
) -> Result<Records<'v>, BundleError> {
    let header = verified.header();
    let refusal = |e| match e {
        PayloadError::NotForUs => not_addressed(header, &verified.receiver),
        PayloadError::Damaged(d) => BundleError::Corrupted(d),
    };
    let reader = payload::PayloadReader::new(
        verified.inspected.payload(),
        keys.age_identity(),
        &header.manifest(0),
        payload::LIMITS,
    )
    .map_err(refusal)?;
    Ok(Records { reader })
}

/// A bundle's records being read: see [`records`].
pub struct Records<'v> {
    reader: payload::PayloadReader<'v>,
}

impl Records<'_> {
    /// What the records read so far take in memory once parsed, as the reader's limit
    /// counts it: lets a caller that keeps several at once bound what it keeps.
    pub fn held(&self) -> u64 {
        self.reader.held
    }
}

impl Iterator for Records<'_> {
    type Item = Result<Value, BundleError>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.reader.next()?.map_err(|e| match e {
            // Decryption was checked when the reading began.
            PayloadError::NotForUs => BundleError::Corrupted(Damage::Payload),
            PayloadError::Damaged(d) => BundleError::Corrupted(d),
        }))
    }
}
