//! Errors as both front ends show them: a stable code from one catalogue, an Italian message
//! that says what is wrong, and for refused input every problem with the record and field it
//! concerns. How to fix it is each front end's to say (the CLI names a command, the window a
//! screen), matched on the code.

use serde::Serialize;
use sportello_store::StoreError;
use sportello_sync::{BundleError, SealError};

/// Every error that reaches a front end, one stable snake_case code each (`db_missing`): the
/// window and users' scripts match on it, never on the message. `title` is its Italian name.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumIter,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS), ts(rename_all = "snake_case"))]
pub enum ErrorCode {
    // The install and its database.
    DbMissing,
    DbNotInitialized,
    DbAlreadyInitialized,
    DbNewerSchema,
    DbForeign,
    DbWrongKey,
    DbNotEncrypted,
    DbBusy,
    DbCorrupt,
    DbError,
    DiskFull,
    Io,
    NoDataDir,
    // Files the operator names.
    FileUnreadable,
    FileWrite,
    FileTooLarge,
    FileNotUtf8,
    JsonInvalid,
    CsvInvalid,
    InputEmpty,
    InputRefused,
    TextLineBreak,
    TextControlChar,
    TextBidiChar,
    // Operators and their roles.
    LoginRequired,
    LoginFailed,
    LoginThrottled,
    OperatorDisabled,
    OperatorInvalid,
    PasswordWeak,
    RoleRefused,
    // Encryption at rest: key slots, recovery, backups.
    SlotsMissing,
    SlotsInvalid,
    RecoveryKeyInvalid,
    RecoveryKeyWrong,
    BackupInvalid,
    // Settings: district, comuni, bandi.
    DistrictInvalid,
    UnknownComune,
    BandoInvalid,
    UnknownBando,
    CaseKindsInvalid,
    // Intake.
    UnknownApplication,
    UnknownRecord,
    NotOwner,
    ReasonMissing,
    ChangedMeanwhile,
    ApplicationWithdrawn,
    NotWithdrawn,
    DraftTooLarge,
    // Servizio civico calls.
    NotInCallList,
    CallOutOfOrder,
    // Ranking.
    CapofilaOnly,
    UnreadableRecords,
    RankingNotPublished,
    RankingAlreadyDefinitive,
    CrossComuneUnconfirmed,
    // Accreditation of providers.
    NoticeInvalid,
    UnknownProvider,
    AssessmentClosed,
    StatusRefused,
    // Objections.
    ObjectionLate,
    ObjectionDecided,
    ObjectionNotAccepted,
    ObjectionsWindowOpen,
    ObjectionsPending,
    // Keys and trust.
    TrustInvalid,
    TrustConflict,
    KeysInvalid,
    KeysMissing,
    NoRecipients,
    NoCapofilaKey,
    CapofilaKeyChanged,
    WrongCapofila,
    RotationPending,
    FingerprintMismatch,
    // Bundles refused (the file format's own refusals, docs/bundle-format.md).
    BundleRefused,
    BundleTooLarge,
    InvalidRecipient,
    EncryptionFailed,
    NotABundle,
    UnsupportedVersion,
    Truncated,
    Corrupted,
    WrongFileKind,
    WrongDistrict,
    UnknownKey,
    RevokedKey,
    BadSignature,
    NotAddressedToUs,
    SenderOutdated,
    ReceiverOutdated,
    Fork,
    SenderRestored,
    SeqOutOfRange,
    ChangeRangeInvalid,
    Rollback,
    RecordNotOwned,
    InvalidRecord,
    // The window's own: what it was asked to open or choose.
    AlreadyInitialized,
    PathRelative,
    PathMissing,
    ExportDirMissing,
    FilesMissing,
    ComuneMissing,
    FingerprintMissing,
    PaperUnknown,
    NotPrintedHere,
    // The audit trail.
    AuditBroken,
    DateInvalid,
    // Documents.
    PrintFailed,
    OpenFailed,
    DbUnreadable,
    Internal,
}

