//! Accreditation of providers: the notice, the providers and their applications, the
//! commission's assessments (kept at the capofila) and the district register (published).

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use sportello_domain::accreditation::{
    Document, Notice, Office, Outcome, ProviderApplication, Status,
};

use crate::audit::{self, Actor};
use crate::record::{new_id, next_version};
use crate::{Result, Store, StoreError};

/// An application as held at the capofila.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct StoredProviderApplication {
    pub id: String,
    pub provider_id: String,
    pub notice: Notice,
    pub application: ProviderApplication,
    pub filed_at: String,
    pub operator: String,
}

/// What an application's filing did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ProviderFiled {
    pub application_id: String,
    pub provider_id: String,
    /// False when the tax code was already known: the provider keeps its identity.
    pub new_provider: bool,
}

/// A commission's assessment as held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct StoredAssessment {
    pub id: String,
    pub application_id: String,
    /// The assessment this one corrects.
    pub corrects: Option<String>,
    pub reason: Option<String>,
    /// The judgements as entered (`provider assess` JSON).
    pub data: String,
    pub total: u32,
    pub outcome: Outcome,
    pub reasons: Vec<String>,
    pub register_number: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub operator: String,
    pub recorded_at: String,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<String>,
    /// The later assessment that corrects this one, if any.
    pub corrected_by: Option<String>,
}

/// An assessment to record.
pub struct NewAssessment<'a> {
    pub application_id: &'a str,
    pub corrects: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub data: &'a str,
    pub total: u32,
    pub outcome: Outcome,
    pub reasons: &'a [String],
    /// The register number kept from the assessment corrected; a new one is given to an
    /// accredited provider otherwise.
    pub keep_number: Option<&'a str>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
}

/// One change of a registration's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct StatusChange {
    pub status: Status,
    pub on: NaiveDate,
    pub reason: String,
    pub operator: String,
}

/// A yearly check (DURC, insurance, staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct YearlyCheck {
    pub on: NaiveDate,
    pub passed: bool,
    pub note: String,
    pub operator: String,
}

/// An entry of the district register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct RegisterEntry {
    pub register_number: String,
    pub entered_on: NaiveDate,
    pub tax_code: String,
    pub legal_name: String,
    pub legal_form: String,
    pub seat_istat: String,
    pub offices: Vec<Office>,
    pub representative_name: String,
    pub representative_role: String,
    pub services: Vec<String>,
    pub comuni: Vec<String>,
    pub score: u32,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// As set by hand: attivo, sospeso or revocato (scaduto follows from the date).
    pub status: Status,
    pub history: Vec<StatusChange>,
    pub documents: BTreeMap<String, Document>,
    pub checks: Vec<YearlyCheck>,
}

/// The register's columns besides the sync metadata, in the order they are written.
const REGISTER_COLUMNS: &[&str] = &[
    "register_number",
    "entered_on",
    "tax_code",
    "legal_name",
    "legal_form",
    "seat_istat",
    "offices",
    "representative_name",
    "representative_role",
    "services",
    "comuni",
    "score",
    "valid_from",
    "valid_until",
    "status",
    "history",
    "documents",
    "checks",
];

fn corrupt(table: &str, row: &str, column: &str) -> StoreError {
    StoreError::Corrupt(format!(
        "{table}/{row}, colonna {column}: valore illeggibile"
    ))
}

fn json_column<T: serde::de::DeserializeOwned>(
    row: &Row,
    table: &str,
    id: &str,
    column: &str,
) -> Result<T> {
    let text: String = row.get(column)?;
    serde_json::from_str(&text).map_err(|_| corrupt(table, id, column))
}

fn date_column(row: &Row, table: &str, id: &str, column: &str) -> Result<NaiveDate> {
    let text: String = row.get(column)?;
    text.parse().map_err(|_| corrupt(table, id, column))
}

fn optional_date(row: &Row, table: &str, id: &str, column: &str) -> Result<Option<NaiveDate>> {
    let text: Option<String> = row.get(column)?;
    text.map(|t| t.parse().map_err(|_| corrupt(table, id, column)))
        .transpose()
}

fn read_entry(row: &Row) -> Result<RegisterEntry> {
    const T: &str = "accreditation_register";
    let number: String = row.get("register_number")?;
    let n = number.as_str();
    let status: String = row.get("status")?;
    Ok(RegisterEntry {
        entered_on: date_column(row, T, n, "entered_on")?,
        tax_code: row.get("tax_code")?,
        legal_name: row.get("legal_name")?,
        legal_form: row.get("legal_form")?,
        seat_istat: row.get("seat_istat")?,
        offices: json_column(row, T, n, "offices")?,
        representative_name: row.get("representative_name")?,
        representative_role: row.get("representative_role")?,
        services: json_column(row, T, n, "services")?,
        comuni: json_column(row, T, n, "comuni")?,
        score: row.get("score")?,
        valid_from: date_column(row, T, n, "valid_from")?,
        valid_until: date_column(row, T, n, "valid_until")?,
        status: Status::settable(&status).ok_or_else(|| corrupt(T, n, "status"))?,
        history: json_column(row, T, n, "history")?,
        documents: json_column(row, T, n, "documents")?,
        checks: json_column(row, T, n, "checks")?,
        register_number: number,
    })
}

