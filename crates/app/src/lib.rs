//! The use cases: one function per user action. The CLI and the desktop app call only this.
//!
//! An open install (`Sportello`) is reached area by area: `app.intake()`, `app.ranking()`,
//! `app.documents()`, `app.exchange()`, `app.trust()`, `app.settings()`. Each area is a module
//! with its own handle; what several areas share (the bando, the audit trail, the keys) is
//! crate-private on `Sportello`.

mod accreditation;
mod audit;
mod backup;
mod civico;
mod documents;
mod error;
mod exchange;
mod files;
mod front_office;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
#[cfg(feature = "inspection")]
pub mod inspection;
mod intake;
mod monitoring;
mod objections;
mod operators;
mod overview;
mod ranking;
mod services;
mod settings;
mod siuss;
mod trust;
mod vault;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use sportello_domain::District;
use sportello_store::{DbKey, Install, Store};

pub use accreditation::{
    Accreditation, AssessmentView, CERTIFICATE_MARK, Expiring, NoticeView, ProviderApplicationView,
    ProviderApplied, RegisterLineView, RegisterPrinted, RegisterView, Verification,
};
pub use audit::{Audit, AuditEntryView, AuditQuery, ChainIntact, parse_date};
pub use backup::{BackupChecked, BackupMade, Backups, REMINDER_DAYS, Restored, restore};
pub use civico::{
    AttendanceImported, AttendanceMonth, CallEventView, CallRecorded, CallView, Civico,
    ComuneCalls, DayHours, Payment, PaymentsPrinted, ProjectForm, ProjectPaper, ProjectSaved,
};
pub use documents::{Documents, RankingPaper};
pub use error::{AppError, ErrorCode, Problem, Result};
pub use exchange::{BundleOut, Exchange, ImportLogEntry, ImportReport, Inspection};
pub use front_office::{
    CaseDue, CaseView, ContactView, ContactsAdded, FrontOffice, HistoryApplication, PersonHistory,
    stats_csv,
};
pub use intake::{
    ApplicationDetail, ApplicationView, ApplicationsPage, Batch, CodiceFiscaleInfo, Corrected,
    DRAFT_MAX_BYTES, DraftView, DuplicateApplication, DuplicateGroup, FieldChange, Filed,
    FormCheck, Intake, OutcomeChoice, OutcomeView, Parsed, PublishedLine, RevisionView,
    WithdrawalChanged, parse_csv, parse_json_forms,
};
pub use monitoring::{
    ComuneValue, FormSaved, IndicatorSeries, IndicatorValue, Monitoring, MonitoringOverview,
};
pub use objections::{ObjectionView, Objections};
pub use operators::{Credentials, NewOperator, Operator, Operators};
pub use overview::{BandoStatus, NEARING_DAYS, Overview, WaitingStart};
pub use ranking::{
    ConflictSide, CrossComuneExclusion, PublishChanges, PublishedRanking, PublishedRow, Ranking,
    RowChange, Stage,
};
pub use services::{SEARCH_LIMIT, Services, ServicesFile, ServicesImported, StaleService};
pub use settings::{
    BandoImported, CaseKinds, CaseKindsSaved, DistrictFile, InstallInfo, Settings, StoredCaseKind,
    read_district_file,
};
pub use siuss::{Siuss, SiussExported, SiussSettings};
pub use sportello_domain::civico::{CallEventKind, CallState, CalledBy};
pub use sportello_domain::front_office::stats::FrontOfficeStats;
pub use sportello_domain::monitoring::Form as MonitoringForm;
pub use sportello_domain::{Action, FactorLabel, Role};
pub use sportello_store::{
    Actor, ApplicationFilter, Complaint, ContactAdded, DiaryEntry, FiledApplication, ServiceScope,
    StoredCase, StoredContact, StoredForm, StoredService, Unreadable, io_reason,
};
pub use trust::{Accepted, KeysView, ReplacedKey, Rotated, Trust, TrustedKey};
pub use vault::RecoveryKey;

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

fn missing(db: &Path) -> AppError {
    AppError::new(
        ErrorCode::DbMissing,
        format!(
            "il database {} non esiste: va prima creato con la configurazione iniziale (file \
             del distretto e comune; da riga di comando `init`)",
            db.display()
        ),
    )
}

/// The files of the install at `db`: the database, its journal, its key slots and its keys.
pub(crate) fn install_files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm", ".slots", ".keys", ".keys.previous"]
        .iter()
        .map(|suffix| {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        })
        .collect()
}

