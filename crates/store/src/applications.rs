//! Applications as declared: each holds, in numbered revisions, the identity and circumstances
//! declared in it (revision 1 as filed, then one per correction with its reason and operator).
//! Filing another application never changes one already filed. The registry of persons
//! (`application_people`, kept by triggers) links the revisions that name a codice fiscale,
//! for a person's applications (`ApplicationFilter::person`); it never feeds a ranking. The
//! duplicates review reads each revision's household, kept beside it (`crate::households`).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use rand::Rng;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};
use serde::Serialize;
use serde_json::{Map, Value};
use sportello_domain::search::{Query, SearchText, fold};
use sportello_domain::{Application, Declaration};
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::record::{new_id, next_version};
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

/// A correction of a filed application: everything it now declares, and why it changed.
#[derive(Debug, Clone)]
pub struct Correction {
    pub filed_at: DateTime<FixedOffset>,
    pub declaration: Declaration,
    pub override_note: Option<String>,
    pub protocol_number: Option<String>,
    pub reason: String,
    /// The accepted objection this correction carries out, marked applied with it.
    pub objection: Option<String>,
}

/// What filing gave the application: its references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FiledApplication {
    pub id: Uuid,
    pub case_number: String,
    pub application_code: String,
}

/// An application with its current revision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredApplication {
    pub id: Uuid,
    pub owner: String,
    /// `2026/0000001`: the comune's own case number for the year of filing.
    pub case_number: String,
    /// The current revision: 1 as filed, one more for each correction.
    pub revision: i64,
    /// Content hash of the current revision: with `id` and `revision`, what a published
    /// ranking records of its inputs.
    pub revision_hash: String,
    pub protocol_number: Option<String>,
    pub override_note: Option<String>,
    pub application: Application,
}

/// One revision of an application, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    pub revision: i64,
    /// When this revision was recorded (the install's clock).
    pub recorded_at: String,
    pub operator: String,
    /// Why the application was corrected; `None` for the application as filed.
    pub reason: Option<String>,
    pub filed_at: DateTime<FixedOffset>,
    pub protocol_number: Option<String>,
    pub override_note: Option<String>,
    pub declaration: Declaration,
}

/// The id of this comune's application `code`, in `tx`: refused when it is unknown or another
/// comune's (only the comune of filing changes what belongs to an application).
pub(crate) fn own_application_id(tx: &rusqlite::Transaction, code: &str) -> Result<String> {
    let comune = crate::install::own_comune(tx)?;
    let (id, owner): (String, String) = tx
        .query_row(
            "SELECT id, owner FROM applications WHERE application_code = ?1 AND deleted = 0",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| StoreError::UnknownApplication(code.to_string()))?;
    if owner != comune {
        return Err(StoreError::NotOwner {
            record: format!("domanda {code}"),
            owner,
        });
    }
    Ok(id)
}

/// An application as a list is chosen by, its declaration not read ([`Store::listed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub code: String,
    /// `2026/0000001`.
    pub case_number: String,
    pub filed_at: DateTime<FixedOffset>,
}

/// Applications read, and the rows that could not be.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub applications: Vec<StoredApplication>,
    pub unreadable: Vec<Unreadable>,
}

/// A stored row that does not read back as the domain's types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    /// `table/id`: what `Store::quarantine_record` takes.
    pub record: String,
    /// Which column and why, without its value.
    pub problem: String,
}

