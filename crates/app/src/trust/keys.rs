//! The install's secret keys (signing, and age for what is sent to it) live in a file next to
//! the database (`<db>.keys`, readable by the owner only), sealed under the database key: a
//! copy of the file without a password or the recovery key reveals nothing.

use std::path::{Path, PathBuf};

use sportello_store::DbKey;
use sportello_sync::{InstallKeys, Role, TrustEntry, TrustList};
use zeroize::Zeroizing;

use super::Trust;
use crate::files::write_atomically;
use crate::{AppError, ErrorCode, Result, Sportello};

pub(crate) const TRUST_LIST: &str = "trust_list";

pub(crate) fn key_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".keys");
    PathBuf::from(name)
}

/// What a sealed keys file starts with.
const MAGIC: &[u8] = b"sportello-keys/1\n";

/// Which file a sealed text belongs to: a file moved over the other does not open.
fn label(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let kind = if name.ends_with(".previous") {
        "previous"
    } else {
        "current"
    };
    format!("sportello-keys/1 {kind}")
}

/// Writes `keys` at `path`, sealed under the database key.
fn store(path: &Path, keys: &InstallKeys, db_key: &DbKey) -> Result<()> {
    let secret = keys.to_secret_text();
    let sealed = crate::vault::seal::seal(db_key.as_bytes(), &label(path), secret.as_bytes());
    write_atomically(path, &[MAGIC, &sealed].concat(), true)
}

/// The current keys of the install at `db`.
pub(crate) fn load_current(db: &Path, db_key: &DbKey) -> Result<InstallKeys> {
    load_from(&key_path(db), db_key)
}

/// Writes the current keys of the install at `db`.
pub(crate) fn store_current(db: &Path, db_key: &DbKey, keys: &InstallKeys) -> Result<()> {
    store(&key_path(db), keys, db_key)
}

/// Makes the install's keys at set-up.
pub(crate) fn create(db: &Path, db_key: &DbKey) -> Result<InstallKeys> {
    let keys = InstallKeys::generate();
    store_current(db, db_key, &keys)?;
    Ok(keys)
}

/// The keys before the last rotation, kept to sign until the capofila has the new ones and to
/// read what was encrypted to them meanwhile.
fn previous_path(db: &Path) -> PathBuf {
    let mut name = key_path(db).into_os_string();
    name.push(".previous");
    PathBuf::from(name)
}

/// A rotation this comune made that the capofila has not yet confirmed: the first bundle
/// number that carried it (none before the next export).
const ROTATION_PENDING: &str = "key_rotation_pending";

/// Capofila: its latest move to new keys, carried by every district file it writes.
const CAPOFILA_ROTATION: &str = "capofila_key_rotation";

fn load_from(path: &Path, db_key: &DbKey) -> Result<InstallKeys> {
    let path = path.to_path_buf();
    let bytes = Zeroizing::new(std::fs::read(&path).map_err(|e| {
        AppError::new(
            ErrorCode::KeysMissing,
            format!(
                "impossibile leggere le chiavi dell'installazione ({}): {}. Senza di esse non \
                 si possono firmare né leggere i pacchetti; ripristinare il file dal backup.",
                path.display(),
                sportello_store::io_reason(&e)
            ),
        )
    })?);
    let unreadable = || {
        AppError::new(
            ErrorCode::KeysInvalid,
            format!(
                "chiavi dell'installazione illeggibili ({}): il file è danneggiato o è di \
                 un'altra installazione; ripristinarlo dallo stesso backup del database",
                path.display()
            ),
        )
    };
    let sealed = bytes.strip_prefix(MAGIC).ok_or_else(unreadable)?;
    let plain = crate::vault::seal::open(db_key.as_bytes(), &label(&path), sealed)
        .ok_or_else(unreadable)?;
    let text = std::str::from_utf8(&plain).map_err(|_| unreadable())?;
    InstallKeys::from_secret_text(text).map_err(|e| {
        AppError::new(
            ErrorCode::KeysInvalid,
            format!("chiavi dell'installazione illeggibili: {e}"),
        )
    })
}

/// A key this install trusts, as the Chiavi screen lists it.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct TrustedKey {
    pub comune: String,
    pub comune_name: String,
    /// `capofila` or `comune`.
    #[cfg_attr(feature = "bindings", ts(type = "\"capofila\" | \"comune\""))]
    pub role: &'static str,
    pub fingerprint: String,
    /// Bundles it signs from this number on are refused; `None` while it is trusted.
    pub revoked_from_seq: Option<u64>,
    /// It was replaced by a newer key of the same install.
    pub replaced: bool,
    /// This install's own key.
    pub own: bool,
}

