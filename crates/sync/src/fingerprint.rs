//! The short text an operator reads over the phone to confirm a public key.
//!
//! 20 characters in 5 groups of 4 from a 23-character alphabet without look-alikes (no 0/O/Q/D,
//! 1/I/L, 2/Z, 5/S, 8/B): about 90 bits of SHA-256 over both public keys, far beyond what an
//! attacker could match by generating keys.

use std::fmt;

use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 23] = b"34679ACEFGHJKMNPRTUVWXY";
const LENGTH: usize = 20;
const GROUP: usize = 4;
const LABEL: &[u8] = b"sportello fingerprint v1\0";

/// A fingerprint, displayed as `XXXX-XXXX-XXXX-XXXX-XXXX`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fingerprint(String);

impl Fingerprint {
    pub(crate) fn of(signing: &[u8; 32], age_recipient: &str) -> Self {
        let digest = Sha256::new()
            .chain_update(LABEL)
            .chain_update(signing)
            .chain_update(age_recipient.as_bytes())
            .finalize();
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest[..16]);
        let mut n = u128::from_be_bytes(first);
        let base = ALPHABET.len() as u128;
        let mut chars = String::with_capacity(LENGTH);
        for _ in 0..LENGTH {
            chars.push(ALPHABET[(n % base) as usize] as char);
            n /= base;
        }
        Fingerprint(chars)
    }

    /// Reads a fingerprint typed by an operator: case, spaces and dashes do not matter.
    pub fn parse(typed: &str) -> Option<Self> {
        let chars = normalize(typed);
        (chars.len() == LENGTH && chars.bytes().all(|b| ALPHABET.contains(&b)))
            .then_some(Fingerprint(chars))
    }

    /// Whether `typed` is this fingerprint, ignoring case, spaces and dashes.
    pub fn matches(&self, typed: &str) -> bool {
        normalize(typed) == self.0
    }
}

fn normalize(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// What an operator typed, as a refusal echoes it back to help spot a slip: read as
/// [`Fingerprint::matches`] reads it, in groups of four; any character but visible ASCII (a
/// control or direction mark, an accented letter) as `?`; at most twice a fingerprint's length.
pub(crate) fn as_typed(typed: &str) -> String {
    let chars: Vec<char> = normalize(typed)
        .chars()
        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
        .collect();
    let mut shown = chars
        .chunks(GROUP)
        .take(2 * LENGTH / GROUP)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-");
    if chars.len() > 2 * LENGTH {
        shown.push('…');
    }
    shown
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, group) in self.0.as_bytes().chunks(GROUP).enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            // The alphabet is ASCII, so every chunk is valid UTF-8.
            f.write_str(std::str::from_utf8(group).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_five_groups_of_four_from_the_alphabet() {
        let fp = Fingerprint::of(&[7; 32], "age1example");
        let text = fp.to_string();
        let groups: Vec<&str> = text.split('-').collect();
        assert_eq!(groups.len(), 5);
        assert!(groups.iter().all(|g| g.len() == 4));
        assert!(text.bytes().all(|b| b == b'-' || ALPHABET.contains(&b)));
    }

    #[test]
    fn alphabet_has_no_look_alikes_and_no_repeats() {
        for c in b"0O1IL2Z5S8BQD" {
            assert!(!ALPHABET.contains(c), "{}", *c as char);
        }
        let mut sorted = ALPHABET.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ALPHABET.len());
    }

    #[test]
    fn comparison_ignores_case_spaces_and_dashes() {
        let fp = Fingerprint::of(&[1; 32], "age1x");
        let shown = fp.to_string();
        assert!(fp.matches(&shown));
        assert!(fp.matches(&shown.to_lowercase()));
        assert!(fp.matches(&shown.replace('-', " ")));
        assert!(fp.matches(&shown.replace('-', "")));
        assert_eq!(
            Fingerprint::parse(&shown.replace('-', "  ").to_lowercase()),
            Some(fp)
        );
    }

    #[test]
    fn one_wrong_character_does_not_match() {
        let fp = Fingerprint::of(&[1; 32], "age1x");
        let mut typed = fp.to_string().into_bytes();
        typed[0] = if typed[0] == b'A' { b'C' } else { b'A' };
        assert!(!fp.matches(std::str::from_utf8(&typed).unwrap()));
    }

    #[test]
    fn what_was_typed_is_echoed_as_it_is_read() {
        assert_eq!(
            as_typed(" aaaa bbbb-cccc dddd-eee "),
            "AAAA-BBBB-CCCC-DDDD-EEE"
        );
        assert_eq!(as_typed("ab\u{1b}[2Jcd\u{202e}é"), "AB?[-2JCD-??");
        assert_eq!(as_typed(" - "), "");
        let long = as_typed(&"A".repeat(100));
        assert!(long.starts_with("AAAA-") && long.ends_with('…'), "{long}");
        assert_eq!(long.chars().filter(|c| *c == 'A').count(), 2 * LENGTH);
    }

    #[test]
    fn depends_on_both_keys() {
        let base = Fingerprint::of(&[1; 32], "age1x");
        assert_ne!(base, Fingerprint::of(&[2; 32], "age1x"));
        assert_ne!(base, Fingerprint::of(&[1; 32], "age1y"));
    }

    #[test]
    fn refuses_text_of_the_wrong_shape() {
        assert_eq!(Fingerprint::parse("ABCD-EFGH"), None);
        assert_eq!(Fingerprint::parse("0000-0000-0000-0000-0000"), None);
    }
}