#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    pub bando: Option<String>,
    pub comune: Option<String>,
    /// Only applications whose current revision names this codice fiscale (applicant or
    /// household member).
    pub person: Option<String>,
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
        self.file(applications, at, actor, false)
    }

    /// Files the applications typed in `actor`'s draft, as [`Store::file_applications`], and
    /// deletes that draft in the same transaction: filed, it is no longer a draft; refused,
    /// the draft stays.
    pub fn file_applications_from_draft(
        &mut self,
        applications: &[NewApplication],
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<Vec<FiledApplication>> {
        self.file(applications, at, actor, true)
    }

    fn file(
        &mut self,
        applications: &[NewApplication],
        at: DateTime<FixedOffset>,
        actor: &Actor,
        from_draft: bool,
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
            let f = insert_application(&tx, &comune, new, at, actor)?;
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
        if from_draft {
            crate::drafts::delete_draft(&tx, actor)?;
        }
        crate::failpoint::hit("add-before-commit");
        tx.commit()?;
        Ok(filed)
    }

    /// Records a correction of this comune's application `code` as its next revision;
    /// returns the revision's number. The earlier revisions stay as they were.
    pub fn correct_application(
        &mut self,
        code: &str,
        correction: &Correction,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let comune = crate::install::own_comune(&tx)?;
        let id = own_application_id(&tx, code)?;
        let revision: i64 = tx.query_row(
            "SELECT MAX(revision) FROM application_revisions WHERE application_id = ?1",
            [&id],
            |r| r.get(0),
        )?;
        let revision = revision + 1;
        insert_revision(
            &tx,
            &comune,
            &RevisionRow {
                application_id: &id,
                revision,
                filed_at: correction.filed_at,
                protocol_number: correction.protocol_number.as_deref(),
                override_note: correction.override_note.as_deref(),
                declaration: &correction.declaration,
                reason: Some(&correction.reason),
                operator: &actor.0,
                recorded_at: at,
            },
            None,
        )?;
        if let Some(objection) = &correction.objection {
            crate::objections::mark_applied(&tx, objection, &id, revision, at)?;
        }
        // The reason may name people: the audit trail records that it exists, not its text.
        audit::log(
            &tx,
            at,
            actor,
            "application_correct",
            "application",
            Some(&id),
            serde_json::json!({
                "application_code": code, "revision": revision,
                "objection": correction.objection,
            }),
        )?;
        tx.commit()?;
        Ok(revision)
    }

    /// Applications matching the filter, each with its current revision, in filing order: by
    /// instant (whatever the UTC offset written), then by code. A row that cannot be read
    /// does not take the listing down: it is named among the unreadable ones.
    pub fn applications(&self, filter: &ApplicationFilter) -> Result<Listing> {
        let person = filter.person.as_ref().map(|cf| cf.trim().to_uppercase());
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT_CURRENT}
             AND (?1 IS NULL OR a.bando = ?1) AND (?2 IS NULL OR a.comune = ?2)
             AND (?3 IS NULL OR EXISTS (SELECT 1 FROM application_people p
                                        WHERE p.revision_id = r.id AND p.codice_fiscale = ?3))"
        ))?;
        let rows = stmt.query(params![filter.bando, filter.comune, person])?;
        read_listing(rows)
    }

    /// The code and the applicant's "Cognome Nome" of each live application within the
    /// bando and comune given (current revision; `?1` bando, `?2` comune, either `NULL`): the
    /// names beside a list's rows, read from the declarations without decoding them.
    pub const APPLICANT_NAMES: &str = NAMES_OF_APPLICANTS;

    /// [`Store::APPLICANT_NAMES`]: code and "Cognome Nome" of each application of the filter
    /// (its bando and comune; a person's codice fiscale is not looked at).
    pub fn applicant_names(&self, filter: &ApplicationFilter) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(Self::APPLICANT_NAMES)?;
        let rows = stmt.query_map(params![filter.bando, filter.comune], |row| {
            Ok((row.get(0)?, row.get::<_, Option<String>>(1)?))
        })?;
        let mut names = Vec::new();
        for row in rows {
            let (code, name): (String, Option<String>) = row?;
            let name = name.ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "{}/{code}, colonna {}: nome del richiedente mancante",
                    "applications", "declaration"
                ))
            })?;
            names.push((code, name));
        }
        Ok(names)
    }

    /// [`Store::listed`]'s query (`?1` bando, `?2` comune, either `NULL`).
    pub const LISTED: &str = LISTED_APPLICATIONS;

    /// Code, case number and filing instant of each live application within the filter's
    /// bando and comune, without reading its declaration: what a page of the Domande list is
    /// chosen by ([`Store::applications_by_code`] then reads the page), and what a call list
    /// counts days from.
    pub fn listed(&self, filter: &ApplicationFilter) -> Result<Vec<Listed>> {
        let mut stmt = self.conn.prepare_cached(Self::LISTED)?;
        let mut rows = stmt.query(params![filter.bando, filter.comune])?;
        let mut listed = Vec::new();
        while let Some(row) = rows.next()? {
            let code: String = row.get(0)?;
            let filed_at = filing_instant(&code, &row.get::<_, String>(3)?)?;
            listed.push(Listed {
                case_number: case_number(row.get(1)?, row.get(2)?),
                code,
                filed_at,
            });
        }
        Ok(listed)
    }

    /// The applications of `codes` (current revision), in that order; a row that cannot be
    /// read is named among the unreadable ones, a code not held is left out.
    pub fn applications_by_code(&self, codes: &[String]) -> Result<Listing> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{SELECT_CURRENT} AND a.application_code = ?1"))?;
        let mut listing = Listing::default();
        for code in codes {
            let mut rows = stmt.query([code])?;
            if let Some(row) = rows.next()? {
                listing.add(row)?;
            }
        }
        Ok(listing)
    }

    /// The code and filing instant of each application filed at `comune`, current revision:
    /// what counting needs, without decoding declarations.
    pub fn filings(&self, comune: &str) -> Result<Vec<(String, DateTime<FixedOffset>)>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT a.application_code, r.filed_at FROM applications a
             JOIN application_revisions r ON r.application_id = a.id
             WHERE {CURRENT_CONDITIONS} AND a.comune = ?1"
        ))?;
        let mut rows = stmt.query([comune])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let code: String = row.get(0)?;
            let at = filing_instant(&code, &row.get::<_, String>(1)?)?;
            out.push((code, at));
        }
        Ok(out)
    }

    /// Applications found by `query` within the filter, as [`Store::applications`] lists
    /// them; narrowed in SQL on the revisions' folded search texts, so only the declarations
    /// that may match are read and decoded. Whether each one is found is still the domain's
    /// to say ([`Query::matches`]), which the callers ask.
    pub fn search_applications(
        &self,
        filter: &ApplicationFilter,
        query: &Query,
    ) -> Result<Listing> {
        use rusqlite::types::Value;
        let (from, narrow, extra): (&str, &str, Vec<Value>) = match query {
            Query::Everything => return self.applications(filter),
            Query::CaseNumber(a, b) => {
                // Beyond an SQL integer no case number is found.
                let (Ok(a), Ok(b)) = (i64::try_from(*a), i64::try_from(*b)) else {
                    return Ok(Listing::default());
                };
                (
                    "applications a CROSS JOIN application_revisions r ON r.application_id = a.id",
                    "((a.year = ?4 AND a.case_seq = ?5) OR (a.year = ?5 AND a.case_seq = ?4))",
                    vec![a.into(), b.into()],
                )
            }
            Query::Code { code, maybe_name } => (
                SEARCHED,
                if *maybe_name {
                    "(s.code = ?4 OR instr(s.people, ?4) > 0)"
                } else {
                    "s.code = ?4"
                },
                vec![code.clone().into()],
            ),
            Query::Text(q) => (
                SEARCHED,
                "(instr(s.code, ?4) > 0 OR instr(s.people, ?4) > 0)",
                vec![q.clone().into()],
            ),
        };
        let person = filter.person.as_ref().map(|cf| cf.trim().to_uppercase());
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {CURRENT_COLUMNS} FROM {from}
             WHERE {narrow} AND {CURRENT_CONDITIONS}
             AND (?1 IS NULL OR a.bando = ?1) AND (?2 IS NULL OR a.comune = ?2)
             AND (?3 IS NULL OR EXISTS (SELECT 1 FROM application_people p
                                        WHERE p.revision_id = r.id AND p.codice_fiscale = ?3))"
        ))?;
        let values: Vec<Value> = [
            Value::from(filter.bando.clone()),
            Value::from(filter.comune.clone()),
            Value::from(person),
        ]
        .into_iter()
        .chain(extra)
        .collect();
        let rows = stmt.query(rusqlite::params_from_iter(values))?;
        read_listing(rows)
    }

    /// One application, with its current revision, by its public code.
    pub fn application_by_code(&self, code: &str) -> Result<Option<StoredApplication>> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT_CURRENT} AND a.application_code = ?1"))?;
        let mut rows = stmt.query([code])?;
        rows.next()?.map(read_application).transpose()
    }

    /// Every revision of application `code`, the first (as filed) first.
    pub fn revisions(&self, code: &str) -> Result<Vec<Revision>> {
        let mut stmt = self.conn.prepare(
            "SELECT r.id, r.revision, r.recorded_at, r.operator, r.reason, r.filed_at,
                    r.protocol_number, r.override_note, r.declaration
             FROM application_revisions r JOIN applications a ON a.id = r.application_id
             WHERE a.application_code = ?1 AND a.deleted = 0 AND r.deleted = 0
             ORDER BY r.revision",
        )?;
        let mut rows = stmt.query([code])?;
        let mut list = Vec::new();
        while let Some(row) = rows.next()? {
            let at = Cell::new(row, "application_revisions");
            list.push(Revision {
                revision: at.get("revision")?,
                recorded_at: at.get("recorded_at")?,
                operator: at.get("operator")?,
                reason: at.get("reason")?,
                filed_at: at.instant("filed_at")?,
                protocol_number: at.get("protocol_number")?,
                override_note: at.get("override_note")?,
                declaration: at.declaration("declaration")?,
            });
        }
        Ok(list)
    }
}

