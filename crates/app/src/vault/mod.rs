//! Who can open the database. The database is encrypted (SQLCipher) under a random 256-bit
//! key made at set-up; that key is never stored in clear. It is wrapped, like the key slots of
//! an encrypted disk, once per operator (under a key derived from their password) and once
//! under the recovery key, in `<db>.slots` next to the database. Adding an operator or changing
//! a password writes one slot and never re-encrypts the database.
//!
//! The slots file also counts each operator's failed logins (the database cannot record what
//! happens before it is opened). Each slot is bound to its operator and its id, and the
//! database names every operator's current slot, so a slot copied under another name, or kept
//! from before a reset or a disable, logs no one in.

pub(crate) mod password;
mod recovery_key;
pub(crate) mod seal;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sportello_store::DbKey;

pub use recovery_key::RecoveryKey;

use crate::files::write_atomically;
use crate::{AppError, ErrorCode, Result};
use password::Cost;

const FORMAT: &str = "sportello-slots/1";
const SALT_LEN: usize = 16;

pub(crate) fn slots_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".slots");
    PathBuf::from(name)
}

/// One operator's slot.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct OperatorSlot {
    /// Named by the operator's row in the database: only the current slot logs in.
    id: String,
    #[serde(with = "hex::serde")]
    salt: Vec<u8>,
    cost: Cost,
    /// The database key, sealed under the password's key.
    #[serde(with = "hex::serde")]
    wrapped: Vec<u8>,
    /// Failed logins since the last good one, and when the last one failed.
    #[serde(default)]
    failures: u32,
    #[serde(default)]
    last_failure_at: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SlotsFile {
    format: String,
    operators: BTreeMap<String, OperatorSlot>,
    /// The database key, sealed under the recovery key.
    #[serde(with = "hex::serde")]
    recovery: Vec<u8>,
    /// Operators disabled: their slot is gone, and logging in as them says so.
    #[serde(default)]
    disabled: std::collections::BTreeSet<String>,
}

/// What a password opened.
pub(crate) enum Unlocked {
    /// The database key, and the id of the slot that gave it.
    Key(DbKey, String),
    /// No slot for this username.
    NoSuchOperator,
    /// The operator was disabled (their slot removed).
    Disabled,
    /// The password did not open the slot.
    WrongPassword,
}

/// Failed logins counted for an operator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Attempts {
    pub failures: u32,
    pub last_failure_at: Option<DateTime<FixedOffset>>,
}

/// The key slots of an install, as read from `<db>.slots`.
pub(crate) struct Slots {
    path: PathBuf,
    file: SlotsFile,
}

fn operator_label(username: &str, id: &str) -> String {
    format!("{FORMAT} operator {username} {id}")
}

const RECOVERY_LABEL: &str = "sportello-slots/1 recovery";

fn key_of(plain: &[u8]) -> Option<DbKey> {
    <[u8; 32]>::try_from(plain).ok().map(DbKey::from_bytes)
}

/// A 256-bit key for one use, derived from `secret` under `label` (distinct labels give
/// unrelated keys).
pub(crate) fn derive(label: &[u8], secret: &[u8; 32]) -> zeroize::Zeroizing<[u8; 32]> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(label);
    hasher.update(secret);
    zeroize::Zeroizing::new(hasher.finalize().into())
}

/// The age X25519 identity whose secret is `secret` (age reads identities only as their
/// bech32 text, `AGE-SECRET-KEY-1…`).
pub(crate) fn age_identity(secret: &[u8; 32]) -> age::x25519::Identity {
    let hrp = bech32::Hrp::parse("age-secret-key-").expect("a valid bech32 prefix");
    let text = zeroize::Zeroizing::new(
        bech32::encode::<bech32::Bech32>(hrp, secret)
            .expect("32 bytes encode")
            .to_uppercase(),
    );
    text.parse()
        .expect("a bech32 AGE-SECRET-KEY of 32 bytes is an age identity")
}

