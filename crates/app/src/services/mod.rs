//! The map of services (*mappa dei servizi*): the capofila keeps the district catalogue and
//! publishes it to the comuni; each comune adds its local entries, which travel up. Searched
//! at the front office while the operator types; entries without a provider or not reviewed
//! for the district's months are flagged to the capofila; a scheda informativa for the citizen.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sportello_domain::services::{
    self, FieldProblem, HEADERS, Service, ServiceInput, StaleReason, services_from_toml,
};
use sportello_store::{EntriesSaved, ServiceQuery, ServiceScope, StoredService};

use crate::{AppError, ErrorCode, Problem, Result, now};

crate::area!(
    /// The map of services: import, list, search, review, print.
    Services,
    services
);

/// The most entries a search returns when no limit is given.
pub const SEARCH_LIMIT: usize = 50;

/// What an import changed (`services import --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ServicesImported {
    /// `district` at the capofila, `local` at a comune.
    pub scope: ServiceScope,
    /// The codes created, updated, retired (held and absent from the file: kept, inactive)
    /// and unchanged.
    #[serde(flatten)]
    pub saved: EntriesSaved,
}

/// An entry flagged to the capofila (`services stale --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct StaleService {
    #[serde(flatten)]
    pub entry: StoredService,
    pub reasons: Vec<StaleReason>,
}

/// A services file: CSV with Italian headers or TOML `[[service]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServicesFile {
    Csv,
    Toml,
}

impl ServicesFile {
    /// By the file's extension (`.toml`, otherwise CSV).
    pub fn of(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("toml") => ServicesFile::Toml,
            _ => ServicesFile::Csv,
        }
    }
}

impl crate::Sportello {
    /// The entries in use held here that are flagged on `today`, with why.
    pub(crate) fn stale_services(&self, today: chrono::NaiveDate) -> Result<Vec<StaleService>> {
        let months = self.install.district.services_review_months();
        Ok(self
            .store
            .services()?
            .into_iter()
            .filter(|s| s.active)
            .filter_map(|entry| {
                let reasons = services::stale_reasons(
                    entry.service.provider.as_deref(),
                    entry.reviewed_on,
                    today,
                    months,
                );
                (!reasons.is_empty()).then_some(StaleService { entry, reasons })
            })
            .collect())
    }
}

fn problem(record: &str, p: FieldProblem) -> Problem {
    Problem {
        record: record.to_string(),
        field: p.field.to_string(),
        code: "service_invalid".into(),
        message: p.message,
    }
}

fn refused(problems: Vec<Problem>) -> AppError {
    let first = problems
        .first()
        .map(|p| format!(": {p}"))
        .unwrap_or_default();
    AppError::refused(
        format!("file dei servizi rifiutato, nessun servizio è stato cambiato{first}"),
        problems,
    )
}

/// The entries of a CSV services file, each with its row (`riga 2` is the first after the
/// header); unknown, repeated or missing required columns refuse the file.
pub(crate) fn csv_entries(text: &str) -> Result<Vec<(String, ServiceInput)>> {
    let mut reader = crate::intake::spreadsheet(text);
    let headers = crate::intake::header_names(&mut reader)?;
    let mut problems = Vec::new();
    let mut header_problem = |field: &str, message: String| {
        problems.push(Problem {
            record: "riga 1".into(),
            field: field.to_string(),
            code: "csv_column".into(),
            message,
        });
    };
    for (i, h) in headers.iter().enumerate() {
        if !HEADERS.contains(&h.as_str()) {
            let hint = crate::intake::nearest(h, HEADERS)
                .map_or_else(String::new, |n| format!(" (forse «{n}»?)"));
            header_problem(
                h,
                format!(
                    "colonna sconosciuta{hint}: le colonne ammesse sono {}",
                    HEADERS.join(", ")
                ),
            );
        } else if headers[..i].contains(h) {
            header_problem(h, "colonna ripetuta: tenerne una sola".into());
        }
    }
    for required in ["id", "nome", "area"] {
        if !headers.iter().any(|h| h == required) {
            header_problem(required, "colonna obbligatoria mancante".into());
        }
    }
    if !problems.is_empty() {
        return Err(refused(problems));
    }
    let mut entries = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(refused(vec![Problem {
                    record: format!("riga {line}"),
                    field: String::new(),
                    code: "csv_invalid".into(),
                    message: format!(
                        "riga non leggibile (numero di colonne diverso dall'intestazione?): {e}"
                    ),
                }]));
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line());
        let mut input = ServiceInput::default();
        for (h, value) in headers.iter().zip(record.iter()) {
            input.set(h, value.to_string());
        }
        entries.push((format!("riga {line}"), input));
    }
    Ok(entries)
}

