//! Trust between installs: a comune's enrolment file reaches the capofila, the capofila's
//! signed district file reaches the comuni; each side confirms the other's fingerprint by
//! phone or on paper before trusting it.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sportello_domain::{Bando, District};
use sportello_store::AcceptedDistrict;
use sportello_sync::{BundleError, KeyRevocation, district, enrolment};

use super::Trust;
use crate::files::{read_file, write_atomically};
use crate::{AppError, ErrorCode, Result, Sportello, now};

const DISTRICT_SEQ: &str = "district_seq";

/// A key this install now trusts.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Accepted {
    pub comune: String,
    pub comune_name: String,
    pub fingerprint: String,
    /// False when the same key was already trusted.
    pub added: bool,
    pub bandi: Vec<String>,
    /// The key this one replaces (the comune's install was replaced): revoked from a bundle
    /// number on, and the comune's records go back to the new install.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "bindings", ts(optional))]
    pub replaced: Option<ReplacedKey>,
}

/// A key no longer trusted because another replaced it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ReplacedKey {
    pub fingerprint: String,
    /// Bundles it signs from this number on are refused.
    pub revoked_from_seq: u64,
}

pub(crate) fn refused(e: &BundleError) -> AppError {
    AppError::from(e)
}

/// `out` may be a folder (the standard file name is used) or a file path.
pub(crate) fn target(out: &Path, name: &str) -> PathBuf {
    if out.is_dir() {
        out.join(name)
    } else {
        out.to_path_buf()
    }
}

