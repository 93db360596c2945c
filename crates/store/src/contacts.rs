//! The front office's records: contacts (accessi), back-office cases with their diary, and
//! the anonymous satisfaction questionnaires.
//!
//! What travels is kept apart from what does not: `contacts`, `front_office_cases` and
//! `satisfaction` carry no name, codice fiscale or free text (a person is a keyed digest of
//! the codice fiscale, `person_key`); the identity, the request in words, the referral's text,
//! the diary and the suggestions live in local tables that no bundle reads.

use chrono::{DateTime, FixedOffset, NaiveDate};
use hmac::{Hmac, Mac};
use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::Sha256;
use sportello_domain::Sex;
use sportello_domain::front_office::contact::{AGE_BANDS, AREAS, is_service_code};
use sportello_domain::front_office::{
    Answer, CaseFact, Channel, CheckedContact, ContactFact, Interlocutor, Need, SatisfactionFact,
    SentBy,
};

use crate::audit::{self, Actor};
use crate::record::{new_id, next_version};
use crate::{Result, Store, StoreError};

/// Hex characters of a person key: the first 16 bytes of the HMAC-SHA256.
pub const PERSON_KEY_HEX: usize = 32;

/// The keyed digest of codice fiscale `code` under the district's front-office key (hex):
/// HMAC-SHA256 keyed with the key's bytes, over a label and the code in uppercase; the first
/// 16 bytes, in hex. Without the key nobody can test a guessed code against it.
pub fn person_key(key_hex: &str, code: &str) -> String {
    let key = hex::decode(key_hex).unwrap_or_else(|_| key_hex.as_bytes().to_vec());
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes keys of any length");
    mac.update(b"sportello front office person v1\0");
    mac.update(code.trim().to_uppercase().as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..PERSON_KEY_HEX / 2])
}

/// A checked contact and the key of its person, to store.
pub struct NewContact<'a> {
    pub contact: &'a CheckedContact,
    pub person_key: Option<String>,
}

/// What storing a contact made (`contact add --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ContactAdded {
    /// The contact's number at this comune (and of its case).
    pub id: i64,
    pub record_id: String,
    /// For an istruttoria: the case's number (the contact's).
    pub case_id: Option<i64>,
    pub kind: Option<String>,
    pub due_on: Option<NaiveDate>,
}

/// A line of a case's diary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct DiaryEntry {
    pub at: String,
    pub operator: String,
    /// `nota`, `assegnazione`, `chiusura`.
    pub kind: String,
    pub text: String,
}

/// A back-office case as held here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct StoredCase {
    /// The number of the contact that opened it.
    pub id: i64,
    pub record_id: String,
    pub kind: String,
    pub target_days: u8,
    pub working_days: bool,
    pub opened_on: NaiveDate,
    pub due_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub assigned_to: Option<String>,
    pub diary: Vec<DiaryEntry>,
}

/// An open case as the Home's to-do names it ([`Store::cases_due`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCase {
    /// The number of the contact that opened it.
    pub number: i64,
    pub kind: String,
    pub due_on: NaiveDate,
    pub assigned_to: Option<String>,
}

/// A contact of this comune as held here, with what stays local.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct StoredContact {
    pub id: i64,
    pub record_id: String,
    pub comune: String,
    pub at: String,
    pub day: NaiveDate,
    pub channel: Channel,
    pub interlocutor: Interlocutor,
    pub sent_by: SentBy,
    pub anonymous: bool,
    pub codice_fiscale: Option<String>,
    pub surname: Option<String>,
    pub name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub age_band: Option<String>,
    pub residence_istat: Option<String>,
    pub needs: Vec<Need>,
    pub request: Option<String>,
    pub answer: Answer,
    pub services: Vec<String>,
    pub unmet_need: bool,
    pub referral_to: Option<String>,
    pub referral_bring: Option<String>,
    /// An invio: whether the service took the person up (unknown until recorded).
    pub taken_up: Option<bool>,
    pub operator: String,
    pub case: Option<StoredCase>,
}

/// One questionnaire to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSatisfaction {
    pub day: NaiveDate,
    pub courtesy: Option<u8>,
    pub clarity: Option<u8>,
    pub waiting: Option<u8>,
    pub finding: Option<u8>,
    pub suggestion: Option<String>,
}

/// Where a case's unreadable value is: `front_office_cases/<id>, colonna <column>`.
fn case_column(id: &str, column: &str) -> String {
    format!("{}/{id}, colonna {column}", "front_office_cases")
}

fn date(s: &str, what: &str) -> Result<NaiveDate> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("{what}: data non valida {s:?}")))
}

fn word<T>(parse: fn(&str) -> Option<T>, s: &str, what: &str) -> Result<T> {
    parse(s).ok_or_else(|| StoreError::Corrupt(format!("{what}: valore {s:?}")))
}

fn needs_json(needs: &[Need]) -> String {
    serde_json::to_string(needs).expect("needs serialise")
}

