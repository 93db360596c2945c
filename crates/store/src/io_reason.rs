//! What went wrong with a file, in the clerk's words: the operating system's English text
//! ("No such file or directory (os error 2)") never reaches the window or the terminal.

use std::io::{Error, ErrorKind};

/// Why a file could not be read or written, in Italian.
pub fn io_reason(e: &Error) -> String {
    let reason = match e.kind() {
        ErrorKind::NotFound => "il file o la cartella non esiste",
        ErrorKind::PermissionDenied => {
            "permesso negato: il file è protetto o appartiene a un altro utente"
        }
        ErrorKind::AlreadyExists => "esiste già",
        ErrorKind::IsADirectory => "è una cartella, non un file",
        ErrorKind::NotADirectory => "una parte del percorso non è una cartella",
        ErrorKind::ReadOnlyFilesystem => "il disco è di sola lettura (chiavetta protetta?)",
        ErrorKind::StorageFull => "spazio esaurito",
        ErrorKind::InvalidData | ErrorKind::UnexpectedEof => "file incompleto o danneggiato",
        ErrorKind::Interrupted | ErrorKind::TimedOut => "operazione interrotta: riprovare",
        ErrorKind::InvalidFilename | ErrorKind::InvalidInput => "nome del file non valido",
        _ if e.raw_os_error() == Some(28) => "spazio esaurito",
        _ => {
            return match e.raw_os_error() {
                Some(code) => format!("errore del sistema (codice {code})"),
                None => "errore del sistema".to_string(),
            };
        }
    };
    reason.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_s_reasons_are_said_in_italian() {
        let missing = std::fs::read("/questo/file/non/esiste").unwrap_err();
        assert_eq!(io_reason(&missing), "il file o la cartella non esiste");
        assert_eq!(io_reason(&Error::from_raw_os_error(28)), "spazio esaurito");
        assert_eq!(
            io_reason(&Error::from_raw_os_error(9999)),
            "errore del sistema (codice 9999)"
        );
        assert!(!io_reason(&Error::other("boom")).contains("boom"));
    }
}
