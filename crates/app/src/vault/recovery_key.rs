//! The recovery key: 256 random bits shown once at set-up, for the day every password is lost
//! and for restoring a backup. Written in Crockford's base32 (digits and capitals without I, L,
//! O, U), 56 characters in groups of four; the last 24 bits are a checksum, so a mistyped key
//! is told apart from a wrong one. Reading forgives case, spaces, dashes and the look-alikes
//! O→0, I/L→1.

use data_encoding::{Encoding, Specification};
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::{AppError, ErrorCode, Result};

const SECRET_LEN: usize = 32;
const CHECK_LEN: usize = 3;
/// Characters of a written key, without separators.
pub(crate) const KEY_CHARS: usize = (SECRET_LEN + CHECK_LEN) * 8 / 5;

fn crockford() -> Encoding {
    let mut spec = Specification::new();
    spec.symbols.push_str("0123456789ABCDEFGHJKMNPQRSTVWXYZ");
    spec.translate.from.push_str("abcdefghjkmnpqrstvwxyzOoIiLl");
    spec.translate.to.push_str("ABCDEFGHJKMNPQRSTVWXYZ001111");
    spec.encoding()
        .expect("Crockford's alphabet is a valid base32")
}

/// An install's recovery key. Zeroized when dropped; printed only by [`RecoveryKey::display`].
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct RecoveryKey([u8; SECRET_LEN]);

impl RecoveryKey {
    pub(crate) fn generate() -> Self {
        let mut bytes = [0u8; SECRET_LEN];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    fn checksum(secret: &[u8]) -> [u8; CHECK_LEN] {
        let digest = Sha256::digest(secret);
        [digest[0], digest[1], digest[2]]
    }

    /// The key as an operator writes it down: `ABCD-EFGH-…`, 14 groups of four.
    pub fn display(&self) -> Zeroizing<String> {
        let mut bytes = Zeroizing::new(self.0.to_vec());
        bytes.extend_from_slice(&Self::checksum(&self.0));
        let plain = Zeroizing::new(crockford().encode(&bytes));
        let groups: Vec<&str> = plain
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).expect("base32 is ASCII"))
            .collect();
        Zeroizing::new(groups.join("-"))
    }

    /// Reads a key as typed or copied.
    pub fn parse(text: &str) -> Result<Self> {
        let compact: Zeroizing<String> = Zeroizing::new(
            text.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect(),
        );
        let invalid = |what: &str| {
            AppError::new(
                ErrorCode::RecoveryKeyInvalid,
                format!(
                    "chiave di recupero non valida: {what}. Si scrive come sul foglio di \
                     recupero, {KEY_CHARS} caratteri in gruppi di quattro (trattini e spazi \
                     facoltativi)"
                ),
            )
        };
        if compact.chars().count() != KEY_CHARS {
            return Err(invalid(&format!(
                "ha {} caratteri invece di {KEY_CHARS}",
                compact.chars().count()
            )));
        }
        let bytes = Zeroizing::new(
            crockford()
                .decode(compact.as_bytes())
                .map_err(|_| invalid("contiene caratteri che una chiave non ha"))?,
        );
        let (secret, check) = bytes.split_at(SECRET_LEN);
        if check != Self::checksum(secret) {
            return Err(invalid("un carattere è sbagliato (il controllo non torna)"));
        }
        let mut key = [0u8; SECRET_LEN];
        key.copy_from_slice(secret);
        Ok(Self(key))
    }

    /// The key that wraps the database key in the recovery slot.
    pub(crate) fn slot_key(&self) -> Zeroizing<[u8; 32]> {
        self.derive(b"sportello recovery slot/1")
    }

    /// The age identity backups are encrypted to: an X25519 secret derived from the key, so
    /// that the key alone restores a backup.
    pub(crate) fn backup_identity(&self) -> age::x25519::Identity {
        super::age_identity(&self.derive(b"sportello backup identity/1"))
    }

    fn derive(&self, label: &[u8]) -> Zeroizing<[u8; 32]> {
        super::derive(label, &self.0)
    }
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_written_in_groups_without_look_alikes_and_read_back_forgivingly() {
        let key = RecoveryKey::generate();
        let shown = key.display();
        assert_eq!(shown.len(), KEY_CHARS + KEY_CHARS / 4 - 1, "{}", *shown);
        assert!(shown.split('-').all(|g| g.len() == 4));
        assert!(!shown.contains(['I', 'L', 'O', 'U']), "{}", *shown);
        let sloppy = shown
            .replace('-', " ")
            .replace('0', "o")
            .replace('1', "l")
            .to_lowercase();
        assert_eq!(RecoveryKey::parse(&sloppy).unwrap().0, key.0);
        assert_eq!(
            RecoveryKey::parse(&shown.replace('-', "")).unwrap().0,
            key.0
        );
    }

    #[test]
    fn a_mistyped_key_is_refused_saying_why() {
        let shown = RecoveryKey::generate().display();
        let first = shown.chars().next().unwrap();
        let typo = format!("{}{}", if first == 'A' { 'B' } else { 'A' }, &shown[1..]);
        let err = RecoveryKey::parse(&typo).unwrap_err();
        assert!(
            err.message.contains("il controllo non torna"),
            "{}",
            err.message
        );
        let err = RecoveryKey::parse(&shown[..20]).unwrap_err();
        assert!(err.message.contains("invece di 56"), "{}", err.message);
        let err = RecoveryKey::parse(&shown.replacen(first, "*", 1)).unwrap_err();
        assert!(
            err.message.contains("caratteri che una chiave non ha"),
            "{}",
            err.message
        );
    }

    #[test]
    fn the_key_alone_gives_the_same_backup_identity() {
        use age::secrecy::ExposeSecret;
        let key = RecoveryKey::generate();
        let again = RecoveryKey::parse(&key.display()).unwrap();
        assert_eq!(
            key.backup_identity().to_string().expose_secret(),
            again.backup_identity().to_string().expose_secret()
        );
        assert_ne!(*key.slot_key(), [0u8; 32]);
    }
}