impl ErrorCode {
    /// The stable code, as serialised.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// What went wrong, in a few Italian words (a heading; the message gives the details).
    pub fn title(self) -> &'static str {
        use ErrorCode::*;
        match self {
            DbMissing => "archivio non trovato",
            DbNotInitialized => "archivio non configurato",
            DbAlreadyInitialized | AlreadyInitialized => "archivio già configurato",
            DbNewerSchema => "archivio di una versione più recente",
            DbForeign => "file che non è un archivio Sportello",
            DbWrongKey => "archivio e chiavi d'accesso non corrispondono",
            DbNotEncrypted => "cifratura non disponibile",
            SlotsMissing => "chiavi d'accesso mancanti",
            SlotsInvalid => "chiavi d'accesso danneggiate",
            RecoveryKeyInvalid => "chiave di recupero non valida",
            RecoveryKeyWrong => "chiave di recupero sbagliata",
            BackupInvalid => "backup non valido",
            DbBusy => "archivio occupato",
            DbCorrupt | DbUnreadable => "archivio danneggiato o illeggibile",
            DbError => "errore dell'archivio",
            DiskFull => "disco pieno",
            Io => "errore di lettura o scrittura",
            NoDataDir => "cartella dei dati non disponibile",
            FileUnreadable => "file illeggibile",
            FileWrite => "file non scritto",
            FileTooLarge => "file troppo grande",
            FileNotUtf8 => "file non di testo",
            JsonInvalid => "JSON non valido",
            CsvInvalid => "CSV non valido",
            InputEmpty => "nessun dato",
            InputRefused => "dati rifiutati",
            TextLineBreak => "a capo non ammesso",
            TextControlChar | TextBidiChar => "carattere invisibile nel testo",
            LoginRequired => "accesso richiesto",
            LoginFailed => "accesso negato",
            LoginThrottled => "troppi tentativi di accesso",
            OperatorDisabled => "operatore disattivato",
            OperatorInvalid => "operatore non valido",
            PasswordWeak => "password troppo debole",
            RoleRefused => "ruolo non sufficiente",
            DistrictInvalid => "file del distretto non valido",
            UnknownComune => "comune sconosciuto",
            BandoInvalid => "bando non valido",
            UnknownBando => "bando sconosciuto",
            CaseKindsInvalid => "tipi di istruttoria non validi",
            UnknownApplication => "domanda sconosciuta",
            UnknownRecord => "dato sconosciuto",
            NotOwner => "dato di un altro comune",
            ReasonMissing => "motivo mancante",
            ChangedMeanwhile => "dato cambiato nel frattempo",
            ApplicationWithdrawn => "domanda ritirata",
            NotWithdrawn => "nessuna rinuncia in vigore",
            DraftTooLarge => "bozza troppo grande",
            NotInCallList => "domanda non tra quelle da chiamare",
            CallOutOfOrder => "passo della chiamata non ammesso",
            CapofilaOnly => "compito del capofila",
            UnreadableRecords => "dati illeggibili",
            RankingNotPublished => "graduatoria non pubblicata",
            RankingAlreadyDefinitive => "graduatoria già definitiva",
            CrossComuneUnconfirmed => "esclusioni tra comuni da confermare",
            NoticeInvalid => "avviso di accreditamento non valido",
            UnknownProvider => "ente, istanza o valutazione sconosciuti",
            AssessmentClosed => "valutazione già definita",
            StatusRefused => "cambio di stato non ammesso",
            ObjectionLate => "opposizione fuori termine",
            ObjectionDecided => "opposizione già decisa",
            ObjectionNotAccepted => "opposizione non da applicare",
            ObjectionsWindowOpen => "termine per le opposizioni aperto",
            ObjectionsPending => "opposizioni da definire",
            TrustInvalid => "file di fiducia non valido",
            TrustConflict => "chiave in conflitto",
            KeysInvalid => "chiavi illeggibili",
            KeysMissing => "chiavi mancanti",
            NoRecipients => "nessun destinatario",
            NoCapofilaKey => "chiave del capofila mancante",
            CapofilaKeyChanged => "chiave del capofila cambiata",
            WrongCapofila => "capofila diverso",
            RotationPending => "cambio di chiavi in corso",
            FingerprintMismatch => "impronta diversa",
            FingerprintMissing => "impronta mancante",
            BundleRefused => "pacchetto rifiutato",
            BundleTooLarge => "pacchetto troppo grande",
            InvalidRecipient => "chiave del destinatario non valida",
            EncryptionFailed => "cifratura non riuscita",
            NotABundle => "non è un pacchetto",
            UnsupportedVersion => "versione non supportata",
            Truncated => "file troncato",
            Corrupted => "file danneggiato",
            WrongFileKind => "tipo di file sbagliato",
            WrongDistrict => "distretto diverso",
            UnknownKey => "chiave sconosciuta",
            RevokedKey => "chiave revocata",
            BadSignature => "firma non valida",
            NotAddressedToUs => "pacchetto per un altro destinatario",
            SenderOutdated => "mittente non aggiornato",
            ReceiverOutdated => "installazione non aggiornata",
            Fork => "storie divergenti",
            SenderRestored => "mittente ripristinato",
            SeqOutOfRange => "numero fuori sequenza",
            ChangeRangeInvalid => "intervallo di modifiche non valido",
            Rollback => "pacchetto più vecchio",
            RecordNotOwned => "dato non del mittente",
            InvalidRecord => "dato non valido",
            PathRelative => "percorso non assoluto",
            PathMissing => "percorso mancante",
            ExportDirMissing => "cartella mancante",
            FilesMissing => "nessun file scelto",
            ComuneMissing => "comune non scelto",
            PaperUnknown => "documento sconosciuto",
            NotPrintedHere => "documento non stampato qui",
            AuditBroken => "registro delle attività alterato",
            DateInvalid => "data non valida",
            PrintFailed => "documento non stampato",
            OpenFailed => "apertura non riuscita",
            Internal => "errore interno",
        }
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Scripts and tests compare codes with their text.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<&StoreError> for ErrorCode {
    fn from(e: &StoreError) -> Self {
        match e {
            StoreError::NewerSchema { .. } => Self::DbNewerSchema,
            StoreError::ForeignDatabase => Self::DbForeign,
            StoreError::WrongKey => Self::DbWrongKey,
            StoreError::NoEncryption => Self::DbNotEncrypted,
            StoreError::NotInitialized => Self::DbNotInitialized,
            StoreError::AlreadyInitialized { .. } => Self::DbAlreadyInitialized,
            StoreError::UnknownBando(_) => Self::UnknownBando,
            StoreError::UnknownApplication(_) => Self::UnknownApplication,
            StoreError::UnknownRecord(_) | StoreError::NotFound(_) => Self::UnknownRecord,
            StoreError::NotOwner { .. } => Self::NotOwner,
            StoreError::Changed(_) => Self::ChangedMeanwhile,
            StoreError::DiskFull => Self::DiskFull,
            StoreError::Busy => Self::DbBusy,
            StoreError::Io { .. } => Self::Io,
            StoreError::Corrupt(_) => Self::DbCorrupt,
            StoreError::Sqlite(_) => Self::DbError,
        }
    }
}

impl From<&SealError> for AppError {
    fn from(e: &SealError) -> Self {
        let code = match e {
            SealError::NoRecipients => ErrorCode::NoRecipients,
            SealError::InvalidRecipient { .. } => ErrorCode::InvalidRecipient,
            SealError::Encryption(_) => ErrorCode::EncryptionFailed,
            SealError::TooLarge { .. } => ErrorCode::BundleTooLarge,
        };
        Self::new(code, e.to_string())
    }
}

impl From<&BundleError> for ErrorCode {
    fn from(e: &BundleError) -> Self {
        match e {
            BundleError::FileTooLarge { .. } => Self::FileTooLarge,
            BundleError::NotABundle => Self::NotABundle,
            BundleError::UnsupportedVersion { .. } => Self::UnsupportedVersion,
            BundleError::Truncated { .. } => Self::Truncated,
            BundleError::Corrupted(_) => Self::Corrupted,
            BundleError::WrongFileKind { .. } => Self::WrongFileKind,
            BundleError::WrongDistrict { .. } => Self::WrongDistrict,
            BundleError::UnknownKey { .. } => Self::UnknownKey,
            BundleError::RevokedKey { .. } => Self::RevokedKey,
            BundleError::BadSignature => Self::BadSignature,
            BundleError::FingerprintMismatch { .. } => Self::FingerprintMismatch,
            BundleError::NotAddressedToUs { .. } => Self::NotAddressedToUs,
            BundleError::SenderOutdated { .. } => Self::SenderOutdated,
            BundleError::ReceiverOutdated { .. } => Self::ReceiverOutdated,
            BundleError::Fork { .. } => Self::Fork,
            BundleError::SenderRestored { .. } => Self::SenderRestored,
            BundleError::SeqOutOfRange { .. } => Self::SeqOutOfRange,
            BundleError::ChangeRangeInvalid { .. } => Self::ChangeRangeInvalid,
            BundleError::Rollback { .. } => Self::Rollback,
            BundleError::RecordNotOwned { .. } => Self::RecordNotOwned,
            BundleError::InvalidRecord { .. } => Self::InvalidRecord,
        }
    }
}

/// One problem with one field of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Problem {
    /// The record as the user knows it: "domanda 2", "riga 7".
    pub record: String,
    /// The field as the user wrote it: `applicant.codice_fiscale`, `componente1_sesso`.
    pub field: String,
    pub code: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.record, self.message)
        } else {
            write!(f, "{}, campo {}: {}", self.record, self.field, self.message)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    /// For refused input: every problem found, so the user fixes them all at once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "bindings", ts(as = "Option<_>", optional))]
    pub problems: Vec<Problem>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            problems: Vec::new(),
        }
    }

    pub fn refused(message: impl Into<String>, problems: Vec<Problem>) -> Self {
        Self {
            code: ErrorCode::InputRefused,
            message: message.into(),
            problems,
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AppError {}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        Self::new(ErrorCode::from(&e), e.to_string())
    }
}

impl From<&BundleError> for AppError {
    fn from(e: &BundleError) -> Self {
        Self::new(ErrorCode::from(e), e.message())
    }
}

pub type Result<T> = std::result::Result<T, AppError>;

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use strum::IntoEnumIterator;

    use super::*;

    #[test]
    fn each_code_is_one_snake_case_word_with_an_italian_title() {
        let mut seen = HashSet::new();
        for code in ErrorCode::iter() {
            let text = code.as_str();
            assert!(
                text.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{text}"
            );
            assert!(seen.insert(text), "{text} twice");
            assert_eq!(serde_json::to_value(code).unwrap(), text);
            assert!(!code.title().is_empty());
        }
    }

    #[test]
    fn lower_layers_keep_their_codes() {
        let bundle = BundleError::BadSignature;
        assert_eq!(ErrorCode::from(&bundle).as_str(), bundle.code());
        let store = StoreError::DiskFull;
        assert_eq!(ErrorCode::from(&store).as_str(), store.code());
    }
}
