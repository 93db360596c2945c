//! Accreditation of providers (accreditamento degli enti): the district's notice (avviso) as
//! data, the checks on a provider's application (istanza), the commission's assessment against
//! the gates and the quality criteria, the register's statuses and expiries, and the statement
//! a certificate carries. Pure rules: the day is always an argument.

use std::collections::BTreeMap;

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::codice_fiscale::CodiceFiscale;
use crate::partita_iva;

/// Days before a document's expiry when the capofila's Home lists it.
pub const DOCUMENT_NOTICE_DAYS: u32 = 30;
/// Days before a registration's expiry when the capofila's Home lists it.
pub const REGISTRATION_NOTICE_DAYS: u32 = 90;

/// The documents an application carries, one per gate that needs one.
pub const DOCUMENT_KINDS: &[(&str, &str)] = &[
    ("durc", "DURC (regolarità contributiva)"),
    ("insurance", "Polizza assicurativa"),
    ("cciaa", "Iscrizione alla Camera di commercio"),
    (
        "albo_regionale",
        "Iscrizione all'albo regionale (L.R. 22/1986, art. 26)",
    ),
    ("albo_cooperative", "Iscrizione all'albo delle cooperative"),
];

/// A service, a gate: an id and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub name: String,
}

/// A quality criterion and its maximum points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    pub name: String,
    pub max: u32,
}

/// The accreditation notice (avviso): what the district opens to accreditation and how it
/// assesses. A TOML file the capofila edits, like a bando.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub id: String,
    pub title: String,
    /// The act that approved the notice and the laws it rests on, printed on the certificate.
    #[serde(default = "default_legal_basis")]
    pub legal_basis: String,
    #[serde(
        default,
        with = "crate::bando::toml_date::optional",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "bindings", ts(as = "Option<NaiveDate>"))]
    pub opens: Option<NaiveDate>,
    #[serde(
        default,
        with = "crate::bando::toml_date::optional",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "bindings", ts(as = "Option<NaiveDate>"))]
    pub closes: Option<NaiveDate>,
    pub pass_mark: u32,
    pub validity_years: u32,
    pub services: Vec<Item>,
    pub gates: Vec<Item>,
    pub criteria: Vec<Criterion>,
}

fn default_legal_basis() -> String {
    "Legge 8 novembre 2000, n. 328, art. 11; L.R. Sicilia 9 maggio 1986, n. 22, art. 26; \
     Piano di zona del distretto, azione 5"
        .into()
}

fn item(id: &str, name: &str) -> Item {
    Item {
        id: id.into(),
        name: name.into(),
    }
}

impl Default for Notice {
    /// The district's default (domain.md §3.6).
    fn default() -> Self {
        let criterion = |id: &str, name: &str, max| Criterion {
            id: id.into(),
            name: name.into(),
            max,
        };
        Notice {
            id: "predefinito".into(),
            title: "Avviso di accreditamento degli enti (regole predefinite)".into(),
            legal_basis: default_legal_basis(),
            opens: None,
            closes: None,
            pass_mark: 60,
            validity_years: 3,
            services: vec![
                item("sad_anziani", "Assistenza domiciliare anziani"),
                item("sad_disabili", "Assistenza domiciliare disabili"),
                item("centro_diurno", "Centro diurno"),
                item("comunita_alloggio", "Comunità alloggio"),
            ],
            gates: vec![
                item(
                    "forma_giuridica",
                    "Forma giuridica (cooperativa sociale o altro ente del terzo settore)",
                ),
                item(
                    "iscrizione_cciaa",
                    "Iscrizione alla Camera di commercio e all'albo delle cooperative",
                ),
                item(
                    "albo_regionale",
                    "Iscrizione all'albo regionale (L.R. 22/1986, art. 26)",
                ),
                item("assenza_esclusioni", "Assenza di cause di esclusione"),
                item("durc", "Regolarità contributiva (DURC)"),
                item("sede_distretto", "Sede legale od operativa nel distretto"),
                item("assicurazione", "Copertura assicurativa"),
            ],
            criteria: vec![
                criterion("esperienza", "Esperienza nei servizi", 20),
                criterion("organizzazione", "Organizzazione e coordinamento", 15),
                criterion("personale", "Qualificazione e stabilità del personale", 20),
                criterion("formazione", "Piano di formazione", 10),
                criterion(
                    "qualita",
                    "Strumenti di qualità (carta dei servizi, soddisfazione, ISO 9001)",
                    15,
                ),
                criterion("rete", "Rete territoriale", 10),
                criterion("servizi_aggiuntivi", "Servizi aggiuntivi", 10),
            ],
        }
    }
}