/// The identity that lets the install itself check its backups: derived from the database
/// key, so any operator who can open the install can check a backup of it, and nobody else.
pub(crate) fn check_identity(key: &DbKey) -> age::x25519::Identity {
    age_identity(&derive(b"sportello backup check/1", key.as_bytes()))
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

impl Slots {
    /// The slots of a new install: its first operator and the recovery key. Not yet written.
    pub(crate) fn new(db: &Path, key: &DbKey, recovery: &RecoveryKey) -> Self {
        Self {
            path: slots_path(db),
            file: SlotsFile {
                format: FORMAT.to_string(),
                operators: BTreeMap::new(),
                recovery: seal::seal(&recovery.slot_key(), RECOVERY_LABEL, key.as_bytes()),
                disabled: Default::default(),
            },
        }
    }

    /// Reads the slots of the install at `db`.
    pub(crate) fn load(db: &Path) -> Result<Self> {
        let path = slots_path(db);
        let bytes = std::fs::read(&path).map_err(|e| {
            let what = if e.kind() == std::io::ErrorKind::NotFound {
                "manca".to_string()
            } else {
                format!("non si legge ({})", sportello_store::io_reason(&e))
            };
            AppError::new(
                ErrorCode::SlotsMissing,
                format!(
                    "{what} il file delle chiavi d'accesso {}: senza di esso il database non si \
                     apre. Se il file scelto è un archivio di Sportello, rimettere accanto ad \
                     esso il file .slots dello stesso backup, oppure ripristinare un backup \
                     (`backup restore`); altrimenti scegliere l'archivio giusto",
                    path.display()
                ),
            )
        })?;
        let file: SlotsFile = serde_json::from_slice(&bytes)
            .ok()
            .filter(|f: &SlotsFile| f.format == FORMAT)
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::SlotsInvalid,
                    format!(
                        "il file delle chiavi d'accesso {} è danneggiato o non è di Sportello: \
                         rimetterlo dallo stesso backup del database",
                        path.display()
                    ),
                )
            })?;
        Ok(Self { path, file })
    }

    /// Writes the slots (a new file, then renamed over the old one).
    pub(crate) fn save(&self) -> Result<()> {
        let json = serde_json::to_vec_pretty(&self.file).expect("slots serialise");
        write_atomically(&self.path, &json, true)
    }

    /// Opens `username`'s slot with `password`.
    pub(crate) fn unlock(&self, username: &str, password: &str) -> Unlocked {
        let Some(slot) = self.file.operators.get(username) else {
            // The same work as a wrong password: whether a username exists is not told.
            let _ = password::slot_key(password, &[0u8; SALT_LEN], Cost::CURRENT);
            return if self.file.disabled.contains(username) {
                Unlocked::Disabled
            } else {
                Unlocked::NoSuchOperator
            };
        };
        let key = password::slot_key(password, &slot.salt, slot.cost)
            .and_then(|k| seal::open(&k, &operator_label(username, &slot.id), &slot.wrapped))
            .and_then(|plain| key_of(&plain));
        match key {
            Some(key) => Unlocked::Key(key, slot.id.clone()),
            None => Unlocked::WrongPassword,
        }
    }

    /// Opens the recovery slot with the recovery key.
    pub(crate) fn unlock_with_recovery(&self, recovery: &RecoveryKey) -> Result<DbKey> {
        seal::open(&recovery.slot_key(), RECOVERY_LABEL, &self.file.recovery)
            .and_then(|plain| key_of(&plain))
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::RecoveryKeyWrong,
                    "questa chiave di recupero non è quella di questa installazione: usare la \
                     chiave del foglio di recupero stampato quando l'installazione fu creata",
                )
            })
    }

    /// Gives `username` a new slot for `password` (replacing any), with no failures counted;
    /// returns its id. Not yet written.
    pub(crate) fn set_operator(&mut self, username: &str, password: &str, key: &DbKey) -> String {
        let id = hex::encode(random::<8>());
        let salt = random::<SALT_LEN>();
        let cost = Cost::CURRENT;
        let slot_key = password::slot_key(password, &salt, cost).expect("current cost is valid");
        let wrapped = seal::seal(&slot_key, &operator_label(username, &id), key.as_bytes());
        self.file.disabled.remove(username);
        self.file.operators.insert(
            username.to_string(),
            OperatorSlot {
                id: id.clone(),
                salt: salt.to_vec(),
                cost,
                wrapped,
                failures: 0,
                last_failure_at: None,
            },
        );
        id
    }

    /// Removes `username`'s slot: their password no longer opens the database. Not yet
    /// written.
    pub(crate) fn disable_operator(&mut self, username: &str) {
        self.file.operators.remove(username);
        self.file.disabled.insert(username.to_string());
    }

    pub(crate) fn attempts(&self, username: &str) -> Attempts {
        self.file
            .operators
            .get(username)
            .map(|s| Attempts {
                failures: s.failures,
                last_failure_at: s.last_failure_at,
            })
            .unwrap_or_default()
    }

    /// Counts a failed login of `username` (and writes the file).
    pub(crate) fn record_failure(
        &mut self,
        username: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<()> {
        if let Some(slot) = self.file.operators.get_mut(username) {
            slot.failures += 1;
            slot.last_failure_at = Some(at);
            self.save()?;
        }
        Ok(())
    }

    /// Clears `username`'s failed logins after a good one (and writes the file); what was
    /// cleared, for the audit trail.
    pub(crate) fn clear_failures(&mut self, username: &str) -> Result<Attempts> {
        let before = self.attempts(username);
        if before.failures > 0
            && let Some(slot) = self.file.operators.get_mut(username)
        {
            slot.failures = 0;
            slot.last_failure_at = None;
            self.save()?;
        }
        Ok(before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots() -> (tempfile::TempDir, Slots, DbKey, RecoveryKey) {
        let dir = tempfile::tempdir().unwrap();
        let key = DbKey::generate();
        let recovery = RecoveryKey::generate();
        let slots = Slots::new(&dir.path().join("c.db"), &key, &recovery);
        (dir, slots, key, recovery)
    }

    #[test]
    fn each_password_and_the_recovery_key_unwrap_the_same_database_key() {
        let (dir, mut slots, key, recovery) = slots();
        let anna = slots.set_operator("anna", "password-di-anna", &key);
        slots.set_operator("bruno", "password-di-bruno", &key);
        slots.save().unwrap();
        let slots = Slots::load(&dir.path().join("c.db")).unwrap();
        match slots.unlock("anna", "password-di-anna") {
            Unlocked::Key(k, id) => assert!(k == key && id == anna),
            _ => panic!("anna's password opens her slot"),
        }
        assert!(matches!(
            slots.unlock("bruno", "password-di-bruno"),
            Unlocked::Key(k, _) if k == key
        ));
        assert!(matches!(
            slots.unlock("anna", "password-di-bruno"),
            Unlocked::WrongPassword
        ));
        assert!(matches!(
            slots.unlock("carla", "password-di-anna"),
            Unlocked::NoSuchOperator
        ));
        assert!(slots.unlock_with_recovery(&recovery).unwrap() == key);
        assert!(
            slots
                .unlock_with_recovery(&RecoveryKey::generate())
                .is_err()
        );
        let text = std::fs::read_to_string(slots_path(&dir.path().join("c.db"))).unwrap();
        assert!(!text.contains("password-di-anna"));
        assert!(!text.contains(&hex::encode(key.as_bytes())));
    }

    #[test]
    fn a_slot_copied_under_another_name_opens_nothing() {
        let (_dir, mut slots, key, _) = slots();
        slots.set_operator("anna", "password-di-anna", &key);
        slots.set_operator("capo", "password-del-capo", &key);
        let anna = slots.file.operators["anna"].clone();
        slots.file.operators.insert("capo".into(), anna);
        assert!(matches!(
            slots.unlock("capo", "password-di-anna"),
            Unlocked::WrongPassword
        ));
    }

    #[test]
    fn failures_are_counted_until_a_good_login() {
        let (_dir, mut slots, key, _) = slots();
        slots.set_operator("anna", "password-di-anna", &key);
        let at = crate::now();
        slots.record_failure("anna", at).unwrap();
        slots.record_failure("anna", at).unwrap();
        slots.record_failure("nessuno", at).unwrap();
        assert_eq!(slots.attempts("anna").failures, 2);
        assert_eq!(slots.attempts("nessuno"), Attempts::default());
        assert_eq!(slots.clear_failures("anna").unwrap().failures, 2);
        assert_eq!(slots.attempts("anna").failures, 0);
    }
}
