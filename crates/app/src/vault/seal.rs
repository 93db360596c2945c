//! One authenticated cipher for every secret the install wraps (key slots, the keys file):
//! XChaCha20-Poly1305 with a random 24-byte nonce, and a label bound as associated data so
//! that a sealed value cannot be moved to another place (another operator's slot, another file).

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

const NONCE_LEN: usize = 24;

/// `nonce || ciphertext` of `plain` under `key`, bound to `label`.
pub(crate) fn seal(key: &[u8; 32], label: &str, plain: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plain,
                aad: label.as_bytes(),
            },
        )
        .expect("XChaCha20-Poly1305 seals any length this install writes");
    [nonce.as_slice(), &sealed].concat()
}

/// The plain bytes, or `None` when the key is wrong, the label differs or a byte changed.
pub(crate) fn open(key: &[u8; 32], label: &str, sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < NONCE_LEN {
        return None;
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    XChaCha20Poly1305::new(key.into())
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: body,
                aad: label.as_bytes(),
            },
        )
        .ok()
        .map(Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_with_its_key_and_label_only() {
        let key = [7u8; 32];
        let sealed = seal(&key, "slot prova", b"segreto");
        assert_eq!(
            open(&key, "slot prova", &sealed).unwrap().as_slice(),
            b"segreto"
        );
        assert!(open(&[8u8; 32], "slot prova", &sealed).is_none());
        assert!(open(&key, "slot altro", &sealed).is_none());
        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(open(&key, "slot prova", &flipped).is_none());
        assert!(open(&key, "slot prova", &sealed[..10]).is_none());
        assert_ne!(seal(&key, "slot prova", b"segreto"), sealed, "fresh nonce");
    }
}