fn is_code(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

impl Notice {
    /// Reads a notice and checks it, in Italian naming what is wrong.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let notice: Notice = toml::from_str(text).map_err(|e| {
            format!(
                "avviso non leggibile: {}",
                crate::toml_text::reading_error(&e, text)
            )
        })?;
        notice.check()?;
        Ok(notice)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a notice serialises")
    }

    /// What is wrong with the notice: codes, names, the maximum points and the pass mark.
    pub fn check(&self) -> Result<(), String> {
        if !is_code(&self.id) {
            return Err(format!(
                "avviso {:?}: il codice va scritto con lettere minuscole, cifre, - o _",
                self.id
            ));
        }
        if self.title.trim().is_empty() {
            return Err(format!("avviso {}: manca il titolo", self.id));
        }
        for (what, list) in [("servizio", &self.services), ("requisito", &self.gates)] {
            if list.is_empty() {
                return Err(format!("avviso {}: nessun {what} indicato", self.id));
            }
            for (i, it) in list.iter().enumerate() {
                if !is_code(&it.id) || it.name.trim().is_empty() {
                    return Err(format!(
                        "avviso {}: {what} {:?} senza codice valido o senza nome",
                        self.id, it.id
                    ));
                }
                if list[..i].iter().any(|o| o.id == it.id) {
                    return Err(format!("avviso {}: {what} {} ripetuto", self.id, it.id));
                }
            }
        }
        if self.criteria.is_empty() {
            return Err(format!("avviso {}: nessun criterio indicato", self.id));
        }
        for (i, c) in self.criteria.iter().enumerate() {
            if !is_code(&c.id) || c.name.trim().is_empty() || c.max == 0 {
                return Err(format!(
                    "avviso {}: criterio {:?} senza codice valido, senza nome o senza punteggio \
                     massimo",
                    self.id, c.id
                ));
            }
            if self.criteria[..i].iter().any(|o| o.id == c.id) {
                return Err(format!("avviso {}: criterio {} ripetuto", self.id, c.id));
            }
        }
        let most: u32 = self.criteria.iter().map(|c| c.max).sum();
        if self.pass_mark == 0 || self.pass_mark > most {
            return Err(format!(
                "avviso {}: la soglia ({}) va da 1 al punteggio massimo ({most})",
                self.id, self.pass_mark
            ));
        }
        if !(1..=10).contains(&self.validity_years) {
            return Err(format!(
                "avviso {}: la durata ({} anni) va da 1 a 10 anni",
                self.id, self.validity_years
            ));
        }
        if let (Some(opens), Some(closes)) = (self.opens, self.closes)
            && opens > closes
        {
            return Err(format!(
                "avviso {}: l'apertura ({}) è successiva alla chiusura ({})",
                self.id,
                opens.format("%d/%m/%Y"),
                closes.format("%d/%m/%Y")
            ));
        }
        Ok(())
    }

    /// Whether applications are accepted on `day` (no dates: always).
    pub fn accepts_on(&self, day: NaiveDate) -> Result<(), String> {
        let d = |x: NaiveDate| x.format("%d/%m/%Y").to_string();
        match (self.opens, self.closes) {
            (Some(opens), _) if day < opens => Err(format!(
                "l'avviso {} accoglie istanze dal {}",
                self.id,
                d(opens)
            )),
            (_, Some(closes)) if day > closes => {
                Err(format!("l'avviso {} si è chiuso il {}", self.id, d(closes)))
            }
            _ => Ok(()),
        }
    }

    pub fn service(&self, id: &str) -> Option<&Item> {
        self.services.iter().find(|s| s.id == id)
    }

    /// The name of service `id`, or the id itself when the notice does not name it.
    pub fn service_name(&self, id: &str) -> String {
        self.service(id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    }

    /// The last day of a registration that starts on `from`: the day before its anniversary
    /// after `validity_years`.
    pub fn valid_until(&self, from: NaiveDate) -> NaiveDate {
        from.checked_add_months(Months::new(12 * self.validity_years))
            .and_then(|d| d.checked_sub_days(Days::new(1)))
            .unwrap_or(NaiveDate::MAX)
    }
}

