//! Applications with their applicant and household, numbered per comune and year.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use rand::Rng;
use rusqlite::{OptionalExtension, Row, Transaction, TransactionBehavior, params};
use serde::Serialize;
use sportello_domain::{
    Applicant, Application, Declaration, HouseholdMember, Housing, Isee, IseeDeclaration, IseeKind,
    Person, Sex,
};
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::record::{content_hash, new_id, next_version};
use crate::{Result, Store, StoreError};

/// An application checked by the domain rules, ready to be filed at this install's comune.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub bando: String,
    pub filed_at: DateTime<FixedOffset>,
    pub declaration: Declaration,
    pub override_note: Option<String>,
    pub protocol_number: Option<String>,
}

/// What filing gave the application: its references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FiledApplication {
    pub id: Uuid,
    pub case_number: String,
    pub application_code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredApplication {
    pub id: Uuid,
    pub owner: String,
    pub version: i64,
    /// `2026/0000001`: the comune's own case number for the year of filing.
    pub case_number: String,
    pub protocol_number: Option<String>,
    pub override_note: Option<String>,
    pub application: Application,
}

#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    pub bando: Option<String>,
    pub comune: Option<String>,
}

/// Case numbers read `2026/0000123`: year, then at least seven digits.
pub fn case_number(year: i32, seq: i64) -> String {
    format!("{year}/{seq:07}")
}

/// Application codes avoid look-alike characters (0/O, 1/I): 32 symbols, 10 of them = 50 bits,
/// so codes made independently by the district's comuni do not collide in practice
/// (about 1 in 200,000 for 100,000 applications).
const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

fn random_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let mut code = String::with_capacity(11);
    for i in 0..10 {
        if i == 5 {
            code.push('-');
        }
        code.push(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char);
    }
    code
}

impl Store {
    /// Files every application or none: one transaction, numbered and coded.
    pub fn file_applications(
        &mut self,
        applications: &[NewApplication],
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<Vec<FiledApplication>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let comune = crate::install::own_comune(&tx)?;
        let mut filed = Vec::with_capacity(applications.len());
        for new in applications {
            let known: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM bandi WHERE code = ?1 AND deleted = 0)",
                [&new.bando],
                |r| r.get(0),
            )?;
            if !known {
                return Err(StoreError::UnknownBando(new.bando.clone()));
            }
            let f = insert_application(&tx, &comune, new)?;
            audit::log(
                &tx,
                at,
                actor,
                "application_create",
                "application",
                Some(&f.id.to_string()),
                serde_json::json!({
                    "case_number": f.case_number,
                    "application_code": f.application_code,
                    "bando": new.bando,
                }),
            )?;
            filed.push(f);
        }
        tx.commit()?;
        Ok(filed)
    }

    /// Applications matching the filter, in filing order.
    pub fn applications(&self, filter: &ApplicationFilter) -> Result<Vec<StoredApplication>> {
        let members = self.household_members()?;
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT_APPLICATION}
             WHERE a.deleted = 0 AND (?1 IS NULL OR a.bando = ?1) AND (?2 IS NULL OR a.comune = ?2)
             ORDER BY a.filed_at, a.application_code"
        ))?;
        let rows = stmt.query_map(params![filter.bando, filter.comune], |r| {
            read_application(r, &members)
        })?;
        rows.map(|r| r?).collect()
    }

    /// One application by its public code.
    pub fn application_by_code(&self, code: &str) -> Result<Option<StoredApplication>> {
        let members = self.household_members()?;
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT_APPLICATION} WHERE a.deleted = 0 AND a.application_code = ?1"
        ))?;
        stmt.query_row([code], |r| read_application(r, &members))
            .optional()?
            .transpose()
    }

    fn household_members(&self) -> Result<HashMap<String, Vec<HouseholdMember>>> {
        let mut stmt = self.conn.prepare(
            "SELECT m.household_id, p.codice_fiscale, p.surname, p.name, p.birth_date, p.sex,
                    p.birth_place, m.relation, m.dependent_minor, m.disabled
             FROM household_members m JOIN persons p ON p.id = m.person_id
             WHERE m.deleted = 0 ORDER BY m.household_id, m.ordinal",
        )?;
        let mut map: HashMap<String, Vec<HouseholdMember>> = HashMap::new();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let member = HouseholdMember {
                person: read_person(r, 1)?,
                relation: r.get(7)?,
                dependent_minor: r.get(8)?,
                disabled: r.get(9)?,
            };
            map.entry(r.get(0)?).or_default().push(member);
        }
        Ok(map)
    }
}

