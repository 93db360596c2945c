//! From a password to the key that opens its slot: argon2id with the slot's own salt and
//! parameters. Parameters: 46 MiB, one pass, one lane (OWASP's first argon2id choice), about
//! 0.06 s here (docs/benchmarks.md); a slot keeps its own, so raising them later applies at
//! each operator's next change of password.

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The argon2id cost a slot was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Cost {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

impl Cost {
    /// What new slots use.
    pub(crate) const CURRENT: Cost = Cost {
        memory_kib: 46 * 1024,
        passes: 1,
        lanes: 1,
    };
}

/// The 256-bit key derived from `password`; `None` when the stored cost is not one argon2
/// accepts (a damaged slot file).
pub(crate) fn slot_key(password: &str, salt: &[u8], cost: Cost) -> Option<Zeroizing<[u8; 32]>> {
    let params = Params::new(cost.memory_kib, cost.passes, cost.lanes, Some(32)).ok()?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, key.as_mut())
        .ok()?;
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_password_and_salt_give_the_same_key_and_nothing_else_does() {
        let salt = [1u8; 16];
        let key = slot_key("una password lunga", &salt, Cost::CURRENT).unwrap();
        assert_eq!(
            *key,
            *slot_key("una password lunga", &salt, Cost::CURRENT).unwrap()
        );
        assert_ne!(
            *key,
            *slot_key("una password lungA", &salt, Cost::CURRENT).unwrap()
        );
        assert_ne!(
            *key,
            *slot_key("una password lunga", &[2u8; 16], Cost::CURRENT).unwrap()
        );
        let broken = Cost {
            memory_kib: 0,
            ..Cost::CURRENT
        };
        assert!(slot_key("una password lunga", &salt, broken).is_none());
    }
}
