//! The byte framing shared by bundles, enrolment and district files:
//!
//! ```text
//! magic (14) | version u16 BE | header length u32 BE | header | signature (64)
//!            | payload length u64 BE | payload
//! ```
//!
//! Every length is declared before its bytes, so a short file is recognised as truncated and a
//! long one as damaged. The header is JSON whose exact bytes are signed; it declares the
//! payload's length and SHA-256, so the signature covers the whole file.

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{BundleError, Damage, FileKind};
use crate::hexser;
use crate::keys::{InstallKeys, KeyId, PublicKeys};

/// Version of the file format this build writes and reads.
pub const FORMAT_VERSION: u16 = 1;

/// PNG-style magic: a high byte and CR LF / SUB / LF catch 7-bit and line-ending mangling by
/// mail or text-mode copies.
pub(crate) const MAGIC: &[u8; 14] = b"\x89SPORTELLO\r\n\x1a\n";

/// Whether `bytes` start like a Sportello file (a bundle, an enrolment or a district file),
/// whatever else they hold: what tells a signed district file from a TOML one.
pub fn is_sportello_file(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}
/// Headers are a few hundred bytes; anything near this is damage, not data.
const MAX_HEADER_LEN: u32 = 1 << 20;
/// The largest file read: a district's bundles are kilobytes to a few megabytes (10,000
/// applications make about 3 MB), so this is a wide margin that still keeps a wrong file (a
/// video, a disk image) from being read into memory.
pub(crate) const MAX_FILE_LEN: u64 = 512 << 20;
const SIGNATURE_LEN: usize = 64;
const VERSION_END: usize = MAGIC.len() + 2;
const HEADER_START: usize = VERSION_END + 4;

/// What a signature is for: the label keeps a signature made for one kind of document from
/// being valid for another, and binds the format version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Domain {
    Bundle,
    Enrolment,
    District,
    Rotation,
    Revocation,
    Statement,
}

impl Domain {
    fn label(self) -> &'static str {
        match self {
            Domain::Bundle => "bundle",
            Domain::Enrolment => "enroll",
            Domain::District => "district",
            Domain::Rotation => "key-rotation",
            Domain::Revocation => "key-revocation",
            Domain::Statement => "statement",
        }
    }

    /// The exact bytes a signature covers: `sportello v1 <label>\0` then the message.
    pub(crate) fn signing_input(self, message: &[u8]) -> Vec<u8> {
        let label = format!("sportello v{FORMAT_VERSION} {}\0", self.label());
        let mut input = Vec::with_capacity(label.len() + message.len());
        input.extend_from_slice(label.as_bytes());
        input.extend_from_slice(message);
        input
    }

    pub(crate) fn sign(self, keys: &InstallKeys, message: &[u8]) -> [u8; 64] {
        keys.sign(&self.signing_input(message))
    }

    pub(crate) fn verifies(self, key: &PublicKeys, message: &[u8], signature: &[u8; 64]) -> bool {
        key.verifies(&self.signing_input(message), signature)
    }
}

/// Writes a complete file around `payload`, in its own buffer: a large payload is moved to
/// make room for the header, never copied into a second one.
pub(crate) fn write_around(
    domain: Domain,
    header: &[u8],
    mut payload: Vec<u8>,
    keys: &InstallKeys,
) -> Vec<u8> {
    let prefix = prefix(domain, header, payload.len() as u64, keys);
    payload.splice(0..0, prefix);
    payload
}

/// What precedes the payload: magic, version, the signed header and the payload's length.
fn prefix(domain: Domain, header: &[u8], payload_len: u64, keys: &InstallKeys) -> Vec<u8> {
    let header_len = u32::try_from(header.len())
        .ok()
        .filter(|len| *len <= MAX_HEADER_LEN)
        .expect("headers are small JSON objects");
    let signature = domain.sign(keys, header);
    let mut out = Vec::with_capacity(HEADER_START + header.len() + SIGNATURE_LEN + 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_be_bytes());
    out.extend_from_slice(&header_len.to_be_bytes());
    out.extend_from_slice(header);
    out.extend_from_slice(&signature);
    out.extend_from_slice(&payload_len.to_be_bytes());
    out
}

/// Writes a complete file: the header is signed by `keys` under `domain`.
pub(crate) fn write(domain: Domain, header: &[u8], payload: &[u8], keys: &InstallKeys) -> Vec<u8> {
    let mut out = prefix(domain, header, payload.len() as u64, keys);
    out.extend_from_slice(payload);
    out
}

