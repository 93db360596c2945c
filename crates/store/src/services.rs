//! The map of services: the district catalogue (`services`, the capofila's, published) and
//! each comune's local entries (`local_services`, uploaded), searched through one FTS5 index
//! that triggers keep (migration `0024_services.sql`).

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params, params_from_iter};
use serde::Serialize;
use serde_json::{Map, Value};
use sportello_domain::services::{Service, ServiceInput};

use crate::audit::{self, Actor};
use crate::record::{new_id, next_version};
use crate::{Result, Store, StoreError};

/// Whose an entry is: the district catalogue's (the capofila's) or a comune's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ServiceScope {
    District,
    Local,
}

impl ServiceScope {
    fn table(self) -> &'static str {
        match self {
            ServiceScope::District => "services",
            ServiceScope::Local => "local_services",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "district" => Some(ServiceScope::District),
            "local" => Some(ServiceScope::Local),
            _ => None,
        }
    }
}

/// An entry as held here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct StoredService {
    #[serde(flatten)]
    pub service: Service,
    pub scope: ServiceScope,
    /// The comune that keeps it (the capofila for the district catalogue).
    pub owner: String,
    pub reviewed_on: NaiveDate,
    /// False once left out of a later import: kept for what refers to it, never found.
    pub active: bool,
}

impl StoredService {
    /// Whether the entry covers comune `istat`: listed, or no comune listed (every comune of
    /// the district; a local entry: its own comune).
    pub fn covers(&self, istat: &str) -> bool {
        if self.service.comuni.is_empty() {
            self.scope == ServiceScope::District || self.owner == istat
        } else {
            self.service.comuni.iter().any(|c| c == istat)
        }
    }
}

/// What an import changed, by code.
pub type ServicesSaved = crate::entries::EntriesSaved;

impl crate::entries::Coded for Service {
    fn code(&self) -> &str {
        &self.id
    }
}

impl crate::entries::Held for StoredService {
    type Entry = Service;
    fn entry(&self) -> &Service {
        &self.service
    }
    fn active(&self) -> bool {
        self.active
    }
}

/// A search of the map: folded words, the last one a prefix unless followed by a space.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceQuery {
    pub text: String,
    /// The SIUSS area, 1 to 3.
    pub area: Option<u8>,
    /// Entries covering this comune only.
    pub comune: Option<String>,
    pub limit: usize,
}

/// Every entry, district and local, as read.
const SELECT: &str = "SELECT scope, id, owner, code, name, provider, area, comuni, recipients, \
                      access, documents, cost, place, hours, contacts, reviewed_on, active \
                      FROM service_entries AS s";