/// The legal representative: name and role, the only personal data the register holds.
/// Read from a name alone or from `{"name", "role"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Representative {
    pub name: String,
    pub role: String,
}

fn default_role() -> String {
    "Legale rappresentante".into()
}

/// The representative as written.
#[derive(Deserialize)]
#[serde(untagged)]
enum RepresentativeInput {
    Name(String),
    Full(RepresentativeFields),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RepresentativeFields {
    name: String,
    #[serde(default = "default_role")]
    role: String,
}

impl<'de> Deserialize<'de> for Representative {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match RepresentativeInput::deserialize(d)? {
            RepresentativeInput::Name(name) => Representative {
                name,
                role: default_role(),
            },
            RepresentativeInput::Full(f) => Representative {
                name: f.name,
                role: f.role,
            },
        })
    }
}

/// An operating office (sede operativa) and its comune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Office {
    pub istat: String,
    #[serde(default)]
    pub address: Option<String>,
}

/// A gate's document: its number, date and expiry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub number: String,
    pub date: NaiveDate,
    #[serde(default)]
    pub expires: Option<NaiveDate>,
}

/// How to reach the provider.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    #[serde(default)]
    pub pec: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// A provider's application (`provider apply` input).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ProviderApplication {
    pub legal_name: String,
    /// Partita IVA (11 digits) or codice fiscale (16 characters): the provider's identity.
    pub tax_code: String,
    pub legal_form: String,
    pub seat_istat: String,
    #[serde(default)]
    pub seat_address: Option<String>,
    #[serde(default)]
    pub offices: Vec<Office>,
    pub legal_representative: Representative,
    pub services: Vec<String>,
    pub comuni: Vec<String>,
    #[serde(default)]
    pub documents: BTreeMap<String, Document>,
    #[serde(default)]
    pub contacts: Contacts,
}

/// One thing wrong with an input, naming its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Issue {
    pub field: String,
    pub code: String,
    pub message: String,
}

