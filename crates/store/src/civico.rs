//! Servizio civico calls: the events a comune records for the applicants it calls from the
//! definitive ranking (`sportello_domain::civico` computes the call list from them). Each
//! event is a row of its own, written once.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde_json::{Map, Value};
use sportello_domain::civico::CallEventKind;
use sportello_domain::civico::project::Project;

use crate::audit::{self, Actor};
use crate::record::{new_id, next_version};
use crate::{Result, Store, StoreError};

/// One event as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCallEvent {
    pub kind: CallEventKind,
    pub on: NaiveDate,
    pub note: Option<String>,
    pub operator: String,
    pub recorded_at: String,
}

impl Store {
    /// The events recorded for the applications of `bando`, by application code, each
    /// application's in the order they happened.
    pub fn call_events(&self, bando: &str) -> Result<HashMap<String, Vec<StoredCallEvent>>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.application_code, e.id, e.kind, e.happened_on, e.note, e.operator,
                    e.recorded_at
             FROM civico_events e JOIN applications a ON a.id = e.application_id
             WHERE e.deleted = 0 AND a.deleted = 0 AND a.bando = ?1
             ORDER BY e.happened_on, e.recorded_at, e.version",
        )?;
        let mut rows = stmt.query([bando])?;
        let mut map: HashMap<String, Vec<StoredCallEvent>> = HashMap::new();
        while let Some(row) = rows.next()? {
            let id: String = row.get(1)?;
            let corrupt = |column: &str| {
                StoreError::Corrupt(format!("{}/{id}, colonna {column}", "civico_events"))
            };
            let kind: String = row.get(2)?;
            let on: String = row.get(3)?;
            map.entry(row.get(0)?).or_default().push(StoredCallEvent {
                kind: CallEventKind::parse(&kind).ok_or_else(|| corrupt("kind"))?,
                on: on.parse().map_err(|_| corrupt("happened_on"))?,
                note: row.get(4)?,
                operator: row.get(5)?,
                recorded_at: row.get(6)?,
            });
        }
        Ok(map)
    }

    /// Records an event of this comune's application `code`, audited (the note may name
    /// people: the trail keeps the kind and the date).
    pub fn record_call_event(
        &mut self,
        code: &str,
        kind: CallEventKind,
        on: NaiveDate,
        note: Option<&str>,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let application_id = crate::applications::own_application_id(&tx, code)?;
        let comune = crate::install::own_comune(&tx)?;
        let id = new_id().to_string();
        let version = next_version(&tx)?;
        tx.execute(
            "INSERT INTO civico_events (id, owner, version, content_hash, application_id, kind,
             happened_on, note, operator, recorded_at)
             VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id,
                comune,
                version,
                application_id,
                kind.as_str(),
                on.to_string(),
                note,
                actor.0,
                at.to_rfc3339()
            ],
        )?;
        crate::tables::stamp(&tx, "civico_events", &id)?;
        audit::log(
            &tx,
            at,
            actor,
            &format!("civico_{}", kind.as_str()),
            "application",
            Some(&application_id),
            serde_json::json!({ "application_code": code, "on": on.to_string() }),
        )?;
        tx.commit()?;
        Ok(())
    }
}