impl Services<'_> {
    /// Imports a services file: at the capofila the district catalogue, at a comune its local
    /// entries. All or nothing: any bad entry refuses the file, naming row, field and problem.
    /// An entry held and absent from the file is kept, inactive; a changed one takes a new
    /// version and counts as reviewed today.
    pub fn import(&mut self, text: &str, kind: ServicesFile) -> Result<ServicesImported> {
        self.require(crate::Action::ManageServices)?;
        let at = now();
        let entries = match kind {
            ServicesFile::Csv => csv_entries(text)?,
            ServicesFile::Toml => services_from_toml(text)
                .map_err(|e| {
                    AppError::new(
                        ErrorCode::InputRefused,
                        format!("file dei servizi non leggibile: {e}"),
                    )
                })?
                .into_iter()
                .enumerate()
                .map(|(i, s)| (format!("servizio {}", i + 1), s))
                .collect(),
        };
        if entries.is_empty() {
            return Err(AppError::new(
                ErrorCode::InputEmpty,
                "il file non contiene nessun servizio: ne serve almeno uno (le voci assenti \
                 verrebbero tutte ritirate)",
            ));
        }
        let scope = if self.install.is_capofila() {
            ServiceScope::District
        } else {
            ServiceScope::Local
        };
        let district: Vec<&str> = self
            .install
            .district
            .comuni
            .iter()
            .map(|c| c.istat.as_str())
            .collect();
        // The district's codes, which a comune's entries may not take.
        let taken: Vec<String> = match scope {
            ServiceScope::District => Vec::new(),
            ServiceScope::Local => self
                .store
                .services()?
                .into_iter()
                .filter(|s| s.scope == ServiceScope::District)
                .map(|s| s.service.id)
                .collect(),
        };
        let mut problems = Vec::new();
        let mut checked: Vec<Service> = Vec::new();
        let mut rows: HashMap<String, String> = HashMap::new();
        for (record, input) in &entries {
            match input.check(&district) {
                Err(found) => problems.extend(found.into_iter().map(|p| problem(record, p))),
                Ok(service) => {
                    let mut id_problem = |message: String| {
                        problems.push(problem(
                            record,
                            FieldProblem {
                                field: "id",
                                message,
                            },
                        ));
                    };
                    if let Some(first) = rows.get(&service.id) {
                        id_problem(format!(
                            "il codice «{}» compare anche più sopra ({first}): ogni servizio \
                             una volta sola",
                            service.id
                        ));
                    } else if taken.contains(&service.id) {
                        id_problem(format!(
                            "il codice «{}» è di un servizio del catalogo del distretto, che \
                             solo il capofila aggiorna: dare al servizio del comune un altro \
                             codice",
                            service.id
                        ));
                    }
                    rows.entry(service.id.clone())
                        .or_insert_with(|| record.clone());
                    checked.push(service);
                }
            }
        }
        if !problems.is_empty() {
            return Err(refused(problems));
        }
        let saved = self
            .0
            .store
            .save_services(scope, &checked, at, &self.0.actor)?;
        Ok(ServicesImported { scope, saved })
    }

    /// Every entry held here (the district's and the local ones; at the capofila every
    /// comune's), in use first, then by name.
    pub fn list(&self) -> Result<Vec<StoredService>> {
        self.require(crate::Action::ReadServices)?;
        Ok(self.store.services()?)
    }

    /// The entries in use matching what is typed (words folded, the last a prefix while
    /// typing), best first, in SIUSS `area` and covering `comune` when given.
    pub fn search(
        &self,
        text: &str,
        area: Option<u8>,
        comune: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<StoredService>> {
        self.require(crate::Action::ReadServices)?;
        if let Some(a) = area.filter(|a| !services::AREAS.contains(a)) {
            return Err(AppError::new(
                ErrorCode::InputRefused,
                format!(
                    "area {a} non valida: 1 famiglia e minori, 2 disabilità e non \
                     autosufficienza, 3 povertà ed esclusione sociale"
                ),
            ));
        }
        if let Some(c) = comune.filter(|c| self.install.district.comune(c).is_none()) {
            return Err(AppError::new(
                ErrorCode::UnknownComune,
                format!("il comune {c} non fa parte del distretto"),
            ));
        }
        Ok(self.store.search_services(&ServiceQuery {
            text: text.to_string(),
            area,
            comune: comune.map(str::to_string),
            limit: limit.unwrap_or(SEARCH_LIMIT),
        })?)
    }

    /// The entry `code` (the district's first, then this comune's).
    pub fn show(&self, code: &str) -> Result<StoredService> {
        self.require(crate::Action::ReadServices)?;
        self.entry(code)
    }

    /// Whether `code` names an entry in use here (the district's or this comune's): what a
    /// contact may refer to or a referral send to.
    pub fn is_active(&self, code: &str) -> Result<bool> {
        Ok(self
            .store
            .service_active(&code.trim().to_lowercase(), &self.install.comune)?)
    }

    fn entry(&self, code: &str) -> Result<StoredService> {
        let code = code.trim().to_lowercase();
        self.store
            .service(&code, &self.install.comune)?
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::UnknownRecord,
                    format!("nessun servizio con codice «{code}» nella mappa dei servizi"),
                )
            })
    }

    /// Marks this install's entry `code` reviewed today (the capofila the district's, a
    /// comune its own).
    pub fn review(&mut self, code: &str) -> Result<StoredService> {
        self.require(crate::Action::ManageServices)?;
        let at = now();
        let entry = self.entry(code)?;
        if entry.owner != self.install.comune {
            return Err(AppError::new(
                ErrorCode::NotOwner,
                format!(
                    "il servizio «{}» è del {}: lo rivede chi lo tiene aggiornato",
                    entry.service.id,
                    match entry.scope {
                        ServiceScope::District => "catalogo del distretto".to_string(),
                        ServiceScope::Local => format!("comune {}", entry.owner),
                    }
                ),
            ));
        }
        self.0
            .store
            .review_service(entry.scope, &entry.service.id, at, &self.0.actor)?;
        self.entry(code)
    }

    /// Capofila: the entries in use without a provider or not reviewed for the district's
    /// months (12 unless the district file sets `services_review_months`), the district's and
    /// every comune's.
    pub fn stale(&self) -> Result<Vec<StaleService>> {
        self.require(crate::Action::ManageServices)?;
        self.require_capofila("seguire i servizi da rivedere")?;
        self.0.stale_services(now().date_naive())
    }

    /// Writes the scheda informativa of entry `code` to `out`.
    pub fn print(&mut self, code: &str, out: &Path) -> Result<PathBuf> {
        self.require(crate::Action::ReadServices)?;
        let at = now();
        let entry = self.entry(code)?;
        let s = &entry.service;
        let comune = self.comune_name(&self.install.comune);
        let comuni = if s.comuni.is_empty() {
            match entry.scope {
                ServiceScope::District => "tutti i comuni del distretto".to_string(),
                ServiceScope::Local => self.comune_name(&entry.owner),
            }
        } else {
            s.comuni
                .iter()
                .map(|c| self.comune_name(c))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let sheet = sportello_print::ServiceSheet {
            letterhead: self.0.documents().letterhead(format!("Comune di {comune}")),
            comune,
            code: s.id.clone(),
            name: s.name.clone(),
            provider: s.provider.clone(),
            area: format!("{} – {}", s.area, services::area_name(s.area)),
            comuni,
            recipients: s.recipients.clone(),
            access: s.access.clone(),
            documents: s.documents.clone(),
            cost: s.cost.clone(),
            place: s.place.clone(),
            hours: s.hours.clone(),
            contacts: s.contacts.clone(),
            reviewed_on: entry.reviewed_on,
            issued_on: at.date_naive(),
        };
        let bytes = sportello_print::service_sheet(&sheet)
            .map_err(|e| AppError::new(ErrorCode::PrintFailed, e.to_string()))?;
        crate::files::write_atomically(out, &bytes, false)?;
        Ok(out.to_path_buf())
    }
}