/// What a listing reads of an application (`a`) and its revision (`r`).
macro_rules! current_columns {
    () => {
        "a.id, a.owner, a.year, a.case_seq, a.application_code, a.comune, a.bando,
         r.id AS revision_id, r.revision, r.content_hash AS revision_hash, r.filed_at,
         r.protocol_number, r.override_note, r.declaration"
    };
}

/// A live application (`a`) and its current revision (`r`).
macro_rules! current_conditions {
    () => {
        "a.deleted = 0 AND r.deleted = 0
         AND r.revision = (SELECT MAX(revision) FROM application_revisions
                           WHERE application_id = a.id AND deleted = 0)"
    };
}
pub(crate) use current_conditions;

const CURRENT_COLUMNS: &str = current_columns!();
const CURRENT_CONDITIONS: &str = current_conditions!();

/// The current revision of each live application; callers add `AND …` conditions.
const SELECT_CURRENT: &str = concat!(
    "SELECT ",
    current_columns!(),
    " FROM applications a JOIN application_revisions r ON r.application_id = a.id WHERE ",
    current_conditions!()
);

/// A revision's filing instant as stored (RFC 3339), or the corruption naming application
/// `code`.
pub(crate) fn filing_instant(code: &str, text: &str) -> Result<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text).map_err(|_| {
        StoreError::Corrupt(format!(
            "{}/{code}, colonna {}",
            "application_revisions", "filed_at"
        ))
    })
}

/// [`Store::LISTED`].
const LISTED_APPLICATIONS: &str = concat!(
    "SELECT a.application_code, a.year, a.case_seq, r.filed_at
     FROM applications a JOIN application_revisions r ON r.application_id = a.id
     WHERE ",
    current_conditions!(),
    " AND (?1 IS NULL OR a.bando = ?1) AND (?2 IS NULL OR a.comune = ?2)"
);

/// [`Store::APPLICANT_NAMES`].
const NAMES_OF_APPLICANTS: &str = concat!(
    "SELECT a.application_code,
            json_extract(r.declaration, '$.applicant.surname') || ' ' ||
            json_extract(r.declaration, '$.applicant.name')
     FROM applications a JOIN application_revisions r ON r.application_id = a.id
     WHERE ",
    current_conditions!(),
    " AND (?1 IS NULL OR a.bando = ?1) AND (?2 IS NULL OR a.comune = ?2)"
);

/// Search texts first, in this order (`CROSS JOIN` keeps it): only the revisions whose text
/// matches are read.
const SEARCHED: &str = "application_search s
    CROSS JOIN application_revisions r ON r.id = s.revision_id
    CROSS JOIN applications a ON a.id = r.application_id";

