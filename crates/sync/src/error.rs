//! Every reason a file is refused, in the order the checks run, with a stable code for the UI
//! and an Italian message that says what happened and what to do.

use std::fmt;

/// Which family of Sportello file a header declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A sync bundle (upload or publish).
    Bundle,
    /// A comune's enrolment file (its public keys).
    Enrolment,
    /// The capofila's district file (configuration, bandi, keys).
    District,
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKind::Bundle => "un pacchetto di sincronizzazione",
            FileKind::Enrolment => "un file di adesione",
            FileKind::District => "un file del distretto",
        })
    }
}

/// What exactly was damaged, for the import log; the UI shows one message for all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// The declared header length is beyond any header we write.
    HeaderTooLarge,
    /// The header is not the JSON this version writes.
    HeaderUnreadable,
    /// Bytes follow the payload.
    TrailingBytes,
    /// The payload length differs from the one in the signed header.
    PayloadLength,
    /// The payload's SHA-256 differs from the one in the signed header.
    PayloadHash,
    /// The declared payload length is beyond any file this version reads.
    PayloadTooLarge,
    /// The payload does not decrypt or decompress although the header is intact.
    Payload,
    /// The manifest line does not repeat the header's identity.
    Manifest,
    /// A record line is not JSON.
    RecordLine,
    /// The payload decompresses past its ceiling (a decompression bomb, or not our writer).
    DecompressedTooLarge,
    /// A line of the payload is longer than any record we write.
    LineTooLong,
    /// A record would take more memory than any record of a district needs.
    RecordsTooLarge,
    /// The body of an enrolment or district file is not what this version writes.
    DocumentBody,
}

impl Damage {
    /// Stable snake_case code for logs and the quarantine reason.
    pub fn code(&self) -> &'static str {
        match self {
            Damage::HeaderTooLarge => "header_too_large",
            Damage::HeaderUnreadable => "header_unreadable",
            Damage::TrailingBytes => "trailing_bytes",
            Damage::PayloadLength => "payload_length",
            Damage::PayloadHash => "payload_hash",
            Damage::PayloadTooLarge => "payload_too_large",
            Damage::Payload => "payload",
            Damage::Manifest => "manifest",
            Damage::RecordLine => "record_line",
            Damage::DecompressedTooLarge => "decompressed_too_large",
            Damage::LineTooLong => "line_too_long",
            Damage::RecordsTooLarge => "records_too_large",
            Damage::DocumentBody => "document_body",
        }
    }
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Damage::HeaderTooLarge => "intestazione di lunghezza impossibile",
            Damage::HeaderUnreadable => "intestazione illeggibile",
            Damage::TrailingBytes => "dati in eccesso in fondo al file",
            Damage::PayloadLength => "lunghezza del contenuto diversa da quella firmata",
            Damage::PayloadHash => "impronta del contenuto diversa da quella firmata",
            Damage::PayloadTooLarge => "contenuto dichiarato più grande del massimo ammesso",
            Damage::Payload => "contenuto cifrato o compresso illeggibile",
            Damage::Manifest => "manifesto diverso dall'intestazione",
            Damage::RecordLine => "riga di dati illeggibile",
            Damage::DecompressedTooLarge => "contenuto che, decompresso, supera il massimo ammesso",
            Damage::LineTooLong => "riga di dati più lunga del massimo ammesso",
            Damage::RecordsTooLarge => "un dato che occuperebbe più memoria del massimo ammesso",
            Damage::DocumentBody => "contenuto del documento illeggibile",
        })
    }
}