impl Trust<'_> {
    /// Writes this comune's enrolment file (its public keys, signed).
    pub fn enrol_export(&self, out: &Path) -> Result<PathBuf> {
        self.require(crate::Action::ManageKeys)?;
        let keys = self.keys()?;
        let d = &self.install.district;
        let bytes = enrolment::create(
            &d.id,
            &self.install.comune,
            &keys,
            env!("CARGO_PKG_VERSION"),
            &now().to_rfc3339(),
        );
        let path = target(out, &enrolment::file_name(&d.id, &self.install.comune));
        write_atomically(&path, &bytes, false)?;
        self.audit_file("enrol_export", &path, serde_json::json!({}))?;
        Ok(path)
    }

    /// Capofila: trusts a comune's keys once the fingerprint read by phone matches.
    pub fn enrol_accept(&mut self, file: &Path, fingerprint: &str) -> Result<Accepted> {
        self.require(crate::Action::ManageDistrict)?;
        self.require_capofila("accettare l'adesione di un comune")?;
        let bytes = read_file(file)?;
        let d = &self.install.district;
        let enrolled = enrolment::verify(&bytes, fingerprint, &d.id).map_err(|e| refused(&e))?;
        if d.comune(&enrolled.comune).is_none() || enrolled.comune == self.install.comune {
            return Err(AppError::new(
                ErrorCode::UnknownComune,
                format!(
                    "l'adesione è del comune {}, che non è un altro comune del distretto {}",
                    enrolled.comune, d.id
                ),
            ));
        }
        let mut trust = self.trust_list()?;
        let entry = enrolled
            .trust_entry()
            .map_err(|e| AppError::new(ErrorCode::TrustInvalid, e.to_string()))?;
        // Another key of the same comune: its install was replaced (a new PC after a dead
        // disk, or a stolen one). The old key is revoked from the next bundle number, so its
        // later files are refused, and the new install gets the comune's records back.
        let replaced = match trust.current(&enrolled.comune) {
            Some(old) if old.key_id != entry.key_id => {
                let from_seq = self.store.last_bundle_in(&enrolled.comune)? + 1;
                let revocation = KeyRevocation::sign(
                    &enrolled.comune,
                    &old.key_id,
                    from_seq,
                    &now().to_rfc3339(),
                    &self.keys()?,
                );
                let replaced = ReplacedKey {
                    fingerprint: old.fingerprint().to_string(),
                    revoked_from_seq: from_seq,
                };
                trust
                    .apply_revocation(&revocation)
                    .map_err(|e| AppError::new(ErrorCode::TrustInvalid, e.to_string()))?;
                Some(replaced)
            }
            _ => None,
        };
        let added = trust
            .add(entry)
            .map_err(|e| AppError::new(ErrorCode::TrustConflict, e.to_string()))?;
        match &replaced {
            Some(_) => self.store.replace_peer(
                &enrolled.comune,
                super::keys::TRUST_LIST,
                &trust.to_json(),
            )?,
            None => self.save_trust_list(&trust)?,
        }
        self.audit_file(
            "enrol_accept",
            file,
            serde_json::json!({
                "comune": enrolled.comune,
                "fingerprint": enrolled.fingerprint().to_string(),
                "replaced": replaced.as_ref().map(|r| &r.fingerprint),
            }),
        )?;
        Ok(Accepted {
            comune_name: self.comune_name(&enrolled.comune),
            comune: enrolled.comune,
            fingerprint: enrolled.keys.fingerprint().to_string(),
            added,
            bandi: Vec::new(),
            replaced,
        })
    }

    /// Capofila: stops trusting a comune's current key (a stolen laptop, a leaked backup) for
    /// its bundles numbered `from_seq` or later (default: every one not yet imported). Its
    /// earlier bundles stay valid; the comune enrols a new key, confirmed by fingerprint.
    pub fn revoke_comune_key(
        &mut self,
        comune: &str,
        from_seq: Option<u64>,
    ) -> Result<ReplacedKey> {
        self.require(crate::Action::ManageDistrict)?;
        self.require_capofila("revocare la chiave di un comune")?;
        let mut trust = self.trust_list()?;
        let current = trust
            .current(comune)
            .filter(|e| e.role == sportello_sync::Role::Comune)
            .cloned()
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::UnknownKey,
                    format!(
                        "il comune {comune} non ha una chiave registrata da revocare: controllare \
                         il codice ISTAT"
                    ),
                )
            })?;
        let from_seq = match from_seq {
            Some(0) => {
                return Err(AppError::new(
                    ErrorCode::SeqOutOfRange,
                    "i pacchetti sono numerati da 1: indicare da quale numero la chiave non vale più",
                ));
            }
            Some(n) => n,
            None => self.store.last_bundle_in(comune)? + 1,
        };
        let revocation = KeyRevocation::sign(
            comune,
            &current.key_id,
            from_seq,
            &now().to_rfc3339(),
            &self.keys()?,
        );
        trust
            .apply_revocation(&revocation)
            .map_err(|e| AppError::new(ErrorCode::TrustInvalid, e.to_string()))?;
        self.save_trust_list(&trust)?;
        self.store.audit(
            now(),
            &self.actor,
            "key_revoke",
            "key",
            Some(current.key_id.as_str()),
            serde_json::json!({ "comune": comune, "from_seq": from_seq }),
        )?;
        Ok(ReplacedKey {
            fingerprint: current.fingerprint().to_string(),
            revoked_from_seq: from_seq,
        })
    }

    /// Capofila: writes the signed district file (configuration, bandi, trusted keys).
    pub fn district_export(&mut self, out: &Path) -> Result<PathBuf> {
        self.require(crate::Action::ManageDistrict)?;
        self.require_capofila("esportare il file del distretto")?;
        let (keys, rotations) = self.district_signing_keys()?;
        let seq = self
            .store
            .setting(DISTRICT_SEQ)?
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0)
            + 1;
        let bandi = self
            .store
            .bandi()?
            .iter()
            .filter_map(|b| self.store.bando_toml(&b.id).transpose())
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let d = &self.install.district;
        let contents = district::DistrictContents {
            district: d.id.clone(),
            capofila: self.install.comune.clone(),
            seq,
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            created_at: now().to_rfc3339(),
            district_toml: self.install.district_toml.clone(),
            bandi,
            trust: self.trust_list()?,
            rotations,
        };
        let bytes = district::create(&contents, &keys);
        let path = target(out, &district::file_name(&d.id, seq));
        write_atomically(&path, &bytes, false)?;
        self.store.set_setting(DISTRICT_SEQ, &seq.to_string())?;
        self.audit_file("district_export", &path, serde_json::json!({ "seq": seq }))?;
        Ok(path)
    }

    /// Comune: trusts the capofila's keys (fingerprint confirmed by phone) and applies the
    /// signed district file: its configuration and bandi, all together or nothing. Another
    /// capofila key than the one trusted is refused unless `replace` (the new fingerprint
    /// confirmed by phone too): a file with the right fingerprint but another key would
    /// otherwise turn the comune's uploads to an impostor.
    pub fn district_accept(
        &mut self,
        file: &Path,
        fingerprint: &str,
        replace: bool,
    ) -> Result<Accepted> {
        self.require(crate::Action::ManageKeys)?;
        let bytes = read_file(file)?;
        let d = self.install.district.clone();
        let received =
            district::verify(&bytes, fingerprint, Some(&d.id)).map_err(|e| refused(&e))?;
        let contents = &received.contents;
        if contents.capofila != d.capofila {
            return Err(AppError::new(
                ErrorCode::WrongCapofila,
                format!(
                    "il file è firmato dal comune {}, ma il capofila del distretto è {}",
                    contents.capofila, d.capofila
                ),
            ));
        }
        let district = District::from_toml(&contents.district_toml)
            .map_err(|e| AppError::new(ErrorCode::DistrictInvalid, e.to_string()))?;
        if district.id != d.id || district.comune(&self.install.comune).is_none() {
            return Err(AppError::new(
                ErrorCode::DistrictInvalid,
                format!(
                    "la configurazione del file non comprende questo comune ({}) nel distretto {}",
                    self.install.comune, d.id
                ),
            ));
        }
        let mut bandi = Vec::new();
        for text in &contents.bandi {
            let bando = Bando::from_toml(text)
                .map_err(|e| AppError::new(ErrorCode::BandoInvalid, e.to_string()))?;
            bando
                .validate(&district)
                .map_err(|e| AppError::new(ErrorCode::BandoInvalid, e.to_string()))?;
            bandi.push((bando, text.clone()));
        }
        let mut trust = self.trust_list()?;
        let entry = received
            .capofila_entry()
            .map_err(|e| AppError::new(ErrorCode::TrustInvalid, e.to_string()))?;
        // The capofila's move to new keys, vouched for by the key that signed this file.
        for rotation in contents
            .rotations
            .iter()
            .filter(|r| r.comune == contents.capofila && r.old_key_id == entry.key_id)
        {
            if trust.get(&entry.key_id).is_none() {
                trust
                    .add(entry.clone())
                    .map_err(|e| AppError::new(ErrorCode::TrustConflict, e.to_string()))?;
            }
            trust
                .apply_rotation(rotation)
                .map_err(|e| AppError::new(ErrorCode::TrustInvalid, e.to_string()))?;
        }
        let rotated = trust
            .capofila()
            .is_some_and(|c| c.key_id != entry.key_id && !contents.rotations.is_empty());
        let added = !trust.get(&entry.key_id).is_some_and(|e| e.is_current());
        let replaced = match trust.capofila() {
            _ if rotated => None,
            Some(old) if old.key_id != entry.key_id && !replace => {
                return Err(AppError::new(
                    ErrorCode::CapofilaKeyChanged,
                    format!(
                        "il file è firmato con una chiave del capofila ({}) diversa da quella \
                         registrata il giorno dell'adesione (impronta {}). Se il capofila ha \
                         davvero cambiato chiave, confermare per telefono la nuova impronta e \
                         accettare il file confermando la sostituzione; altrimenti non \
                         accettarlo: potrebbe venire da altri.",
                        self.comune_name(&contents.capofila),
                        old.fingerprint()
                    ),
                ));
            }
            _ => trust
                .replace_capofila(entry.clone())
                .map_err(|e| AppError::new(ErrorCode::TrustConflict, e.to_string()))?,
        };
        // A file older than one already accepted (a late copy, a mail delivered out of order)
        // would bring back an outdated configuration. A capofila replaced by a new install
        // numbers its files from 1 again.
        let held = self
            .store
            .setting(sportello_store::DISTRICT_ACCEPTED_SEQ)?
            .and_then(|s| s.parse::<u64>().ok());
        if let Some(held) = held.filter(|&held| replaced.is_none() && contents.seq < held) {
            return Err(AppError::new(
                ErrorCode::Rollback,
                format!(
                    "il file del distretto numero {} è più vecchio di quello già accettato \
                     (numero {held}): non è stato applicato, per non tornare a una \
                     configurazione superata",
                    contents.seq
                ),
            ));
        }
        self.0.install = self.0.store.accept_district(
            &AcceptedDistrict {
                seq: contents.seq,
                capofila: &contents.capofila,
                district_toml: &contents.district_toml,
                bandi: &bandi,
                trust_key: super::keys::TRUST_LIST,
                trust_json: &trust.to_json(),
            },
            now(),
            &self.0.actor,
        )?;
        Ok(Accepted {
            comune_name: self.comune_name(&contents.capofila),
            comune: contents.capofila.clone(),
            fingerprint: received.fingerprint().to_string(),
            added,
            bandi: bandi.into_iter().map(|(b, _)| b.id).collect(),
            replaced: replaced.map(|old| ReplacedKey {
                fingerprint: old.fingerprint().to_string(),
                revoked_from_seq: 0,
            }),
        })
    }
}

impl Sportello {
    /// Records an action on a file the operator named (its name only).
    pub(crate) fn audit_file(
        &self,
        action: &str,
        file: &Path,
        detail: serde_json::Value,
    ) -> Result<()> {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        Ok(self
            .store
            .audit(now(), &self.actor, action, "file", name.as_deref(), detail)?)
    }
}