/// An open install: its database, its comune, and the operator logged in.
pub struct Sportello {
    store: Store,
    /// The database key, unwrapped at login; it also seals the install's keys file.
    db_key: DbKey,
    /// The recovery key `init` made, until the front end takes it to show it once.
    new_recovery_key: Option<RecoveryKey>,
    install: Install,
    operator: Operator,
    /// The operator's username, as the audit trail names them.
    actor: Actor,
    db_path: PathBuf,
    /// The latest ranking of each bando as last read, kept while it is the latest
    /// (`Sportello::latest_ranking_shared`).
    rankings: std::sync::Mutex<ranking::RankingCache>,
    /// The trust list as last read, with the text it was read from: an import reads it for
    /// each file, and checking every key again each time took a fiftieth of the import.
    trust: std::sync::Mutex<Option<(String, sportello_sync::trust::TrustList)>>,
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
        let occupied = std::fs::metadata(db).is_ok_and(|m| m.len() > 0);
        if occupied {
            Store::refuse_plain(db)?;
            return Err(AppError::new(
                ErrorCode::DbAlreadyInitialized,
                format!(
                    "il database {} è già inizializzato: per creare una nuova installazione \
                     scegliere un altro file",
                    db.display()
                ),
            ));
        }
        let created = Self::create(db, &district, district_toml, comune, first);
        if created.is_err() {
            // Nothing half-made stays behind: the same init can be run again.
            for file in install_files(db) {
                let _ = std::fs::remove_file(file);
            }
        }
        created
    }

    /// Creates the install from the district file read at first run: when it is the capofila's
    /// signed file, its signature and fingerprint were checked, and the file is accepted at
    /// once, so the comune trusts its capofila from the start (bandi included). Nothing is left
    /// behind when the acceptance fails.
    pub fn init_from(
        db: &Path,
        file: &DistrictFile,
        comune: &str,
        first: &NewOperator,
    ) -> Result<Self> {
        let mut app = Self::init(db, &file.toml, comune, first)?;
        if let Some((signed, fingerprint)) = &file.signed
            && !app.install.is_capofila()
            && let Err(e) = app.trust().district_accept(signed, fingerprint, false)
        {
            drop(app);
            for file in install_files(db) {
                let _ = std::fs::remove_file(file);
            }
            return Err(e);
        }
        Ok(app)
    }

    fn create(
        db: &Path,
        district: &District,
        district_toml: &str,
        comune: &str,
        first: &NewOperator,
    ) -> Result<Self> {
        let db_key = DbKey::generate();
        let recovery = RecoveryKey::generate();
        // The slots first: a database never exists that no password opens.
        let mut slots = vault::Slots::new(db, &db_key, &recovery);
        let slot = slots.set_operator(&first.username, &first.password, &db_key);
        slots.save()?;
        let mut store = Store::open(db, &db_key)?;
        // Keys next: an install never exists without them.
        let keys = trust::keys::create(db, &db_key)?;
        let at = now();
        let actor = Actor(first.username.clone());
        let install = store.initialize(district, district_toml, comune, at, &actor)?;
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
        store.add_operator(&operator, &slot, at, &actor)?;
        backup::remember_recipient(&store, &recovery)?;
        let mut app = Self::opened(store, db_key, install, operator, db);
        app.new_recovery_key = Some(recovery);
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
            return Err(missing(db));
        }
        Store::refuse_plain(db)?;
        let (store, db_key, operator) = operators::log_in(db, credentials, now())?;
        let install = store.require_install()?;
        Ok(Self::opened(store, db_key, install, operator, db))
    }

    /// The install at `db`, opened with its key, `operator` at the keyboard.
    pub(crate) fn opened(
        store: Store,
        db_key: DbKey,
        install: Install,
        operator: Operator,
        db: &Path,
    ) -> Self {
        Self {
            store,
            db_key,
            new_recovery_key: None,
            install,
            actor: Actor(operator.username.clone()),
            operator,
            db_path: db.to_path_buf(),
            rankings: std::sync::Mutex::new(Default::default()),
            trust: std::sync::Mutex::new(None),
        }
    }

    /// Sets a new password for `username`, a responsabile or coordinatore who lost theirs,
    /// with the install's recovery key; opens the install as them.
    pub fn recover(
        db: &Path,
        username: &str,
        recovery: &RecoveryKey,
        new_password: &str,
    ) -> Result<Self> {
        if !db.exists() {
            return Err(missing(db));
        }
        Store::refuse_plain(db)?;
        let db_key = vault::Slots::load(db)?.unlock_with_recovery(recovery)?;
        let store = Store::open(db, &db_key)?;
        let install = store.require_install()?;
        let operator = store
            .login_of(username)?
            .map(|l| l.operator)
            .filter(|o| o.role.allows(Action::ManageOperators))
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::OperatorInvalid,
                    format!(
                        "nessun responsabile o coordinatore {username} in questa installazione: \
                         la chiave di recupero ridà l'accesso a chi gestisce gli operatori, che \
                         poi reimposta le password degli altri"
                    ),
                )
            })?;
        let mut app = Self::opened(store, db_key, install, operator, db);
        app.set_own_password(new_password, ("password_recover", true))?;
        app.operator.disabled = false;
        Ok(app)
    }

    /// The recovery key made by `init`, handed out once: to show to the operator and print on
    /// the foglio di recupero, never stored in clear.
    pub fn take_recovery_key(&mut self) -> Option<RecoveryKey> {
        self.new_recovery_key.take()
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