/// Why a received row would not read back as the domain's types: an impossible date, an
/// amount that is not one, an invalid codice fiscale. Checked on the record's own values,
/// before it is written, with the same parsers the readers use.
pub(crate) fn check_received(
    table: &str,
    body: &serde_json::Map<String, serde_json::Value>,
) -> std::result::Result<(), String> {
    let text = |key: &str| body.get(key).and_then(serde_json::Value::as_str);
    let date = |key: &str, required: bool| match text(key) {
        None if !required => Ok(()),
        None => Err(format!("{key}: data mancante")),
        Some(d) => d
            .parse::<NaiveDate>()
            .map(drop)
            .map_err(|_| format!("{key}: data non valida {d:?}")),
    };
    match table {
        "persons" => {
            let cf = text("codice_fiscale").unwrap_or_default();
            sportello_domain::codice_fiscale::CodiceFiscale::parse(cf)
                .map_err(|e| format!("codice fiscale {cf:?}: {e}"))?;
            date("birth_date", true)
        }
        "applications" => {
            let filed = text("filed_at").unwrap_or_default();
            DateTime::parse_from_rfc3339(filed)
                .map_err(|_| format!("filed_at: data e ora non valide {filed:?}"))?;
            if let Some(value) = text("isee_value") {
                value
                    .parse::<Isee>()
                    .map_err(|e| format!("isee_value: {e}"))?;
                date("dsu_date", true)?;
            }
            date("unemployed_since", false)
        }
        _ => Ok(()),
    }
}

const SELECT_APPLICATION: &str = "
    SELECT a.id, a.owner, a.version, a.year, a.case_seq, a.protocol_number, a.override_note,
           a.application_code, a.comune, a.bando, a.filed_at, a.household_id,
           a.isee_value, a.isee_kind, a.dsu_protocol, a.dsu_date,
           a.resident, a.unemployed, a.unemployed_since, a.other_income_support,
           a.single_parent, a.applicant_disabled, a.housing, a.previous_participation,
           p.codice_fiscale, p.surname, p.name, p.birth_date, p.sex, p.birth_place,
           p.address, p.phone, p.email
    FROM applications a JOIN persons p ON p.id = a.applicant_id";

fn read_application(
    r: &Row,
    members: &HashMap<String, Vec<HouseholdMember>>,
) -> rusqlite::Result<Result<StoredApplication>> {
    let household_id: String = r.get(11)?;
    let isee_value: Option<String> = r.get(12)?;
    let isee = match isee_value {
        None => None,
        Some(value) => {
            let Ok(value) = value.parse::<Isee>() else {
                return Ok(Err(StoreError::Corrupt(format!("valore ISEE {value:?}"))));
            };
            Some(IseeDeclaration {
                value,
                kind: match r.get::<_, Option<String>>(13)?.as_deref() {
                    Some("corrente") => IseeKind::Corrente,
                    _ => IseeKind::Ordinario,
                },
                dsu_protocol: r.get::<_, Option<String>>(14)?.unwrap_or_default(),
                dsu_date: read_date(r, 15)?,
            })
        }
    };
    let housing = match r.get::<_, String>(22)?.as_str() {
        "rent" => Housing::Rent,
        "eviction" => Housing::Eviction,
        _ => Housing::None,
    };
    let filed_at: String = r.get(10)?;
    let Ok(filed_at) = DateTime::parse_from_rfc3339(&filed_at) else {
        return Ok(Err(StoreError::Corrupt(format!(
            "data di presentazione {filed_at:?}"
        ))));
    };
    let id: String = r.get(0)?;
    Ok(Ok(StoredApplication {
        id: id.parse().unwrap_or_default(),
        owner: r.get(1)?,
        version: r.get(2)?,
        case_number: case_number(r.get(3)?, r.get(4)?),
        protocol_number: r.get(5)?,
        override_note: r.get(6)?,
        application: Application {
            code: r.get(7)?,
            comune: r.get(8)?,
            bando: r.get(9)?,
            filed_at,
            declaration: Declaration {
                applicant: Applicant {
                    person: read_person(r, 24)?,
                    address: r.get(30)?,
                    phone: r.get(31)?,
                    email: r.get(32)?,
                },
                household: members.get(&household_id).cloned().unwrap_or_default(),
                isee,
                resident: r.get(16)?,
                unemployed: r.get(17)?,
                unemployed_since: r.get::<_, Option<String>>(18)?.and_then(|d| d.parse().ok()),
                other_income_support: r.get(19)?,
                single_parent: r.get(20)?,
                applicant_disabled: r.get(21)?,
                housing,
                previous_participation: r.get(23)?,
            },
        },
    }))
}

/// Reads the six person columns starting at `first`.
fn read_person(r: &Row, first: usize) -> rusqlite::Result<Person> {
    Ok(Person {
        codice_fiscale: r.get(first)?,
        surname: r.get(first + 1)?,
        name: r.get(first + 2)?,
        birth_date: read_date(r, first + 3)?,
        sex: if r.get::<_, String>(first + 4)? == "F" {
            Sex::F
        } else {
            Sex::M
        },
        birth_place: r.get(first + 5)?,
    })
}

fn read_date(r: &Row, i: usize) -> rusqlite::Result<NaiveDate> {
    let text: String = r.get(i)?;
    text.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn sex_code(sex: Sex) -> &'static str {
    match sex {
        Sex::M => "M",
        Sex::F => "F",
    }
}

fn housing_code(h: Housing) -> &'static str {
    match h {
        Housing::None => "none",
        Housing::Rent => "rent",
        Housing::Eviction => "eviction",
    }
}

