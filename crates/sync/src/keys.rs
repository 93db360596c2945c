//! An install's keys: an Ed25519 key that signs what it sends and an age (X25519) identity that
//! opens what is sent to it. The secret halves stay inside [`InstallKeys`], are zeroized when it
//! is dropped, and leave it only as [`Zeroizing`] text for the caller to store.

use std::fmt;
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::fingerprint::Fingerprint;
use crate::hexser;

const SECRET_TEXT_TAG: &str = "sportello-install-keys-v1";
const KEY_ID_LABEL: &[u8] = b"sportello key id v1\0";
const KEY_ID_BYTES: usize = 8;

/// Why keys could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error(
        "Le chiavi segrete salvate sono illeggibili. Ripristinare l'installazione da un backup \
         o, se non è possibile, creare chiavi nuove e ripetere l'adesione al distretto."
    )]
    SecretText,
    #[error("La chiave pubblica di firma non è valida: il file di chiavi è danneggiato.")]
    SigningKey,
    #[error("La chiave pubblica di cifratura non è valida: il file di chiavi è danneggiato.")]
    AgeRecipient,
}

impl KeyError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::SecretText => "secret_keys_unreadable",
            KeyError::SigningKey => "invalid_signing_key",
            KeyError::AgeRecipient => "invalid_age_recipient",
        }
    }
}

/// A short, stable id of a signing key: 16 hex characters of SHA-256 over the public key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KeyId(String);

impl KeyId {
    pub(crate) fn of(signing: &[u8; 32]) -> Self {
        let digest = Sha256::new()
            .chain_update(KEY_ID_LABEL)
            .chain_update(signing)
            .finalize();
        KeyId(hex::encode(&digest[..KEY_ID_BYTES]))
    }

    /// Reads a key id as written by `Display`.
    pub fn parse(text: &str) -> Option<Self> {
        hexser::decode_array::<KEY_ID_BYTES>(text).map(|_| KeyId(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for KeyId {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        KeyId::parse(&text).ok_or_else(|| format!("identificativo di chiave non valido: {text:?}"))
    }
}

impl From<KeyId> for String {
    fn from(id: KeyId) -> String {
        id.0
    }
}

/// The public half of an install's keys: what enrolment and district files carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicKeys {
    /// Ed25519 verifying key.
    #[serde(with = "hexser::array")]
    pub signing: [u8; 32],
    /// age X25519 recipient (`age1...`).
    pub age_recipient: String,
}

impl PublicKeys {
    pub fn key_id(&self) -> KeyId {
        KeyId::of(&self.signing)
    }

    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of(&self.signing, &self.age_recipient)
    }

    /// Checks that both keys are usable: a valid, non-weak Ed25519 point and an age recipient.
    pub fn validate(&self) -> Result<(), KeyError> {
        self.verifying_key()?;
        self.recipient()?;
        Ok(())
    }

    pub(crate) fn verifying_key(&self) -> Result<VerifyingKey, KeyError> {
        let key = VerifyingKey::from_bytes(&self.signing).map_err(|_| KeyError::SigningKey)?;
        if key.is_weak() {
            return Err(KeyError::SigningKey);
        }
        Ok(key)
    }

    pub(crate) fn recipient(&self) -> Result<age::x25519::Recipient, KeyError> {
        age::x25519::Recipient::from_str(&self.age_recipient).map_err(|_| KeyError::AgeRecipient)
    }

    /// Strict Ed25519 verification (no malleable or small-order signatures).
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        self.verifying_key().is_ok_and(|key| {
            key.verify_strict(message, &Signature::from_bytes(signature))
                .is_ok()
        })
    }
}

/// The install's secret keys. Dropping it zeroizes both secrets (ed25519-dalek's `SigningKey`
/// and x25519-dalek's `StaticSecret` inside age's identity zeroize on drop); `Debug` shows only
/// the key id.
pub struct InstallKeys {
    signing: SigningKey,
    age: age::x25519::Identity,
}

impl InstallKeys {
    /// New random keys from the operating system's generator.
    pub fn generate() -> Self {
        InstallKeys {
            signing: SigningKey::generate(&mut rand::rngs::OsRng),
            age: age::x25519::Identity::generate(),
        }
    }

    pub fn public(&self) -> PublicKeys {
        PublicKeys {
            signing: self.signing.verifying_key().to_bytes(),
            age_recipient: self.age.to_public().to_string(),
        }
    }

    pub fn key_id(&self) -> KeyId {
        KeyId::of(&self.signing.verifying_key().to_bytes())
    }

    pub fn fingerprint(&self) -> Fingerprint {
        self.public().fingerprint()
    }

