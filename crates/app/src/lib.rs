//! The use cases: one function per user action. The CLI and the desktop app call only this.
//!
//! An open install (`Sportello`) is reached area by area: `app.intake()`, `app.ranking()`,
//! `app.documents()`, `app.exchange()`, `app.trust()`, `app.settings()`. Each area is a module
//! with its own handle; what several areas share (the bando, the audit trail, the keys) is
//! crate-private on `Sportello`.

mod audit;
mod documents;
mod error;
mod exchange;
mod files;
mod intake;
mod operators;
mod overview;
mod ranking;
mod settings;
mod trust;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use sportello_domain::District;
use sportello_store::{Install, Store};

pub use audit::{Audit, AuditEntryView, AuditQuery, ChainIntact, parse_date};
pub use documents::{Documents, RankingPaper};
pub use error::{AppError, ErrorCode, Problem, Result};
pub use exchange::{BundleOut, Exchange, ImportLogEntry, ImportReport, Inspection};
pub use intake::{
    ApplicationDetail, ApplicationView, Batch, CodiceFiscaleInfo, Corrected, DuplicateApplication,
    DuplicateGroup, FieldChange, Filed, FormCheck, Intake, OutcomeView, Parsed, RevisionView,
    parse_csv, parse_json_forms,
};
pub use operators::{Credentials, NewOperator, Operator, Operators};
pub use overview::{BandoStatus, Overview};
pub use ranking::{
    ConflictSide, CrossComuneExclusion, PublishedRanking, PublishedRow, Ranking, Stage,
};
pub use settings::{
    BandoImported, CaseKinds, CaseKindsSaved, DistrictFile, InstallInfo, Settings, StoredCaseKind,
    read_district_file,
};
pub use sportello_domain::{Action, FactorLabel, Role};
pub use sportello_store::{Actor, ApplicationFilter, FiledApplication, Unreadable};
pub use trust::{Accepted, KeysView, ReplacedKey, Rotated, Trust, TrustedKey};

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

/// An open install: its database, its comune, and the operator logged in.
pub struct Sportello {
    store: Store,
    install: Install,
    operator: Operator,
    /// The operator's username, as the audit trail names them.
    actor: Actor,
    db_path: PathBuf,
}

impl Sportello {
    /// Creates the install's database for `comune` of the district described by `district_toml`,
    /// with its first operator: a responsabile, or at the capofila its coordinatore (whatever
    /// role `first` names).
    pub fn init(db: &Path, district_toml: &str, comune: &str, first: &NewOperator) -> Result<Self> {
        operators::check_new(first)?;
        let district = District::from_toml(district_toml)
            .map_err(|e| AppError::new(ErrorCode::DistrictInvalid, e.to_string()))?;
        if district.comune(comune).is_none() {
            let known: Vec<String> = district
                .comuni
                .iter()
                .map(|c| format!("{} {}", c.istat, c.name))
                .collect();
            return Err(AppError::new(
                ErrorCode::UnknownComune,
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
        let keys = trust::keys::create(db)?;
        let at = now();
        let actor = Actor(first.username.clone());
        let install = store.initialize(&district, district_toml, comune, at, &actor)?;
        let operator = Operator {
            username: first.username.clone(),
            name: first.name.clone().filter(|n| !n.trim().is_empty()),
            role: if install.is_capofila() {
                Role::Coordinatore
            } else {
                Role::Responsabile
            },
            disabled: false,
        };
        store.add_operator(
            &operator,
            &operators::password::hash(&first.password),
            at,
            &actor,
        )?;
        let mut app = Self {
            store,
            install,
            operator,
            actor,
            db_path: db.to_path_buf(),
        };
        app.trust_own_keys(&keys)?;
        // The district's settings of each area are the capofila's records from the start.
        if app.install.is_capofila() && !district.case_kinds.is_empty() {
            app.save_case_kinds(&district.case_kinds)?;
        }
        Ok(app)
    }

    /// Opens an initialised install.
    pub fn open(db: &Path, credentials: &Credentials) -> Result<Self> {
        if !db.exists() {
            return Err(AppError::new(
                ErrorCode::DbMissing,
                format!(
                    "il database {} non esiste: va prima creato con la configurazione iniziale \
                     (file del distretto e comune; da riga di comando `init`)",
                    db.display()
                ),
            ));
        }
        let mut store = Store::open(db)?;
        let install = store.require_install()?;
        let operator = operators::authenticate(&mut store, credentials, now())?;
        Ok(Self {
            store,
            install,
            actor: Actor(operator.username.clone()),
            operator,
            db_path: db.to_path_buf(),
        })
    }

    /// The operator logged in.
    pub fn operator(&self) -> &Operator {
        &self.operator
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

    pub(crate) fn require_capofila(&self, what: &str) -> Result<()> {
        if self.install.is_capofila() {
            Ok(())
        } else {
            Err(AppError::new(
                ErrorCode::CapofilaOnly,
                format!(
                    "{what} è compito del comune capofila ({}); questa installazione è del comune {}",
                    self.install.district.capofila, self.install.comune
                ),
            ))
        }
    }
}

/// Declares an area of the use cases: a handle on the open install that the front ends reach
/// by one method of `Sportello` (`app.intake()`), so each new area adds a module, not methods
/// to one struct. The handle reads the install's shared parts through `Deref`.
macro_rules! area {
    ($(#[$doc:meta])* $handle:ident, $accessor:ident) => {
        $(#[$doc])*
        pub struct $handle<'a>(&'a mut $crate::Sportello);

        impl $crate::Sportello {
            $(#[$doc])*
            pub fn $accessor(&mut self) -> $handle<'_> {
                $handle(self)
            }
        }

        impl std::ops::Deref for $handle<'_> {
            type Target = $crate::Sportello;
            fn deref(&self) -> &$crate::Sportello {
                self.0
            }
        }

        impl std::ops::DerefMut for $handle<'_> {
            fn deref_mut(&mut self) -> &mut $crate::Sportello {
                self.0
            }
        }
    };
}
pub(crate) use area;