const ASSESSMENT_SELECT: &str = "SELECT a.*, (SELECT c.id FROM provider_assessments c \
    WHERE c.corrects = a.id) AS corrected_by FROM provider_assessments a";

fn read_assessment(row: &Row) -> Result<StoredAssessment> {
    const T: &str = "provider_assessments";
    let id: String = row.get("id")?;
    let outcome: String = row.get("outcome")?;
    Ok(StoredAssessment {
        application_id: row.get("application_id")?,
        corrects: row.get("corrects")?,
        reason: row.get("reason")?,
        data: row.get("data")?,
        total: row.get("total")?,
        outcome: Outcome::parse(&outcome).ok_or_else(|| corrupt(T, &id, "outcome"))?,
        reasons: json_column(row, T, &id, "reasons")?,
        register_number: row.get("register_number")?,
        valid_from: optional_date(row, T, &id, "valid_from")?,
        valid_until: optional_date(row, T, &id, "valid_until")?,
        operator: row.get("operator")?,
        recorded_at: row.get("recorded_at")?,
        confirmed_by: row.get("confirmed_by")?,
        confirmed_at: row.get("confirmed_at")?,
        corrected_by: row.get("corrected_by")?,
        id,
    })
}

fn write_entry(
    tx: &rusqlite::Transaction,
    owner: &str,
    version: i64,
    e: &RegisterEntry,
) -> Result<String> {
    let id: String = tx
        .query_row(
            "SELECT id FROM accreditation_register WHERE register_number = ?1",
            [&e.register_number],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| new_id().to_string());
    let columns = REGISTER_COLUMNS.join(", ");
    tx.execute(
        &format!(
            "INSERT INTO accreditation_register (id, owner, version, content_hash, {columns})
             VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                     ?17, ?18, ?19, ?20, ?21)
             ON CONFLICT (id) DO UPDATE SET version = excluded.version,
               entered_on = excluded.entered_on, tax_code = excluded.tax_code,
               legal_name = excluded.legal_name, legal_form = excluded.legal_form,
               seat_istat = excluded.seat_istat, offices = excluded.offices,
               representative_name = excluded.representative_name,
               representative_role = excluded.representative_role,
               services = excluded.services, comuni = excluded.comuni, score = excluded.score,
               valid_from = excluded.valid_from, valid_until = excluded.valid_until,
               status = excluded.status, history = excluded.history,
               documents = excluded.documents, checks = excluded.checks"
        ),
        params![
            id,
            owner,
            version,
            e.register_number,
            e.entered_on.to_string(),
            e.tax_code,
            e.legal_name,
            e.legal_form,
            e.seat_istat,
            json(&e.offices),
            e.representative_name,
            e.representative_role,
            json(&e.services),
            json(&e.comuni),
            e.score,
            e.valid_from.to_string(),
            e.valid_until.to_string(),
            e.status.as_str(),
            json(&e.history),
            json(&e.documents),
            json(&e.checks),
        ],
    )?;
    crate::tables::stamp(tx, "accreditation_register", &id)?;
    Ok(id)
}

/// A value written as JSON text.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serialises")
}