impl Store {
    /// Stores contacts typed at the desk, all or none, each with its case when it opens one;
    /// audited by number, kind and answer (never the person or the request).
    pub fn add_contacts(
        &mut self,
        items: &[NewContact],
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<Vec<ContactAdded>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let comune = crate::install::own_comune(&tx)?;
        let first: i64 = tx.query_row(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM contacts",
            [],
            |r| r.get(0),
        )?;
        let mut added = Vec::new();
        for (item, next) in items.iter().zip(first..) {
            let c = item.contact;
            let id = new_id().to_string();
            let version = next_version(&tx)?;
            tx.execute(
                "INSERT INTO contacts (id, owner, version, content_hash, comune, day, channel,
                 interlocutor, sent_by, person_key, sex, age_band, residence_istat, needs,
                 answer, services, unmet_need, number)
                 VALUES (?1, ?2, ?3, '', ?2, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,
                 ?15, ?16)",
                params![
                    id,
                    comune,
                    version,
                    c.day.to_string(),
                    c.channel.as_str(),
                    c.interlocutor.as_str(),
                    c.sent_by.as_str(),
                    item.person_key,
                    c.sex.map(|s| format!("{s:?}")),
                    c.age_band,
                    c.residence_istat,
                    needs_json(&c.needs),
                    c.answer.as_str(),
                    serde_json::to_string(&c.services).expect("codes serialise"),
                    c.unmet_need,
                    next,
                ],
            )?;
            crate::tables::stamp(&tx, "contacts", &id)?;
            let identity = c.identity.as_ref();
            tx.execute(
                "INSERT INTO contact_private (contact_id, at, codice_fiscale, surname, name,
                 birth_date, request, referral_to, referral_bring, operator, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    id,
                    c.at.to_rfc3339(),
                    identity.map(|i| &i.codice_fiscale),
                    identity.map(|i| &i.surname),
                    identity.map(|i| &i.name),
                    identity.map(|i| i.birth_date.to_string()),
                    c.request,
                    c.referral.as_ref().map(|r| &r.to),
                    c.referral.as_ref().and_then(|r| r.bring.as_ref()),
                    actor.0,
                    at.to_rfc3339(),
                ],
            )?;
            let mut done = ContactAdded {
                id: next,
                record_id: id.clone(),
                case_id: None,
                kind: None,
                due_on: None,
            };
            if let Some((kind, due)) = &c.case {
                let case_id = new_id().to_string();
                let version = next_version(&tx)?;
                tx.execute(
                    "INSERT INTO front_office_cases (id, owner, version, content_hash,
                     contact_id, kind, target_days, working_days, opened_on, due_on,
                     assigned_to) VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![
                        case_id,
                        comune,
                        version,
                        id,
                        kind.id,
                        kind.target_days,
                        kind.working_days,
                        c.day.to_string(),
                        due.to_string(),
                        actor.0,
                    ],
                )?;
                crate::tables::stamp(&tx, "front_office_cases", &case_id)?;
                done.case_id = Some(next);
                done.kind = Some(kind.id.clone());
                done.due_on = Some(*due);
            }
            audit::log(
                &tx,
                at,
                actor,
                "contact_add",
                "contact",
                Some(&id),
                serde_json::json!({
                    "number": next, "answer": c.answer.as_str(),
                    "identified": c.identity.is_some(), "case": done.kind, "due_on": done.due_on,
                }),
            )?;
            added.push(done);
        }
        tx.commit()?;
        Ok(added)
    }

    /// The contacts listed (`c`, with the desk's part `p`); [`ContactScope`] adds the
    /// conditions, [`Store::contacts`] the order.
    pub const CONTACTS: &str = "SELECT c.id, c.number, c.comune, c.day, c.channel,
            c.interlocutor, c.sent_by, c.person_key, c.sex, c.age_band, c.residence_istat,
            c.needs, c.answer, c.services, c.unmet_need, c.taken_up, p.at, p.codice_fiscale,
            p.surname, p.name, p.birth_date, p.request, p.referral_to, p.referral_bring,
            p.operator
         FROM contacts c JOIN contact_private p ON p.contact_id = c.id
         WHERE c.deleted = 0 AND c.number IS NOT NULL";

    /// The cases (`f`) of this comune's contacts (`c`); callers add `AND …` conditions.
    pub const CASES: &str = "SELECT f.id, f.contact_id, c.number, f.kind, f.target_days,
            f.working_days, f.opened_on, f.due_on, f.closed_on, f.outcome, f.assigned_to
         FROM front_office_cases f JOIN contacts c ON c.id = f.contact_id
         WHERE f.deleted = 0 AND c.number IS NOT NULL";

    /// The diary entries (`d`) of the cases of [`Store::CASES`], with the same conditions.
    pub const CASE_DIARY: &str = "SELECT d.case_id, d.at, d.operator, d.kind, d.text
         FROM case_diary d JOIN front_office_cases f ON f.id = d.case_id
         JOIN contacts c ON c.id = f.contact_id
         WHERE f.deleted = 0 AND c.number IS NOT NULL";

    /// [`Store::CASES`] for the contacts a [`ContactScope`] selects: the contacts first (by
    /// day or person, through their indexes), then each one's case.
    pub const CONTACT_CASES: &str = "SELECT f.id, f.contact_id, c.number, f.kind,
            f.target_days, f.working_days, f.opened_on, f.due_on, f.closed_on, f.outcome,
            f.assigned_to
         FROM contacts c CROSS JOIN front_office_cases f ON f.contact_id = c.id
         WHERE f.deleted = 0 AND c.deleted = 0 AND c.number IS NOT NULL";

    /// [`Store::CASE_DIARY`] for the contacts a [`ContactScope`] selects, in the same order.
    pub const CONTACT_CASE_DIARY: &str = "SELECT d.case_id, d.at, d.operator, d.kind, d.text
         FROM contacts c CROSS JOIN front_office_cases f ON f.contact_id = c.id
         CROSS JOIN case_diary d ON d.case_id = f.id
         WHERE f.deleted = 0 AND c.deleted = 0 AND c.number IS NOT NULL";

    /// The condition of the open cases, which their partial index
    /// `front_office_cases_open` holds.
    pub const OPEN: &str = "AND f.closed_on IS NULL";

    /// This comune's contacts from `from` to `to` (days, both included), or those of the person
    /// with codice fiscale `person`, newest first, each with its case.
    pub fn contacts(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        person: Option<&str>,
    ) -> Result<Vec<StoredContact>> {
        let scope = ContactScope::of(from, to, person);
        let mut stmt = self.conn.prepare_cached(&scope.contacts_sql())?;
        let mut rows = stmt.query(rusqlite::params_from_iter(&scope.values))?;
        let cases = self.cases_by_contact(
            [Self::CONTACT_CASE_DIARY, Self::CONTACT_CASES],
            &scope.condition(),
            &scope.values,
        )?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get("id")?;
            let what = |column: &str| format!("contacts/{id}, colonna {column}");
            let corrupt = |column: &str| StoreError::Corrupt(what(column));
            let needs: String = r.get("needs")?;
            let services: String = r.get("services")?;
            let sex: Option<String> = r.get("sex")?;
            let birth: Option<String> = r.get("birth_date")?;
            out.push(StoredContact {
                id: r.get("number")?,
                comune: r.get("comune")?,
                at: r.get("at")?,
                day: date(&r.get::<_, String>("day")?, &what("day"))?,
                channel: word(
                    Channel::parse,
                    &r.get::<_, String>("channel")?,
                    &what("channel"),
                )?,
                interlocutor: word(
                    Interlocutor::parse,
                    &r.get::<_, String>("interlocutor")?,
                    &what("interlocutor"),
                )?,
                sent_by: word(
                    SentBy::parse,
                    &r.get::<_, String>("sent_by")?,
                    &what("sent_by"),
                )?,
                anonymous: r.get::<_, Option<String>>("person_key")?.is_none(),
                codice_fiscale: r.get("codice_fiscale")?,
                surname: r.get("surname")?,
                name: r.get("name")?,
                birth_date: birth.map(|b| date(&b, &what("birth_date"))).transpose()?,
                sex: match sex.as_deref() {
                    None => None,
                    Some("M") => Some(Sex::M),
                    Some("F") => Some(Sex::F),
                    Some(_) => return Err(corrupt("sex")),
                },
                age_band: r.get("age_band")?,
                residence_istat: r.get("residence_istat")?,
                needs: serde_json::from_str(&needs).map_err(|_| corrupt("needs"))?,
                request: r.get("request")?,
                answer: word(
                    Answer::parse,
                    &r.get::<_, String>("answer")?,
                    &what("answer"),
                )?,
                services: serde_json::from_str(&services).map_err(|_| corrupt("services"))?,
                unmet_need: r.get("unmet_need")?,
                referral_to: r.get("referral_to")?,
                referral_bring: r.get("referral_bring")?,
                taken_up: r.get("taken_up")?,
                operator: r.get("operator")?,
                case: cases.get(&id).cloned(),
                record_id: id,
            });
        }
        Ok(out)
    }

    /// One contact of this comune by its number.
    pub fn contact(&self, number: i64) -> Result<Option<StoredContact>> {
        let id: Option<String> = self
            .conn
            .query_row(
                "SELECT day FROM contacts WHERE number = ?1 AND deleted = 0",
                [number],
                |r| r.get(0),
            )
            .optional()?;
        let Some(day) = id else { return Ok(None) };
        let day = date(&day, "contacts.day")?;
        Ok(self
            .contacts(Some(day), Some(day), None)?
            .into_iter()
            .find(|c| c.id == number))
    }

    /// This comune's cases whose contact `condition` selects (`AND …` over the contact `c`
    /// and the case `f`, with its `values`), by the record id of their contact, each with its
    /// diary: the queries of the diary and of the cases, in the join order that suits the
    /// condition.
    fn cases_by_contact(
        &self,
        [diary_query, cases_query]: [&str; 2],
        condition: &str,
        values: &[SqlValue],
    ) -> Result<std::collections::HashMap<String, StoredCase>> {
        let mut diary: std::collections::HashMap<String, Vec<DiaryEntry>> = Default::default();
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{diary_query} {condition} ORDER BY d.seq"))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
        while let Some(r) = rows.next()? {
            diary.entry(r.get(0)?).or_default().push(DiaryEntry {
                at: r.get(1)?,
                operator: r.get(2)?,
                kind: r.get(3)?,
                text: r.get(4)?,
            });
        }
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{cases_query} {condition}"))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
        let mut out = std::collections::HashMap::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get("id")?;
            let what = |column: &str| case_column(&id, column);
            let closed: Option<String> = r.get("closed_on")?;
            let case = StoredCase {
                id: r.get("number")?,
                kind: r.get("kind")?,
                target_days: r.get("target_days")?,
                working_days: r.get("working_days")?,
                opened_on: date(&r.get::<_, String>("opened_on")?, &what("opened_on"))?,
                due_on: date(&r.get::<_, String>("due_on")?, &what("due_on"))?,
                closed_on: closed.map(|c| date(&c, &what("closed_on"))).transpose()?,
                outcome: r.get("outcome")?,
                assigned_to: r.get("assigned_to")?,
                diary: diary.remove(&id).unwrap_or_default(),
                record_id: id,
            };
            out.insert(r.get::<_, String>("contact_id")?, case);
        }
        Ok(out)
    }

    /// This comune's cases, open ones first by due date, then closed ones, newest first.
    pub fn cases(&self) -> Result<Vec<StoredCase>> {
        self.cases_where("", &[])
    }

    /// The open cases, by due date: the back office's work list, read through their own index.
    pub fn open_cases(&self) -> Result<Vec<StoredCase>> {
        self.cases_where(Self::OPEN, &[])
    }

    /// [`Store::cases_due`]'s query (`?1` the last day): the open cases' own index, each
    /// contact's number from an index alone, no diary.
    pub const CASES_DUE: &str = "SELECT c.number, f.kind, f.due_on, f.assigned_to, f.id
         FROM front_office_cases f JOIN contacts c ON c.id = f.contact_id
         WHERE f.deleted = 0 AND c.number IS NOT NULL AND f.closed_on IS NULL
           AND f.due_on <= ?1
         ORDER BY f.due_on, c.number";

    /// The open cases due by `day` (overdue ones included), soonest first: the Home's to-do,
    /// which names them and counts them, ten years of cases and their diaries left unread.
    pub fn cases_due(&self, day: NaiveDate) -> Result<Vec<DueCase>> {
        let mut stmt = self.conn.prepare_cached(Self::CASES_DUE)?;
        let mut rows = stmt.query([day.to_string()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get(4)?;
            let what = |column: &str| case_column(&id, column);
            let due_on: String = r.get(2)?;
            out.push(DueCase {
                number: r.get(0)?,
                kind: r.get(1)?,
                due_on: date(&due_on, &what("due_on"))?,
                assigned_to: r.get(3)?,
            });
        }
        Ok(out)
    }

    /// Case `number` (the number of the contact that opened it).
    pub fn case(&self, number: i64) -> Result<Option<StoredCase>> {
        Ok(self
            .cases_where("AND c.number = ?1", &[SqlValue::from(number)])?
            .pop())
    }

    fn cases_where(&self, condition: &str, values: &[SqlValue]) -> Result<Vec<StoredCase>> {
        let mut cases: Vec<StoredCase> = self
            .cases_by_contact([Self::CASE_DIARY, Self::CASES], condition, values)?
            .into_values()
            .collect();
        cases.sort_by(|a, b| {
            (
                a.closed_on.is_some(),
                a.closed_on.map(std::cmp::Reverse),
                a.due_on,
                a.id,
            )
                .cmp(&(
                    b.closed_on.is_some(),
                    b.closed_on.map(std::cmp::Reverse),
                    b.due_on,
                    b.id,
                ))
        });
        Ok(cases)
    }

    /// Closes case `number` on `on` with `outcome` (a code of `CASE_OUTCOMES`), the note in
    /// the diary; audited.
    #[allow(clippy::too_many_arguments)]
    pub fn close_case(
        &mut self,
        number: i64,
        on: NaiveDate,
        outcome: &str,
        note: Option<&str>,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let text = match note {
            Some(n) => format!("{outcome}: {n}"),
            None => outcome.to_string(),
        };
        let detail =
            serde_json::json!({ "number": number, "on": on.to_string(), "outcome": outcome });
        self.write_case(number, at, actor, "case_close", detail, |tx, id| {
            let version = next_version(tx)?;
            tx.execute(
                "UPDATE front_office_cases SET closed_on = ?1, outcome = ?2, version = ?3
                 WHERE id = ?4",
                params![on.to_string(), outcome, version, id],
            )?;
            crate::tables::stamp(tx, "front_office_cases", id)?;
            diary(tx, id, at, actor, "chiusura", &text)
        })
    }

    /// A note in case `number`'s diary; audited (the trail keeps the number, not the text).
    pub fn case_note(
        &mut self,
        number: i64,
        text: &str,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let detail = serde_json::json!({ "number": number });
        self.write_case(number, at, actor, "case_note", detail, |tx, id| {
            diary(tx, id, at, actor, "nota", text)
        })
    }

    /// Assigns case `number` to `operator`; audited and written in the diary.
    pub fn assign_case(
        &mut self,
        number: i64,
        operator: &str,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let detail = serde_json::json!({ "number": number, "operator": operator });
        self.write_case(number, at, actor, "case_assign", detail, |tx, id| {
            tx.execute(
                "UPDATE front_office_cases SET assigned_to = ?1 WHERE id = ?2",
                params![operator, id],
            )?;
            diary(
                tx,
                id,
                at,
                actor,
                "assegnazione",
                &format!("assegnata a {operator}"),
            )
        })
    }

    /// One change to case `number` in one transaction, with its audit entry.
    fn write_case(
        &mut self,
        number: i64,
        at: DateTime<FixedOffset>,
        actor: &Actor,
        action: &str,
        detail: serde_json::Value,
        change: impl FnOnce(&Transaction, &str) -> Result<()>,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = case_id(&tx, number)?;
        change(&tx, &id)?;
        audit::log(
            &tx,
            at,
            actor,
            action,
            "front_office_case",
            Some(&id),
            detail,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Records whether the service took up the invio of contact `number`, on `on`; audited.
    pub fn set_taken_up(
        &mut self,
        number: i64,
        taken_up: bool,
        on: NaiveDate,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id: String = tx
            .query_row(
                "SELECT id FROM contacts WHERE number = ?1 AND deleted = 0",
                [number],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| unknown_contact(number))?;
        let version = next_version(&tx)?;
        tx.execute(
            "UPDATE contacts SET taken_up = ?1, taken_up_on = ?2, version = ?3 WHERE id = ?4",
            params![taken_up, on.to_string(), version, id],
        )?;
        crate::tables::stamp(&tx, "contacts", &id)?;
        audit::log(
            &tx,
            at,
            actor,
            "referral_taken_up",
            "contact",
            Some(&id),
            serde_json::json!({ "number": number, "taken_up": taken_up, "on": on.to_string() }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Stores questionnaires, all or none; audited by count.
    pub fn add_satisfaction(
        &mut self,
        items: &[NewSatisfaction],
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let comune = crate::install::own_comune(&tx)?;
        for s in items {
            let id = new_id().to_string();
            let version = next_version(&tx)?;
            tx.execute(
                "INSERT INTO satisfaction (id, owner, version, content_hash, comune, day,
                 courtesy, clarity, waiting, finding) VALUES (?1, ?2, ?3, '', ?2, ?4, ?5, ?6,
                 ?7, ?8)",
                params![
                    id,
                    comune,
                    version,
                    s.day.to_string(),
                    s.courtesy,
                    s.clarity,
                    s.waiting,
                    s.finding
                ],
            )?;
            crate::tables::stamp(&tx, "satisfaction", &id)?;
            if let Some(text) = &s.suggestion {
                tx.execute(
                    "INSERT INTO satisfaction_suggestions (satisfaction_id, text) VALUES (?1, ?2)",
                    params![id, text],
                )?;
            }
        }
        audit::log(
            &tx,
            at,
            actor,
            "satisfaction_add",
            "satisfaction",
            None,
            serde_json::json!({ "count": items.len() }),
        )?;
        tx.commit()?;
        Ok(items.len())
    }

    /// The contacts, cases and questionnaires held (this comune's, and at the capofila those
    /// received) as the statistics of `from..=to` read them: only what travels. Before `from`,
    /// only each person's first day at each comune (to tell new persons from returning ones).
    pub fn front_office_facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<ContactFact>, Vec<CaseFact>, Vec<SatisfactionFact>)> {
        self.facts(from, to, true)
    }

    /// What the monitoring's counts of `from..=to` read of [`Store::front_office_facts`]: the
    /// period's contacts and questionnaires and the cases closed in it. Of each contact only
    /// its comune, day, person and unmet need (what makes the contacts counted and the needs
    /// unmet): its channel, interlocutor, sender, needs, answer and services are left at the
    /// defaults the persons seen before take. Neither the persons seen before (the ten years
    /// before a half-year) nor the cases still open: no count reads them.
    pub fn front_office_counted(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<ContactFact>, Vec<CaseFact>, Vec<SatisfactionFact>)> {
        self.facts(from, to, false)
    }

    /// [`Store::front_office_facts`], with the persons seen before and the open cases only
    /// when `whole`.
    fn facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        whole: bool,
    ) -> Result<(Vec<ContactFact>, Vec<CaseFact>, Vec<SatisfactionFact>)> {
        let mut contacts = Vec::with_capacity(1024);
        // Persons seen before the period: the first day of each at each comune.
        // Nothing before the period when it starts on or before the first contact held.
        let first: Option<String> = if whole {
            self.conn.query_row(
                "SELECT MIN(day) FROM contacts INDEXED BY contacts_stats WHERE deleted = 0",
                [],
                |r| r.get(0),
            )?
        } else {
            None
        };
        let from_text = from.to_string();
        let before = first.is_some_and(|f| f < from_text);
        let mut stmt = self.conn.prepare_cached(
            "SELECT person_key, comune, MIN(day) FROM contacts INDEXED BY contacts_person
             WHERE deleted = 0 AND person_key IS NOT NULL AND day < ?1 AND ?2
             GROUP BY person_key, comune",
        )?;
        let mut rows = stmt.query(params![from_text, before])?;
        while let Some(r) = rows.next()? {
            let corrupt =
                |column: &str| StoreError::Corrupt(format!("{}, colonna {column}", "contacts"));
            let key = r.get_ref(0)?.as_str().map_err(|_| corrupt("person_key"))?;
            let day = r.get_ref(2)?.as_str().map_err(|_| corrupt("day"))?;
            contacts.push(ContactFact {
                comune: r.get::<_, String>(1)?.into(),
                day: day.parse().map_err(|_| corrupt("day"))?,
                channel: Channel::Altro,
                interlocutor: Interlocutor::Altro,
                sent_by: SentBy::Altro,
                person_key: Some(u128::from_str_radix(key, 16).map_err(|_| corrupt("person_key"))?),
                areas: 0,
                answer: Answer::Informazione,
                services: Vec::new(),
                unmet_need: false,
            });
        }
        // Not `whole`, only what the counts read: the rest of each contact as for the persons
        // seen before.
        let mut stmt = self.conn.prepare_cached(if whole {
            "SELECT comune, day, person_key, unmet_need, channel, interlocutor, sent_by, needs,
                    answer, services FROM contacts INDEXED BY contacts_stats
             WHERE deleted = 0 AND day BETWEEN ?1 AND ?2"
        } else {
            "SELECT comune, day, person_key, unmet_need FROM contacts INDEXED BY contacts_stats
             WHERE deleted = 0 AND day BETWEEN ?1 AND ?2"
        })?;
        let mut rows = stmt.query(params![from.to_string(), to.to_string()])?;
        // Rows come in day order: each day's text is read once; a comune's code too.
        let mut last_day = (String::new(), from);
        let mut last_comune: std::sync::Arc<str> = "".into();
        while let Some(r) = rows.next()? {
            let corrupt = |column: &str| {
                let day = r.get::<_, String>(1).unwrap_or_default();
                StoreError::Corrupt(format!("{} del {day}, colonna {column}", "contacts"))
            };
            let text = |i: usize, column: &str| -> Result<&str> {
                r.get_ref(i)?.as_str().map_err(|_| corrupt(column))
            };
            let person_key = match r
                .get_ref(2)?
                .as_str_or_null()
                .map_err(|_| corrupt("person_key"))?
            {
                None => None,
                Some(hex) => {
                    Some(u128::from_str_radix(hex, 16).map_err(|_| corrupt("person_key"))?)
                }
            };
            let mut contact = ContactFact {
                comune: {
                    let comune = text(0, "comune")?;
                    if *last_comune != *comune {
                        last_comune = comune.into();
                    }
                    last_comune.clone()
                },
                day: {
                    let day = text(1, "day")?;
                    if day != last_day.0 {
                        last_day = (day.to_string(), day.parse().map_err(|_| corrupt("day"))?);
                    }
                    last_day.1
                },
                channel: Channel::Altro,
                interlocutor: Interlocutor::Altro,
                sent_by: SentBy::Altro,
                person_key,
                areas: 0,
                answer: Answer::Informazione,
                services: Vec::new(),
                unmet_need: r.get(3)?,
            };
            if whole {
                contact.channel =
                    Channel::parse(text(4, "channel")?).ok_or_else(|| corrupt("channel"))?;
                contact.interlocutor = Interlocutor::parse(text(5, "interlocutor")?)
                    .ok_or_else(|| corrupt("interlocutor"))?;
                contact.sent_by =
                    SentBy::parse(text(6, "sent_by")?).ok_or_else(|| corrupt("sent_by"))?;
                contact.areas = areas_of(text(7, "needs")?).ok_or_else(|| corrupt("needs"))?;
                contact.answer =
                    Answer::parse(text(8, "answer")?).ok_or_else(|| corrupt("answer"))?;
                contact.services =
                    codes_of(text(9, "services")?).ok_or_else(|| corrupt("services"))?;
            }
            contacts.push(contact);
        }
        // The cases that count in the period: opened by its end and not closed before it (or,
        // not `whole`, closed in it).
        let mut cases = Vec::new();
        let mut stmt = self.conn.prepare_cached(if whole {
            "SELECT owner, opened_on, due_on, closed_on, outcome
             FROM front_office_cases INDEXED BY front_office_cases_stats
             WHERE deleted = 0 AND opened_on <= ?2 AND (closed_on IS NULL OR closed_on >= ?1)"
        } else {
            "SELECT owner, opened_on, due_on, closed_on, outcome
             FROM front_office_cases INDEXED BY front_office_cases_closed
             WHERE deleted = 0 AND closed_on BETWEEN ?1 AND ?2 AND opened_on <= ?2"
        })?;
        let mut rows = stmt.query(params![from.to_string(), to.to_string()])?;
        while let Some(r) = rows.next()? {
            let day = |i| day_at(r, i, "front_office_cases");
            cases.push(CaseFact {
                comune: r.get(0)?,
                opened_on: day(1)?,
                due_on: day(2)?,
                closed_on: match r.get_ref(3)? {
                    rusqlite::types::ValueRef::Null => None,
                    _ => Some(day(3)?),
                },
                outcome: r.get(4)?,
            });
        }
        let mut satisfaction = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT comune, day, courtesy, clarity, waiting, finding FROM satisfaction
             WHERE deleted = 0 AND day BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query(params![from.to_string(), to.to_string()])?;
        while let Some(r) = rows.next()? {
            satisfaction.push(SatisfactionFact {
                comune: r.get(0)?,
                day: day_at(r, 1, "satisfaction")?,
                courtesy: r.get(2)?,
                clarity: r.get(3)?,
                waiting: r.get(4)?,
                finding: r.get(5)?,
            });
        }
        Ok((contacts, cases, satisfaction))
    }
}

/// The service codes of a contact's `services` (a JSON list of codes, which hold no quote or
/// escape: `is_service_code`), read without a JSON parser.
fn codes_of(services: &str) -> Option<Vec<String>> {
    let inner = services.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
    if inner.is_empty() {
        return Some(Vec::new());
    }
    inner
        .split(',')
        .map(|code| {
            let code = code.trim().strip_prefix('"')?.strip_suffix('"')?;
            is_service_code(code).then(|| code.to_string())
        })
        .collect()
}

/// Column `i` of row `r` of `table` as a day (`aaaa-mm-gg`).
fn day_at(r: &rusqlite::Row, i: usize, table: &str) -> Result<NaiveDate> {
    let value = r.get_ref(i)?;
    value
        .as_str()
        .ok()
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| {
            let column = r.as_ref().column_name(i).unwrap_or_default();
            StoreError::Corrupt(format!("{table}, colonna {column}: data non valida"))
        })
}

/// The SIUSS areas of a contact's `needs` (as this install writes them and as a received
/// record is checked), bit `area - 1`, read without building the list: each `"area":N`.
fn areas_of(needs: &str) -> Option<u8> {
    const KEY: &[u8] = b"\"area\":";
    let bytes = needs.as_bytes();
    let mut bits = 0u8;
    let mut i = 0;
    while let Some(at) = bytes[i..].windows(KEY.len()).position(|w| w == KEY) {
        i += at + KEY.len();
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        let area = bytes.get(i)?.checked_sub(b'0')?;
        if !AREAS.contains(&area) {
            return None;
        }
        bits |= 1 << (area - 1);
    }
    (bits != 0).then_some(bits)
}

fn unknown_contact(number: i64) -> StoreError {
    StoreError::NotFound(format!(
        "il contatto n. {number} non esiste in questo comune"
    ))
}

fn case_id(tx: &Transaction, number: i64) -> Result<String> {
    tx.query_row(
        "SELECT f.id FROM front_office_cases f JOIN contacts c ON c.id = f.contact_id
         WHERE c.number = ?1 AND f.deleted = 0",
        [number],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| {
        StoreError::NotFound(format!(
            "l'istruttoria n. {number} non esiste in questo comune (il numero è quello del \
             contatto che l'ha aperta)"
        ))
    })
}

fn diary(
    tx: &Transaction,
    case_id: &str,
    at: DateTime<FixedOffset>,
    actor: &Actor,
    kind: &str,
    text: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO case_diary (case_id, at, operator, kind, text) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![case_id, at.to_rfc3339(), actor.0, kind, text],
    )?;
    Ok(())
}