    /// The secrets as three lines of text, for the caller to store:
    /// `sportello-install-keys-v1`, `ed25519 <seed hex>`, `age AGE-SECRET-KEY-1...`.
    pub fn to_secret_text(&self) -> Zeroizing<String> {
        let age_secret = self.age.to_string();
        let age_secret = age_secret.expose_secret();
        // Reserved up front so the string never reallocates and leaves copies behind.
        let mut text = Zeroizing::new(String::with_capacity(
            SECRET_TEXT_TAG.len() + 8 + 64 + 5 + age_secret.len() + 2,
        ));
        let mut seed_hex = Zeroizing::new([0u8; 64]);
        hex::encode_to_slice(self.signing.as_bytes(), seed_hex.as_mut_slice())
            .expect("64 hex digits for 32 bytes");
        text.push_str(SECRET_TEXT_TAG);
        text.push_str("\ned25519 ");
        text.push_str(std::str::from_utf8(seed_hex.as_slice()).expect("hex is ASCII"));
        text.push_str("\nage ");
        text.push_str(age_secret);
        text.push('\n');
        text
    }

    /// Reads keys written by [`InstallKeys::to_secret_text`]. Lines starting with `#` are
    /// comments (the test-only key files say what they are).
    pub fn from_secret_text(text: &str) -> Result<Self, KeyError> {
        let mut words = text
            .lines()
            .filter(|line| !line.trim_start().starts_with('#'))
            .flat_map(str::split_whitespace);
        let (Some(SECRET_TEXT_TAG), Some("ed25519"), Some(seed_hex), Some("age"), Some(age)) = (
            words.next(),
            words.next(),
            words.next(),
            words.next(),
            words.next(),
        ) else {
            return Err(KeyError::SecretText);
        };
        if words.next().is_some() {
            return Err(KeyError::SecretText);
        }
        let mut seed = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(seed_hex, seed.as_mut_slice()).map_err(|_| KeyError::SecretText)?;
        let age = age::x25519::Identity::from_str(age).map_err(|_| KeyError::SecretText)?;
        Ok(InstallKeys {
            signing: SigningKey::from_bytes(&seed),
            age,
        })
    }

    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    pub(crate) fn age_identity(&self) -> &age::x25519::Identity {
        &self.age
    }
}

impl fmt::Debug for InstallKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InstallKeys")
            .field("key_id", &self.key_id())
            .field("secrets", &"<hidden>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_text_round_trips() {
        let keys = InstallKeys::generate();
        let text = keys.to_secret_text();
        let back = InstallKeys::from_secret_text(&text).unwrap();
        assert_eq!(back.public(), keys.public());
        let commented = format!("# solo per i test\n{}", text.as_str());
        assert_eq!(
            InstallKeys::from_secret_text(&commented).unwrap().public(),
            keys.public()
        );
        let message = b"prova";
        assert!(keys.public().verifies(message, &back.sign(message)));
    }

    #[test]
    fn debug_never_shows_secrets() {
        let keys = InstallKeys::generate();
        let text = keys.to_secret_text();
        let debug = format!("{keys:?}");
        let seed_hex = text.lines().nth(1).unwrap().trim_start_matches("ed25519 ");
        let age_secret = text.lines().nth(2).unwrap().trim_start_matches("age ");
        assert!(!debug.contains(seed_hex));
        assert!(!debug.contains(age_secret));
        assert!(debug.contains(keys.key_id().as_str()));
    }

    #[test]
    fn refuses_damaged_secret_text() {
        let keys = InstallKeys::generate();
        let text = keys.to_secret_text();
        for broken in [
            String::new(),
            text.replace("sportello-install-keys-v1", "other"),
            text.replace("ed25519 ", "ed25519 zz"),
            text.replace("AGE-SECRET-KEY-1", "AGE-SECRET-KEY-2"),
            format!("{} extra", text.as_str()),
        ] {
            assert_eq!(
                InstallKeys::from_secret_text(&broken).unwrap_err(),
                KeyError::SecretText
            );
        }
    }

    #[test]
    fn key_id_is_stable_and_short() {
        let keys = InstallKeys::generate();
        let id = keys.key_id();
        assert_eq!(id.as_str().len(), 16);
        assert_eq!(id, keys.public().key_id());
        assert_eq!(KeyId::parse(id.as_str()), Some(id.clone()));
        assert_eq!(KeyId::of(&[0; 32]).as_str(), KeyId::of(&[0; 32]).as_str());
        assert_ne!(KeyId::of(&[0; 32]), KeyId::of(&[1; 32]));
    }

    #[test]
    fn public_keys_validate() {
        let public = InstallKeys::generate().public();
        assert_eq!(public.validate(), Ok(()));
        let bad_age = PublicKeys {
            age_recipient: "age1nonsense".into(),
            ..public.clone()
        };
        assert_eq!(bad_age.validate(), Err(KeyError::AgeRecipient));
        // The identity point is a weak (small-order) key.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let weak = PublicKeys {
            signing: identity,
            ..public
        };
        assert_eq!(weak.validate(), Err(KeyError::SigningKey));
    }
}