/// What the Chiavi screen shows.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct KeysView {
    pub fingerprint: String,
    /// A rotation of this comune's keys the capofila has not confirmed yet.
    pub rotation_pending: bool,
    pub trusted: Vec<TrustedKey>,
}

/// What `key rotate` did: the keys it replaced and the new ones, by fingerprint.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Rotated {
    pub old_fingerprint: String,
    pub new_fingerprint: String,
}

impl Trust<'_> {
    /// This install's key fingerprint, to read to the other side over the phone.
    pub fn fingerprint(&self) -> Result<String> {
        self.key_fingerprint()
    }

    /// Comune: moves to new keys without enrolling again. The new public key travels to the
    /// capofila in the next uploads, signed by the old key and the new (a thief of the old key
    /// alone cannot name a successor); until the capofila confirms it, uploads stay signed by
    /// the old key and the old key still reads what the capofila sent to it.
    ///
    /// At the capofila the rotation travels in the district files, signed by the old key the
    /// comuni trust: each comune takes the new key when it accepts the next one, and from then
    /// on the capofila's bundles are signed by the new key.
    pub fn rotate_keys(&mut self) -> Result<Rotated> {
        self.require(crate::Action::ManageKeys)?;
        if self.store.setting(ROTATION_PENDING)?.is_some() {
            return Err(AppError::new(
                ErrorCode::RotationPending,
                "una sostituzione delle chiavi è già in corso: esportare e inviare un pacchetto \
                 al capofila e importarne la risposta prima di cambiarle di nuovo",
            ));
        }
        let old = self.keys()?;
        let new = InstallKeys::generate();
        // The old keys are kept first: a crash between the two writes leaves both readable.
        store(&previous_path(&self.db_path), &old, &self.db_key)?;
        store(&key_path(&self.db_path), &new, &self.db_key)?;
        if self.install.is_capofila() {
            // Every district file from now on carries it; the capofila's own trust list names
            // the new key at once.
            let rotation = sportello_sync::KeyRotation::sign(
                &self.install.comune,
                &old,
                &new,
                0,
                &crate::now().to_rfc3339(),
            );
            let mut trust = self.trust_list()?;
            trust
                .apply_rotation(&rotation)
                .map_err(|e| AppError::new(ErrorCode::TrustInvalid, e.to_string()))?;
            self.save_trust_list(&trust)?;
            self.store.set_setting(
                CAPOFILA_ROTATION,
                &serde_json::to_string(&rotation).expect("a rotation serialises"),
            )?;
        } else {
            self.store.set_setting(ROTATION_PENDING, "0")?;
        }
        self.store.audit(
            crate::now(),
            &self.actor,
            "key_rotate",
            "key",
            Some(new.key_id().as_str()),
            serde_json::json!({ "old": old.key_id().as_str() }),
        )?;
        Ok(Rotated {
            old_fingerprint: old.fingerprint().to_string(),
            new_fingerprint: new.fingerprint().to_string(),
        })
    }

    /// This install's keys and the keys it trusts, for the Chiavi screen.
    pub fn keys_view(&self) -> Result<KeysView> {
        self.require(crate::Action::ManageKeys)?;
        let own = self.keys()?;
        // Until the capofila confirms a rotation, the trusted entry is still the previous key.
        let mine: Vec<sportello_sync::KeyId> = std::iter::once(own.key_id())
            .chain(self.previous_keys()?.map(|k| k.key_id()))
            .collect();
        let trusted = self
            .trust_list()?
            .entries()
            .iter()
            .map(|e| TrustedKey {
                comune_name: self.comune_name(&e.comune),
                comune: e.comune.clone(),
                role: match e.role {
                    Role::Capofila => "capofila",
                    Role::Comune => "comune",
                },
                fingerprint: e.fingerprint().to_string(),
                revoked_from_seq: e.revoked_from_seq,
                replaced: e.replaced_by.is_some(),
                own: mine.contains(&e.key_id),
            })
            .collect();
        Ok(KeysView {
            fingerprint: own.fingerprint().to_string(),
            rotation_pending: self.store.setting(ROTATION_PENDING)?.is_some(),
            trusted,
        })
    }
}

impl Sportello {
    /// The install's secret keys, read for one use; dropping them zeroizes them.
    pub(crate) fn keys(&self) -> Result<InstallKeys> {
        load_current(&self.db_path, &self.db_key)
    }

