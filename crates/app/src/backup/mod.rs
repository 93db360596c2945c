//! Backups, the standard a town hall needs after a dead disk. A backup is one file: a tar of
//! a consistent snapshot of the database (still encrypted under its key), the key slots and
//! the install's keys, encrypted with age to two recipients: the install's recovery key (so
//! the key alone restores it on a new PC) and a key derived from the database key (so the
//! install can check its own backups). A lost stick reveals nothing.
//!
//! A restored install is the same install: same keys, same records; restored from an older
//! backup, it catches up with the capofila as any install does (docs/sync.md).

mod archive;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use sportello_store::{Actor, ChainCheck, Store};

use crate::vault::{self, RecoveryKey, Slots};
use crate::{Action, AppError, ErrorCode, Result, Sportello, now};

crate::area!(
    /// Backups of the install: making and checking them (restoring needs no login: see
    /// [`restore`]).
    Backups,
    backups
);

/// The setting that holds the recovery key's age recipient (public).
const RECIPIENT: &str = "backup_recipient";
/// The setting that holds when the last backup was made.
const LAST_BACKUP: &str = "last_backup_at";
/// Days after which the Home reminds to make a backup.
pub const REMINDER_DAYS: i64 = 7;

/// What a backup says about itself, inside the encryption.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Manifest {
    format: String,
    comune: String,
    comune_name: String,
    district: String,
    created_at: DateTime<FixedOffset>,
    created_by: String,
    schema_version: i64,
}

const FORMAT: &str = "sportello-backup/1";

/// A backup written (`backup create`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct BackupMade {
    pub path: String,
    pub bytes: u64,
    pub created_at: String,
}

/// A backup checked whole (`backup verify`, and before `backup restore` writes anything).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct BackupChecked {
    pub comune: String,
    pub comune_name: String,
    pub created_at: String,
    pub created_by: String,
    pub applications: u64,
    pub audit_entries: u64,
}

/// An install restored from a backup (`backup restore`).
#[derive(Debug, Clone, Serialize)]
pub struct Restored {
    pub db: String,
    #[serde(flatten)]
    pub backup: BackupChecked,
}

/// Remembers, at set-up, where backups are encrypted to (the recovery key's public half).
pub(crate) fn remember_recipient(store: &Store, recovery: &RecoveryKey) -> Result<()> {
    let recipient = recovery.backup_identity().to_public().to_string();
    Ok(store.set_setting(RECIPIENT, &recipient)?)
}

fn invalid(message: impl Into<String>) -> AppError {
    AppError::new(ErrorCode::BackupInvalid, message)
}

impl Backups<'_> {
    /// Writes a backup of the install at `out`, while the install stays in use.
    pub fn create(&mut self, out: &Path) -> Result<BackupMade> {
        self.require(Action::MakeBackups)?;
        let recipient: age::x25519::Recipient = self
            .store
            .setting(RECIPIENT)?
            .and_then(|r| r.parse().ok())
            .ok_or_else(|| {
                invalid("la chiave di recupero di questa installazione non è registrata")
            })?;
        let at = now();
        let manifest = Manifest {
            format: FORMAT.into(),
            comune: self.install.comune.clone(),
            comune_name: self.comune_name(&self.install.comune),
            district: self.install.district.id.clone(),
            created_at: at,
            created_by: self.operator.username.clone(),
            schema_version: sportello_store::SCHEMA_VERSION,
        };
        let work = archive::work_dir(&self.db_path)?;
        let snapshot = work.path().join(archive::DB);
        self.store.snapshot_into(&snapshot)?;
        let check = vault::check_identity(&self.db_key).to_public();
        let bytes = archive::write(
            out,
            &manifest,
            &snapshot,
            &self.db_path,
            &[&recipient, &check],
        )?;
        self.store.set_setting(LAST_BACKUP, &at.to_rfc3339())?;
        self.store.audit(
            at,
            &self.actor,
            "backup_create",
            "install",
            Some(&self.install.comune),
            serde_json::json!({ "bytes": bytes }),
        )?;
        Ok(BackupMade {
            path: out.display().to_string(),
            bytes,
            created_at: at.to_rfc3339(),
        })
    }

    /// Checks that the backup at `file` is this install's, opens and is whole. Changes
    /// nothing: it is unpacked in a temporary folder, deleted after.
    pub fn verify(&mut self, file: &Path) -> Result<BackupChecked> {
        self.require(Action::MakeBackups)?;
        let work = archive::work_dir(&self.db_path)?;
        let identity = vault::check_identity(&self.db_key);
        let manifest = archive::unpack(file, &identity, work.path())
            .map_err(|e| e.not_ours("di questa installazione"))?;
        let checked = check(&work.path().join(archive::DB), &self.db_key, &manifest)?;
        self.audit_read(
            "backup_verify",
            "install",
            Some(&self.install.comune),
            serde_json::json!({ "created_at": checked.created_at }),
        )?;
        Ok(checked)
    }
}