/// Why a bundle, enrolment or district file is refused.
///
/// Variants are listed in the order the checks run: a file is refused by the first check it
/// fails. `Fork`, `Rollback`, `RecordNotOwned` and `InvalidRecord` are decided by the caller
/// with its database; they live here so every refusal shares one type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error(
        "Il file è troppo grande ({} MB; il massimo è {} MB): non è un file di Sportello integro. \
         Controllare di aver scelto il file giusto; se lo è, chiedere al mittente di inviarlo di \
         nuovo.",
        megabytes(*.size),
        megabytes(*.limit)
    )]
    FileTooLarge { size: u64, limit: u64 },

    #[error(
        "Questo file non è un file di Sportello (pacchetto, adesione o file del distretto). \
         Controllare di aver scelto il file giusto."
    )]
    NotABundle,

    #[error(
        "Il file è nel formato versione {found}, ma questa installazione legge solo la versione \
         {supported}. Aggiornare Sportello e ripetere l'importazione."
    )]
    UnsupportedVersion { found: u16, supported: u16 },

    #[error(
        "Il file è troncato ({actual} byte, ne servono almeno {needed}): probabilmente la copia \
         dalla chiavetta non è terminata. Chiedere al mittente di inviarlo di nuovo."
    )]
    Truncated { needed: u64, actual: u64 },

    #[error(
        "Il file è danneggiato ({0}): non corrisponde a quanto firmato dal mittente. Chiedere al \
         mittente di inviarlo di nuovo; se succede ancora, provare un'altra chiavetta."
    )]
    Corrupted(Damage),

    #[error(
        "Questo file è {found}, non {expected}: importarlo con la funzione adatta a quel tipo di \
         file."
    )]
    WrongFileKind { expected: FileKind, found: FileKind },

    #[error(
        "Il file appartiene al distretto {found}, non a questo ({expected}). Non importarlo e \
         verificare da dove proviene."
    )]
    WrongDistrict { expected: String, found: String },

    #[error(
        "Il file è firmato con una chiave ({key_id}) che non risulta autorizzata per il comune \
         {sender}. Se il comune ha cambiato computer o chiave, registrarne prima l'adesione; \
         altrimenti non importare il file e avvisare il capofila."
    )]
    UnknownKey { sender: String, key_id: String },

    #[error(
        "Il file numero {seq} del comune {sender} è firmato con la chiave {key_id}, revocata dal \
         numero {revoked_from_seq}. Non importarlo: chiedere al comune di esportare di nuovo con \
         la chiave attuale."
    )]
    RevokedKey {
        sender: String,
        key_id: String,
        seq: u64,
        revoked_from_seq: u64,
    },

    #[error(
        "La firma del file non è valida: il file è stato modificato dopo essere stato firmato. \
         Non importarlo e chiedere al mittente di inviarlo di nuovo."
    )]
    BadSignature,

    /// Says what was typed, never the fingerprint the file carries: an operator could copy it
    /// and skip the phone call the check exists for.
    #[error("{}", fingerprint_refusal(*.file, .typed))]
    FingerprintMismatch {
        /// An enrolment file (at the capofila) or the district file (at a comune).
        file: FileKind,
        /// What the operator typed, as it is read (`fingerprint::as_typed`).
        typed: String,
    },

    #[error(
        "Il file è destinato a {recipients}, non a questa installazione ({us}). Verificare che \
         sia stato consegnato al destinatario giusto."
    )]
    NotAddressedToUs { recipients: String, us: String },

    #[error(
        "Il file del comune {sender} è stato scritto da una versione di Sportello che registra i \
         dati in un formato precedente (schema {found}; questa installazione legge dallo schema \
         {oldest}). Il file non è stato importato: aggiornare Sportello in quel comune ed \
         esportare di nuovo."
    )]
    SenderOutdated {
        sender: String,
        found: u32,
        oldest: u32,
    },

    #[error(
        "Il file è stato scritto da una versione di Sportello più recente di questa (schema \
         {found}; questa installazione legge fino allo schema {supported}). Il file non è stato \
         importato: aggiornare Sportello su questo computer e importarlo di nuovo."
    )]
    ReceiverOutdated { found: u32, supported: u32 },

    #[error(
        "Il comune {sender} ha già inviato un file numero {seq} con un contenuto diverso: i due \
         file sono in conflitto e questo non è stato importato. Se il comune ha reinstallato \
         Sportello o ripristinato un backup, importi prima l'ultimo pacchetto del capofila e poi \
         esporti di nuovo; altrimenti contattarlo per capire quale esportazione è valida."
    )]
    Fork { sender: String, seq: u64 },

    #[error(
        "Il file del comune {sender} viene da un'installazione che ha perso dati (un computer \
         nuovo o un backup ripristinato): non è stato importato, e nessun dato va perso. Esportare \
         il pacchetto per il comune: gli restituisce le sue domande; il comune lo importi e poi \
         esporti di nuovo."
    )]
    SenderRestored { sender: String },

    #[error(
        "Il file ha un numero progressivo fuori dall'intervallo ammesso ({seq}): non è un file \
         scritto da Sportello. Non importarlo e verificare da dove proviene."
    )]
    SeqOutOfRange { seq: u64 },

    #[error(
        "Il file dichiara un intervallo di modifiche impossibile (da {from} a {to}): non è un \
         file scritto da Sportello. Non importarlo e verificare da dove proviene."
    )]
    ChangeRangeInvalid { from: u64, to: u64 },

    #[error(
        "Il file contiene la versione {received}, più vecchia di quella già ricevuta ({held}): \
         probabilmente è una copia vecchia. Non è stato importato; usare il file più recente."
    )]
    Rollback { held: u64, received: u64 },

    #[error(
        "Il file del comune {sender} contiene un dato ({record}) che appartiene al comune \
         {owner}: un comune può inviare solo i propri dati. Il file non è stato importato; \
         avvisare l'assistenza."
    )]
    RecordNotOwned {
        sender: String,
        owner: String,
        record: String,
    },

    #[error(
        "Il file contiene un dato non valido ({record}: {reason}). Il file non è stato \
         importato; chiedere al mittente di aggiornare Sportello ed esportare di nuovo."
    )]
    InvalidRecord { record: String, reason: String },
}

