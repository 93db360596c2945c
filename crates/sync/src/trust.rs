//! Which keys an install trusts, for which comune and role, and from when they stop being
//! trusted. The caller stores the list as JSON; changes to it come only from enrolment after a
//! fingerprint check, or from rotation and revocation records whose signatures are verified
//! here.

use serde::{Deserialize, Serialize};

use crate::bundle::Addressee;
use crate::fingerprint::Fingerprint;
use crate::framing::Domain;
use crate::hexser;
use crate::keys::{InstallKeys, KeyError, KeyId, PublicKeys};

/// What a trusted key may sign: publish bundles and district files (capofila) or upload
/// bundles and enrolments (comune).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Capofila,
    Comune,
}

/// Why a change to the trust list was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustError {
    #[error("{0}")]
    InvalidKeys(KeyError),
    #[error(
        "La chiave {key_id} non è nell'elenco delle chiavi attendibili del comune indicato: \
         registrare prima l'adesione del comune."
    )]
    UnknownKey { key_id: String },
    #[error(
        "La firma del cambio di chiave non è valida: il documento è stato alterato o non viene \
         dal titolare della chiave. Non applicarlo e avvisare il capofila."
    )]
    BadSignature,
    #[error(
        "Chi ha firmato questo cambio di chiave non è autorizzato a farlo (una chiave revocata \
         non può nominare una chiave nuova; revoca solo il capofila o la chiave stessa). \
         Serve una nuova adesione con verifica dell'impronta per telefono."
    )]
    NotAuthorised,
    #[error(
        "La chiave {key_id} è già registrata con dati diversi: non viene sostituita. Verificare \
         l'impronta con il comune prima di procedere."
    )]
    Conflict { key_id: String },
    #[error("L'elenco delle chiavi attendibili salvato è illeggibile. Ripristinarlo da un backup.")]
    Unreadable,
}

impl TrustError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            TrustError::InvalidKeys(e) => e.code(),
            TrustError::UnknownKey { .. } => "unknown_key",
            TrustError::BadSignature => "bad_signature",
            TrustError::NotAuthorised => "not_authorised",
            TrustError::Conflict { .. } => "key_conflict",
            TrustError::Unreadable => "trust_list_unreadable",
        }
    }
}

/// One trusted key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustEntry {
    /// ISTAT code of the comune the key belongs to.
    pub comune: String,
    pub role: Role,
    pub key_id: KeyId,
    #[serde(with = "hexser::array")]
    pub verifying_key: [u8; 32],
    pub age_recipient: String,
    /// Files with this sequence number or later, signed by this key, are refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_from_seq: Option<u64>,
    /// The key that took over after a rotation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<KeyId>,
}

impl TrustEntry {
    /// An entry for keys whose fingerprint the operator has confirmed.
    pub fn new(comune: &str, role: Role, keys: &PublicKeys) -> Result<Self, TrustError> {
        keys.validate().map_err(TrustError::InvalidKeys)?;
        Ok(TrustEntry {
            comune: comune.to_string(),
            role,
            key_id: keys.key_id(),
            verifying_key: keys.signing,
            age_recipient: keys.age_recipient.clone(),
            revoked_from_seq: None,
            replaced_by: None,
        })
    }

    pub fn public_keys(&self) -> PublicKeys {
        PublicKeys {
            signing: self.verifying_key,
            age_recipient: self.age_recipient.clone(),
        }
    }

    pub fn fingerprint(&self) -> Fingerprint {
        self.public_keys().fingerprint()
    }

    /// Whether a file with sequence number `seq` signed by this key must be refused.
    pub fn is_revoked_at(&self, seq: u64) -> bool {
        self.revoked_from_seq.is_some_and(|from| seq >= from)
    }

    /// Whether the key is trusted for new files at all (not revoked, not rotated out).
    pub fn is_current(&self) -> bool {
        self.revoked_from_seq.is_none() && self.replaced_by.is_none()
    }

    /// This key as the recipient of a bundle.
    pub fn addressee(&self) -> Addressee {
        Addressee {
            comune: self.comune.clone(),
            keys: self.public_keys(),
        }
    }

    fn validate(&self) -> Result<(), TrustError> {
        let keys = self.public_keys();
        keys.validate().map_err(TrustError::InvalidKeys)?;
        if keys.key_id() != self.key_id {
            return Err(TrustError::Conflict {
                key_id: self.key_id.to_string(),
            });
        }
        Ok(())
    }