impl Store {
    /// Sets this install's entries of `scope` to `services`: each new or changed entry takes
    /// the next version and is reviewed on `at`'s day; an entry held and left out is kept,
    /// inactive. All in one transaction, audited with the codes.
    pub fn save_services(
        &mut self,
        scope: ServiceScope,
        services: &[Service],
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<ServicesSaved> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let owner = crate::install::own_comune(&tx)?;
        let table = scope.table();
        let held: Vec<StoredService> = read(
            &tx,
            "WHERE scope = ?1 AND owner = ?2",
            params![scope_name(scope), owner],
        )?;
        let today = at.date_naive();
        let mut saved = ServicesSaved::default();
        for change in crate::entries::changes(&held, services, &mut saved) {
            let (service, active, before) = (change.entry, change.active, change.before);
            let version = next_version(&tx)?;
            let id: String = tx
                .query_row(
                    &format!("SELECT id FROM {table} WHERE owner = ?1 AND code = ?2"),
                    params![owner, service.id],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or_else(|| new_id().to_string());
            // A retired entry keeps the day it was last reviewed.
            let reviewed_on = match before {
                Some(h) if !active => h.reviewed_on,
                _ => today,
            };
            let s = service;
            tx.execute(
                &format!(
                    "INSERT INTO {table} (id, owner, version, content_hash, code, name, provider,
                     area, comuni, recipients, access, documents, cost, place, hours, contacts,
                     reviewed_on, active)
                     VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,
                             ?15, ?16, ?17)
                     ON CONFLICT (id) DO UPDATE SET version = excluded.version,
                     name = excluded.name, provider = excluded.provider, area = excluded.area,
                     comuni = excluded.comuni, recipients = excluded.recipients,
                     access = excluded.access, documents = excluded.documents,
                     cost = excluded.cost, place = excluded.place, hours = excluded.hours,
                     contacts = excluded.contacts, reviewed_on = excluded.reviewed_on,
                     active = excluded.active"
                ),
                params![
                    id,
                    owner,
                    version,
                    s.id,
                    s.name,
                    s.provider,
                    s.area,
                    comuni_text(&s.comuni),
                    s.recipients,
                    s.access,
                    s.documents,
                    s.cost,
                    s.place,
                    s.hours,
                    s.contacts,
                    reviewed_on.to_string(),
                    active
                ],
            )?;
            crate::tables::stamp(&tx, table, &id)?;
        }
        if saved.changed() {
            audit::log(
                &tx,
                at,
                actor,
                "services_import",
                table,
                None,
                saved.audit_detail(),
            )?;
        }
        tx.commit()?;
        Ok(saved)
    }

    /// Marks this install's entry `code` of `scope` reviewed on `at`'s day (a new version,
    /// audited). False when there is no such entry here.
    pub fn review_service(
        &mut self,
        scope: ServiceScope,
        code: &str,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let owner = crate::install::own_comune(&tx)?;
        let table = scope.table();
        let id: Option<String> = tx
            .query_row(
                &format!("SELECT id FROM {table} WHERE owner = ?1 AND code = ?2 AND deleted = 0"),
                params![owner, code],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = id else {
            return Ok(false);
        };
        let version = next_version(&tx)?;
        tx.execute(
            &format!("UPDATE {table} SET version = ?1, reviewed_on = ?2 WHERE id = ?3"),
            params![version, at.date_naive().to_string(), id],
        )?;
        crate::tables::stamp(&tx, table, &id)?;
        audit::log(
            &tx,
            at,
            actor,
            "service_review",
            table,
            Some(&id),
            serde_json::json!({ "code": code }),
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// Every entry held here, district and local, in use first, then by name.
    pub fn services(&self) -> Result<Vec<StoredService>> {
        read(
            &self.conn,
            "ORDER BY active DESC, name COLLATE NOCASE, owner, code",
            [],
        )
    }

    /// The entry `code`: the district catalogue's, else `own` comune's local entry, else
    /// another comune's (the capofila holds every comune's, by ISTAT code).
    pub fn service(&self, code: &str, own: &str) -> Result<Option<StoredService>> {
        Ok(read(
            &self.conn,
            "WHERE code = ?1 ORDER BY scope = 'local', owner <> ?2, owner LIMIT 1",
            params![code, own],
        )?
        .pop())
    }

    /// Whether `code` names an entry in use here for comune `own` (the district's or `own`'s
    /// local one): what a contact may refer to.
    pub fn service_active(&self, code: &str, own: &str) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT count(*) > 0 FROM service_entries
             WHERE code = ?1 AND active = 1 AND (scope = 'district' OR owner = ?2)",
            params![code, own],
            |r| r.get(0),
        )?)
    }

    /// The entries in use found by `query`, best first (bm25: a word in the name weighs most,
    /// then in the provider, then in the rest); with no words, every entry by name.
    pub fn search_services(&self, query: &ServiceQuery) -> Result<Vec<StoredService>> {
        use rusqlite::types::Value as Sql;
        let mut filters = String::from("active = 1");
        let mut values: Vec<Sql> = Vec::new();
        let expression = match_expression(&query.text);
        if let Some(e) = &expression {
            // ?1, matched below.
            values.push(Sql::Text(e.clone()));
        }
        if let Some(area) = query.area {
            values.push(Sql::Integer(area.into()));
            filters.push_str(&format!(" AND area = ?{}", values.len()));
        }
        if let Some(comune) = &query.comune {
            values.push(Sql::Text(comune.clone()));
            let n = values.len();
            filters.push_str(&format!(
                " AND CASE WHEN comuni IS NULL THEN scope = 'district' OR owner = ?{n}
                   ELSE instr(' ' || comuni || ' ', ' ' || ?{n} || ' ') > 0 END"
            ));
        }
        values.push(Sql::Integer(i64::try_from(query.limit).unwrap_or(i64::MAX)));
        let limit = values.len();
        let Some(_) = expression else {
            let sql = format!(
                "{SELECT} WHERE {filters} ORDER BY name COLLATE NOCASE, owner, code LIMIT ?{limit}"
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(values), row_to_raw)?;
            return rows.map(|r| into_stored(r?)).collect();
        };
        // The index holds what the filters need: only the entries to show are read.
        let sql = format!(
            "SELECT service_id FROM service_search WHERE service_search MATCH ?1 AND {filters}
             ORDER BY bm25(service_search, 10.0, 4.0, 1.0), name, owner LIMIT ?{limit}"
        );
        let ids: Vec<String> = self
            .conn
            .prepare(&sql)?
            .query_map(params_from_iter(values), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut entry = self.conn.prepare(&format!("{SELECT} WHERE id = ?1"))?;
        ids.iter()
            .map(|id| into_stored(entry.query_row([id], row_to_raw)?))
            .collect()
    }
}

