//! The district file: how the capofila's configuration, bandi and public keys reach a comune.
//! Signed by the capofila, not encrypted (configuration and public keys only). A comune trusts
//! the first one when the fingerprint read over the phone matches; later ones must be signed
//! by the capofila key already in its trust list.

use serde::{Deserialize, Serialize};

use crate::bundle::{EXTENSION, file_name_part};
use crate::error::{BundleError, Damage, FileKind};
use crate::fingerprint::Fingerprint;
use crate::framing::{self, Domain, Frame};
use crate::hexser;
use crate::keys::{InstallKeys, KeyId, PublicKeys};
use crate::trust::{KeyRotation, Role, TrustEntry, TrustError, TrustList};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum DistrictKind {
    #[serde(rename = "district")]
    District,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DistrictHeader {
    kind: DistrictKind,
    district: String,
    capofila: String,
    key_id: KeyId,
    keys: PublicKeys,
    seq: u64,
    app_version: String,
    created_at: String,
    payload_len: u64,
    #[serde(with = "hexser::array")]
    payload_sha256: [u8; 32],
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DistrictBody {
    district_toml: String,
    bandi: Vec<String>,
    trust: TrustList,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    rotations: Vec<KeyRotation>,
}

/// What the capofila distributes. The TOML texts are opaque here; the caller parses them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictContents {
    pub district: String,
    /// ISTAT code of the capofila.
    pub capofila: String,
    /// Version of the configuration, increasing with every new district file.
    pub seq: u64,
    pub app_version: String,
    pub created_at: String,
    pub district_toml: String,
    pub bandi: Vec<String>,
    /// The enrolled keys (comuni and the capofila itself).
    pub trust: TrustList,
    /// The capofila's own move to new keys, signed by the old key and the new: a comune that
    /// trusts the old key takes the new one from it, without a new phone check.
    pub rotations: Vec<KeyRotation>,
}

/// A verified district file and the capofila keys that signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictFile {
    pub contents: DistrictContents,
    pub keys: PublicKeys,
}

impl DistrictFile {
    /// The entry to add to a comune's trust list.
    pub fn capofila_entry(&self) -> Result<TrustEntry, TrustError> {
        TrustEntry::new(&self.contents.capofila, Role::Capofila, &self.keys)
    }

    pub fn fingerprint(&self) -> Fingerprint {
        self.keys.fingerprint()
    }
}

/// Writes the district file, signed by the capofila's keys.
pub fn create(contents: &DistrictContents, keys: &InstallKeys) -> Vec<u8> {
    let body = DistrictBody {
        district_toml: contents.district_toml.clone(),
        bandi: contents.bandi.clone(),
        trust: contents.trust.clone(),
        rotations: contents.rotations.clone(),
    };
    let payload = serde_json::to_vec(&body).expect("a district body always serialises");
    let header = DistrictHeader {
        kind: DistrictKind::District,
        district: contents.district.clone(),
        capofila: contents.capofila.clone(),
        key_id: keys.key_id(),
        keys: keys.public(),
        seq: contents.seq,
        app_version: contents.app_version.clone(),
        created_at: contents.created_at.clone(),
        payload_len: payload.len() as u64,
        payload_sha256: framing::sha256(&payload),
    };
    let header = serde_json::to_vec(&header).expect("a header always serialises");
    framing::write(Domain::District, &header, &payload, keys)
}

/// First contact: checks, in order, the framing checks, wrong district (when the comune already
/// knows its district), bad signature, fingerprint mismatch.
pub fn verify(
    bytes: &[u8],
    expected_fingerprint: &str,
    expected_district: Option<&str>,
) -> Result<DistrictFile, BundleError> {
    let frame = framing::read(bytes, FileKind::District)?;
    let header: DistrictHeader = framing::parse_header(&frame)?;
    if let Some(expected) = expected_district {
        check_district(&header, expected)?;
    }
    framing::check_self_signed(
        Domain::District,
        &frame,
        &header.keys,
        &header.key_id,
        expected_fingerprint,
    )?;
    finish(&frame, header)
}

/// An update from a capofila already trusted: checks, in order, the framing checks, wrong
/// district, unknown or revoked key (by the file's `seq`), bad signature. A new capofila key
/// arrives by rotation, never by a district file alone.
pub fn verify_trusted(
    bytes: &[u8],
    trust: &TrustList,
    district: &str,
) -> Result<DistrictFile, BundleError> {
    let frame = framing::read(bytes, FileKind::District)?;
    let header: DistrictHeader = framing::parse_header(&frame)?;
    check_district(&header, district)?;
    let unknown = || BundleError::UnknownKey {
        sender: header.capofila.clone(),
        key_id: header.key_id.to_string(),
    };
    let signer = trust
        .get(&header.key_id)
        .filter(|e| e.comune == header.capofila && e.role == Role::Capofila)
        .ok_or_else(unknown)?;
    if let Some(revoked_from_seq) = signer.revoked_from_seq.filter(|from| header.seq >= *from) {
        return Err(BundleError::RevokedKey {
            sender: header.capofila.clone(),
            key_id: header.key_id.to_string(),
            seq: header.seq,
            revoked_from_seq,
        });
    }
    if signer.public_keys() != header.keys {
        return Err(unknown());
    }
    if !Domain::District.verifies(&signer.public_keys(), frame.header, &frame.signature) {
        return Err(BundleError::BadSignature);
    }
    finish(&frame, header)
}