impl Store {
    /// The projects of the applications of `bando` (filed at `comune`, when given), by
    /// application code.
    pub fn projects(&self, bando: &str, comune: Option<&str>) -> Result<HashMap<String, Project>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.application_code, p.id, p.sector, p.site, p.office, p.tutor, p.start_on,
                    p.end_on, p.weekly_hours, p.schedule, p.inail_position, p.rc_policy
             FROM civico_projects p JOIN applications a ON a.id = p.application_id
             WHERE p.deleted = 0 AND a.deleted = 0 AND a.bando = ?1
               AND (?2 IS NULL OR a.comune = ?2)",
        )?;
        let mut rows = stmt.query(params![bando, comune])?;
        let mut map = HashMap::new();
        while let Some(row) = rows.next()? {
            let id: String = row.get(1)?;
            let corrupt = |column: &str| {
                StoreError::Corrupt(format!("{}/{id}, colonna {column}", "civico_projects"))
            };
            let date = |i: usize, column: &str| -> Result<NaiveDate> {
                row.get::<_, String>(i)?
                    .parse()
                    .map_err(|_| corrupt(column))
            };
            let hours: String = row.get(8)?;
            map.insert(
                row.get(0)?,
                Project {
                    sector: row.get(2)?,
                    site: row.get(3)?,
                    office: row.get(4)?,
                    tutor: row.get(5)?,
                    start: date(6, "start_on")?,
                    end: date(7, "end_on")?,
                    weekly_hours: hours.parse().map_err(|_| corrupt("weekly_hours"))?,
                    schedule: row.get(9)?,
                    inail_position: row.get(10)?,
                    rc_policy: row.get(11)?,
                },
            );
        }
        Ok(map)
    }

    /// Writes the project of this comune's application `code` (a new version when it had
    /// one), audited.
    pub fn save_project(
        &mut self,
        code: &str,
        project: &Project,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let application_id = crate::applications::own_application_id(&tx, code)?;
        let comune = crate::install::own_comune(&tx)?;
        let held: Option<String> = tx
            .query_row(
                "SELECT id FROM civico_projects WHERE application_id = ?1",
                [&application_id],
                |r| r.get(0),
            )
            .optional()?;
        let id = held.clone().unwrap_or_else(|| new_id().to_string());
        let version = next_version(&tx)?;
        tx.execute(
            "INSERT INTO civico_projects (id, owner, version, content_hash, application_id,
             sector, site, office, tutor, start_on, end_on, weekly_hours, schedule,
             inail_position, rc_policy, operator, recorded_at)
             VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
             ON CONFLICT (id) DO UPDATE SET version = excluded.version,
               sector = excluded.sector, site = excluded.site, office = excluded.office,
               tutor = excluded.tutor, start_on = excluded.start_on, end_on = excluded.end_on,
               weekly_hours = excluded.weekly_hours, schedule = excluded.schedule,
               inail_position = excluded.inail_position, rc_policy = excluded.rc_policy,
               operator = excluded.operator, recorded_at = excluded.recorded_at",
            params![
                id,
                comune,
                version,
                application_id,
                project.sector,
                project.site,
                project.office,
                project.tutor,
                project.start.to_string(),
                project.end.to_string(),
                project.weekly_hours.to_string(),
                project.schedule,
                project.inail_position,
                project.rc_policy,
                actor.0,
                at.to_rfc3339()
            ],
        )?;
        crate::tables::stamp(&tx, "civico_projects", &id)?;
        audit::log(
            &tx,
            at,
            actor,
            if held.is_some() {
                "civico_project_update"
            } else {
                "civico_project_create"
            },
            "application",
            Some(&application_id),
            serde_json::json!({
                "application_code": code, "start": project.start.to_string(),
                "end": project.end.to_string(),
            }),
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// One day of attendance to record: the application, the day, the hours (decimal text).
pub struct AttendanceRow<'a> {
    pub application_code: &'a str,
    pub day: NaiveDate,
    pub hours: String,
}

