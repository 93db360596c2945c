//! Signed statements: a short text (a certificate's QR code) signed by an install's key, under
//! its own label so that no bundle or district-file signature can pass for one.

use crate::framing::Domain;
use crate::keys::{InstallKeys, PublicKeys};

/// Signs `message` as a statement of the install whose keys are `keys`.
pub fn sign(keys: &InstallKeys, message: &[u8]) -> [u8; 64] {
    Domain::Statement.sign(keys, message)
}

/// Whether `signature` over `message` was made as a statement by the key `signer`.
pub fn verifies(signer: &PublicKeys, message: &[u8], signature: &[u8; 64]) -> bool {
    Domain::Statement.verifies(signer, message, signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_verifies_only_unchanged_and_by_its_signer() {
        let keys = InstallKeys::generate();
        let other = InstallKeys::generate();
        let sig = sign(&keys, b"ACC-2026-001");
        assert!(verifies(&keys.public(), b"ACC-2026-001", &sig));
        assert!(!verifies(&keys.public(), b"ACC-2026-002", &sig));
        assert!(!verifies(&other.public(), b"ACC-2026-001", &sig));
        // A bundle's signature is no statement's.
        let bundle_sig = Domain::Bundle.sign(&keys, b"ACC-2026-001");
        assert!(!verifies(&keys.public(), b"ACC-2026-001", &bundle_sig));
    }
}