/// Opens the unpacked database with `key` and checks it whole: every page, the b-trees, the
/// audit chain, the keys file.
fn check(db: &Path, key: &sportello_store::DbKey, manifest: &Manifest) -> Result<BackupChecked> {
    let store = Store::open(db, key)?;
    let install = store.require_install()?;
    if install.comune != manifest.comune {
        return Err(invalid(format!(
            "il backup dichiara il comune {} ma contiene il database del comune {}",
            manifest.comune, install.comune
        )));
    }
    let problems = store.integrity_problems()?;
    if let Some(first) = problems.first() {
        return Err(invalid(format!(
            "il database nel backup è danneggiato ({} problemi; il primo: {first})",
            problems.len()
        )));
    }
    let audit_entries = match store.audit_verify()? {
        ChainCheck::Intact { entries } => entries,
        ChainCheck::Broken { seq, .. } => {
            return Err(invalid(format!(
                "il registro delle attività nel backup è alterato dalla voce n. {seq}"
            )));
        }
    };
    crate::trust::keys::load_current(db, key)?;
    Ok(BackupChecked {
        comune: manifest.comune.clone(),
        comune_name: manifest.comune_name.clone(),
        created_at: manifest.created_at.to_rfc3339(),
        created_by: manifest.created_by.clone(),
        applications: store.count_applications()? as u64,
        audit_entries,
    })
}

/// Restores the backup at `file` as a new install at `db`, with the recovery key. Refused
/// when `db` or any of its files exists: a restore never overwrites an install. Every file is
/// checked before the first is put in place.
pub fn restore(file: &Path, db: &Path, recovery: &RecoveryKey) -> Result<Restored> {
    if let Some(existing) = crate::install_files(db)
        .into_iter()
        .find(|f| std::fs::metadata(f).is_ok_and(|m| m.len() > 0 || f.as_path() != db))
    {
        return Err(AppError::new(
            ErrorCode::DbAlreadyInitialized,
            format!(
                "{} esiste già: il ripristino non sovrascrive un'installazione; scegliere un \
                 file nuovo con --db",
                existing.display()
            ),
        ));
    }
    let work = archive::work_dir(db)?;
    let manifest = archive::unpack(file, &recovery.backup_identity(), work.path())
        .map_err(|e| e.not_ours("fatto con questa chiave di recupero"))?;
    let unpacked = work.path().join(archive::DB);
    let key = Slots::load(&unpacked)?.unlock_with_recovery(recovery)?;
    let checked = check(&unpacked, &key, &manifest)?;
    {
        let store = Store::open(&unpacked, &key)?;
        store.audit(
            now(),
            &Actor("chiave di recupero".into()),
            "backup_restore",
            "install",
            Some(&manifest.comune),
            serde_json::json!({ "backup_created_at": checked.created_at }),
        )?;
    }
    archive::put_in_place(work.path(), db)?;
    Ok(Restored {
        db: db.display().to_string(),
        backup: checked,
    })
}

impl Sportello {
    /// When the last backup was made, if ever.
    pub(crate) fn last_backup_at(&self) -> Result<Option<DateTime<FixedOffset>>> {
        Ok(self
            .store
            .setting(LAST_BACKUP)?
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok()))
    }
}

/// Where a backup's files go inside it, and their names at the restored install.
pub(crate) fn member_path(db: &Path, name: &str) -> PathBuf {
    let suffix = name.strip_prefix(archive::DB).unwrap_or(name);
    let mut path = db.as_os_str().to_owned();
    path.push(suffix);
    PathBuf::from(path)
}