/// A received contact: needs, services and the person key as this install writes them, the
/// referral's outcome only for an invio.
pub(crate) fn check_received_contact(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    let needs: Vec<Need> = serde_json::from_str(body["needs"].as_str().unwrap_or_default())
        .map_err(|_| "needs: atteso un elenco di bisogni {area, local_area}".to_string())?;
    if needs.is_empty() || needs.iter().any(|n| !AREAS.contains(&n.area)) {
        return Err("needs: area non prevista (1, 2 o 3)".into());
    }
    for n in &needs {
        if let Some(p) = n
            .local_area
            .as_deref()
            .and_then(|t| sportello_domain::intake::check_text("needs", t, false))
        {
            return Err(format!("needs: {}", p.code));
        }
        if n.local_area
            .as_ref()
            .is_some_and(|t| t.chars().count() > 64)
        {
            return Err("needs: area locale più lunga di 64 caratteri".into());
        }
    }
    let services: Vec<String> = serde_json::from_str(body["services"].as_str().unwrap_or_default())
        .map_err(|_| "services: atteso un elenco di codici".to_string())?;
    if !services.iter().all(|s| is_service_code(s)) {
        return Err("services: codice di servizio non valido".into());
    }
    if let Some(key) = body["person_key"].as_str()
        && (key.len() != PERSON_KEY_HEX || !key.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(format!(
            "{}: attesa un'impronta di 32 caratteri esadecimali",
            "person_key"
        ));
    }
    if let Some(band) = body["age_band"].as_str()
        && !AGE_BANDS.contains(&band)
    {
        return Err(format!("{}: fascia d'età non prevista", "age_band"));
    }
    crate::tables::both_or_neither(body, "taken_up", "taken_up_on", "esito dell'invio a metà")?;
    if !body["taken_up"].is_null() && body["answer"] != "invio" {
        return Err(format!(
            "{}: esito registrato per un contatto che non è un invio",
            "taken_up"
        ));
    }
    Ok(())
}