impl Listing {
    /// A row of a listing: its application, or the unreadable row named.
    fn add(&mut self, row: &Row) -> Result<()> {
        match read_application(row) {
            Ok(a) => self.applications.push(a),
            Err(StoreError::Corrupt(problem)) => self.unreadable.push(Unreadable {
                record: format!("applications/{}", row.get::<_, String>("id")?),
                problem,
            }),
            Err(e) => return Err(e),
        }
        Ok(())
    }
}

/// The listing's rows read, the unreadable ones named, in filing order: by instant (whatever
/// the UTC offset written), then by code.
fn read_listing(mut rows: rusqlite::Rows) -> Result<Listing> {
    let mut listing = Listing::default();
    while let Some(row) = rows.next()? {
        listing.add(row)?;
    }
    listing.applications.sort_by(|a, b| {
        (a.application.filed_at, &a.application.code)
            .cmp(&(b.application.filed_at, &b.application.code))
    });
    Ok(listing)
}

/// Reads a row's columns by name; a value that cannot be read is an error naming the table,
/// the row and the column, never a silent default.
struct Cell<'r, 's> {
    row: &'r Row<'s>,
    table: &'static str,
}

impl<'r, 's> Cell<'r, 's> {
    fn new(row: &'r Row<'s>, table: &'static str) -> Self {
        Self { row, table }
    }

    fn corrupt(&self, column: &str, what: impl std::fmt::Display) -> StoreError {
        let id: String = self.row.get("id").unwrap_or_else(|_| "?".into());
        StoreError::Corrupt(format!("{}/{id}, colonna {column}: {what}", self.table))
    }

    fn get<T: rusqlite::types::FromSql>(&self, column: &str) -> Result<T> {
        self.row.get(column).map_err(|e| {
            let what = match e {
                rusqlite::Error::InvalidColumnType(_, _, found) => {
                    format!("valore di tipo {found} non ammesso")
                }
                rusqlite::Error::FromSqlConversionFailure(..) => "valore non ammesso".into(),
                other => other.to_string(),
            };
            self.corrupt(column, what)
        })
    }

    fn instant(&self, column: &str) -> Result<DateTime<FixedOffset>> {
        let text: String = self.get(column)?;
        DateTime::parse_from_rfc3339(&text)
            .map_err(|_| self.corrupt(column, "data e ora non valide"))
    }

    fn declaration(&self, column: &str) -> Result<Declaration> {
        let text: String = self.get(column)?;
        serde_json::from_str(&text).map_err(|e| {
            self.corrupt(
                column,
                format!(
                    "dichiarazione illeggibile (riga {}, colonna {})",
                    e.line(),
                    e.column()
                ),
            )
        })
    }
}

fn read_application(row: &Row) -> Result<StoredApplication> {
    let application = Cell::new(row, "applications");
    let revision = Cell::new(row, "application_revisions");
    let id: String = application.get("id")?;
    Ok(StoredApplication {
        id: id
            .parse()
            .map_err(|_| application.corrupt("id", format!("{id:?}")))?,
        owner: application.get("owner")?,
        case_number: case_number(application.get("year")?, application.get("case_seq")?),
        revision: revision.get("revision")?,
        revision_hash: revision.get("revision_hash")?,
        protocol_number: revision.get("protocol_number")?,
        override_note: revision.get("override_note")?,
        application: Application {
            code: application.get("application_code")?,
            comune: application.get("comune")?,
            bando: application.get("bando")?,
            filed_at: revision.instant("filed_at")?,
            declaration: revision.declaration("declaration")?,
        },
    })
}

/// A received application identity: its code in the form this version makes.
pub(crate) fn check_received_application(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    let code = body["application_code"].as_str().unwrap_or_default();
    let well_formed = code.len() == 11
        && code.bytes().enumerate().all(|(i, b)| {
            if i == 5 {
                b == b'-'
            } else {
                CODE_ALPHABET.contains(&b)
            }
        });
    if well_formed {
        Ok(())
    } else {
        Err("codice domanda non valido".into())
    }
}

/// A received revision: its declaration reads back exactly as the domain's types.
pub(crate) fn check_received_revision(
    body: &Map<String, Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    // The same rule as at the desk: no hidden characters, new lines only in the notes.
    for (column, multiline) in [
        ("protocol_number", false),
        ("override_note", true),
        ("reason", true),
        ("operator", false),
    ] {
        if let Some(p) = body[column]
            .as_str()
            .and_then(|t| sportello_domain::intake::check_text(column, t, multiline))
        {
            return Err(format!("{column}: {}", p.code));
        }
    }
    let text = body["declaration"].as_str().unwrap_or_default();
    check_declaration(text).map_err(|e| format!("declaration: {e}"))
}

/// The first text of a declaration (a JSON value) that hides characters, as `path: code`.
/// The path is spelled out only for what is found: every received revision is walked.
fn hidden_text(value: &Value) -> Option<String> {
    enum Step<'v> {
        Key(&'v str),
        Index(usize),
    }
    fn walk<'v>(value: &'v Value, path: &mut Vec<Step<'v>>) -> Option<&'static str> {
        let mut within = |step, v| {
            path.push(step);
            let found = walk(v, path);
            if found.is_none() {
                path.pop();
            }
            found
        };
        match value {
            Value::String(s) => sportello_domain::intake::check_text("", s, false).map(|p| p.code),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, v)| within(Step::Index(i), v)),
            Value::Object(map) => map.iter().find_map(|(k, v)| within(Step::Key(k), v)),
            _ => None,
        }
    }
    let mut path = Vec::new();
    let code = walk(value, &mut path)?;
    let mut spelled = String::new();
    for step in path {
        match step {
            Step::Key(k) if spelled.is_empty() => spelled.push_str(k),
            Step::Key(k) => spelled.push_str(&format!(".{k}")),
            Step::Index(i) => spelled.push_str(&format!("[{i}]")),
        }
    }
    Some(format!("{spelled}: {code}"))
}

