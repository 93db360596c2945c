//! The certificate (attestato di accreditamento) with its signed statement, its offline
//! verification at any install of the district, and the public register (PDF and CSV).
//!
//! The statement travels as one line of text, `SPORTELLO-ACC1.<statement>.<signature>` (both
//! base64url without padding; the statement is JSON, the signature Ed25519 by the capofila's
//! key over those exact bytes, labelled as a statement by `sportello_sync::statement`). The QR
//! code carries it, and the PDF carries it too after its end, on a comment line starting
//! with [`CERTIFICATE_MARK`], so a certificate is verified from the file without reading
//! images.

use std::path::{Path, PathBuf};

use data_encoding::BASE64URL_NOPAD;
use serde::Serialize;
use sportello_domain::accreditation::{self, Statement, Status};
use sportello_print as print;
use sportello_sync::{KeyId, Role as KeyRole};

use super::{Accreditation, italian_day};
use crate::files::write_atomically;
use crate::{Action, AppError, ErrorCode, Result, TIME_ZONE, now};

/// The prefix of a statement's text.
const PREFIX: &str = "SPORTELLO-ACC1.";
/// The comment line a certificate's PDF carries its statement on, after the end of the file.
pub const CERTIFICATE_MARK: &str = "%SPORTELLO-DICHIARAZIONE ";

/// The public register written (`print register`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct RegisterPrinted {
    pub pdf: String,
    pub csv: String,
    pub providers: usize,
}

/// What `certificate verify` found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Verification {
    /// The statement is the district capofila's, unaltered, and matches the register held
    /// here (number and tax code). Whether the provider is accredited today is `status`.
    pub valid: bool,
    /// The registration's status in the register held here (scaduto by the certificate's or
    /// the register's date); none when the statement cannot be read or the number is not in
    /// the register.
    pub status: Option<Status>,
    pub register_number: Option<String>,
    pub provider: Option<String>,
    pub valid_until: Option<chrono::NaiveDate>,
    pub problems: Vec<String>,
    pub tax_code: Option<String>,
    pub valid_from: Option<chrono::NaiveDate>,
    pub issued_on: Option<chrono::NaiveDate>,
    pub services: Vec<String>,
    pub comuni: Vec<String>,
    /// The date of the register copy the status comes from (aaaa-mm-gg).
    pub register_as_of: Option<chrono::NaiveDate>,
    /// The capofila's key that signed it.
    pub key_id: Option<String>,
}

impl Verification {
    /// Valid and active: the exit status 0 of `certificate verify`.
    pub fn valid_and_active(&self) -> bool {
        self.valid && self.status == Some(Status::Attivo)
    }

    fn refused(problem: String) -> Self {
        Verification {
            valid: false,
            status: None,
            register_number: None,
            provider: None,
            valid_until: None,
            problems: vec![problem],
            tax_code: None,
            valid_from: None,
            issued_on: None,
            services: Vec::new(),
            comuni: Vec::new(),
            register_as_of: None,
            key_id: None,
        }
    }
}

/// The text of a signed statement.
fn encode(statement: &Statement, signature: &[u8; 64]) -> String {
    let json = serde_json::to_vec(statement).expect("plain data serialises");
    format!(
        "{PREFIX}{}.{}",
        BASE64URL_NOPAD.encode(&json),
        BASE64URL_NOPAD.encode(signature)
    )
}

/// The statement's bytes, the statement and its signature, from its text.
pub(crate) fn decode(text: &str) -> Option<(Vec<u8>, Statement, [u8; 64])> {
    let rest = text.trim().strip_prefix(PREFIX)?;
    let (body, signature) = rest.split_once('.')?;
    let bytes = BASE64URL_NOPAD.decode(body.as_bytes()).ok()?;
    let signature: [u8; 64] = BASE64URL_NOPAD
        .decode(signature.as_bytes())
        .ok()?
        .try_into()
        .ok()?;
    let statement = serde_json::from_slice(&bytes).ok()?;
    Some((bytes, statement, signature))
}

/// The statement line a certificate's PDF carries (the last one, if several).
pub(crate) fn statement_in_pdf(bytes: &[u8]) -> Option<String> {
    let mark = CERTIFICATE_MARK.as_bytes();
    let start = bytes.windows(mark.len()).rposition(|w| w == mark)? + mark.len();
    let end = bytes[start..]
        .iter()
        .position(|b| *b == b'\n' || *b == b'\r')
        .map_or(bytes.len(), |e| start + e);
    String::from_utf8(bytes[start..end].to_vec()).ok()
}