impl Store {
    /// Every day of attendance held, by application code: day → hours (decimal text).
    pub fn attendance(
        &self,
    ) -> Result<HashMap<String, std::collections::BTreeMap<NaiveDate, String>>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.application_code, t.id, t.day, t.hours
             FROM civico_attendance t JOIN applications a ON a.id = t.application_id
             WHERE t.deleted = 0 AND a.deleted = 0",
        )?;
        let mut rows = stmt.query([])?;
        let mut map: HashMap<String, std::collections::BTreeMap<NaiveDate, String>> =
            HashMap::new();
        while let Some(row) = rows.next()? {
            let day = attendance_day(row, 1, 2)?;
            map.entry(row.get(0)?).or_default().insert(day, row.get(3)?);
        }
        Ok(map)
    }

    /// [`Store::attendance_of`]'s query: one application's days through the attendance's
    /// `(application_id, day)` key.
    pub const ATTENDANCE_OF: &str = "SELECT t.id, t.day, t.hours
         FROM applications a JOIN civico_attendance t ON t.application_id = a.id
         WHERE a.application_code = ?1 AND a.deleted = 0 AND t.deleted = 0";

    /// [`Store::attendance_between`]'s query: the days of `owner`'s attendance from `?2` to
    /// `?3`, a range of the index `civico_attendance_by_day`.
    pub const ATTENDANCE_BETWEEN: &str = "SELECT a.application_code, t.id, t.day, t.hours
         FROM civico_attendance t JOIN applications a ON a.id = t.application_id
         WHERE t.owner = ?1 AND t.deleted = 0 AND t.day BETWEEN ?2 AND ?3 AND a.deleted = 0";

    /// The days of attendance of application `code`, with their hours.
    pub fn attendance_of(
        &self,
        code: &str,
    ) -> Result<std::collections::BTreeMap<NaiveDate, String>> {
        let mut stmt = self.conn.prepare_cached(Self::ATTENDANCE_OF)?;
        let mut rows = stmt.query([code])?;
        let mut days = std::collections::BTreeMap::new();
        while let Some(row) = rows.next()? {
            days.insert(attendance_day(row, 0, 1)?, row.get(2)?);
        }
        Ok(days)
    }

    /// The days of attendance recorded by `owner` from `from` to `to` (both included), by
    /// application code, as [`Store::attendance`] gives them all.
    pub fn attendance_between(
        &self,
        owner: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<HashMap<String, std::collections::BTreeMap<NaiveDate, String>>> {
        let mut stmt = self.conn.prepare_cached(Self::ATTENDANCE_BETWEEN)?;
        let mut rows = stmt.query(params![owner, from.to_string(), to.to_string()])?;
        let mut map: HashMap<String, std::collections::BTreeMap<NaiveDate, String>> =
            HashMap::new();
        while let Some(row) = rows.next()? {
            let day = attendance_day(row, 1, 2)?;
            map.entry(row.get(0)?).or_default().insert(day, row.get(3)?);
        }
        Ok(map)
    }

    /// The query of [`Store::hours_between`], for its plan to be checked: it reads the index
    /// `civico_attendance_by_day` alone, in its order (so grouping needs no sorting).
    pub const HOURS_BETWEEN: &str = "SELECT day, hours, count(*) FROM civico_attendance
         WHERE owner = ?1 AND deleted = 0 AND day BETWEEN ?2 AND ?3 GROUP BY day, hours";

    /// The days `owner` recorded from `from` to `to`, both included, with their hours
    /// (decimal texts) and how many participants served them that day, in one pass over the
    /// table: what a count of hours needs, without the participants. Counted in SQL: a
    /// half-year is some 25,000 rows of ten years' attendance, a few hundred days.
    pub fn hours_between(
        &self,
        owner: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, String, u32)>> {
        let mut stmt = self.conn.prepare_cached(Self::HOURS_BETWEEN)?;
        let mut rows = stmt.query(params![owner, from.to_string(), to.to_string()])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let text: String = row.get(0)?;
            let day = text.parse().map_err(|_| {
                StoreError::Corrupt(format!(
                    "{}, colonna {} «{text}»",
                    "civico_attendance", "day"
                ))
            })?;
            out.push((day, row.get(1)?, row.get(2)?));
        }
        Ok(out)
    }

    /// Records every row or none (one transaction): a day already held takes the new hours.
    /// Audited once, with the number of rows.
    pub fn save_attendance(
        &mut self,
        rows: &[AttendanceRow],
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let comune = crate::install::own_comune(&tx)?;
        let recorded_at = at.to_rfc3339();
        let mut ids: HashMap<&str, String> = HashMap::new();
        for row in rows {
            let application_id = match ids.get(row.application_code) {
                Some(id) => id.clone(),
                None => {
                    let id = crate::applications::own_application_id(&tx, row.application_code)?;
                    ids.insert(row.application_code, id.clone());
                    id
                }
            };
            let version = next_version(&tx)?;
            let id: String = tx.query_row(
                "INSERT INTO civico_attendance (id, owner, version, content_hash, application_id,
                 day, hours, operator, recorded_at) VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (application_id, day) DO UPDATE SET version = excluded.version,
                   hours = excluded.hours, operator = excluded.operator,
                   recorded_at = excluded.recorded_at
                 RETURNING id",
                params![
                    new_id().to_string(),
                    comune,
                    version,
                    application_id,
                    row.day.to_string(),
                    row.hours,
                    actor.0,
                    recorded_at
                ],
                |r| r.get(0),
            )?;
            crate::tables::stamp(&tx, "civico_attendance", &id)?;
        }
        audit::log(
            &tx,
            at,
            actor,
            "civico_attendance_import",
            "attendance",
            None,
            serde_json::json!({ "rows": rows.len(), "applications": ids.len() }),
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// A line of a frozen payment list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ListedPayment {
    pub application_code: String,
    /// Decimal texts.
    pub hours: String,
    pub amount: String,
}