fn issue(field: impl Into<String>, code: &str, message: impl Into<String>) -> Issue {
    Issue {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

/// Checks a tax code: an 11-digit partita IVA with its check digit, or a codice fiscale.
pub fn check_tax_code(code: &str) -> Result<String, Issue> {
    let code = code.trim().to_uppercase();
    if code.bytes().all(|b| b.is_ascii_digit()) {
        partita_iva::validate(&code).map_err(|e| issue("tax_code", e.code(), e.to_string()))?;
        return Ok(code);
    }
    CodiceFiscale::parse(&code)
        .map(|cf| cf.as_str().to_string())
        .map_err(|e| issue("tax_code", e.code(), e.to_string()))
}

fn is_istat(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}

impl ProviderApplication {
    /// Every problem of the application against the notice and the district's comuni; the
    /// tax code normalised (upper case, trimmed) when none.
    pub fn check(&mut self, notice: &Notice, district_comuni: &[&str]) -> Vec<Issue> {
        let mut issues = Vec::new();
        for (field, value) in [
            ("legal_name", &self.legal_name),
            ("legal_form", &self.legal_form),
            ("legal_representative.name", &self.legal_representative.name),
            ("legal_representative.role", &self.legal_representative.role),
        ] {
            if value.trim().is_empty() {
                issues.push(issue(field, "missing", "valore mancante"));
            } else if value.chars().count() > 300 || value.chars().any(char::is_control) {
                issues.push(issue(
                    field,
                    "text",
                    "testo troppo lungo o con caratteri nascosti",
                ));
            }
        }
        match check_tax_code(&self.tax_code) {
            Ok(code) => self.tax_code = code,
            Err(e) => issues.push(e),
        }
        if !is_istat(&self.seat_istat) {
            issues.push(issue(
                "seat_istat",
                "istat",
                "atteso un codice ISTAT di sei cifre",
            ));
        }
        for (i, office) in self.offices.iter().enumerate() {
            if !is_istat(&office.istat) {
                issues.push(issue(
                    format!("offices[{i}].istat"),
                    "istat",
                    "atteso un codice ISTAT di sei cifre",
                ));
            }
        }
        if self.services.is_empty() {
            issues.push(issue("services", "missing", "nessun servizio indicato"));
        }
        for (i, s) in self.services.iter().enumerate() {
            if notice.service(s).is_none() {
                let known: Vec<&str> = notice.services.iter().map(|s| s.id.as_str()).collect();
                issues.push(issue(
                    format!("services[{i}]"),
                    "unknown_service",
                    format!(
                        "servizio {s} non previsto dall'avviso {} (previsti: {})",
                        notice.id,
                        known.join(", ")
                    ),
                ));
            } else if self.services[..i].contains(s) {
                issues.push(issue(format!("services[{i}]"), "repeated", "ripetuto"));
            }
        }
        if self.comuni.is_empty() {
            issues.push(issue("comuni", "missing", "nessun comune indicato"));
        }
        for (i, c) in self.comuni.iter().enumerate() {
            if !district_comuni.contains(&c.as_str()) {
                issues.push(issue(
                    format!("comuni[{i}]"),
                    "unknown_comune",
                    format!("il comune {c} non fa parte del distretto"),
                ));
            } else if self.comuni[..i].contains(c) {
                issues.push(issue(format!("comuni[{i}]"), "repeated", "ripetuto"));
            }
        }
        for (kind, doc) in &self.documents {
            issues.extend(check_document(kind, doc));
        }
        issues
    }
}

/// What is wrong with a gate's document of kind `kind` (one of [`DOCUMENT_KINDS`]).
pub fn check_document(kind: &str, doc: &Document) -> Vec<Issue> {
    let field = format!("documents.{kind}");
    if !DOCUMENT_KINDS.iter().any(|(k, _)| *k == kind) {
        let known: Vec<&str> = DOCUMENT_KINDS.iter().map(|(k, _)| *k).collect();
        return vec![issue(
            field,
            "unknown_document",
            format!("documento sconosciuto (previsti: {})", known.join(", ")),
        )];
    }
    let mut issues = Vec::new();
    if doc.number.trim().is_empty() {
        issues.push(issue(
            format!("{field}.number"),
            "missing",
            "manca il numero",
        ));
    }
    if doc.expires.is_some_and(|e| e < doc.date) {
        issues.push(issue(
            format!("{field}.expires"),
            "dates",
            "la scadenza precede la data del documento",
        ));
    }
    issues
}

/// A gate judged by the commission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct GateJudgement {
    pub met: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// A criterion scored by the commission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Score {
    pub points: i64,
    #[serde(default)]
    pub note: Option<String>,
}

/// The commission's judgements (`provider assess` input).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AssessmentInput {
    pub gates: BTreeMap<String, GateJudgement>,
    pub scores: BTreeMap<String, Score>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "bindings",
    derive(ts_rs::TS),
    ts(rename = "AccreditationOutcome")
)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Accreditato,
    NonAccreditato,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Accreditato => "accreditato",
            Outcome::NonAccreditato => "non_accreditato",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "accreditato" => Some(Outcome::Accreditato),
            "non_accreditato" => Some(Outcome::NonAccreditato),
            _ => None,
        }
    }
}