    fn same_key(&self, other: &TrustEntry) -> bool {
        self.comune == other.comune
            && self.role == other.role
            && self.verifying_key == other.verifying_key
            && self.age_recipient == other.age_recipient
    }
}

/// The keys an install trusts. Serialized as `{"entries": [...]}`; reading it back checks
/// every entry, so an edited file cannot smuggle in a key under another key's id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawTrustList")]
pub struct TrustList {
    entries: Vec<TrustEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrustList {
    entries: Vec<TrustEntry>,
}

impl TryFrom<RawTrustList> for TrustList {
    type Error = TrustError;
    fn try_from(raw: RawTrustList) -> Result<Self, TrustError> {
        let mut list = TrustList::new();
        for entry in raw.entries {
            entry.validate()?;
            if list.get(&entry.key_id).is_some() {
                return Err(TrustError::Conflict {
                    key_id: entry.key_id.to_string(),
                });
            }
            list.entries.push(entry);
        }
        Ok(list)
    }
}

impl TrustList {
    pub fn new() -> Self {
        TrustList::default()
    }

    pub fn from_json(text: &str) -> Result<Self, TrustError> {
        serde_json::from_str(text).map_err(|_| TrustError::Unreadable)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a trust list always serialises")
    }

    pub fn entries(&self) -> &[TrustEntry] {
        &self.entries
    }

    /// Adds a key. Adding the same key again changes nothing and returns `false`; the same key
    /// id with other data is a conflict.
    pub fn add(&mut self, entry: TrustEntry) -> Result<bool, TrustError> {
        entry.validate()?;
        match self.get(&entry.key_id) {
            Some(existing) if existing.same_key(&entry) => Ok(false),
            Some(_) => Err(TrustError::Conflict {
                key_id: entry.key_id.to_string(),
            }),
            None => {
                self.entries.push(entry);
                Ok(true)
            }
        }
    }

    pub fn get(&self, key_id: &KeyId) -> Option<&TrustEntry> {
        self.entries.iter().find(|e| &e.key_id == key_id)
    }

    /// The key a comune uses now: the latest one neither revoked nor rotated out.
    pub fn current(&self, comune: &str) -> Option<&TrustEntry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.comune == comune && e.is_current())
    }

    /// The capofila's current key.
    pub fn capofila(&self) -> Option<&TrustEntry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.role == Role::Capofila && e.is_current())
    }

    /// A comune replaces the capofila's key it trusts with `entry`, after confirming the new
    /// fingerprint by phone (the capofila changed PC without a rotation): the old key is
    /// trusted for nothing more. Returns the entry replaced, if there was one.
    pub fn replace_capofila(
        &mut self,
        entry: TrustEntry,
    ) -> Result<Option<TrustEntry>, TrustError> {
        entry.validate()?;
        if entry.role != Role::Capofila {
            return Err(TrustError::NotAuthorised);
        }
        let replaced = self
            .capofila()
            .filter(|old| old.key_id != entry.key_id)
            .cloned();
        if let Some(old) = &replaced {
            let held = self
                .entries
                .iter_mut()
                .find(|e| e.key_id == old.key_id)
                .expect("found above");
            held.revoked_from_seq = Some(0);
            held.replaced_by = Some(entry.key_id.clone());
        }
        self.add(entry)?;
        Ok(replaced)
    }

    /// Applies a rotation signed by both the old and the new key: the old key stays trusted
    /// below `from_seq` (files already on their way), the new key takes over. Applying it
    /// again changes nothing and returns `false`.
    pub fn apply_rotation(&mut self, rotation: &KeyRotation) -> Result<bool, TrustError> {
        let unknown = || TrustError::UnknownKey {
            key_id: rotation.old_key_id.to_string(),
        };
        let old = self.get(&rotation.old_key_id).ok_or_else(unknown)?;
        if old.comune != rotation.comune {
            return Err(unknown());
        }
        rotation
            .new_keys
            .validate()
            .map_err(TrustError::InvalidKeys)?;
        let message = rotation.signed_message();
        if !Domain::Rotation.verifies(&old.public_keys(), &message, &rotation.old_signature)
            || !Domain::Rotation.verifies(&rotation.new_keys, &message, &rotation.new_signature)
        {
            return Err(TrustError::BadSignature);
        }
        let new_entry = TrustEntry::new(&old.comune, old.role, &rotation.new_keys)?;
        if old.replaced_by.as_ref() == Some(&new_entry.key_id)
            && self
                .get(&new_entry.key_id)
                .is_some_and(|e| e.same_key(&new_entry))
        {
            return Ok(false);
        }
        // A revoked or already rotated key could be in a thief's hands: it cannot name a
        // successor. The comune enrols again instead, with a fingerprint check.
        if !old.is_current() {
            return Err(TrustError::NotAuthorised);
        }
        if self.get(&new_entry.key_id).is_some() {
            return Err(TrustError::Conflict {
                key_id: new_entry.key_id.to_string(),
            });
        }
        let old = self
            .entries
            .iter_mut()
            .find(|e| e.key_id == rotation.old_key_id)
            .expect("found above");
        old.revoked_from_seq = Some(rotation.from_seq);
        old.replaced_by = Some(new_entry.key_id.clone());
        self.entries.push(new_entry);
        Ok(true)
    }

    /// Applies a revocation signed by the capofila's current key or by the revoked key itself.
    /// A revocation only ever moves `revoked_from_seq` earlier; returns whether it changed.
    pub fn apply_revocation(&mut self, revocation: &KeyRevocation) -> Result<bool, TrustError> {
        let target = self
            .get(&revocation.key_id)
            .filter(|e| e.comune == revocation.comune)
            .ok_or_else(|| TrustError::UnknownKey {
                key_id: revocation.key_id.to_string(),
            })?;
        let signer = self
            .get(&revocation.signer)
            .ok_or_else(|| TrustError::UnknownKey {
                key_id: revocation.signer.to_string(),
            })?;
        if !Domain::Revocation.verifies(
            &signer.public_keys(),
            &revocation.signed_message(),
            &revocation.signature,
        ) {
            return Err(TrustError::BadSignature);
        }
        let by_itself = signer.key_id == target.key_id;
        let by_capofila = signer.role == Role::Capofila && signer.is_current();
        if !by_itself && !by_capofila {
            return Err(TrustError::NotAuthorised);
        }
        let target = self
            .entries
            .iter_mut()
            .find(|e| e.key_id == revocation.key_id)
            .expect("found above");
        let from = target
            .revoked_from_seq
            .map_or(revocation.from_seq, |r| r.min(revocation.from_seq));
        let changed = target.revoked_from_seq != Some(from);
        target.revoked_from_seq = Some(from);
        Ok(changed)
    }
}