impl Store {
    /// The payment lists already printed for `month` (`aaaa-mm`), first to last.
    pub fn payment_lists(&self, month: &str) -> Result<Vec<(i64, Vec<ListedPayment>)>> {
        let mut stmt = self.conn.prepare(
            "SELECT number, lines FROM civico_payment_lists WHERE month = ?1 ORDER BY number",
        )?;
        let rows = stmt.query_map([month], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut lists = Vec::new();
        for row in rows {
            let (number, lines) = row?;
            let lines = serde_json::from_str(&lines).map_err(|_| {
                StoreError::Corrupt(format!(
                    "{}/{month}-{number}, colonna {}",
                    "civico_payment_lists", "lines"
                ))
            })?;
            lists.push((number, lines));
        }
        Ok(lists)
    }

    /// Freezes the next payment list of `month`; returns its number. Audited.
    pub fn save_payment_list(
        &mut self,
        month: &str,
        lines: &[ListedPayment],
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let number: i64 = tx.query_row(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM civico_payment_lists WHERE month = ?1",
            [month],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO civico_payment_lists (month, number, listed_at, operator, lines)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                month,
                number,
                at.to_rfc3339(),
                actor.0,
                serde_json::to_string(lines).expect("payment lines serialise")
            ],
        )?;
        audit::log(
            &tx,
            at,
            actor,
            "print_payments",
            "payment_list",
            Some(&format!("{month}/{number}")),
            serde_json::json!({ "lines": lines.len() }),
        )?;
        tx.commit()?;
        Ok(number)
    }
}

/// A received project: its dates in order and its texts as at the desk.
pub(crate) fn check_received_project(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    crate::tables::check_texts(
        body,
        &[
            ("sector", false),
            ("site", false),
            ("office", false),
            ("tutor", false),
            ("schedule", false),
            ("inail_position", false),
            ("rc_policy", false),
            ("operator", false),
        ],
    )?;
    if body["start_on"].as_str() > body["end_on"].as_str() {
        return Err(format!("{}: la fine precede l'inizio", "end_on"));
    }
    if !body["weekly_hours"].as_str().is_some_and(decimal_text) {
        return Err(format!("{}: non è un numero", "weekly_hours"));
    }
    Ok(())
}

/// A complaint as recorded (`civico complaint list`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Complaint {
    pub id: String,
    pub application_code: String,
    /// `host` (the host office) or `participant`.
    pub source: String,
    pub text: String,
    pub received_on: String,
    pub operator: String,
    pub recorded_at: String,
    pub outcome: Option<String>,
    pub closed_at: Option<String>,
}