/// The outcome of an assessment: the total, and every reason when not accredited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Judged {
    pub total: u32,
    pub pass_mark: u32,
    pub outcome: Outcome,
    pub reasons: Vec<String>,
}

/// Judges an application: every gate and every criterion of the notice must be present, each
/// score within its maximum. Accredited when every gate is met and the total reaches the pass
/// mark; otherwise every reason is listed.
pub fn assess(notice: &Notice, input: &AssessmentInput) -> Result<Judged, Vec<Issue>> {
    let mut issues = Vec::new();
    for gate in &notice.gates {
        if !input.gates.contains_key(&gate.id) {
            issues.push(issue(
                format!("gates.{}", gate.id),
                "missing",
                format!("manca il giudizio sul requisito «{}»", gate.name),
            ));
        }
    }
    for id in input.gates.keys() {
        if !notice.gates.iter().any(|g| &g.id == id) {
            issues.push(issue(
                format!("gates.{id}"),
                "unknown_gate",
                format!("requisito non previsto dall'avviso {}", notice.id),
            ));
        }
    }
    for c in &notice.criteria {
        match input.scores.get(&c.id) {
            None => issues.push(issue(
                format!("scores.{}", c.id),
                "missing",
                format!("manca il punteggio del criterio «{}»", c.name),
            )),
            Some(s) if s.points < 0 || s.points > i64::from(c.max) => issues.push(issue(
                format!("scores.{}.points", c.id),
                "points_out_of_range",
                format!(
                    "{} punti: il criterio «{}» ne assegna da 0 a {}",
                    s.points, c.name, c.max
                ),
            )),
            Some(_) => {}
        }
    }
    for id in input.scores.keys() {
        if !notice.criteria.iter().any(|c| &c.id == id) {
            issues.push(issue(
                format!("scores.{id}"),
                "unknown_criterion",
                format!("criterio non previsto dall'avviso {}", notice.id),
            ));
        }
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let total: u32 = notice
        .criteria
        .iter()
        .map(|c| u32::try_from(input.scores[&c.id].points).unwrap_or(0))
        .sum();
    let mut reasons = Vec::new();
    for gate in &notice.gates {
        let j = &input.gates[&gate.id];
        if !j.met {
            reasons.push(match j.note.as_deref().filter(|n| !n.trim().is_empty()) {
                Some(note) => format!("requisito non soddisfatto: {} ({note})", gate.name),
                None => format!("requisito non soddisfatto: {}", gate.name),
            });
        }
    }
    if total < notice.pass_mark {
        reasons.push(format!(
            "punteggio {total} inferiore alla soglia di {} punti",
            notice.pass_mark
        ));
    }
    let outcome = if reasons.is_empty() {
        Outcome::Accreditato
    } else {
        Outcome::NonAccreditato
    };
    Ok(Judged {
        total,
        pass_mark: notice.pass_mark,
        outcome,
        reasons,
    })
}

/// A registration's status. `Scaduto` is never set: it follows from the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Attivo,
    Sospeso,
    Revocato,
    Scaduto,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Attivo => "attivo",
            Status::Sospeso => "sospeso",
            Status::Revocato => "revocato",
            Status::Scaduto => "scaduto",
        }
    }

    /// A status that may be set by hand (`scaduto` may not).
    pub fn settable(s: &str) -> Option<Self> {
        match s {
            "attivo" => Some(Status::Attivo),
            "sospeso" => Some(Status::Sospeso),
            "revocato" => Some(Status::Revocato),
            _ => None,
        }
    }
}

/// The status on `day`: a revoked registration stays revoked; any other is expired once
/// `valid_until` has passed (it is still valid on that very day).
pub fn status_on(set: Status, valid_until: NaiveDate, day: NaiveDate) -> Status {
    match set {
        Status::Revocato => Status::Revocato,
        _ if day > valid_until => Status::Scaduto,
        other => other,
    }
}