impl BundleError {
    /// Stable snake_case code: the UI and the logs match on this, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            BundleError::FileTooLarge { .. } => "file_too_large",
            BundleError::NotABundle => "not_a_bundle",
            BundleError::UnsupportedVersion { .. } => "unsupported_version",
            BundleError::Truncated { .. } => "truncated",
            BundleError::Corrupted(_) => "corrupted",
            BundleError::WrongFileKind { .. } => "wrong_file_kind",
            BundleError::WrongDistrict { .. } => "wrong_district",
            BundleError::UnknownKey { .. } => "unknown_key",
            BundleError::RevokedKey { .. } => "revoked_key",
            BundleError::BadSignature => "bad_signature",
            BundleError::FingerprintMismatch { .. } => "fingerprint_mismatch",
            BundleError::NotAddressedToUs { .. } => "not_addressed_to_us",
            BundleError::SenderOutdated { .. } => "sender_outdated",
            BundleError::ReceiverOutdated { .. } => "receiver_outdated",
            BundleError::Fork { .. } => "fork",
            BundleError::SenderRestored { .. } => "sender_restored",
            BundleError::SeqOutOfRange { .. } => "seq_out_of_range",
            BundleError::ChangeRangeInvalid { .. } => "change_range_invalid",
            BundleError::Rollback { .. } => "rollback",
            BundleError::RecordNotOwned { .. } => "record_not_owned",
            BundleError::InvalidRecord { .. } => "invalid_record",
        }
    }

    /// The Italian message shown to the operator (the same text as `Display`).
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The message for the import log and the quarantine reason, which outlive the refusal and
    /// may be read by anyone handling the install: the operator's message without any value
    /// taken from the records (an invalid record's reason can quote a codice fiscale), only
    /// codes, tables and ids.
    pub fn log_message(&self) -> String {
        let message = match self {
            BundleError::InvalidRecord { record, .. } => invalid_record_log(record),
            BundleError::RecordNotOwned {
                sender,
                owner,
                record,
            } => BundleError::RecordNotOwned {
                sender: if is_istat(sender) { sender } else { "?" }.to_string(),
                owner: if is_istat(owner) { owner } else { "?" }.to_string(),
                record: loggable_record(record),
            }
            .message(),
            other => other.message(),
        };
        cut(message)
    }

    /// [`BundleError::log_message`] for a caller that kept only the code and the operator's
    /// message: the message itself, but for the refusals that may quote record values, whose
    /// message is rebuilt from what [`BundleError::log_message`] keeps.
    pub fn log_message_for(code: &str, message: &str) -> String {
        let message = match code {
            "invalid_record" => {
                let record = message
                    .strip_prefix(INVALID_RECORD_LEAD)
                    .and_then(|rest| rest.split_once(": "))
                    .map_or("?", |(record, _)| record);
                invalid_record_log(record)
            }
            "record_not_owned" => {
                // Keeps the codes the message names, each only if it has the shape of one.
                let between = |from: &str, to: &str| {
                    message
                        .split_once(from)
                        .and_then(|(_, rest)| rest.split_once(to))
                        .map_or("?", |(value, _)| value)
                        .to_string()
                };
                BundleError::RecordNotOwned {
                    sender: between("Il file del comune ", " contiene"),
                    owner: between("appartiene al comune ", ": "),
                    record: between("contiene un dato (", ") che"),
                }
                .log_message()
            }
            _ => message.to_string(),
        };
        cut(message)
    }
}