impl Store {
    /// Records a complaint about this comune's participant `code`; returns its id. Audited
    /// (the text may name people: the trail keeps the source and the day).
    pub fn add_complaint(
        &mut self,
        code: &str,
        source: &str,
        text: &str,
        received_on: NaiveDate,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<String> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let application_id = crate::applications::own_application_id(&tx, code)?;
        let comune = crate::install::own_comune(&tx)?;
        let id = new_id().to_string();
        let version = next_version(&tx)?;
        tx.execute(
            "INSERT INTO civico_complaints (id, owner, version, content_hash, application_id,
             source, text, received_on, operator, recorded_at)
             VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id,
                comune,
                version,
                application_id,
                source,
                text,
                received_on.to_string(),
                actor.0,
                at.to_rfc3339()
            ],
        )?;
        crate::tables::stamp(&tx, "civico_complaints", &id)?;
        audit::log(
            &tx,
            at,
            actor,
            "civico_complaint_add",
            "complaint",
            Some(&id),
            serde_json::json!({
                "application_code": code, "source": source, "received_on": received_on.to_string(),
            }),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Closes this comune's open complaint `id` with how it was handled. Refused as
    /// [`StoreError::Changed`] when it is closed already or not this comune's.
    pub fn close_complaint(
        &mut self,
        id: &str,
        outcome: &str,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let comune = crate::install::own_comune(&tx)?;
        let version = next_version(&tx)?;
        let changed = tx.execute(
            "UPDATE civico_complaints SET version = ?2, outcome = ?3, closed_at = ?4
             WHERE id = ?1 AND owner = ?5 AND closed_at IS NULL AND deleted = 0",
            params![id, version, outcome, at.to_rfc3339(), comune],
        )?;
        if changed == 0 {
            return Err(StoreError::Changed(format!(
                "il reclamo {id} non è tra quelli aperti di questo comune"
            )));
        }
        crate::tables::stamp(&tx, "civico_complaints", id)?;
        audit::log(
            &tx,
            at,
            actor,
            "civico_complaint_close",
            "complaint",
            Some(id),
            serde_json::json!({}),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every complaint held (at the capofila, every comune's), oldest first.
    pub fn complaints(&self) -> Result<Vec<Complaint>> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id, a.application_code, c.source, c.text, c.received_on, c.operator,
                    c.recorded_at, c.outcome, c.closed_at
             FROM civico_complaints c JOIN applications a ON a.id = c.application_id
             WHERE c.deleted = 0 AND a.deleted = 0 ORDER BY c.received_on, c.recorded_at",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Complaint {
                id: r.get(0)?,
                application_code: r.get(1)?,
                source: r.get(2)?,
                text: r.get(3)?,
                received_on: r.get(4)?,
                operator: r.get(5)?,
                recorded_at: r.get(6)?,
                outcome: r.get(7)?,
                closed_at: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// A received complaint: clean texts, closed with both its outcome and its time.
pub(crate) fn check_received_complaint(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    crate::tables::check_texts(
        body,
        &[("text", true), ("outcome", true), ("operator", false)],
    )?;
    crate::tables::both_or_neither(
        body,
        "outcome",
        "closed_at",
        "chiusura senza esito o senza data",
    )
}

/// A check of a participant, in itinere or at the end (`civico check`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantCheck {
    /// `itinere` or `finale`.
    pub stage: String,
    /// `aaaa-mm-gg`.
    pub date: NaiveDate,
    pub tasks_done: String,
    #[serde(default)]
    pub training: Option<String>,
    #[serde(default)]
    pub skills: Option<String>,
    /// At the end: found work after the service (`null`: not known).
    #[serde(default)]
    pub employed_after: Option<bool>,
}

impl Store {
    /// Records the check of this comune's participant `code` at its stage (a new version when
    /// that stage was recorded before). Audited without its texts.
    pub fn save_check(
        &mut self,
        code: &str,
        check: &ParticipantCheck,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let application_id = crate::applications::own_application_id(&tx, code)?;
        let comune = crate::install::own_comune(&tx)?;
        let version = next_version(&tx)?;
        let id: String = tx.query_row(
            "INSERT INTO civico_checks (id, owner, version, content_hash, application_id, stage,
             done_on, tasks, training, skills, employed_after, operator, recorded_at)
             VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (application_id, stage) DO UPDATE SET version = excluded.version,
               done_on = excluded.done_on, tasks = excluded.tasks, training = excluded.training,
               skills = excluded.skills, employed_after = excluded.employed_after,
               operator = excluded.operator, recorded_at = excluded.recorded_at
             RETURNING id",
            params![
                new_id().to_string(),
                comune,
                version,
                application_id,
                check.stage,
                check.date.to_string(),
                check.tasks_done,
                check.training,
                check.skills,
                check.employed_after,
                actor.0,
                at.to_rfc3339()
            ],
            |r| r.get(0),
        )?;
        crate::tables::stamp(&tx, "civico_checks", &id)?;
        audit::log(
            &tx,
            at,
            actor,
            "civico_check",
            "application",
            Some(&application_id),
            serde_json::json!({ "application_code": code, "stage": check.stage }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The checks of application `code`, in itinere first.
    pub fn checks(&self, code: &str) -> Result<Vec<ParticipantCheck>> {
        let mut stmt = self.conn.prepare(
            "SELECT c.stage, c.done_on, c.tasks, c.training, c.skills, c.employed_after, c.id
             FROM civico_checks c JOIN applications a ON a.id = c.application_id
             WHERE a.application_code = ?1 AND c.deleted = 0 ORDER BY c.stage DESC",
        )?;
        let rows = stmt.query_map([code], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<bool>>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut list = Vec::new();
        for row in rows {
            let (stage, date, tasks_done, training, skills, employed_after, id) = row?;
            let date = date.parse().map_err(|_| {
                StoreError::Corrupt(format!("{}/{id}, colonna {}", "civico_checks", "done_on"))
            })?;
            list.push(ParticipantCheck {
                stage,
                date,
                tasks_done,
                training,
                skills,
                employed_after,
            });
        }
        Ok(list)
    }
}

/// A received check: clean texts.
pub(crate) fn check_received_check(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    crate::tables::check_texts(
        body,
        &[
            ("tasks", true),
            ("training", true),
            ("skills", true),
            ("operator", false),
        ],
    )
}

/// A received day of attendance: hours as decimal text.
pub(crate) fn check_received_attendance(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    if body["hours"].as_str().is_some_and(decimal_text) {
        Ok(())
    } else {
        Err("hours: non è un numero".into())
    }
}

/// `12`, `3.5`: digits with at most one dot between digits.
fn decimal_text(h: &str) -> bool {
    let (whole, cents) = h.split_once('.').unwrap_or((h, "0"));
    !whole.is_empty()
        && !cents.is_empty()
        && whole
            .bytes()
            .chain(cents.bytes())
            .all(|b| b.is_ascii_digit())
}

/// A received event: its note follows the desk's rule for texts.
pub(crate) fn check_received(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    crate::tables::check_texts(body, &[("note", true), ("operator", false)])
}

/// The day in column `day` of an attendance row, or the corruption naming the row (its id in
/// column `id`).
fn attendance_day(row: &rusqlite::Row, id: usize, day: usize) -> Result<NaiveDate> {
    let text: String = row.get(day)?;
    text.parse().map_err(|_| {
        let id: String = row.get(id).unwrap_or_default();
        StoreError::Corrupt(format!("{}/{id}, colonna {}", "civico_attendance", "day"))
    })
}