/// Whether a status may be set on a registration whose status is `from`, on `day`.
pub fn check_status_change(
    from: Status,
    to: Status,
    valid_until: NaiveDate,
    day: NaiveDate,
) -> Result<(), String> {
    if from == Status::Revocato {
        return Err("l'accreditamento è revocato: la revoca è definitiva".into());
    }
    if from == to {
        return Err(format!("l'accreditamento è già {}", to.as_str()));
    }
    if to == Status::Attivo && day > valid_until {
        return Err(format!(
            "l'accreditamento è scaduto il {}: non può tornare attivo",
            valid_until.format("%d/%m/%Y")
        ));
    }
    Ok(())
}

/// Whether `expires` falls within `days` from `today` (today included, already expired too).
pub fn expiring(expires: NaiveDate, today: NaiveDate, days: u32) -> bool {
    expires <= today + Days::new(u64::from(days))
}

/// What a certificate's QR code states, signed by the capofila's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub district: String,
    pub capofila: String,
    pub register_number: String,
    pub tax_code: String,
    pub legal_name: String,
    pub services: Vec<String>,
    pub comuni: Vec<String>,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub issued_on: NaiveDate,
    /// The capofila's signing key (its short id).
    pub key_id: String,
}

impl Statement {
    /// What is wrong with its dates on `day`, in Italian.
    pub fn date_problems(&self, day: NaiveDate) -> Vec<String> {
        let d = |x: NaiveDate| x.format("%d/%m/%Y").to_string();
        let mut problems = Vec::new();
        if self.valid_from > self.valid_until || self.issued_on > self.valid_until {
            problems.push("date della dichiarazione incoerenti".into());
        }
        if self.issued_on > day {
            problems.push(format!(
                "rilasciato con data futura ({})",
                d(self.issued_on)
            ));
        }
        if day < self.valid_from {
            problems.push(format!(
                "non ancora valido: decorre dal {}",
                d(self.valid_from)
            ));
        }
        if day > self.valid_until {
            problems.push(format!("scaduto il {}", d(self.valid_until)));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn input(points: [i64; 7], unmet: Option<&str>) -> AssessmentInput {
        let notice = Notice::default();
        AssessmentInput {
            gates: notice
                .gates
                .iter()
                .map(|g| {
                    (
                        g.id.clone(),
                        GateJudgement {
                            met: Some(g.id.as_str()) != unmet,
                            note: Some("verificato".into()),
                        },
                    )
                })
                .collect(),
            scores: notice
                .criteria
                .iter()
                .zip(points)
                .map(|(c, points)| (c.id.clone(), Score { points, note: None }))
                .collect(),
        }
    }

    #[test]
    fn the_default_notice_is_the_district_s() {
        let n = Notice::default();
        n.check().unwrap();
        assert_eq!(n.criteria.iter().map(|c| c.max).sum::<u32>(), 100);
        assert_eq!(n.pass_mark, 60);
        assert_eq!(n.gates.len(), 7);
        let back = Notice::from_toml(&n.to_toml()).unwrap();
        assert_eq!(back, n);
        let dated = Notice {
            opens: Some(date("2026-01-15")),
            closes: Some(date("2027-12-31")),
            ..n
        };
        assert_eq!(Notice::from_toml(&dated.to_toml()).unwrap(), dated);
        let text = dated.to_toml().replace("\"2026-01-15\"", "2026-01-15");
        assert_eq!(Notice::from_toml(&text).unwrap(), dated);
        assert!(dated.accepts_on(date("2026-01-15")).is_ok());
        assert!(dated.accepts_on(date("2027-12-31")).is_ok());
        assert!(dated.accepts_on(date("2026-01-14")).is_err());
        assert!(dated.accepts_on(date("2028-01-01")).is_err());
    }

    #[test]
    fn sixty_points_pass_fifty_nine_do_not() {
        let n = Notice::default();
        // 20 + 15 + 10 + 5 + 5 + 5 + 0 = 60
        let at = assess(&n, &input([20, 15, 10, 5, 5, 5, 0], None)).unwrap();
        assert_eq!((at.total, at.outcome), (60, Outcome::Accreditato));
        assert!(at.reasons.is_empty());
        let below = assess(&n, &input([20, 15, 10, 5, 5, 4, 0], None)).unwrap();
        assert_eq!((below.total, below.outcome), (59, Outcome::NonAccreditato));
        assert_eq!(
            below.reasons,
            ["punteggio 59 inferiore alla soglia di 60 punti"]
        );
    }

    #[test]
    fn every_gate_but_one_is_not_enough_and_every_reason_is_given() {
        let n = Notice::default();
        let full = assess(&n, &input([20, 15, 20, 10, 15, 10, 10], Some("durc"))).unwrap();
        assert_eq!(full.total, 100);
        assert_eq!(full.outcome, Outcome::NonAccreditato);
        assert_eq!(full.reasons.len(), 1);
        assert!(full.reasons[0].contains("DURC"), "{:?}", full.reasons);
        let both = assess(&n, &input([0, 0, 0, 0, 0, 0, 0], Some("assicurazione"))).unwrap();
        assert_eq!(both.reasons.len(), 2);
    }

    #[test]
    fn points_above_the_maximum_and_missing_judgements_are_named() {
        let n = Notice::default();
        let mut i = input([21, 15, 10, 5, 5, 5, 0], None);
        i.gates.remove("sede_distretto");
        i.scores.remove("rete");
        i.scores.insert(
            "simpatia".into(),
            Score {
                points: 1,
                note: None,
            },
        );
        let issues = assess(&n, &i).unwrap_err();
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "gates.sede_distretto",
                "scores.esperienza.points",
                "scores.rete",
                "scores.simpatia"
            ]
        );
    }

