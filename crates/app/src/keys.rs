//! The install's secret keys live in a file next to the database (`<db>.keys`, readable by the
//! owner only), never inside it: a copy of the database carries no secret key.

use std::path::{Path, PathBuf};

use sportello_sync::{InstallKeys, Role, TrustEntry, TrustList};

use crate::files::write_atomically;
use crate::{AppError, Result, Sportello};

pub(crate) const TRUST_LIST: &str = "trust_list";

pub(crate) fn key_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".keys");
    PathBuf::from(name)
}

/// Makes the install's keys at set-up and trusts them as this comune's own.
pub(crate) fn create(db: &Path) -> Result<InstallKeys> {
    let keys = InstallKeys::generate();
    let path = key_path(db);
    let secret = keys.to_secret_text();
    write_atomically(&path, secret.as_bytes(), true)?;
    Ok(keys)
}

fn load(db: &Path) -> Result<InstallKeys> {
    let path = key_path(db);
    let text = zeroize::Zeroizing::new(std::fs::read_to_string(&path).map_err(|e| {
        AppError::new(
            "keys_missing",
            format!(
                "impossibile leggere le chiavi dell'installazione ({}): {e}. Senza di esse non \
                 si possono firmare né leggere i pacchetti; ripristinare il file dal backup.",
                path.display()
            ),
        )
    })?);
    InstallKeys::from_secret_text(&text).map_err(|e| {
        AppError::new(
            "keys_invalid",
            format!("chiavi dell'installazione illeggibili: {e}"),
        )
    })
}

impl Sportello {
    /// The install's secret keys, read for one use; dropping them zeroizes them.
    pub(crate) fn keys(&self) -> Result<InstallKeys> {
        load(&self.db_path)
    }

    /// The short text an operator reads over the phone to confirm this install's keys.
    pub fn key_fingerprint(&self) -> Result<String> {
        Ok(self.keys()?.fingerprint().to_string())
    }

    pub(crate) fn trust_list(&self) -> Result<TrustList> {
        match self.store.setting(TRUST_LIST)? {
            None => Ok(TrustList::new()),
            Some(text) => TrustList::from_json(&text).map_err(|e| {
                AppError::new(
                    "trust_invalid",
                    format!("elenco delle chiavi fidate illeggibile: {e}"),
                )
            }),
        }
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
            .map_err(|e| AppError::new("trust_invalid", e.to_string()))?;
        trust
            .add(entry)
            .map_err(|e| AppError::new("trust_invalid", e.to_string()))?;
        self.save_trust_list(&trust)
    }
}
