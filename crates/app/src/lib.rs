//! The use cases: one function per user action. The CLI and the desktop app call only this.

mod bandi;
mod codice_fiscale;
mod conflicts;
mod csv_import;
mod desktop_support;
mod duplicates;
mod enrolment;
mod error;
mod exchange;
mod fields;
mod files;
mod intake;
mod keys;
mod overview;
mod printing;
mod publish;
mod ranking;
mod revisions;
mod views;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use sportello_domain::District;
use sportello_store::{Install, Store};

pub use bandi::BandoImported;
pub use codice_fiscale::CodiceFiscaleInfo;
pub use conflicts::{ConflictSide, CrossComuneExclusion};
pub use csv_import::parse_csv;
pub use desktop_support::{BundleOut, DistrictFile, ImportLogEntry, read_district_file};
pub use duplicates::{DuplicateApplication, DuplicateGroup};
pub use enrolment::{Accepted, ReplacedKey};
pub use error::{AppError, Problem, Result};
pub use exchange::{ImportReport, Inspection};
pub use intake::{Batch, Filed, FormCheck, Parsed, parse_json_forms};
pub use keys::{KeysView, Rotated, TrustedKey};
pub use overview::{BandoStatus, Overview};
pub use printing::RankingPaper;
pub use publish::{PublishedRanking, PublishedRow, Stage};
pub use revisions::{ApplicationDetail, Corrected, FieldChange, RevisionView};
pub use sportello_domain::FactorLabel;
pub use sportello_store::{Actor, ApplicationFilter, FiledApplication, Unreadable};
pub use views::{ApplicationView, InstallInfo};

/// The district's time zone: case numbers, receipts and deadlines are in Italian time.
pub const TIME_ZONE: chrono_tz::Tz = chrono_tz::Europe::Rome;

/// The current moment in Italian time.
pub fn now() -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&TIME_ZONE).fixed_offset()
}

/// Where an install keeps its database when none is named (`--db`, `SPORTELLO_DB`): the
/// user's data folder. None when the system has no data folder.
pub fn default_db_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("sportello").join("sportello.db"))
}

/// The operator at the keyboard, for the audit trail: `SPORTELLO_OPERATOR`, else the
/// system user.
pub fn operator_from_env() -> Actor {
    let name = ["SPORTELLO_OPERATOR", "USER", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "operatore".into());
    Actor(name)
}

/// An open install: its database, its comune, and the operator at the keyboard.
pub struct Sportello {
    store: Store,
    install: Install,
    actor: Actor,
    db_path: PathBuf,
}

impl Sportello {
    /// Creates the install's database for `comune` of the district described by `district_toml`.
    pub fn init(db: &Path, district_toml: &str, comune: &str, actor: Actor) -> Result<Self> {
        let district = District::from_toml(district_toml)
            .map_err(|e| AppError::new("district_invalid", e.to_string()))?;
        if district.comune(comune).is_none() {
            let known: Vec<String> = district
                .comuni
                .iter()
                .map(|c| format!("{} {}", c.istat, c.name))
                .collect();
            return Err(AppError::new(
                "unknown_comune",
                format!(
                    "il comune {comune} non fa parte del distretto {}; comuni ammessi: {}",
                    district.id,
                    known.join(", ")
                ),
            ));
        }
        let mut store = Store::open(db)?;
        if let Some(existing) = store.install()? {
            return Err(sportello_store::StoreError::AlreadyInitialized {
                comune: existing.comune,
            }
            .into());
        }
        // Keys first: an install never exists without them.
        let keys = keys::create(db)?;
        let install = store.initialize(&district, district_toml, comune, now(), &actor)?;
        let app = Self {
            store,
            install,
            actor,
            db_path: db.to_path_buf(),
        };
        app.trust_own_keys(&keys)?;
        Ok(app)
    }

    /// Opens an initialised install.
    pub fn open(db: &Path, actor: Actor) -> Result<Self> {
        if !db.exists() {
            return Err(AppError::new(
                "db_missing",
                format!(
                    "il database {} non esiste: va prima creato con la configurazione iniziale \
                     (file del distretto e comune; da riga di comando `init`)",
                    db.display()
                ),
            ));
        }
        let store = Store::open(db)?;
        let install = store.require_install()?;
        Ok(Self {
            store,
            install,
            actor,
            db_path: db.to_path_buf(),
        })
    }

    pub fn install(&self) -> &Install {
        &self.install
    }

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Capofila: sets aside a stored row that cannot be read (`table/id`, as listings name it)
    /// and the rows that refer to it, with the reason; returns how many rows.
    pub fn quarantine_record(&mut self, record: &str, reason: &str) -> Result<usize> {
        self.require_capofila("mettere in quarantena un dato")?;
        if reason.trim().is_empty() {
            return Err(AppError::new(
                "reason_missing",
                "manca il motivo della quarantena: è obbligatorio e resta nel registro",
            ));
        }
        Ok(self
            .store
            .quarantine_record(record, reason.trim(), now(), &self.actor)?)
    }

    fn require_capofila(&self, what: &str) -> Result<()> {
        if self.install.is_capofila() {
            Ok(())
        } else {
            Err(AppError::new(
                "capofila_only",
                format!(
                    "{what} è compito del comune capofila ({}); questa installazione è del comune {}",
                    self.install.district.capofila, self.install.comune
                ),
            ))
        }
    }
}