/// A declaration is received only in the one form this version writes: every field known,
/// codici fiscali valid and normalised, so what is stored reads back exactly.
fn check_declaration(text: &str) -> std::result::Result<(), String> {
    // Messages name fields, never values: they are logged.
    let mut declaration: Declaration = serde_json::from_str(text).map_err(|e| {
        format!(
            "non è una dichiarazione (riga {}, colonna {})",
            e.line(),
            e.column()
        )
    })?;
    for (i, cf) in declaration.household_codici_fiscali().enumerate() {
        if let Err(e) = sportello_domain::codice_fiscale::CodiceFiscale::parse(cf) {
            let who = match i {
                0 => "applicant".to_string(),
                n => format!("household[{}]", n - 1),
            };
            return Err(format!("{who}.codice_fiscale: {}", e.code()));
        }
    }
    // As written by Sportello, a hidden character is either escaped (JSON writes every control
    // character with a `\`) or shown raw (a bidirectional control): the walk that names the
    // field runs only on a text that has either.
    let suspect = text.contains('\\')
        || text
            .chars()
            .any(|c| sportello_domain::intake::hidden_char(c).is_some());
    if let Some(found) = suspect
        .then(|| serde_json::from_str::<Value>(text).ok())
        .flatten()
        .and_then(|v| hidden_text(&v))
    {
        return Err(found);
    }
    declaration.normalize();
    if declaration_json(&declaration) != text {
        return Err(
            "non è nella forma scritta da Sportello (campi sconosciuti o non normalizzati)".into(),
        );
    }
    Ok(())
}

/// The one text form of a declaration: what is stored, hashed and sent.
fn declaration_json(declaration: &Declaration) -> String {
    serde_json::to_string(declaration).expect("a declaration always serialises")
}

fn insert_application(
    tx: &Transaction,
    comune: &str,
    new: &NewApplication,
    at: DateTime<FixedOffset>,
    actor: &Actor,
) -> Result<FiledApplication> {
    let year = new.filed_at.year();
    let case_seq: i64 = tx.query_row(
        "SELECT COALESCE(MAX(case_seq), 0) + 1 FROM applications WHERE comune = ?1 AND year = ?2",
        params![comune, year],
        |r| r.get(0),
    )?;
    let code = unused_code(tx)?;
    let id = new_id();
    insert_identity(
        tx,
        &IdentityRow {
            id: &id.to_string(),
            owner: comune,
            bando: &new.bando,
            year,
            case_seq,
            code: &code,
        },
        None,
    )?;
    insert_revision(
        tx,
        comune,
        &RevisionRow {
            application_id: &id.to_string(),
            revision: 1,
            filed_at: new.filed_at,
            protocol_number: new.protocol_number.as_deref(),
            override_note: new.override_note.as_deref(),
            declaration: &new.declaration,
            reason: None,
            operator: &actor.0,
            recorded_at: at,
        },
        None,
    )?;
    Ok(FiledApplication {
        id,
        case_number: case_number(year, case_seq),
        application_code: code,
    })
}

/// What identifies an application (the `applications` row).
struct IdentityRow<'a> {
    id: &'a str,
    owner: &'a str,
    bando: &'a str,
    year: i32,
    case_seq: i64,
    code: &'a str,
}

/// Writes an application's identity with the next version, or with `version` when the row is
/// brought over from an older schema.
fn insert_identity(tx: &Transaction, row: &IdentityRow, version: Option<i64>) -> Result<()> {
    let version = match version {
        Some(v) => v,
        None => next_version(tx)?,
    };
    tx.execute(
        "INSERT INTO applications (id, owner, version, content_hash, comune, bando, year,
         case_seq, application_code) VALUES (?1, ?2, ?3, '', ?2, ?4, ?5, ?6, ?7)",
        params![
            row.id,
            row.owner,
            version,
            row.bando,
            row.year,
            row.case_seq,
            row.code
        ],
    )?;
    crate::tables::stamp(tx, "applications", row.id)
}

/// One revision as written (the `application_revisions` row).
struct RevisionRow<'a> {
    application_id: &'a str,
    revision: i64,
    filed_at: DateTime<FixedOffset>,
    protocol_number: Option<&'a str>,
    override_note: Option<&'a str>,
    declaration: &'a Declaration,
    reason: Option<&'a str>,
    operator: &'a str,
    recorded_at: DateTime<FixedOffset>,
}

/// Writes a revision with a new id and the next version, or with the given `(id, version)`
/// when it is brought over from an older schema.
fn insert_revision(
    tx: &Transaction,
    owner: &str,
    row: &RevisionRow,
    brought: Option<(&str, i64)>,
) -> Result<()> {
    let (id, version) = match brought {
        Some((id, version)) => (id.to_string(), version),
        None => (new_id().to_string(), next_version(tx)?),
    };
    let filed_at = row.filed_at.to_rfc3339();
    let recorded_at = row.recorded_at.to_rfc3339();
    let declaration = declaration_json(row.declaration);
    tx.execute(
        "INSERT INTO application_revisions (id, owner, version, content_hash, application_id,
         revision, filed_at, protocol_number, override_note, declaration, reason, operator,
         recorded_at) VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id,
            owner,
            version,
            row.application_id,
            row.revision,
            filed_at,
            row.protocol_number,
            row.override_note,
            declaration,
            row.reason,
            row.operator,
            recorded_at
        ],
    )?;
    crate::tables::stamp(tx, "application_revisions", &id)?;
    // A revision brought over from an older schema is indexed by the migration that made the
    // search texts and households as they are (0037).
    if brought.is_none() {
        index_revision(tx, &id)?;
    }
    Ok(())
}

