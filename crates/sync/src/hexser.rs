//! Fixed-size byte arrays as lowercase hex in JSON (keys, hashes, signatures).

use serde::{Deserialize, Deserializer, Serializer, de::Error};

pub(crate) fn decode_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    // Only lowercase is accepted, so each value has exactly one spelling.
    if text.len() != 2 * N || text.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

pub(crate) mod array {
    use super::*;

    pub(crate) fn serialize<S: Serializer, const N: usize>(
        bytes: &[u8; N],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&hex::encode(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        deserializer: D,
    ) -> Result<[u8; N], D::Error> {
        let text = String::deserialize(deserializer)?;
        decode_array(&text)
            .ok_or_else(|| D::Error::custom(format!("servono {N} byte scritti in esadecimale")))
    }
}

pub(crate) mod option_array {
    use super::*;

    pub(crate) fn serialize<S: Serializer, const N: usize>(
        bytes: &Option<[u8; N]>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(b) => serializer.serialize_some(&hex::encode(b)),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        deserializer: D,
    ) -> Result<Option<[u8; N]>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            None => Ok(None),
            Some(text) => decode_array(&text).map(Some).ok_or_else(|| {
                D::Error::custom(format!("servono {N} byte scritti in esadecimale"))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::decode_array;

    #[test]
    fn accepts_only_lowercase_hex_of_the_right_length() {
        assert_eq!(decode_array::<2>("0aff"), Some([0x0a, 0xff]));
        assert_eq!(decode_array::<2>("0AFF"), None);
        assert_eq!(decode_array::<2>("0aff00"), None);
        assert_eq!(decode_array::<2>("0afg"), None);
    }
}