fn check_district(header: &DistrictHeader, expected: &str) -> Result<(), BundleError> {
    if header.district != expected {
        return Err(BundleError::WrongDistrict {
            expected: expected.to_string(),
            found: header.district.clone(),
        });
    }
    Ok(())
}

fn finish(frame: &Frame<'_>, header: DistrictHeader) -> Result<DistrictFile, BundleError> {
    let body: DistrictBody = serde_json::from_slice(frame.payload)
        .map_err(|_| BundleError::Corrupted(Damage::DocumentBody))?;
    Ok(DistrictFile {
        contents: DistrictContents {
            district: header.district,
            capofila: header.capofila,
            seq: header.seq,
            app_version: header.app_version,
            created_at: header.created_at,
            district_toml: body.district_toml,
            bandi: body.bandi,
            trust: body.trust,
            rotations: body.rotations,
        },
        keys: header.keys,
    })
}

/// `D48-distretto-0003.sportello`.
pub fn file_name(district: &str, seq: u64) -> String {
    format!(
        "{}-distretto-{seq:04}.{EXTENSION}",
        file_name_part(district)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::KeyRevocation;

    const AT: &str = "2026-03-02T09:30:00+01:00";

    fn contents(capofila: &InstallKeys, comune: &InstallKeys) -> DistrictContents {
        let mut trust = TrustList::new();
        trust
            .add(TrustEntry::new("999001", Role::Capofila, &capofila.public()).unwrap())
            .unwrap();
        trust
            .add(TrustEntry::new("999002", Role::Comune, &comune.public()).unwrap())
            .unwrap();
        DistrictContents {
            district: "D99".into(),
            capofila: "999001".into(),
            seq: 1,
            app_version: "0.1.0".into(),
            created_at: AT.into(),
            district_toml: "id = \"D99\"\n".into(),
            bandi: vec!["id = \"SC-2026\"\n".into()],
            trust,
            rotations: Vec::new(),
        }
    }

    #[test]
    fn first_contact_needs_the_capofila_fingerprint() {
        let capofila = InstallKeys::generate();
        let c = contents(&capofila, &InstallKeys::generate());
        let bytes = create(&c, &capofila);
        let file = verify(&bytes, &capofila.fingerprint().to_string(), Some("D99")).unwrap();
        assert_eq!(file.contents, c);
        assert_eq!(file.capofila_entry().unwrap().key_id, capofila.key_id());
        let wrong = InstallKeys::generate().fingerprint().to_string();
        let err = verify(&bytes, &wrong, None).unwrap_err();
        assert_eq!(
            err,
            BundleError::FingerprintMismatch {
                file: FileKind::District,
                typed: wrong.clone()
            }
        );
        let told = err.message();
        let right = capofila.fingerprint().to_string();
        for group in right.split('-').filter(|g| !wrong.contains(g)) {
            assert!(!told.contains(group), "{group} of {right} in {told}");
        }
        assert!(told.contains("Telefonare al capofila"), "{told}");
        assert!(matches!(
            verify(&bytes, &capofila.fingerprint().to_string(), Some("D48")),
            Err(BundleError::WrongDistrict { .. })
        ));
    }

    #[test]
    fn updates_are_checked_against_the_trusted_capofila_key() {
        let capofila = InstallKeys::generate();
        let c = contents(&capofila, &InstallKeys::generate());
        let mut trust = TrustList::new();
        trust
            .add(TrustEntry::new("999001", Role::Capofila, &capofila.public()).unwrap())
            .unwrap();
        let next = DistrictContents {
            seq: 2,
            ..c.clone()
        };
        assert_eq!(
            verify_trusted(&create(&next, &capofila), &trust, "D99")
                .unwrap()
                .contents,
            next
        );

        let impostor = InstallKeys::generate();
        assert!(matches!(
            verify_trusted(&create(&next, &impostor), &trust, "D99"),
            Err(BundleError::UnknownKey { .. })
        ));

        let revocation = KeyRevocation::sign("999001", &capofila.key_id(), 2, AT, &capofila);
        trust.apply_revocation(&revocation).unwrap();
        assert!(verify_trusted(&create(&c, &capofila), &trust, "D99").is_ok());
        assert!(matches!(
            verify_trusted(&create(&next, &capofila), &trust, "D99"),
            Err(BundleError::RevokedKey { .. })
        ));
    }

    #[test]
    fn an_enrolment_file_is_not_a_district_file() {
        let keys = InstallKeys::generate();
        let enrolment = crate::enrolment::create("D99", "999002", &keys, "0.1.0", AT);
        assert_eq!(
            verify(&enrolment, &keys.fingerprint().to_string(), None).unwrap_err(),
            BundleError::WrongFileKind {
                expected: FileKind::District,
                found: FileKind::Enrolment
            }
        );
    }

    #[test]
    fn file_name_has_only_codes() {
        assert_eq!(file_name("D48", 3), "D48-distretto-0003.sportello");
    }
}