/// Keeps what is derived from revision `id` as the row now reads, its folded search text and
/// its household (`application_search`); a declaration that cannot be read leaves it without.
pub(crate) fn index_revision(conn: &Connection, id: &str) -> Result<()> {
    // Run for every revision an import writes: its statements are prepared once.
    let row: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT a.application_code, r.declaration FROM application_revisions r
             JOIN applications a ON a.id = r.application_id WHERE r.id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (code, derived) = match row {
        Some((code, declaration)) => (Some(code), derived(&declaration)),
        None => (None, None),
    };
    write_derived(conn, id, code.as_deref(), derived)
}

/// [`index_revision`] for a received revision, what its declaration gives read before it was
/// written ([`derived`], on the thread that reads an import ahead).
pub(crate) fn index_received_revision(
    conn: &Connection,
    id: &str,
    application_id: &str,
    derived: Option<Derived>,
) -> Result<()> {
    let code: Option<String> = conn
        .prepare_cached("SELECT application_code FROM applications WHERE id = ?1")?
        .query_row([application_id], |r| r.get(0))
        .optional()?;
    write_derived(conn, id, code.as_deref(), derived)
}

/// What a revision's declaration gives beside it: the people of its search text (folded) and
/// its household.
#[derive(Debug)]
pub(crate) struct Derived {
    people: String,
    household: crate::households::Kept,
}

/// [`Derived`] of a stored declaration, read once; `None` when it cannot be read.
pub(crate) fn derived(declaration: &str) -> Option<Derived> {
    let people: SearchedPeople = serde_json::from_str(declaration).ok()?;
    let names = (
        people.applicant.surname.as_ref(),
        people.applicant.name.as_ref(),
    );
    Some(Derived {
        people: SearchText::people(names, people.codici_fiscali()),
        household: crate::households::Kept::of(names, people.codici_fiscali()),
    })
}

/// Writes what `derived` gives revision `id` of the application coded `code` as one row (an
/// import writes one for every revision it brings), or removes it when there is none.
fn write_derived(
    conn: &Connection,
    id: &str,
    code: Option<&str>,
    derived: Option<Derived>,
) -> Result<()> {
    match code.zip(derived) {
        Some((code, d)) => conn
            .prepare_cached(
                "INSERT INTO application_search (revision_id, code, people, applicant,
                 codici_fiscali) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (revision_id) DO UPDATE SET code = excluded.code,
                 people = excluded.people, applicant = excluded.applicant,
                 codici_fiscali = excluded.codici_fiscali",
            )?
            .execute(params![
                id,
                fold(code),
                d.people,
                d.household.applicant,
                d.household.codici_fiscali
            ])?,
        None => conn
            .prepare_cached("DELETE FROM application_search WHERE revision_id = ?1")?
            .execute([id])?,
    };
    Ok(())
}

/// What the search text and the household read of a stored declaration: parsed alone, the
/// rest skipped, as an import indexes every revision it writes.
#[derive(serde::Deserialize)]
struct SearchedPeople<'a> {
    #[serde(borrow)]
    applicant: SearchedPerson<'a>,
    #[serde(borrow, default)]
    household: Vec<SearchedPerson<'a>>,
}

impl SearchedPeople<'_> {
    /// The applicant's codice fiscale, then each member's.
    fn codici_fiscali(&self) -> impl Iterator<Item = &str> {
        std::iter::once(&self.applicant)
            .chain(&self.household)
            .map(|p| p.codice_fiscale.as_ref())
    }
}

#[derive(serde::Deserialize)]
struct SearchedPerson<'a> {
    #[serde(borrow)]
    codice_fiscale: std::borrow::Cow<'a, str>,
    #[serde(borrow, default)]
    surname: std::borrow::Cow<'a, str>,
    #[serde(borrow, default)]
    name: std::borrow::Cow<'a, str>,
}

/// The migration that keeps the search texts and households in one row (`0037_search_households.sql`):
/// those of every revision it could not copy from the two tables before (a database older
/// than either, or a revision one of them missed).
pub(crate) fn index_every_revision(tx: &Transaction) -> Result<()> {
    let ids: Vec<String> = tx
        .prepare(
            "SELECT id FROM application_revisions
             WHERE id NOT IN (SELECT revision_id FROM application_search)",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        index_revision(tx, &id)?;
    }
    Ok(())
}