/// A received case: dates in order, a closing with its outcome.
pub(crate) fn check_received_case(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    crate::tables::both_or_neither(
        body,
        "closed_on",
        "outcome",
        "data di chiusura ed esito vanno insieme",
    )?;
    let day = |k: &str| body[k].as_str().and_then(|d| d.parse::<NaiveDate>().ok());
    let opened = day("opened_on");
    if day("due_on") < opened {
        return Err(format!("{}: scadenza prima dell'apertura", "due_on"));
    }
    if let Some(closed) = day("closed_on")
        && Some(closed) < opened
    {
        return Err(format!("{}: chiusura prima dell'apertura", "closed_on"));
    }
    let kind = body["kind"].as_str().unwrap_or_default();
    if !kind
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        return Err("kind: codice del tipo di istruttoria non valido".into());
    }
    Ok(())
}

/// A received questionnaire: at least one answer.
pub(crate) fn check_received_satisfaction(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    if ["courtesy", "clarity", "waiting", "finding"]
        .iter()
        .all(|k| body[*k].is_null())
    {
        return Err("courtesy: questionario senza risposte".into());
    }
    Ok(())
}

/// Which contacts a listing reads: the conditions over the contact `c` present (a day range,
/// a person's codice fiscale), so each query reads them through an index.
pub struct ContactScope {
    conditions: Vec<&'static str>,
    pub values: Vec<SqlValue>,
}

