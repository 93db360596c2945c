//! The enrolment file: how a comune's public keys reach the capofila. Signed by the comune's own
//! key (proof that it holds the secret), not encrypted (it carries public keys only). The
//! capofila trusts it only when the fingerprint read over the phone matches.

use serde::{Deserialize, Serialize};

use crate::bundle::{EXTENSION, file_name_part};
use crate::error::{BundleError, FileKind};
use crate::fingerprint::Fingerprint;
use crate::framing::{self, Domain};
use crate::hexser;
use crate::keys::{InstallKeys, KeyId, PublicKeys};
use crate::trust::{Role, TrustEntry, TrustError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum EnrolKind {
    #[serde(rename = "enroll")]
    Enroll,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnrolmentHeader {
    kind: EnrolKind,
    district: String,
    comune: String,
    key_id: KeyId,
    keys: PublicKeys,
    app_version: String,
    created_at: String,
    payload_len: u64,
    #[serde(with = "hexser::array")]
    payload_sha256: [u8; 32],
}

/// A verified enrolment: a comune of the district and the keys it confirmed by phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub district: String,
    /// ISTAT code.
    pub comune: String,
    pub keys: PublicKeys,
    pub app_version: String,
    pub created_at: String,
}

impl Enrolment {
    /// The entry to add to the capofila's trust list.
    pub fn trust_entry(&self) -> Result<TrustEntry, TrustError> {
        TrustEntry::new(&self.comune, Role::Comune, &self.keys)
    }

    pub fn fingerprint(&self) -> Fingerprint {
        self.keys.fingerprint()
    }
}

/// Writes a comune's enrolment file.
pub fn create(
    district: &str,
    comune: &str,
    keys: &InstallKeys,
    app_version: &str,
    created_at: &str,
) -> Vec<u8> {
    let header = EnrolmentHeader {
        kind: EnrolKind::Enroll,
        district: district.to_string(),
        comune: comune.to_string(),
        key_id: keys.key_id(),
        keys: keys.public(),
        app_version: app_version.to_string(),
        created_at: created_at.to_string(),
        payload_len: 0,
        payload_sha256: framing::sha256(&[]),
    };
    let header = serde_json::to_vec(&header).expect("a header always serialises");
    framing::write(Domain::Enrolment, &header, &[], keys)
}

/// Checks an enrolment file, in order: the framing checks, wrong district, bad signature,
/// fingerprint mismatch (`expected_fingerprint` as typed: case, spaces, dashes ignored).
pub fn verify(
    bytes: &[u8],
    expected_fingerprint: &str,
    our_district: &str,
) -> Result<Enrolment, BundleError> {
    let frame = framing::read(bytes, FileKind::Enrolment)?;
    let header: EnrolmentHeader = framing::parse_header(&frame)?;
    if header.district != our_district {
        return Err(BundleError::WrongDistrict {
            expected: our_district.to_string(),
            found: header.district,
        });
    }
    framing::check_self_signed(
        Domain::Enrolment,
        &frame,
        &header.keys,
        &header.key_id,
        expected_fingerprint,
    )?;
    Ok(Enrolment {
        district: header.district,
        comune: header.comune,
        keys: header.keys,
        app_version: header.app_version,
        created_at: header.created_at,
    })
}

/// `D48-089009-adesione.sportello`.
pub fn file_name(district: &str, comune: &str) -> String {
    format!(
        "{}-{}-adesione.{EXTENSION}",
        file_name_part(district),
        file_name_part(comune)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: &str = "2026-03-02T09:30:00+01:00";

    #[test]
    fn accepted_with_the_fingerprint_read_over_the_phone() {
        let keys = InstallKeys::generate();
        let bytes = create("D99", "999002", &keys, "0.1.0", AT);
        let typed = keys
            .fingerprint()
            .to_string()
            .to_lowercase()
            .replace('-', " ");
        let enrolment = verify(&bytes, &typed, "D99").unwrap();
        assert_eq!(enrolment.comune, "999002");
        assert_eq!(enrolment.keys, keys.public());
        let entry = enrolment.trust_entry().unwrap();
        assert_eq!((entry.role, entry.key_id), (Role::Comune, keys.key_id()));
    }

    #[test]
    fn another_fingerprint_is_refused_without_showing_the_right_one() {
        let keys = InstallKeys::generate();
        let bytes = create("D99", "999002", &keys, "0.1.0", AT);
        let other = InstallKeys::generate().fingerprint().to_string();
        let err = verify(&bytes, &other.to_lowercase(), "D99").unwrap_err();
        assert_eq!(
            err,
            BundleError::FingerprintMismatch {
                file: FileKind::Enrolment,
                typed: other.clone()
            }
        );
        // Neither the message nor the error itself carries the file's fingerprint, so the
        // operator cannot copy it instead of calling the comune.
        let told = format!("{} {err:?}", err.message());
        let right = keys.fingerprint().to_string();
        for group in right.split('-').filter(|g| !other.contains(g)) {
            assert!(!told.contains(group), "{group} of {right} in {told}");
        }
        assert!(told.contains(&other), "{told}");
        assert!(
            told.contains("Telefonare al comune") && told.contains("sportello key fingerprint"),
            "{told}"
        );
    }

    #[test]
    fn another_district_is_refused() {
        let keys = InstallKeys::generate();
        let bytes = create("D98", "999002", &keys, "0.1.0", AT);
        let fp = keys.fingerprint().to_string();
        assert_eq!(
            verify(&bytes, &fp, "D99").unwrap_err(),
            BundleError::WrongDistrict {
                expected: "D99".into(),
                found: "D98".into()
            }
        );
    }

    #[test]
    fn keys_swapped_by_a_courier_are_refused() {
        // A courier re-signs the file with its own key: the signature verifies, the phone
        // check does not.
        let comune = InstallKeys::generate();
        let courier = InstallKeys::generate();
        let forged = create("D99", "999002", &courier, "0.1.0", AT);
        assert!(matches!(
            verify(&forged, &comune.fingerprint().to_string(), "D99"),
            Err(BundleError::FingerprintMismatch { .. })
        ));
    }

    #[test]
    fn file_name_has_only_codes() {
        assert_eq!(file_name("D48", "089009"), "D48-089009-adesione.sportello");
        assert_eq!(file_name("../x", "0/9"), "___x-0_9-adesione.sportello");
    }
}