/// Before the capofila returns one of this install's applications (a new or restored
/// install), the case number it carries must be free: an application this install numbered
/// again after losing data moves past the highest number of its year, here or among the
/// returned ones (`returned_max`: year → highest case number returned). Returns the moves
/// as `old → new`.
pub(crate) fn make_room_for(
    tx: &rusqlite::Connection,
    record: &crate::record::Record,
    returned_max: &std::collections::HashMap<i64, i64>,
) -> Result<Vec<String>> {
    if record.table != "applications" {
        return Ok(Vec::new());
    }
    let body = &record.body;
    let (Some(comune), Some(year), Some(case_seq)) = (
        body["comune"].as_str(),
        body["year"].as_i64(),
        body["case_seq"].as_i64(),
    ) else {
        // Left to the record's own checks.
        return Ok(Vec::new());
    };
    let local: Option<String> = tx
        .query_row(
            "SELECT id FROM applications
             WHERE comune = ?1 AND year = ?2 AND case_seq = ?3 AND id <> ?4",
            params![comune, year, case_seq, record.meta.id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = local else {
        return Ok(Vec::new());
    };
    let returned = returned_max.get(&year).copied().unwrap_or(case_seq);
    let next: i64 = tx.query_row(
        "SELECT MAX(MAX(case_seq), ?3) + 1 FROM applications WHERE comune = ?1 AND year = ?2",
        params![comune, year, returned],
        |r| r.get(0),
    )?;
    let version = next_version(tx)?;
    let year = year as i32;
    tx.execute(
        "UPDATE applications SET case_seq = ?1, version = ?2 WHERE id = ?3",
        params![next, version, id],
    )?;
    crate::tables::stamp(tx, "applications", &id)?;
    Ok(vec![format!(
        "{} → {}",
        case_number(year, case_seq),
        case_number(year, next)
    )])
}

/// Whether a received application carries a case number held here for another application of
/// the same comune: its sender numbered again after losing data. Asked only once its writing
/// failed on a unique key, not before writing every application received.
pub(crate) fn case_number_taken(
    tx: &rusqlite::Connection,
    record: &crate::record::Record,
) -> Result<bool> {
    if record.table != "applications" {
        return Ok(false);
    }
    let body = &record.body;
    Ok(tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM applications
                            WHERE comune = ?1 AND year = ?2 AND case_seq = ?3 AND id <> ?4)",
        )?
        .query_row(
            params![
                body["comune"].as_str(),
                body["year"].as_i64(),
                body["case_seq"].as_i64(),
                record.meta.id.to_string()
            ],
            |r| r.get(0),
        )?)
}