/// The `table` of the payload line that carries a [`KeyRotation`] inside an upload, beside
/// the records: `{"table": "key_rotation", "rotation": {…}}`.
pub const KEY_ROTATION_RECORD: &str = "key_rotation";

/// A comune (or the capofila) moving to a new key, signed by both keys. It travels inside a
/// bundle or district file as JSON; [`TrustList::apply_rotation`] verifies and applies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRotation {
    pub comune: String,
    pub old_key_id: KeyId,
    pub new_keys: PublicKeys,
    /// The first sequence number the new key signs; the old key is refused from here on.
    pub from_seq: u64,
    pub created_at: String,
    #[serde(with = "hexser::array")]
    pub old_signature: [u8; 64],
    #[serde(with = "hexser::array")]
    pub new_signature: [u8; 64],
}

impl KeyRotation {
    pub fn sign(
        comune: &str,
        old: &InstallKeys,
        new: &InstallKeys,
        from_seq: u64,
        created_at: &str,
    ) -> Self {
        let mut rotation = KeyRotation {
            comune: comune.to_string(),
            old_key_id: old.key_id(),
            new_keys: new.public(),
            from_seq,
            created_at: created_at.to_string(),
            old_signature: [0; 64],
            new_signature: [0; 64],
        };
        let message = rotation.signed_message();
        rotation.old_signature = Domain::Rotation.sign(old, &message);
        rotation.new_signature = Domain::Rotation.sign(new, &message);
        rotation
    }

    fn signed_message(&self) -> Vec<u8> {
        let mut m = Canonical::default();
        m.text(&self.comune)
            .text(self.old_key_id.as_str())
            .bytes(&self.new_keys.signing)
            .text(&self.new_keys.age_recipient)
            .number(self.from_seq)
            .text(&self.created_at);
        m.0
    }
}

/// A key that is no longer trusted from a sequence number on (a stolen laptop, a leaked
/// backup), signed by the capofila or by the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRevocation {
    pub comune: String,
    pub key_id: KeyId,
    pub from_seq: u64,
    pub created_at: String,
    pub signer: KeyId,
    #[serde(with = "hexser::array")]
    pub signature: [u8; 64],
}

