//! A bundle's payload: JSON Lines (a manifest line, then one line per record), compressed with
//! zstd, encrypted with age to the recipients' X25519 keys. Written and read as streams so a
//! large bundle is never held twice in clear.

use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::iter;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::bundle::BundleKind;
use crate::error::Damage;
use crate::keys::KeyId;

/// zstd's default level: most of the gain on JSON for a fraction of the time of higher levels.
const ZSTD_LEVEL: i32 = 3;

/// The first line of the payload: the header's identity and the number of records that follow,
/// so a payload cannot be moved under another header by someone who can read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
    pub district: String,
    pub kind: BundleKind,
    pub sender: String,
    pub key_id: KeyId,
    pub seq: u64,
    pub records: u64,
}

impl Manifest {
    /// Everything but the record count, which only the manifest knows.
    fn same_identity(&self, other: &Manifest) -> bool {
        Manifest {
            records: other.records,
            ..self.clone()
        } == *other
    }
}

pub(crate) enum PayloadError {
    /// None of our keys opens it.
    NotForUs,
    Damaged(Damage),
}

pub(crate) fn seal(
    manifest: &Manifest,
    records: &[Value],
    recipients: &[age::x25519::Recipient],
) -> Result<Vec<u8>, age::EncryptError> {
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))?;
    let mut out = Vec::new();
    let encrypted = encryptor.wrap_output(&mut out)?;
    let compressed = zstd::stream::write::Encoder::new(encrypted, ZSTD_LEVEL)?;
    // serde_json writes in small pieces; batch them before they reach the compressor.
    let mut lines = BufWriter::with_capacity(1 << 16, compressed);
    write_line(&mut lines, manifest)?;
    for record in records {
        write_line(&mut lines, record)?;
    }
    let compressed = lines.into_inner().map_err(io::IntoInnerError::into_error)?;
    compressed.finish()?.finish()?;
    Ok(out)
}

fn write_line<T: Serialize + ?Sized>(out: &mut impl Write, value: &T) -> io::Result<()> {
    // JSON escapes control characters inside strings, so a value never spans two lines.
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

pub(crate) fn open(
    ciphertext: &[u8],
    identity: &age::x25519::Identity,
    expected_identity: &Manifest,
) -> Result<Vec<Value>, PayloadError> {
    let damaged = |d| PayloadError::Damaged(d);
    let decryptor =
        age::Decryptor::new_buffered(ciphertext).map_err(|_| damaged(Damage::Payload))?;
    let decrypted = decryptor
        .decrypt(iter::once(identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => PayloadError::NotForUs,
            _ => damaged(Damage::Payload),
        })?;
    let decompressed =
        zstd::stream::read::Decoder::new(decrypted).map_err(|_| damaged(Damage::Payload))?;
    let mut lines = BufReader::with_capacity(1 << 16, decompressed);
    let mut line = Vec::new();

    let manifest: Manifest = match next_line(&mut lines, &mut line)? {
        Some(bytes) => serde_json::from_slice(bytes).map_err(|_| damaged(Damage::Manifest))?,
        None => return Err(damaged(Damage::Manifest)),
    };
    if !manifest.same_identity(expected_identity) {
        return Err(damaged(Damage::Manifest));
    }
    let mut records =
        Vec::with_capacity(usize::try_from(manifest.records).unwrap_or(0).min(1 << 20));
    while let Some(bytes) = next_line(&mut lines, &mut line)? {
        records.push(serde_json::from_slice(bytes).map_err(|_| damaged(Damage::RecordLine))?);
    }
    if records.len() as u64 != manifest.records {
        return Err(damaged(Damage::Manifest));
    }
    Ok(records)
}

/// The next newline-terminated line without its newline; a last line without one is damage.
fn next_line<'a>(
    input: &mut impl BufRead,
    line: &'a mut Vec<u8>,
) -> Result<Option<&'a [u8]>, PayloadError> {
    line.clear();
    let read = input
        .read_until(b'\n', line)
        .map_err(|_| PayloadError::Damaged(Damage::Payload))?;
    match read {
        0 => Ok(None),
        _ if line.last() == Some(&b'\n') => Ok(Some(&line[..line.len() - 1])),
        _ => Err(PayloadError::Damaged(Damage::RecordLine)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::InstallKeys;
    use serde_json::json;

    fn manifest(keys: &InstallKeys, records: u64) -> Manifest {
        Manifest {
            district: "D99".into(),
            kind: BundleKind::Upload,
            sender: "999002".into(),
            key_id: keys.key_id(),
            seq: 1,
            records,
        }
    }

    fn recipient(keys: &InstallKeys) -> age::x25519::Recipient {
        keys.public().recipient().unwrap()
    }

    #[test]
    fn round_trips_records_with_newlines_inside_strings() {
        let keys = InstallKeys::generate();
        let records = vec![
            json!({"note": "riga uno\nriga due"}),
            json!([1, 2, 3]),
            json!(null),
        ];
        let m = manifest(&keys, 3);
        let sealed = seal(&m, &records, &[recipient(&keys)]).unwrap();
        let opened = open(&sealed, keys.age_identity(), &m).ok().unwrap();
        assert_eq!(opened, records);
    }

    #[test]
    fn another_identity_cannot_open_it() {
        let keys = InstallKeys::generate();
        let m = manifest(&keys, 0);
        let sealed = seal(&m, &[], &[recipient(&keys)]).unwrap();
        let other = InstallKeys::generate();
        assert!(matches!(
            open(&sealed, other.age_identity(), &m),
            Err(PayloadError::NotForUs)
        ));
    }

    #[test]
    fn a_manifest_that_differs_from_the_header_is_damage() {
        let keys = InstallKeys::generate();
        let m = manifest(&keys, 1);
        let sealed = seal(&m, &[json!(1)], &[recipient(&keys)]).unwrap();
        let other_seq = Manifest {
            seq: 2,
            ..m.clone()
        };
        assert!(matches!(
            open(&sealed, keys.age_identity(), &other_seq),
            Err(PayloadError::Damaged(Damage::Manifest))
        ));
        // A manifest announcing more records than the payload carries.
        let short = seal(&manifest(&keys, 2), &[json!(1)], &[recipient(&keys)]).unwrap();
        assert!(matches!(
            open(&short, keys.age_identity(), &manifest(&keys, 2)),
            Err(PayloadError::Damaged(Damage::Manifest))
        ));
    }
}