/// Log texts stop at this many bytes: a header can make a message as long as itself (1 MiB).
const LOG_MESSAGE_MAX: usize = 2000;

fn cut(mut text: String) -> String {
    if text.len() > LOG_MESSAGE_MAX {
        let mut end = LOG_MESSAGE_MAX;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

/// How the message of [`BundleError::InvalidRecord`] starts, up to the record it names.
const INVALID_RECORD_LEAD: &str = "Il file contiene un dato non valido (";

fn invalid_record_log(record: &str) -> String {
    format!(
        "{INVALID_RECORD_LEAD}{}). Il file non è stato importato; chiedere al mittente di \
         aggiornare Sportello ed esportare di nuovo.",
        loggable_record(record)
    )
}

/// `table/id` as the log may keep it: a table name (lowercase letters and `_`) and an id with
/// the shape of a UUID; anything else a sender put there becomes `?`.
fn loggable_record(record: &str) -> String {
    let (table, id) = record.split_once('/').unwrap_or((record, ""));
    let table_ok = (1..=40).contains(&table.len())
        && table.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    let table = if table_ok { table } else { "?" };
    let id_ok = id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    if id_ok {
        format!("{table}/{id}")
    } else {
        table.to_string()
    }
}

fn is_istat(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// A wrong fingerprint: the file is refused, and the operator calls the other office and has
/// its fingerprint read from its own screen.
fn fingerprint_refusal(file: FileKind, typed: &str) -> String {
    let (which, who) = match file {
        FileKind::District => ("nel file del distretto", "al capofila"),
        FileKind::Enrolment | FileKind::Bundle => {
            ("nel file di adesione", "al comune che ha inviato il file")
        }
    };
    let typed = if typed.is_empty() { "vuota" } else { typed };
    format!(
        "L'impronta scritta ({typed}) non corrisponde a quella della chiave {which}: il file non \
         è stato accettato. Telefonare {who}, a un numero già noto, e farsi leggere ad alta voce \
         l'impronta che compare sul suo schermo (Impostazioni, oppure `sportello key \
         fingerprint`); poi scriverla di nuovo."
    )
}

/// Whole megabytes (MiB, as file managers count them), rounded up so a size just over a limit
/// never reads as equal to it.
fn megabytes(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_snake_case() {
        let all = [
            BundleError::FileTooLarge {
                size: 2 << 30,
                limit: 512 << 20,
            },
            BundleError::NotABundle,
            BundleError::UnsupportedVersion {
                found: 2,
                supported: 1,
            },
            BundleError::Truncated {
                needed: 10,
                actual: 3,
            },
            BundleError::Corrupted(Damage::PayloadHash),
            BundleError::WrongFileKind {
                expected: FileKind::Bundle,
                found: FileKind::District,
            },
            BundleError::WrongDistrict {
                expected: "D48".into(),
                found: "D99".into(),
            },
            BundleError::UnknownKey {
                sender: "089009".into(),
                key_id: "k".into(),
            },
            BundleError::RevokedKey {
                sender: "089009".into(),
                key_id: "k".into(),
                seq: 5,
                revoked_from_seq: 4,
            },
            BundleError::BadSignature,
            BundleError::FingerprintMismatch {
                file: FileKind::Enrolment,
                typed: "AAAA".into(),
            },
            BundleError::NotAddressedToUs {
                recipients: "089017".into(),
                us: "089009".into(),
            },
            BundleError::SenderOutdated {
                sender: "089009".into(),
                found: 2,
                oldest: 3,
            },
            BundleError::ReceiverOutdated {
                found: 4,
                supported: 3,
            },
            BundleError::Fork {
                sender: "089009".into(),
                seq: 3,
            },
            BundleError::SenderRestored {
                sender: "089009".into(),
            },
            BundleError::SeqOutOfRange { seq: 0 },
            BundleError::ChangeRangeInvalid { from: 5, to: 3 },
            BundleError::Rollback {
                held: 4,
                received: 3,
            },
            BundleError::RecordNotOwned {
                sender: "089009".into(),
                owner: "089021".into(),
                record: "r".into(),
            },
            BundleError::InvalidRecord {
                record: "r".into(),
                reason: "x".into(),
            },
        ];
        let codes: std::collections::BTreeSet<_> = all.iter().map(BundleError::code).collect();
        assert_eq!(codes.len(), all.len());
        for e in &all {
            assert!(
                e.code()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_')
            );
            let message = e.message();
            assert!(message.ends_with('.'), "{message}");
            assert_eq!(
                BundleError::log_message_for(e.code(), &message),
                e.log_message()
            );
        }
    }

    #[test]
    fn the_log_keeps_no_value_taken_from_a_record() {
        let cf = "RSSMRA80A01H501U";
        let invalid = BundleError::InvalidRecord {
            record: "application_revisions/01960000-0000-7000-8000-000000000002".into(),
            reason: format!("codice fiscale {cf} non valido"),
        };
        assert!(invalid.message().contains(cf));
        let logged = invalid.log_message();
        assert!(!logged.contains(cf), "{logged}");
        assert!(
            logged.contains("dato non valido (application_revisions/01960000-"),
            "{logged}"
        );
        assert_eq!(
            BundleError::log_message_for("invalid_record", &invalid.message()),
            logged
        );

        // A sender can put anything where an id, a table or an owner belongs.
        let forged = [
            BundleError::InvalidRecord {
                record: format!("{cf}/{cf}"),
                reason: "x".into(),
            },
            BundleError::RecordNotOwned {
                sender: "089009".into(),
                owner: cf.into(),
                record: format!("applications/{cf}"),
            },
        ];
        for e in forged {
            for logged in [
                e.log_message(),
                BundleError::log_message_for(e.code(), &e.message()),
            ] {
                assert!(!logged.contains(cf), "{logged}");
            }
        }
        let long = BundleError::WrongDistrict {
            expected: "D48".into(),
            found: "D".repeat(1 << 20),
        };
        assert!(long.log_message().len() < 2100);
        assert_eq!(
            BundleError::log_message_for(long.code(), &long.message()),
            long.log_message()
        );
        // A message of another shape (an older wording) keeps nothing but the code's text.
        let odd = BundleError::log_message_for("invalid_record", &format!("dato {cf}"));
        assert!(!odd.contains(cf), "{odd}");
    }

    #[test]
    fn sizes_are_told_in_megabytes() {
        let m = BundleError::FileTooLarge {
            size: (2 << 30) + 1,
            limit: 512 << 20,
        }
        .message();
        assert!(m.contains("2049 MB") && m.contains("512 MB"), "{m}");
    }

    #[test]
    fn a_truncated_file_tells_the_operator_to_ask_again() {
        let m = BundleError::Truncated {
            needed: 100,
            actual: 40,
        }
        .message();
        assert!(
            m.contains("troncato") && m.contains("inviarlo di nuovo"),
            "{m}"
        );
    }
}