/// Whether a capofila key vouches for a statement: the current key, or one that was the
/// capofila's before a newer one took over (rotated or replaced: good for what it signed
/// while it was the capofila's); not a key revoked without a successor.
fn vouches(k: &sportello_sync::TrustEntry) -> bool {
    k.is_current() || k.replaced_by.is_some()
}

impl Accreditation<'_> {
    /// Writes the certificate of registration `number`, signed by the capofila.
    pub fn print_certificate(&mut self, number: &str, out: &Path) -> Result<PathBuf> {
        self.require(Action::AccreditProviders)?;
        self.require_capofila("il rilascio dell'attestato di accreditamento")?;
        let today = now().with_timezone(&TIME_ZONE).date_naive();
        let e = self.entry(number)?;
        let status = accreditation::status_on(e.status, e.valid_until, today);
        if status != Status::Attivo {
            return Err(AppError::new(
                ErrorCode::StatusRefused,
                format!(
                    "l'iscrizione {number} è {}: l'attestato si rilascia solo a un ente con \
                     accreditamento attivo",
                    status.as_str()
                ),
            ));
        }
        let notice = self.store.notice()?.unwrap_or_default();
        let district = self.install.district.clone();
        // The capofila's current key, as its publish bundles: after a rotation the comuni
        // learn it from the district file, and the old key still vouches for what it signed.
        let keys = self.keys()?;
        let statement = Statement {
            district: district.id.clone(),
            capofila: district.capofila.clone(),
            register_number: e.register_number.clone(),
            tax_code: e.tax_code.clone(),
            legal_name: e.legal_name.clone(),
            services: e.services.clone(),
            comuni: e.comuni.clone(),
            valid_from: e.valid_from,
            valid_until: e.valid_until,
            issued_on: today,
            key_id: keys.key_id().to_string(),
        };
        let json = serde_json::to_vec(&statement).expect("plain data serialises");
        let signature = sportello_sync::statement::sign(&keys, &json);
        drop(keys);
        let text = encode(&statement, &signature);
        let capofila = self.comune_name(&district.capofila);
        let seat = self.comune_name(&e.seat_istat);
        let certificate = print::AccreditationCertificate {
            letterhead: self.documents().letterhead(format!("Comune di {capofila}")),
            district: district.name.clone(),
            capofila: format!("Comune di {capofila}"),
            register_number: e.register_number.clone(),
            entered_on: e.entered_on,
            issued_on: today,
            legal_basis: notice.legal_basis.clone(),
            notice_title: notice.title.clone(),
            legal_name: e.legal_name.clone(),
            tax_code: e.tax_code.clone(),
            legal_form: e.legal_form.clone(),
            seat: format!("{seat} ({})", e.seat_istat),
            representative: format!("{}, {}", e.representative_name, e.representative_role),
            services: e.services.iter().map(|s| notice.service_name(s)).collect(),
            comuni: e.comuni.iter().map(|c| self.comune_name(c)).collect(),
            score: e.score,
            pass_mark: notice.pass_mark,
            valid_from: e.valid_from,
            valid_until: e.valid_until,
            conditions: vec![
                "l'ente mantiene per tutta la durata dell'accreditamento i requisiti di accesso \
                 (DURC regolare, copertura assicurativa, iscrizioni agli albi) e ne trasmette \
                 i rinnovi al comune capofila"
                    .into(),
                "il distretto verifica ogni anno DURC, assicurazione e personale; l'esito può \
                 comportare la sospensione o la revoca"
                    .into(),
                "l'accreditamento non obbliga i comuni ad affidare servizi: il cittadino sceglie \
                 tra gli enti accreditati"
                    .into(),
                "lo stato aggiornato dell'iscrizione è quello del registro distrettuale".into(),
            ],
            qr_text: text.clone(),
        };
        let mut bytes = print::accreditation_certificate(&certificate)
            .map_err(|e| AppError::new(ErrorCode::PrintFailed, e.to_string()))?;
        bytes.extend_from_slice(format!("\n{CERTIFICATE_MARK}{text}\n").as_bytes());
        write_atomically(out, &bytes, false)?;
        self.audit_read(
            "print_accreditation",
            "accreditation_register",
            Some(number),
            serde_json::json!({ "issued_on": today }),
        )?;
        Ok(out.to_path_buf())
    }

    /// Verifies the certificate in the PDF at `path`.
    pub fn verify_pdf(&self, path: &Path) -> Result<Verification> {
        self.require(Action::ReadRegister)?;
        let bytes = crate::files::read_file(path)?;
        match statement_in_pdf(&bytes) {
            Some(text) => self.verify_text(&text),
            None => Ok(Verification::refused(
                "il file non contiene la dichiarazione firmata di un attestato di \
                 accreditamento"
                    .into(),
            )),
        }
    }

    /// Verifies a statement's text (as read from the QR code).
    pub fn verify_text(&self, text: &str) -> Result<Verification> {
        self.require(Action::ReadRegister)?;
        let at = now();
        let today = at.with_timezone(&TIME_ZONE).date_naive();
        let Some((bytes, s, signature)) = decode(text) else {
            return Ok(Verification::refused(
                "la dichiarazione non è leggibile: testo alterato o incompleto".into(),
            ));
        };
        let district = &self.install.district;
        let mut problems = Vec::new();
        let mut authentic = true;
        if s.district != district.id || s.capofila != district.capofila {
            authentic = false;
            problems.push(format!(
                "dichiarazione di un altro distretto ({}, capofila {}): questo è il distretto {}",
                s.district, s.capofila, district.id
            ));
        }
        let trust = self.trust_list()?;
        let entry = KeyId::parse(&s.key_id).and_then(|k| trust.get(&k).cloned());
        match entry {
            None => {
                authentic = false;
                problems.push("firmata con una chiave sconosciuta a questa installazione".into());
            }
            Some(k) if k.role != KeyRole::Capofila || k.comune != district.capofila => {
                authentic = false;
                problems.push(format!(
                    "firmata con la chiave del comune {}, non con quella del capofila",
                    k.comune
                ));
            }
            // A key rotated out stays good for what it signed while it was the capofila's;
            // a key revoked vouches for nothing.
            Some(k) if !vouches(&k) => {
                authentic = false;
                problems.push("firmata con una chiave del capofila revocata".into());
            }
            Some(k) => {
                if !sportello_sync::statement::verifies(&k.public_keys(), &bytes, &signature) {
                    authentic = false;
                    problems.push(
                        "firma non valida: la dichiarazione è stata alterata o non è del \
                         capofila"
                            .into(),
                    );
                }
            }
        }
        let mut status = None;
        let mut valid = authentic;
        if authentic {
            problems.extend(s.date_problems(today));
            match self.store.register_entry(&s.register_number)? {
                None => {
                    valid = false;
                    problems.push(format!(
                        "il numero {} non è nel registro di questa installazione",
                        s.register_number
                    ));
                }
                Some(e) if e.tax_code != s.tax_code => {
                    valid = false;
                    problems.push(format!(
                        "nel registro il numero {} è di un altro ente",
                        s.register_number
                    ));
                }
                Some(e) => {
                    // A later correction may have changed what the registration covers: the
                    // register held here says what holds now.
                    if e.services != s.services || e.comuni != s.comuni {
                        problems.push(
                            "servizi o comuni diversi da quelli del registro, che prevale".into(),
                        );
                    }
                    if e.valid_until != s.valid_until {
                        problems.push(format!(
                            "nel registro la validità termina il {}",
                            e.valid_until.format("%d/%m/%Y")
                        ));
                    }
                    let held = accreditation::status_on(e.status, e.valid_until, today);
                    let own = accreditation::status_on(Status::Attivo, s.valid_until, today);
                    let effective = if held == Status::Attivo { own } else { held };
                    if matches!(held, Status::Sospeso | Status::Revocato)
                        && let Some(change) = e.history.iter().rev().find(|c| c.status == held)
                    {
                        problems.push(format!(
                            "accreditamento {} dal {}: {}",
                            held.as_str(),
                            change.on.format("%d/%m/%Y"),
                            change.reason
                        ));
                    } else if held == Status::Scaduto && own != Status::Scaduto {
                        problems.push(format!(
                            "nel registro l'iscrizione è scaduta il {}",
                            e.valid_until.format("%d/%m/%Y")
                        ));
                    }
                    status = Some(effective);
                }
            }
        }
        let register_as_of = self.register_as_of(at)?.as_deref().and_then(italian_day);
        if authentic && register_as_of.is_none() {
            problems.push("questa installazione non ha ancora ricevuto il registro".into());
        }
        Ok(Verification {
            valid,
            status,
            register_number: Some(s.register_number),
            provider: Some(s.legal_name),
            valid_until: Some(s.valid_until),
            problems,
            tax_code: Some(s.tax_code),
            valid_from: Some(s.valid_from),
            issued_on: Some(s.issued_on),
            services: s.services,
            comuni: s.comuni,
            register_as_of,
            key_id: Some(s.key_id),
        })
    }

    /// Writes the public register: the PDF at `out` and a CSV next to it (same name,
    /// `.csv`), for the district's website. Legal persons only: of people, the legal
    /// representative's name and role.
    pub fn print_register(&mut self, out: &Path) -> Result<RegisterPrinted> {
        let at = now();
        let register = self.register_at(None, None, at)?;
        let as_of = register
            .as_of
            .as_deref()
            .and_then(italian_day)
            .unwrap_or_else(|| at.with_timezone(&TIME_ZONE).date_naive());
        let lines: Vec<print::RegisterLine> = register
            .providers
            .iter()
            .map(|line| {
                let p = &line.entry;
                print::RegisterLine {
                    register_number: p.register_number.clone(),
                    legal_name: p.legal_name.clone(),
                    tax_code: p.tax_code.clone(),
                    legal_form: p.legal_form.clone(),
                    seat: line.seat_name.clone(),
                    representative: format!(
                        "{} ({})",
                        p.representative_name, p.representative_role
                    ),
                    services: line.service_names.join("; "),
                    comuni: p
                        .comuni
                        .iter()
                        .map(|c| self.comune_name(c))
                        .collect::<Vec<_>>()
                        .join(", "),
                    valid_from: p.valid_from,
                    valid_until: p.valid_until,
                    status: p.status.as_str().into(),
                }
            })
            .collect();
        let district = self.install.district.clone();
        let capofila = self.comune_name(&district.capofila);
        let document = print::PublicRegister {
            letterhead: self.documents().letterhead(format!("Comune di {capofila}")),
            district: district.name.clone(),
            as_of,
            lines: lines.clone(),
        };
        let bytes = print::public_register(&document)
            .map_err(|e| AppError::new(ErrorCode::PrintFailed, e.to_string()))?;
        let csv_path = out.with_extension("csv");
        let mut csv = csv::Writer::from_writer(Vec::new());
        let header = [
            "numero",
            "ente",
            "codice_fiscale",
            "forma_giuridica",
            "sede",
            "legale_rappresentante",
            "servizi",
            "comuni",
            "valido_dal",
            "valido_al",
            "stato",
        ];
        let csv_error = |e: csv::Error| AppError::new(ErrorCode::Io, e.to_string());
        csv.write_record(header).map_err(csv_error)?;
        for l in &lines {
            csv.write_record([
                l.register_number.as_str(),
                &l.legal_name,
                &l.tax_code,
                &l.legal_form,
                &l.seat,
                &l.representative,
                &l.services,
                &l.comuni,
                &l.valid_from.to_string(),
                &l.valid_until.to_string(),
                &l.status,
            ])
            .map_err(csv_error)?;
        }
        let csv_bytes = csv
            .into_inner()
            .map_err(|e| AppError::new(ErrorCode::Io, e.to_string()))?;
        write_atomically(out, &bytes, false)?;
        write_atomically(&csv_path, &csv_bytes, false)?;
        self.audit_read(
            "print_register",
            "accreditation_register",
            None,
            serde_json::json!({ "providers": lines.len() }),
        )?;
        Ok(RegisterPrinted {
            pdf: out.display().to_string(),
            csv: csv_path.display().to_string(),
            providers: lines.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_reads_back_and_its_line_is_found_in_a_pdf() {
        let s = Statement {
            district: "D48".into(),
            capofila: "089017".into(),
            register_number: "ACC-2026-001".into(),
            tax_code: "12345678903".into(),
            legal_name: "Coop".into(),
            services: vec!["sad_anziani".into()],
            comuni: vec!["089017".into()],
            valid_from: "2026-12-01".parse().unwrap(),
            valid_until: "2029-11-30".parse().unwrap(),
            issued_on: "2026-12-01".parse().unwrap(),
            key_id: "0123456789abcdef".into(),
        };
        let text = encode(&s, &[7; 64]);
        let (_, back, sig) = decode(&text).unwrap();
        assert_eq!((back, sig), (s, [7; 64]));
        let pdf = format!("%PDF-1.7\n...\n%%EOF\n{CERTIFICATE_MARK}{text}\n");
        assert_eq!(
            statement_in_pdf(pdf.as_bytes()).as_deref(),
            Some(text.as_str())
        );
    }
}