impl KeyRevocation {
    pub fn sign(
        comune: &str,
        key_id: &KeyId,
        from_seq: u64,
        created_at: &str,
        signer: &InstallKeys,
    ) -> Self {
        let mut revocation = KeyRevocation {
            comune: comune.to_string(),
            key_id: key_id.clone(),
            from_seq,
            created_at: created_at.to_string(),
            signer: signer.key_id(),
            signature: [0; 64],
        };
        revocation.signature = Domain::Revocation.sign(signer, &revocation.signed_message());
        revocation
    }

    fn signed_message(&self) -> Vec<u8> {
        let mut m = Canonical::default();
        m.text(&self.comune)
            .text(self.key_id.as_str())
            .number(self.from_seq)
            .text(&self.created_at)
            .text(self.signer.as_str());
        m.0
    }
}

/// Unambiguous bytes for signing: every field length-prefixed, so no two records share them.
#[derive(Default)]
struct Canonical(Vec<u8>);

impl Canonical {
    fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.0.extend_from_slice(&(b.len() as u64).to_be_bytes());
        self.0.extend_from_slice(b);
        self
    }

    fn text(&mut self, t: &str) -> &mut Self {
        self.bytes(t.as_bytes())
    }

    fn number(&mut self, n: u64) -> &mut Self {
        self.0.extend_from_slice(&n.to_be_bytes());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: &str = "2026-03-02T09:30:00+01:00";

    struct District {
        capofila: InstallKeys,
        comune: InstallKeys,
        list: TrustList,
    }

    fn district() -> District {
        let capofila = InstallKeys::generate();
        let comune = InstallKeys::generate();
        let mut list = TrustList::new();
        list.add(TrustEntry::new("999001", Role::Capofila, &capofila.public()).unwrap())
            .unwrap();
        list.add(TrustEntry::new("999002", Role::Comune, &comune.public()).unwrap())
            .unwrap();
        District {
            capofila,
            comune,
            list,
        }
    }

    #[test]
    fn adding_the_same_key_twice_changes_nothing() {
        let mut d = district();
        let entry = TrustEntry::new("999002", Role::Comune, &d.comune.public()).unwrap();
        assert_eq!(d.list.add(entry.clone()), Ok(false));
        let other_comune = TrustEntry {
            comune: "999003".into(),
            ..entry
        };
        assert!(matches!(
            d.list.add(other_comune),
            Err(TrustError::Conflict { .. })
        ));
        assert_eq!(d.list.entries().len(), 2);
    }

    #[test]
    fn json_round_trips_and_refuses_a_key_under_another_id() {
        let d = district();
        let text = d.list.to_json();
        assert_eq!(TrustList::from_json(&text).unwrap(), d.list);
        let capofila_id = d.capofila.key_id().to_string();
        let comune_id = d.comune.key_id().to_string();
        let forged = text.replace(&comune_id, &capofila_id);
        assert_eq!(TrustList::from_json(&forged), Err(TrustError::Unreadable));
    }

    #[test]
    fn rotation_signed_by_both_keys_moves_trust() {
        let mut d = district();
        let new = InstallKeys::generate();
        let rotation = KeyRotation::sign("999002", &d.comune, &new, 10, AT);
        assert_eq!(d.list.apply_rotation(&rotation), Ok(true));
        let old = d.list.get(&d.comune.key_id()).unwrap();
        assert_eq!(old.revoked_from_seq, Some(10));
        assert_eq!(old.replaced_by, Some(new.key_id()));
        assert!(!old.is_revoked_at(9) && old.is_revoked_at(10));
        assert_eq!(d.list.current("999002").unwrap().key_id, new.key_id());
        assert_eq!(d.list.current("999002").unwrap().role, Role::Comune);
        assert_eq!(
            d.list.apply_rotation(&rotation),
            Ok(false),
            "applying twice is a no-op"
        );
    }

    #[test]
    fn rotation_with_only_the_old_signature_is_refused() {
        let mut d = district();
        let new = InstallKeys::generate();
        let mut rotation = KeyRotation::sign("999002", &d.comune, &new, 10, AT);
        // The new key's signature replaced by one from a key the sender does not hold.
        let impostor = InstallKeys::generate();
        rotation.new_signature = Domain::Rotation.sign(&impostor, &rotation.signed_message());
        let before = d.list.clone();
        assert_eq!(
            d.list.apply_rotation(&rotation),
            Err(TrustError::BadSignature)
        );
        assert_eq!(d.list, before);
    }

    #[test]
    fn rotation_with_only_the_new_signature_is_refused() {
        let mut d = district();
        let thief = InstallKeys::generate();
        let mut rotation = KeyRotation::sign("999002", &d.comune, &thief, 10, AT);
        rotation.old_signature[0] ^= 1;
        assert_eq!(
            d.list.apply_rotation(&rotation),
            Err(TrustError::BadSignature)
        );
        // A rotation whose fields were changed after signing fails both signatures.
        let mut moved = KeyRotation::sign("999002", &d.comune, &thief, 10, AT);
        moved.from_seq = 1_000;
        assert_eq!(d.list.apply_rotation(&moved), Err(TrustError::BadSignature));
        assert!(d.list.current("999002").unwrap().key_id == d.comune.key_id());
    }

    #[test]
    fn a_revoked_key_cannot_name_a_successor() {
        let mut d = district();
        let revocation = KeyRevocation::sign("999002", &d.comune.key_id(), 5, AT, &d.capofila);
        assert_eq!(d.list.apply_revocation(&revocation), Ok(true));
        let thief = InstallKeys::generate();
        let rotation = KeyRotation::sign("999002", &d.comune, &thief, 6, AT);
        assert_eq!(
            d.list.apply_rotation(&rotation),
            Err(TrustError::NotAuthorised)
        );
        assert!(d.list.get(&thief.key_id()).is_none());
    }

    #[test]
    fn rotation_for_another_comune_is_refused() {
        let mut d = district();
        let new = InstallKeys::generate();
        let rotation = KeyRotation::sign("999003", &d.comune, &new, 10, AT);
        assert!(matches!(
            d.list.apply_rotation(&rotation),
            Err(TrustError::UnknownKey { .. })
        ));
    }

    #[test]
    fn revocation_by_the_capofila_or_by_the_key_itself() {
        let mut d = district();
        let id = d.comune.key_id();
        let by_itself = KeyRevocation::sign("999002", &id, 20, AT, &d.comune);
        assert_eq!(d.list.apply_revocation(&by_itself), Ok(true));
        assert_eq!(d.list.get(&id).unwrap().revoked_from_seq, Some(20));
        let by_capofila = KeyRevocation::sign("999002", &id, 7, AT, &d.capofila);
        assert_eq!(d.list.apply_revocation(&by_capofila), Ok(true));
        assert_eq!(d.list.get(&id).unwrap().revoked_from_seq, Some(7));
        // Only ever earlier: a later revocation does not give back trust.
        let later = KeyRevocation::sign("999002", &id, 30, AT, &d.capofila);
        assert_eq!(d.list.apply_revocation(&later), Ok(false));
        assert_eq!(d.list.get(&id).unwrap().revoked_from_seq, Some(7));
        assert!(d.list.current("999002").is_none());
    }

    #[test]
    fn a_comune_cannot_revoke_another_key() {
        let mut d = district();
        let other = InstallKeys::generate();
        d.list
            .add(TrustEntry::new("999003", Role::Comune, &other.public()).unwrap())
            .unwrap();
        let revocation = KeyRevocation::sign("999003", &other.key_id(), 1, AT, &d.comune);
        assert_eq!(
            d.list.apply_revocation(&revocation),
            Err(TrustError::NotAuthorised)
        );
        let capofila = KeyRevocation::sign("999001", &d.capofila.key_id(), 1, AT, &d.comune);
        assert_eq!(
            d.list.apply_revocation(&capofila),
            Err(TrustError::NotAuthorised)
        );
    }

    #[test]
    fn a_tampered_revocation_is_refused() {
        let mut d = district();
        let mut revocation = KeyRevocation::sign("999002", &d.comune.key_id(), 5, AT, &d.capofila);
        revocation.from_seq = 1;
        assert_eq!(
            d.list.apply_revocation(&revocation),
            Err(TrustError::BadSignature)
        );
        let unknown_signer = InstallKeys::generate();
        let revocation = KeyRevocation::sign("999002", &d.comune.key_id(), 5, AT, &unknown_signer);
        assert!(matches!(
            d.list.apply_revocation(&revocation),
            Err(TrustError::UnknownKey { .. })
        ));
    }

    #[test]
    fn capofila_and_current_keys_are_found() {
        let d = district();
        assert_eq!(d.list.capofila().unwrap().key_id, d.capofila.key_id());
        assert_eq!(d.list.current("999002").unwrap().key_id, d.comune.key_id());
        assert!(d.list.current("999009").is_none());
    }
}