    #[test]
    fn a_registration_is_valid_on_its_last_day_and_expired_the_next() {
        let n = Notice::default();
        let until = n.valid_until(date("2026-12-01"));
        assert_eq!(until, date("2029-11-30"));
        assert_eq!(status_on(Status::Attivo, until, until), Status::Attivo);
        assert_eq!(
            status_on(Status::Attivo, until, date("2029-12-01")),
            Status::Scaduto
        );
        assert_eq!(
            status_on(Status::Revocato, until, date("2027-01-01")),
            Status::Revocato
        );
        assert!(check_status_change(Status::Sospeso, Status::Attivo, until, until).is_ok());
        assert!(
            check_status_change(Status::Sospeso, Status::Attivo, until, date("2029-12-01"))
                .is_err()
        );
        assert!(check_status_change(Status::Revocato, Status::Attivo, until, until).is_err());
    }

    #[test]
    fn a_document_expiring_on_the_thirtieth_day_is_listed() {
        let today = date("2026-12-01");
        assert!(expiring(date("2026-12-31"), today, 30));
        assert!(!expiring(date("2027-01-01"), today, 30));
        assert!(expiring(date("2026-11-01"), today, 30));
    }

    #[test]
    fn a_statement_s_dates_on_the_edges() {
        let s = Statement {
            district: "D48".into(),
            capofila: "089017".into(),
            register_number: "ACC-2026-001".into(),
            tax_code: "01234567897".into(),
            legal_name: "Coop".into(),
            services: vec![],
            comuni: vec![],
            valid_from: date("2026-12-01"),
            valid_until: date("2029-11-30"),
            issued_on: date("2026-12-01"),
            key_id: "k".into(),
        };
        assert!(s.date_problems(date("2029-11-30")).is_empty());
        assert_eq!(
            s.date_problems(date("2029-12-01")),
            ["scaduto il 30/11/2029"]
        );
    }

    #[test]
    fn tax_codes_partita_iva_with_its_check_digit_or_codice_fiscale() {
        assert_eq!(check_tax_code(" 01234567897 ").unwrap(), "01234567897");
        let wrong = check_tax_code("12345678901").unwrap_err();
        assert_eq!(wrong.code, "partita_iva_check");
        assert_eq!(check_tax_code("12345678903").unwrap(), "12345678903");
        assert!(check_tax_code("RSSMRA80A01H501U").is_ok());
        assert!(check_tax_code("ABC").is_err());
    }
}