/// Year → highest case number among the applications in `records`.
pub fn highest_case_numbers(
    records: impl IntoIterator<Item = impl std::borrow::Borrow<crate::record::Record>>,
) -> std::collections::HashMap<i64, i64> {
    let mut max = std::collections::HashMap::new();
    for r in records.into_iter() {
        let r = r.borrow();
        if r.table != "applications" {
            continue;
        }
        if let (Some(year), Some(seq)) = (r.body["year"].as_i64(), r.body["case_seq"].as_i64()) {
            let held = max.entry(year).or_insert(seq);
            *held = (*held).max(seq);
        }
    }
    max
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

/// Migration 3: each application of the old layout becomes its identity and a first revision
/// holding what its persons' rows said. Every install converts its rows the same way, so the
/// copies at the capofila stay equal to the comuni's: the revision takes the application's id
/// (ids are per table) and the highest version of the rows it was made of, so what a comune
/// changed after the capofila's last acknowledgement is sent again.
pub(crate) fn migrate_to_declared(tx: &Transaction) -> Result<()> {
    use sportello_domain::{
        Applicant, HouseholdMember, Housing, Isee, IseeDeclaration, IseeKind, Person, Sex,
    };

    let corrupt = |what: String| StoreError::Corrupt(format!("migrazione 3: {what}"));
    let date = |text: String| -> Result<NaiveDate> {
        text.parse()
            .map_err(|_| corrupt(format!("data non valida {text:?}")))
    };
    let person = |r: &Row, prefix: &str| -> Result<Person> {
        let column = |name: &str| format!("{prefix}{name}");
        Ok(Person {
            codice_fiscale: r.get(column("codice_fiscale").as_str())?,
            surname: r.get(column("surname").as_str())?,
            name: r.get(column("name").as_str())?,
            birth_date: date(r.get(column("birth_date").as_str())?)?,
            sex: match r.get::<_, String>(column("sex").as_str())?.as_str() {
                "F" => Sex::F,
                _ => Sex::M,
            },
            birth_place: r.get(column("birth_place").as_str())?,
        })
    };

    let mut members_of: std::collections::HashMap<String, (i64, Vec<HouseholdMember>)> =
        std::collections::HashMap::new();
    {
        let mut stmt = tx.prepare(
            "SELECT m.household_id, MAX(m.version, p.version) AS version, p.codice_fiscale,
                    p.surname, p.name, p.birth_date, p.sex, p.birth_place, m.relation,
                    m.dependent_minor, m.disabled
             FROM household_members m JOIN persons p ON p.id = m.person_id
             WHERE m.deleted = 0 ORDER BY m.household_id, m.ordinal",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let entry = members_of.entry(r.get("household_id")?).or_default();
            entry.0 = entry.0.max(r.get("version")?);
            entry.1.push(HouseholdMember {
                person: person(r, "")?,
                relation: r.get("relation")?,
                dependent_minor: r.get("dependent_minor")?,
                disabled: r.get("disabled")?,
            });
        }
    }

    let mut stmt = tx.prepare(
        "SELECT a.id, a.owner, a.version, a.deleted, a.bando, a.year, a.case_seq,
                a.application_code, a.filed_at, a.household_id, a.isee_value, a.isee_kind,
                a.dsu_protocol, a.dsu_date, a.resident, a.unemployed, a.unemployed_since,
                a.other_income_support, a.single_parent, a.applicant_disabled, a.housing,
                a.previous_participation, a.override_note, a.protocol_number,
                MAX(a.version, p.version, h.version) AS made_of_version,
                p.codice_fiscale, p.surname, p.name, p.birth_date, p.sex, p.birth_place,
                p.address, p.phone, p.email
         FROM applications_v2 a JOIN persons p ON p.id = a.applicant_id
         JOIN households h ON h.id = a.household_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get("id")?;
        let owner: String = r.get("owner")?;
        let (members_version, household) = members_of
            .remove(&r.get::<_, String>("household_id")?)
            .unwrap_or_default();
        let isee = match r.get::<_, Option<String>>("isee_value")? {
            None => None,
            Some(value) => Some(IseeDeclaration {
                value: value
                    .parse::<Isee>()
                    .map_err(|_| corrupt(format!("valore ISEE {value:?}")))?,
                kind: match r.get::<_, Option<String>>("isee_kind")?.as_deref() {
                    Some("corrente") => IseeKind::Corrente,
                    _ => IseeKind::Ordinario,
                },
                dsu_protocol: r
                    .get::<_, Option<String>>("dsu_protocol")?
                    .unwrap_or_default(),
                dsu_date: date(r.get("dsu_date")?)?,
            }),
        };
        let declaration = Declaration {
            applicant: Applicant {
                person: person(r, "")?,
                address: r.get("address")?,
                phone: r.get("phone")?,
                email: r.get("email")?,
            },
            household,
            isee,
            resident: r.get("resident")?,
            unemployed: r.get("unemployed")?,
            unemployed_since: r
                .get::<_, Option<String>>("unemployed_since")?
                .map(date)
                .transpose()?,
            other_income_support: r.get("other_income_support")?,
            single_parent: r.get("single_parent")?,
            applicant_disabled: r.get("applicant_disabled")?,
            housing: match r.get::<_, String>("housing")?.as_str() {
                "rent" => Housing::Rent,
                "eviction" => Housing::Eviction,
                _ => Housing::None,
            },
            previous_participation: r.get("previous_participation")?,
        };
        let filed_text: String = r.get("filed_at")?;
        let filed_at = DateTime::parse_from_rfc3339(&filed_text)
            .map_err(|_| corrupt(format!("data di presentazione {filed_text:?}")))?;
        let version: i64 = r.get("version")?;
        insert_identity(
            tx,
            &IdentityRow {
                id: &id,
                owner: &owner,
                bando: &r.get::<_, String>("bando")?,
                year: r.get("year")?,
                case_seq: r.get("case_seq")?,
                code: &r.get::<_, String>("application_code")?,
            },
            Some(version),
        )?;
        if r.get::<_, bool>("deleted")? {
            tx.execute("UPDATE applications SET deleted = 1 WHERE id = ?1", [&id])?;
        }
        let made_of: i64 = r.get("made_of_version")?;
        insert_revision(
            tx,
            &owner,
            &RevisionRow {
                application_id: &id,
                revision: 1,
                filed_at,
                protocol_number: r.get::<_, Option<String>>("protocol_number")?.as_deref(),
                override_note: r.get::<_, Option<String>>("override_note")?.as_deref(),
                declaration: &declaration,
                reason: None,
                operator: "migrazione",
                // The old layout kept no time of recording: the filing stands for it.
                recorded_at: filed_at,
            },
            Some((&id, made_of.max(members_version))),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn hidden_text_names_the_path_of_the_first_text_found() {
        let declaration = json!({
            "applicant": { "surname": "Rossi" },
            "household": [{ "name": "Anna" }, { "surname": "Rossi\u{202e}irtoP" }],
        });
        assert_eq!(
            super::hidden_text(&declaration).as_deref(),
            Some("household[1].surname: text_bidi_char")
        );
        assert_eq!(
            super::hidden_text(&json!({ "notes": "ok\u{1b}" })).as_deref(),
            Some("notes: text_control_char")
        );
        assert_eq!(
            super::hidden_text(&json!({ "applicant": { "name": "Anna" } })),
            None
        );
    }

    /// Every hidden character is found, escaped in the JSON (controls) or raw (C1 controls,
    /// bidirectional controls, line separators), and named by its field.
    #[test]
    fn a_received_declaration_with_a_hidden_character_is_refused() {
        let forms: Vec<sportello_domain::ApplicationForm> =
            serde_json::from_str(include_str!("../../../fixtures/applications.json")).unwrap();
        let mut declaration = forms
            .iter()
            .find(|f| !f.declaration.household.is_empty())
            .expect("a form with a household")
            .declaration
            .clone();
        declaration.normalize();
        assert_eq!(
            super::check_declaration(&super::declaration_json(&declaration)),
            Ok(())
        );
        for (hidden, code) in [
            ("\u{1b}", "text_control_char"),
            ("\u{85}", "text_control_char"),
            ("\u{202e}", "text_bidi_char"),
            ("\u{2028}", "text_line_break"),
            ("\n", "text_line_break"),
        ] {
            let mut changed = declaration.clone();
            changed.household[0].person.name = format!("Anna{hidden}Maria");
            assert_eq!(
                super::check_declaration(&super::declaration_json(&changed)),
                Err(format!("household[0].name: {code}")),
                "{hidden:?}"
            );
        }
        // A backslash alone is no hidden character.
        let mut changed = declaration.clone();
        changed.applicant.address = Some("Via Roma 1\\A".into());
        assert_eq!(
            super::check_declaration(&super::declaration_json(&changed)),
            Ok(())
        );
    }
}