/// The FTS5 query of what was typed: each folded word quoted (so nothing typed is read as an
/// operator), all required, the last one a prefix unless a space follows it (the operator is
/// still typing it). None when nothing searchable was typed.
pub(crate) fn match_expression(text: &str) -> Option<String> {
    let words = sportello_domain::search::fold_words(text);
    let last = words.len().checked_sub(1)?;
    let typing = !text.ends_with(char::is_whitespace);
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == last && typing {
                    format!("\"{w}\"*")
                } else {
                    format!("\"{w}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn scope_name(scope: ServiceScope) -> &'static str {
    match scope {
        ServiceScope::District => "district",
        ServiceScope::Local => "local",
    }
}

fn comuni_text(comuni: &[String]) -> Option<String> {
    (!comuni.is_empty()).then(|| comuni.join(" "))
}

/// A row of `service_entries` as read, before it is checked.
struct Raw {
    scope: String,
    id: String,
    owner: String,
    input: ServiceInput,
    reviewed_on: String,
    active: bool,
}

fn row_to_raw(row: &Row) -> rusqlite::Result<Raw> {
    let text = |name: &str| -> rusqlite::Result<String> {
        Ok(row.get::<_, Option<String>>(name)?.unwrap_or_default())
    };
    Ok(Raw {
        scope: row.get("scope")?,
        id: row.get("id")?,
        owner: row.get("owner")?,
        input: ServiceInput {
            id: text("code")?,
            nome: text("name")?,
            ente: text("provider")?,
            area: row.get::<_, i64>("area")?.to_string(),
            comuni: text("comuni")?,
            destinatari: text("recipients")?,
            accesso: text("access")?,
            documenti: text("documents")?,
            costo: text("cost")?,
            dove: text("place")?,
            orari: text("hours")?,
            contatti: text("contacts")?,
        },
        reviewed_on: row.get("reviewed_on")?,
        active: row.get("active")?,
    })
}

fn into_stored(raw: Raw) -> Result<StoredService> {
    let scope = ServiceScope::parse(&raw.scope).unwrap_or(ServiceScope::Local);
    let corrupt =
        |what: String| StoreError::Corrupt(format!("{}/{}, {what}", scope.table(), raw.id));
    let listed: Vec<&str> = raw.input.comuni.split(' ').collect();
    let service = raw.input.check(&listed).map_err(|problems| {
        corrupt(format!(
            "colonna {}: {}",
            problems[0].field, problems[0].message
        ))
    })?;
    let column = "reviewed_on";
    let reviewed_on = raw
        .reviewed_on
        .parse()
        .map_err(|_| corrupt(format!("colonna {column}")))?;
    Ok(StoredService {
        service,
        scope,
        owner: raw.owner,
        reviewed_on,
        active: raw.active,
    })
}

fn read(
    conn: &rusqlite::Connection,
    tail: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<StoredService>> {
    let mut stmt = conn.prepare(&format!("{SELECT} {tail}"))?;
    let rows = stmt.query_map(params, row_to_raw)?;
    rows.map(|r| into_stored(r?)).collect()
}

/// A received entry (district or local): one the domain accepts, its comuni ISTAT codes
/// written once each, in order, separated by one space.
pub(crate) fn check_received(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    let text = |k: &str| body[k].as_str().unwrap_or_default().to_string();
    let comuni = text("comuni");
    let codes: Vec<&str> = comuni.split(' ').collect();
    if body["comuni"].is_string() {
        let six = |c: &&str| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit());
        if !codes.iter().all(six) || !codes.is_sorted_by(|a, b| a < b) {
            return Err(
                "comuni: attesi codici ISTAT di sei cifre, in ordine, separati da uno spazio"
                    .into(),
            );
        }
    }
    let input = ServiceInput {
        id: text("code"),
        nome: text("name"),
        ente: text("provider"),
        area: body["area"].as_i64().unwrap_or(0).to_string(),
        comuni: comuni.clone(),
        destinatari: text("recipients"),
        accesso: text("access"),
        documenti: text("documents"),
        costo: text("cost"),
        dove: text("place"),
        orari: text("hours"),
        contatti: text("contacts"),
    };
    let service = input
        .check(&codes)
        .map_err(|p| format!("{}: {}", p[0].field, p[0].message))?;
    if service.id != text("code") {
        return Err("code: atteso in lettere minuscole".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_typed_becomes_quoted_words_the_last_a_prefix_while_typing() {
        assert_eq!(match_expression("  "), None);
        assert_eq!(match_expression("assist"), Some("\"assist\"*".into()));
        assert_eq!(
            match_expression("Anziàni assist"),
            Some("\"anziani\" \"assist\"*".into())
        );
        assert_eq!(match_expression("anziani "), Some("\"anziani\"".into()));
        // FTS5 operators and quotes are only words or separators.
        assert_eq!(
            match_expression("NOT \"casa\" OR (x*"),
            Some("\"not\" \"casa\" \"or\" \"x\"*".into())
        );
    }
}