/// A file whose framing is whole and whose payload matches the length and hash its header
/// declares. Nothing is trusted yet: the signature is checked by the caller against a key.
#[derive(Debug, Clone)]
pub(crate) struct Frame<'a> {
    pub header: &'a [u8],
    pub signature: [u8; 64],
    pub payload: &'a [u8],
}

/// The fields every header has, read before the document's own fields.
#[derive(Deserialize)]
struct CommonHeader {
    kind: String,
    payload_len: u64,
    #[serde(with = "hexser::array")]
    payload_sha256: [u8; 32],
}

/// Runs the checks every file goes through, in order: too large, not a Sportello file,
/// unsupported version, truncated, corrupted, wrong kind of file.
pub(crate) fn read(bytes: &[u8], expected: FileKind) -> Result<Frame<'_>, BundleError> {
    let actual = bytes.len() as u64;
    let truncated = |needed: u64| BundleError::Truncated { needed, actual };
    if actual > MAX_FILE_LEN {
        return Err(BundleError::FileTooLarge {
            size: actual,
            limit: MAX_FILE_LEN,
        });
    }

    if bytes.len() < MAGIC.len() {
        // An interrupted copy keeps a prefix of the magic; anything else is some other file.
        return Err(if MAGIC.starts_with(bytes) {
            truncated(MAGIC.len() as u64)
        } else {
            BundleError::NotABundle
        });
    }
    if &bytes[..MAGIC.len()] != MAGIC {
        return Err(BundleError::NotABundle);
    }
    let Some(version) = bytes.get(MAGIC.len()..VERSION_END) else {
        return Err(truncated(VERSION_END as u64));
    };
    let version = u16::from_be_bytes([version[0], version[1]]);
    if version != FORMAT_VERSION {
        return Err(BundleError::UnsupportedVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let Some(header_len) = bytes.get(VERSION_END..HEADER_START) else {
        return Err(truncated(HEADER_START as u64));
    };
    let header_len = u32::from_be_bytes(header_len.try_into().expect("4 bytes"));
    if header_len > MAX_HEADER_LEN {
        return Err(BundleError::Corrupted(Damage::HeaderTooLarge));
    }
    let header_end = HEADER_START + header_len as usize;
    let signature_end = header_end + SIGNATURE_LEN;
    let payload_start = signature_end + 8;
    if bytes.len() < payload_start {
        return Err(truncated(payload_start as u64));
    }
    let header = &bytes[HEADER_START..header_end];
    let signature: [u8; 64] = bytes[header_end..signature_end]
        .try_into()
        .expect("64 bytes");
    let payload_len = u64::from_be_bytes(
        bytes[signature_end..payload_start]
            .try_into()
            .expect("8 bytes"),
    );
    if payload_len > MAX_FILE_LEN {
        return Err(BundleError::Corrupted(Damage::PayloadTooLarge));
    }
    let total = (payload_start as u64).saturating_add(payload_len);
    if actual < total {
        return Err(truncated(total));
    }
    if actual > total {
        return Err(BundleError::Corrupted(Damage::TrailingBytes));
    }
    let payload = &bytes[payload_start..];

    let common: CommonHeader = serde_json::from_slice(header)
        .map_err(|_| BundleError::Corrupted(Damage::HeaderUnreadable))?;
    if common.payload_len != payload_len {
        return Err(BundleError::Corrupted(Damage::PayloadLength));
    }
    if Sha256::digest(payload).as_slice() != common.payload_sha256 {
        return Err(BundleError::Corrupted(Damage::PayloadHash));
    }
    let found = match common.kind.as_str() {
        "upload" | "publish" => FileKind::Bundle,
        "enroll" => FileKind::Enrolment,
        "district" => FileKind::District,
        _ => return Err(BundleError::Corrupted(Damage::HeaderUnreadable)),
    };
    if found != expected {
        return Err(BundleError::WrongFileKind { expected, found });
    }
    Ok(Frame {
        header,
        signature,
        payload,
    })
}

/// Parses a document's own header once the common checks passed.
pub(crate) fn parse_header<'a, T: Deserialize<'a>>(frame: &Frame<'a>) -> Result<T, BundleError> {
    serde_json::from_slice(frame.header)
        .map_err(|_| BundleError::Corrupted(Damage::HeaderUnreadable))
}

/// For files that introduce their own keys (enrolment, district): the keys must be usable and
/// match the declared key id, the signature must verify with them, and the operator's typed
/// fingerprint must be theirs. Only the last step makes the keys trusted; its refusal echoes
/// what was typed and never the file's fingerprint, which would make the phone call skippable.
pub(crate) fn check_self_signed(
    domain: Domain,
    frame: &Frame<'_>,
    keys: &PublicKeys,
    key_id: &KeyId,
    expected_fingerprint: &str,
) -> Result<(), BundleError> {
    if keys.validate().is_err() || &keys.key_id() != key_id {
        return Err(BundleError::Corrupted(Damage::HeaderUnreadable));
    }
    if !domain.verifies(keys, frame.header, &frame.signature) {
        return Err(BundleError::BadSignature);
    }
    if !keys.fingerprint().matches(expected_fingerprint) {
        return Err(BundleError::FingerprintMismatch {
            file: if domain == Domain::District {
                FileKind::District
            } else {
                FileKind::Enrolment
            },
            typed: crate::fingerprint::as_typed(expected_fingerprint),
        });
    }
    Ok(())
}

pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(kind: &str, payload: &[u8], keys: &InstallKeys) -> Vec<u8> {
        let header = serde_json::json!({
            "kind": kind,
            "payload_len": payload.len(),
            "payload_sha256": hex::encode(sha256(payload)),
        });
        write(
            Domain::Enrolment,
            header.to_string().as_bytes(),
            payload,
            keys,
        )
    }

    #[test]
    fn reads_back_what_it_wrote() {
        let keys = InstallKeys::generate();
        let bytes = file("enroll", b"abc", &keys);
        let frame = read(&bytes, FileKind::Enrolment).unwrap();
        assert_eq!(frame.payload, b"abc");
        assert!(Domain::Enrolment.verifies(&keys.public(), frame.header, &frame.signature));
        assert!(!Domain::District.verifies(&keys.public(), frame.header, &frame.signature));
    }

    #[test]
    fn an_empty_file_or_a_prefix_of_the_magic_is_truncated() {
        assert!(matches!(
            read(b"", FileKind::Bundle),
            Err(BundleError::Truncated { .. })
        ));
        assert!(matches!(
            read(&MAGIC[..5], FileKind::Bundle),
            Err(BundleError::Truncated { .. })
        ));
        assert_eq!(
            read(b"hello", FileKind::Bundle).unwrap_err(),
            BundleError::NotABundle
        );
    }

    #[test]
    fn a_huge_declared_header_is_damage() {
        let keys = InstallKeys::generate();
        let mut bytes = file("enroll", b"", &keys);
        bytes[VERSION_END..HEADER_START].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(
            read(&bytes, FileKind::Enrolment).unwrap_err(),
            BundleError::Corrupted(Damage::HeaderTooLarge)
        );
    }

    #[test]
    fn a_file_beyond_the_limit_is_refused_before_anything_else() {
        // Zeroed pages are mapped lazily: this costs no memory until touched, and it is not.
        let bytes = vec![0u8; MAX_FILE_LEN as usize + 1];
        assert_eq!(
            read(&bytes, FileKind::Bundle).unwrap_err(),
            BundleError::FileTooLarge {
                size: MAX_FILE_LEN + 1,
                limit: MAX_FILE_LEN
            }
        );
    }

    #[test]
    fn a_payload_declared_beyond_any_file_we_read_is_damage() {
        let keys = InstallKeys::generate();
        let mut bytes = file("enroll", b"", &keys);
        let at = bytes.len() - 8;
        bytes[at..].copy_from_slice(&(MAX_FILE_LEN + 1).to_be_bytes());
        assert_eq!(
            read(&bytes, FileKind::Enrolment).unwrap_err(),
            BundleError::Corrupted(Damage::PayloadTooLarge)
        );
        // Within the limit, a length beyond the file is still a truncation.
        bytes[at..].copy_from_slice(&MAX_FILE_LEN.to_be_bytes());
        assert!(matches!(
            read(&bytes, FileKind::Enrolment),
            Err(BundleError::Truncated { .. })
        ));
    }

    #[test]
    fn an_unknown_kind_is_damage_and_another_kind_is_named() {
        let keys = InstallKeys::generate();
        assert_eq!(
            read(&file("other", b"", &keys), FileKind::Enrolment).unwrap_err(),
            BundleError::Corrupted(Damage::HeaderUnreadable)
        );
        assert_eq!(
            read(&file("district", b"", &keys), FileKind::Enrolment).unwrap_err(),
            BundleError::WrongFileKind {
                expected: FileKind::Enrolment,
                found: FileKind::District
            }
        );
    }
}