fn insert_application(
    tx: &Transaction,
    comune: &str,
    new: &NewApplication,
) -> Result<FiledApplication> {
    let d = &new.declaration;
    let applicant_id = upsert_person(tx, comune, &d.applicant)?;
    let household_id = new_id().to_string();
    let version = next_version(tx)?;
    let member_ids = d
        .household
        .iter()
        .map(|m| {
            upsert_person(
                tx,
                comune,
                &Applicant {
                    person: m.person.clone(),
                    address: None,
                    phone: None,
                    email: None,
                },
            )
        })
        .collect::<Result<Vec<_>>>()?;
    tx.execute(
        "INSERT INTO households (id, owner, version, content_hash) VALUES (?1, ?2, ?3, ?4)",
        params![household_id, comune, version, content_hash(&member_ids)],
    )?;
    for (ordinal, (member, person_id)) in d.household.iter().zip(&member_ids).enumerate() {
        let body = (&household_id, person_id, ordinal, member);
        tx.execute(
            "INSERT INTO household_members (id, owner, version, content_hash, household_id,
             person_id, ordinal, relation, dependent_minor, disabled)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                new_id().to_string(),
                comune,
                version,
                content_hash(&body),
                household_id,
                person_id,
                ordinal as i64,
                member.relation,
                member.dependent_minor,
                member.disabled
            ],
        )?;
    }

    let year = new.filed_at.year();
    let case_seq: i64 = tx.query_row(
        "SELECT COALESCE(MAX(case_seq), 0) + 1 FROM applications WHERE comune = ?1 AND year = ?2",
        params![comune, year],
        |r| r.get(0),
    )?;
    let code = unused_code(tx)?;
    let id = new_id();
    let isee = d.isee.as_ref();
    let body = (
        &new.bando,
        &code,
        new.filed_at.to_rfc3339(),
        &applicant_id,
        &household_id,
        d,
        &new.override_note,
        &new.protocol_number,
    );
    tx.execute(
        "INSERT INTO applications (id, owner, version, content_hash, comune, bando, year,
         case_seq, application_code, filed_at, applicant_id, household_id, isee_value, isee_kind,
         dsu_protocol, dsu_date, dsu_expiry, resident, unemployed, unemployed_since,
         other_income_support, single_parent, applicant_disabled, housing,
         previous_participation, override_note, protocol_number)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
        params![
            id.to_string(),
            comune,
            version,
            content_hash(&body),
            comune,
            new.bando,
            year,
            case_seq,
            code,
            new.filed_at.to_rfc3339(),
            applicant_id,
            household_id,
            isee.map(|i| i.value.to_string()),
            isee.map(|i| match i.kind {
                IseeKind::Ordinario => "ordinario",
                IseeKind::Corrente => "corrente",
            }),
            isee.map(|i| i.dsu_protocol.clone()),
            isee.map(|i| i.dsu_date.to_string()),
            isee.map(|i| i.expiry().to_string()),
            d.resident,
            d.unemployed,
            d.unemployed_since.map(|s| s.to_string()),
            d.other_income_support,
            d.single_parent,
            d.applicant_disabled,
            housing_code(d.housing),
            d.previous_participation,
            new.override_note,
            new.protocol_number,
        ],
    )?;
    Ok(FiledApplication {
        id,
        case_number: case_number(year, case_seq),
        application_code: code,
    })
}

fn unused_code(tx: &Transaction) -> Result<String> {
    loop {
        let code = random_code();
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM applications WHERE application_code = ?1)",
            [&code],
            |r| r.get(0),
        )?;
        if !taken {
            return Ok(code);
        }
    }
}

/// The comune keeps one row per person: a later application refreshes their data.
fn upsert_person(tx: &Transaction, owner: &str, who: &Applicant) -> Result<String> {
    let p = &who.person;
    let hash = content_hash(who);
    let existing: Option<(String, String)> = tx
        .query_row(
            "SELECT id, content_hash FROM persons WHERE owner = ?1 AND codice_fiscale = ?2",
            params![owner, p.codice_fiscale],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (id, changed) = match existing {
        Some((id, old)) => (id, old != hash),
        None => (new_id().to_string(), true),
    };
    if changed {
        let version = next_version(tx)?;
        tx.execute(
            "INSERT INTO persons (id, owner, version, content_hash, codice_fiscale, surname, name,
             birth_date, sex, birth_place, address, phone, email)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT (id) DO UPDATE SET version = excluded.version,
               content_hash = excluded.content_hash, surname = excluded.surname,
               name = excluded.name, birth_date = excluded.birth_date, sex = excluded.sex,
               birth_place = excluded.birth_place,
               address = COALESCE(excluded.address, persons.address),
               phone = COALESCE(excluded.phone, persons.phone),
               email = COALESCE(excluded.email, persons.email)",
            params![
                id,
                owner,
                version,
                hash,
                p.codice_fiscale,
                p.surname,
                p.name,
                p.birth_date.to_string(),
                sex_code(p.sex),
                p.birth_place,
                who.address,
                who.phone,
                who.email
            ],
        )?;
    }
    Ok(id)
}
