use rusqlite::ErrorCode;

/// What can go wrong in the database, with an Italian message that says what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "il database è stato creato da una versione più recente di Sportello (schema {found}, \
         questa versione conosce fino allo schema {supported}): aggiornare l'applicazione"
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error(
        "il file non è un database di Sportello: è un database SQLite non cifrato (di un altro \
         programma, o di una versione di Sportello precedente alla cifratura, che non si apre) \
         e non è stato modificato; scegliere il database di Sportello, o un file nuovo per \
         crearne uno"
    )]
    ForeignDatabase,
    #[error(
        "il database non si apre con la chiave di questa installazione: il file non è un \
         database di Sportello, oppure il file delle chiavi d'accesso (.slots) accanto ad esso \
         è di un'altra installazione; ripristinare entrambi dallo stesso backup"
    )]
    WrongKey,
    #[error(
        "questa versione di Sportello è stata compilata senza SQLCipher e non può cifrare il \
         database: nessun dato è stato scritto; ricompilare con le dipendenze del workspace"
    )]
    NoEncryption,
    #[error(
        "il database non è ancora inizializzato: eseguire prima la configurazione iniziale \
         (da riga di comando `init`)"
    )]
    NotInitialized,
    #[error("il database è già inizializzato per il comune {comune}")]
    AlreadyInitialized { comune: String },
    #[error("il bando {0} non esiste: il capofila lo importa e lo invia con il file del distretto")]
    UnknownBando(String),
    #[error("la domanda {0} non esiste")]
    UnknownApplication(String),
    #[error(
        "il dato {0} non esiste: indicarlo come tabella/identificativo, ad esempio applications/0195…"
    )]
    UnknownRecord(String),
    /// A record the operator named by its number does not exist here; the message says which.
    #[error("{0}")]
    NotFound(String),
    #[error("{record} appartiene al comune {owner}: solo quel comune può modificarla")]
    NotOwner { record: String, owner: String },
    /// The record is no longer as the action found it: someone changed it meanwhile.
    #[error("{0}: riaprire la domanda e riprovare")]
    Changed(String),
    #[error("disco pieno: liberare spazio e riprovare; nessun dato è stato modificato")]
    DiskFull,
    #[error("il database è in uso da un altro programma: riprovare tra qualche istante")]
    Busy,
    #[error("impossibile accedere a {path}: {message}")]
    Io { path: String, message: String },
    #[error("dato non valido nel database ({0}): il file potrebbe essere danneggiato")]
    Corrupt(String),
    #[error("errore del database: {0}")]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NewerSchema { .. } => "db_newer_schema",
            Self::ForeignDatabase => "db_foreign",
            Self::WrongKey => "db_wrong_key",
            Self::NoEncryption => "db_not_encrypted",
            Self::NotInitialized => "db_not_initialized",
            Self::AlreadyInitialized { .. } => "db_already_initialized",
            Self::UnknownBando(_) => "unknown_bando",
            Self::UnknownApplication(_) => "unknown_application",
            Self::UnknownRecord(_) => "unknown_record",
            Self::NotOwner { .. } => "not_owner",
            Self::NotFound(_) => "unknown_record",
            Self::Changed(_) => "changed_meanwhile",
            Self::DiskFull => "disk_full",
            Self::Busy => "db_busy",
            Self::Io { .. } => "io",
            Self::Corrupt(_) => "db_corrupt",
            Self::Sqlite(_) => "db_error",
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => Self::DiskFull,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Self::Busy,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                Self::Corrupt(e.to_string())
            }
            _ => Self::Sqlite(e),
        }
    }
}