impl Store {
    /// The capofila imports a notice: from now on the one that applies.
    pub fn save_notice(
        &mut self,
        notice: &Notice,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO accreditation_notices (code, toml, imported_at, operator)
             VALUES (?1, ?2, ?3, ?4)",
            params![notice.id, notice.to_toml(), at.to_rfc3339(), actor.0],
        )?;
        audit::log(
            &tx,
            at,
            actor,
            "accreditation_notice_import",
            "accreditation_notices",
            Some(&notice.id),
            serde_json::json!({}),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The notice imported last, if any.
    pub fn notice(&self) -> Result<Option<Notice>> {
        let text: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT seq, toml FROM accreditation_notices ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        text.map(|(seq, t)| {
            Notice::from_toml(&t)
                .map_err(|_| corrupt("accreditation_notices", &seq.to_string(), "toml"))
        })
        .transpose()
    }

    /// Files a provider's application (checked): a provider already known by its tax code
    /// keeps its identity.
    pub fn file_provider_application(
        &mut self,
        application: &ProviderApplication,
        notice: &Notice,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<ProviderFiled> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let known: Option<String> = tx
            .query_row(
                "SELECT id FROM providers WHERE tax_code = ?1",
                [&application.tax_code],
                |r| r.get(0),
            )
            .optional()?;
        let new_provider = known.is_none();
        let provider_id = match known {
            Some(id) => {
                tx.execute(
                    "UPDATE providers SET legal_name = ?2 WHERE id = ?1",
                    params![id, application.legal_name],
                )?;
                id
            }
            None => {
                let id = new_id().to_string();
                tx.execute(
                    "INSERT INTO providers (id, tax_code, legal_name, created_at)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![
                        id,
                        application.tax_code,
                        application.legal_name,
                        at.to_rfc3339()
                    ],
                )?;
                id
            }
        };
        let application_id = new_id().to_string();
        tx.execute(
            "INSERT INTO provider_applications (id, provider_id, notice, notice_toml, data,
             filed_at, operator) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                application_id,
                provider_id,
                notice.id,
                notice.to_toml(),
                serde_json::to_string(application).expect("plain data serialises"),
                at.to_rfc3339(),
                actor.0
            ],
        )?;
        audit::log(
            &tx,
            at,
            actor,
            "provider_apply",
            "provider_applications",
            Some(&application_id),
            serde_json::json!({ "provider": provider_id, "new_provider": new_provider }),
        )?;
        tx.commit()?;
        Ok(ProviderFiled {
            application_id,
            provider_id,
            new_provider,
        })
    }

    /// Application `id`, if held.
    pub fn provider_application(&self, id: &str) -> Result<Option<StoredProviderApplication>> {
        const T: &str = "provider_applications";
        self.conn
            .query_row(
                "SELECT id, provider_id, notice_toml, data, filed_at, operator
                 FROM provider_applications WHERE id = ?1",
                [id],
                |row| {
                    Ok((|| -> Result<StoredProviderApplication> {
                        let notice: String = row.get("notice_toml")?;
                        Ok(StoredProviderApplication {
                            id: row.get("id")?,
                            provider_id: row.get("provider_id")?,
                            notice: Notice::from_toml(&notice)
                                .map_err(|_| corrupt(T, id, "notice_toml"))?,
                            application: json_column(row, T, id, "data")?,
                            filed_at: row.get("filed_at")?,
                            operator: row.get("operator")?,
                        })
                    })())
                },
            )
            .optional()?
            .transpose()
    }

    /// The ids of every application held, first filed first.
    pub fn provider_application_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM provider_applications ORDER BY filed_at, id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The assessments of application `id`, first to last.
    pub fn assessments_of(&self, application_id: &str) -> Result<Vec<StoredAssessment>> {
        let mut stmt = self.conn.prepare(&format!(
            "{ASSESSMENT_SELECT} WHERE a.application_id = ?1 ORDER BY a.recorded_at, a.id"
        ))?;
        let rows = stmt.query_map([application_id], |row| Ok(read_assessment(row)))?;
        rows.map(|r| r?).collect()
    }

    /// Assessment `id`, if held.
    pub fn assessment(&self, id: &str) -> Result<Option<StoredAssessment>> {
        self.conn
            .query_row(
                &format!("{ASSESSMENT_SELECT} WHERE a.id = ?1"),
                [id],
                |row| Ok(read_assessment(row)),
            )
            .optional()?
            .transpose()
    }

    /// Records an assessment, audited; an accredited provider gets its register number now
    /// (`ACC-aaaa-nnn`, the year of `valid_from`), or keeps the one of the assessment
    /// corrected.
    pub fn record_assessment(
        &mut self,
        new: &NewAssessment,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<StoredAssessment> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let number = match (new.outcome, new.keep_number, new.valid_from) {
            (_, Some(kept), _) => Some(kept.to_string()),
            (Outcome::Accreditato, None, Some(from)) => {
                let prefix = format!("ACC-{}-", from.format("%Y"));
                let last: Option<i64> = tx.query_row(
                    "SELECT max(CAST(substr(register_number, ?2) AS INTEGER))
                     FROM provider_assessments WHERE register_number LIKE ?1 || '%'",
                    params![prefix, prefix.len() as i64 + 1],
                    |r| r.get(0),
                )?;
                Some(format!("{prefix}{:03}", last.unwrap_or(0) + 1))
            }
            _ => None,
        };
        let id = new_id().to_string();
        tx.execute(
            "INSERT INTO provider_assessments (id, application_id, corrects, reason, data, total,
             outcome, reasons, register_number, valid_from, valid_until, operator, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                id,
                new.application_id,
                new.corrects,
                new.reason,
                new.data,
                new.total,
                new.outcome.as_str(),
                serde_json::to_string(new.reasons).expect("strings serialise"),
                number,
                new.valid_from.map(|d| d.to_string()),
                new.valid_until.map(|d| d.to_string()),
                actor.0,
                at.to_rfc3339(),
            ],
        )?;
        audit::log(
            &tx,
            at,
            actor,
            if new.corrects.is_some() {
                "provider_assessment_correct"
            } else {
                "provider_assess"
            },
            "provider_assessments",
            Some(&id),
            serde_json::json!({
                "application": new.application_id, "corrects": new.corrects,
                "outcome": new.outcome.as_str(), "total": new.total, "register_number": number,
            }),
        )?;
        let stored = tx.query_row(
            &format!("{ASSESSMENT_SELECT} WHERE a.id = ?1"),
            [&id],
            |row| Ok(read_assessment(row)),
        )??;
        tx.commit()?;
        Ok(stored)
    }

    /// A coordinatore confirms assessment `id`: final from now; `entry`, when given, is
    /// written to the register (new, or replacing the entry of the same number).
    pub fn confirm_assessment(
        &mut self,
        id: &str,
        entry: Option<&RegisterEntry>,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE provider_assessments SET confirmed_by = ?2, confirmed_at = ?3
             WHERE id = ?1 AND confirmed_at IS NULL",
            params![id, actor.0, at.to_rfc3339()],
        )?;
        if changed != 1 {
            return Err(StoreError::UnknownRecord(id.into()));
        }
        if let Some(entry) = entry {
            let owner = crate::install::own_comune(&tx)?;
            let version = next_version(&tx)?;
            write_entry(&tx, &owner, version, entry)?;
        }
        audit::log(
            &tx,
            at,
            actor,
            "provider_assessment_confirm",
            "provider_assessments",
            Some(id),
            serde_json::json!({ "register_number": entry.map(|e| &e.register_number) }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Writes a changed register entry (a status, a yearly check), audited as `action`.
    pub fn update_register_entry(
        &mut self,
        entry: &RegisterEntry,
        action: &str,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let owner = crate::install::own_comune(&tx)?;
        let version = next_version(&tx)?;
        let id = write_entry(&tx, &owner, version, entry)?;
        audit::log(
            &tx,
            at,
            actor,
            action,
            "accreditation_register",
            Some(&id),
            serde_json::json!({
                "register_number": entry.register_number, "status": entry.status.as_str(),
            }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The register held here (the capofila's, or its copy at a comune), by number.
    pub fn register(&self) -> Result<Vec<RegisterEntry>> {
        let columns = REGISTER_COLUMNS.join(", ");
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {columns} FROM accreditation_register WHERE deleted = 0
             ORDER BY register_number"
        ))?;
        let rows = stmt.query_map([], |row| Ok(read_entry(row)))?;
        rows.map(|r| r?).collect()
    }

    /// Register entry `number`, if held.
    pub fn register_entry(&self, number: &str) -> Result<Option<RegisterEntry>> {
        let columns = REGISTER_COLUMNS.join(", ");
        self.conn
            .query_row(
                &format!(
                    "SELECT {columns} FROM accreditation_register
                     WHERE deleted = 0 AND register_number = ?1"
                ),
                [number],
                |row| Ok(read_entry(row)),
            )
            .optional()?
            .transpose()
    }

    /// When the last bundle from `sender` (the capofila) was imported here: the date of the
    /// register's copy at a comune.
    pub fn last_import_from(&self, sender: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row(
            "SELECT max(imported_at) FROM bundles_in WHERE sender = ?1",
            [sender],
            |r| r.get(0),
        )?)
    }
}

/// A received register entry: readable JSON columns and dates in order.
pub(crate) fn check_received(
    body: &serde_json::Map<String, serde_json::Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    for column in [
        "offices",
        "services",
        "comuni",
        "history",
        "documents",
        "checks",
    ] {
        let text = body[column].as_str().unwrap_or_default();
        let ok = match column {
            "offices" => serde_json::from_str::<Vec<Office>>(text).is_ok(),
            "services" | "comuni" => serde_json::from_str::<Vec<String>>(text).is_ok(),
            "history" => serde_json::from_str::<Vec<StatusChange>>(text).is_ok(),
            "documents" => serde_json::from_str::<BTreeMap<String, Document>>(text).is_ok(),
            _ => serde_json::from_str::<Vec<YearlyCheck>>(text).is_ok(),
        };
        if !ok {
            return Err(format!("{column}: contenuto non valido"));
        }
    }
    if body["valid_from"].as_str() > body["valid_until"].as_str() {
        return Err(format!("{}: precede {}", "valid_until", "valid_from"));
    }
    crate::tables::check_texts(
        body,
        &[
            ("legal_name", false),
            ("legal_form", false),
            ("representative_name", false),
            ("representative_role", false),
        ],
    )
}
