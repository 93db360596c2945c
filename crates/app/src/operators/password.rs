//! Passwords: argon2id, the PHC string stored, never the password. Parameters: 46 MiB,
//! one pass, one lane (OWASP's first argon2id choice), about 0.06 s here
//! (docs/benchmarks.md); a stored hash keeps its own parameters, so raising them later
//! re-hashes at the next change of password.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

fn hasher() -> Argon2<'static> {
    let params = Params::new(46 * 1024, 1, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string of `password` with a fresh salt.
pub(crate) fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2id hashes any password")
        .to_string()
}

/// Whether `password` is the one `stored` was made from; a stored value that is not a PHC
/// string verifies nothing.
pub(crate) fn verify(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored)
        .is_ok_and(|h| hasher().verify_password(password.as_bytes(), &h).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_hash_only() {
        let stored = hash("una password lunga");
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(!stored.contains("una password lunga"));
        assert!(verify(&stored, "una password lunga"));
        assert!(!verify(&stored, "una password lungA"));
        assert!(!verify("non un hash", "una password lunga"));
        assert_ne!(
            hash("una password lunga"),
            stored,
            "each hash has its own salt"
        );
    }
}