impl ContactScope {
    pub fn of(from: Option<NaiveDate>, to: Option<NaiveDate>, person: Option<&str>) -> Self {
        let mut scope = ContactScope {
            conditions: Vec::new(),
            values: Vec::new(),
        };
        let mut add = |condition: &'static str, value: SqlValue| {
            scope.conditions.push(condition);
            scope.values.push(value);
        };
        if let Some(from) = from {
            add("c.day >= ?", from.to_string().into());
        }
        if let Some(to) = to {
            add("c.day <= ?", to.to_string().into());
        }
        if let Some(person) = person {
            add(
                "c.id IN (SELECT contact_id FROM contact_private WHERE codice_fiscale = ?)",
                person.trim().to_uppercase().into(),
            );
        }
        scope
    }

    /// The contacts' query for this scope, newest first ([`Store::contacts`] reads it).
    pub fn contacts_sql(&self) -> String {
        format!(
            "{} {} ORDER BY c.number DESC",
            Store::CONTACTS,
            self.condition()
        )
    }

    /// `AND …` for each condition present (nothing when none is).
    pub fn condition(&self) -> String {
        self.conditions
            .iter()
            .map(|c| format!(" AND {c}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_key_depends_on_the_key_and_not_on_case_or_spaces() {
        let key = "00".repeat(32);
        let a = person_key(&key, "RSSMRA80A01I754N");
        assert_eq!(a.len(), PERSON_KEY_HEX);
        assert_eq!(a, person_key(&key, " rssmra80a01i754n "));
        assert_ne!(a, person_key(&"11".repeat(32), "RSSMRA80A01I754N"));
        assert!(!a.contains("RSSMRA"));
    }

    #[test]
    fn codes_are_read_from_the_services_as_written() {
        assert_eq!(codes_of("[]"), Some(vec![]));
        assert_eq!(
            codes_of(r#"["sfratti","cons-fam"]"#),
            Some(vec!["sfratti".to_string(), "cons-fam".to_string()])
        );
        assert_eq!(codes_of(r#"["a\"b"]"#), None);
        assert_eq!(codes_of("sfratti"), None);
    }

    #[test]
    fn areas_are_read_from_the_needs_as_written() {
        assert_eq!(
            areas_of(r#"[{"area":1},{"area":3,"local_area":"casa"}]"#),
            Some(0b101)
        );
        assert_eq!(areas_of(r#"[{"area": 2}]"#), Some(0b010));
        assert_eq!(areas_of(r#"[{"area":4}]"#), None);
        assert_eq!(areas_of("[]"), None);
    }
}