    /// The keys before the last rotation, while they are still needed.
    fn previous_keys(&self) -> Result<Option<InstallKeys>> {
        let path = previous_path(&self.db_path);
        if path.exists() {
            load_from(&path, &self.db_key).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The keys that sign a bundle numbered `seq`, and the rotation record it carries while
    /// the capofila has not confirmed the new keys.
    pub(crate) fn signing_keys(
        &mut self,
        seq: u64,
    ) -> Result<(InstallKeys, Option<sportello_sync::KeyRotation>)> {
        let current = self.keys()?;
        let Some(first) = self.store.setting(ROTATION_PENDING)? else {
            return Ok((current, None));
        };
        let Some(old) = self.previous_keys()? else {
            return Ok((current, None));
        };
        if first == "0" {
            self.store.set_setting(ROTATION_PENDING, &seq.to_string())?;
        }
        let rotation = sportello_sync::KeyRotation::sign(
            &self.install.comune,
            &old,
            &current,
            seq + 1,
            &crate::now().to_rfc3339(),
        );
        Ok((old, Some(rotation)))
    }

    /// Capofila: the keys that sign a district file, and the rotation it carries: after a
    /// rotation, the old key (the one the comuni trust) signs and vouches for the new one.
    pub(crate) fn district_signing_keys(
        &self,
    ) -> Result<(InstallKeys, Vec<sportello_sync::KeyRotation>)> {
        let Some(text) = self.store.setting(CAPOFILA_ROTATION)? else {
            return Ok((self.keys()?, Vec::new()));
        };
        let rotation: sportello_sync::KeyRotation = serde_json::from_str(&text).map_err(|e| {
            AppError::new(
                ErrorCode::KeysInvalid,
                format!("rotazione illeggibile: {e}"),
            )
        })?;
        let signer = match self.previous_keys()? {
            Some(old) if old.key_id() == rotation.old_key_id => old,
            _ => self.keys()?,
        };
        Ok((signer, vec![rotation]))
    }

    /// The capofila imported a bundle of ours numbered `acked_seq`: once that is one carrying
    /// the rotation, the new keys sign from now on.
    pub(crate) fn rotation_confirmed(&mut self, acked_seq: u64) -> Result<()> {
        let carried = self
            .store
            .setting(ROTATION_PENDING)?
            .and_then(|s| s.parse::<u64>().ok())
            .filter(|first| *first > 0);
        if carried.is_some_and(|first| acked_seq >= first) {
            self.store.delete_setting(ROTATION_PENDING)?;
        }
        Ok(())
    }

    /// Of this install's keys, the ones a bundle is addressed to: the current ones, or those
    /// before the last rotation for what was sent before the capofila knew the new ones.
    pub(crate) fn receiving_keys(
        &self,
        recipients: &[sportello_sync::RecipientId],
    ) -> Result<InstallKeys> {
        let current = self.keys()?;
        let ours = |k: &InstallKeys| recipients.iter().any(|r| r.key_id == k.key_id());
        if ours(&current) {
            return Ok(current);
        }
        Ok(self.previous_keys()?.filter(ours).unwrap_or(current))
    }

    /// The short text an operator reads over the phone to confirm this install's keys.
    pub(crate) fn key_fingerprint(&self) -> Result<String> {
        Ok(self.keys()?.fingerprint().to_string())
    }

    pub(crate) fn trust_list(&self) -> Result<TrustList> {
        let Some(text) = self.store.setting(TRUST_LIST)? else {
            return Ok(TrustList::new());
        };
        let mut last = self.trust.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, list)) = last.as_ref().filter(|(read, _)| *read == text) {
            return Ok(list.clone());
        }
        let list = TrustList::from_json(&text).map_err(|e| {
            AppError::new(
                ErrorCode::TrustInvalid,
                format!("elenco delle chiavi fidate illeggibile: {e}"),
            )
        })?;
        *last = Some((text, list.clone()));
        Ok(list)
    }

    pub(crate) fn save_trust_list(&self, trust: &TrustList) -> Result<()> {
        Ok(self.store.set_setting(TRUST_LIST, &trust.to_json())?)
    }

    /// Trusts this install's own keys (done once, at set-up).
    pub(crate) fn trust_own_keys(&self, keys: &InstallKeys) -> Result<()> {
        let role = if self.install.is_capofila() {
            Role::Capofila
        } else {
            Role::Comune
        };
        let mut trust = self.trust_list()?;
        let entry = TrustEntry::new(&self.install.comune, role, &keys.public())
            .map_err(|e| AppError::new(ErrorCode::TrustInvalid, e.to_string()))?;
        trust
            .add(entry)
            .map_err(|e| AppError::new(ErrorCode::TrustInvalid, e.to_string()))?;
        self.save_trust_list(&trust)
    }
}
