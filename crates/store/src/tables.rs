//! What sync knows of each synchronised table, declared once: the tables it refers to (the
//! order records are applied in follows from them), which way it travels, the fields that
//! travel (explicit, never `SELECT *`) with the type and domain of each, and what else a
//! received row must satisfy. `store::sync` reads only these descriptors.
//!
//! Adding a column: a migration adds it, its descriptor lists it, and when installs not yet
//! updated must not misread the records the oldest readable schema rises (docs/bundle-format.md).

use chrono::{DateTime, NaiveDate};
use serde_json::{Map, Value};
use uuid::Uuid;

use rusqlite::{Row, Transaction};
use sportello_domain::front_office::contact::AGE_BANDS;
use sportello_domain::front_office::{Answer, CASE_OUTCOME_CODES, Channel, Interlocutor, SentBy};

use crate::record::{Record, content_hash};
use crate::sync::{ApplyError, Direction, to_json};

/// One synchronised table.
pub(crate) struct SyncTable {
    pub name: &'static str,
    /// Tables its rows refer to, each with the referring column: a bundle applies those
    /// first, and setting a row aside takes the rows that refer to it along.
    pub refers_to: &'static [(&'static str, &'static str)],
    pub direction: Direction,
    /// The fields that travel, besides the sync metadata every row carries.
    pub columns: &'static [Column],
    /// A column that must name the row's owner (the comune of filing owns an application).
    pub owner_column: Option<&'static str>,
    /// What a received row must satisfy beyond its columns' types, given the comune that owns
    /// it; `Err` says what is wrong without quoting personal data.
    pub check: fn(&Map<String, Value>, &str) -> Result<(), String>,
    /// Run against what is held before a received row is written: a refusal, or making room.
    pub before_write: Option<BeforeWrite>,
    /// What of the table's records one recipient of a publish bundle gets (a ranking: its
    /// latest version, cut to the recipient's own rows); all of them when `None`.
    pub for_recipient: Option<RecipientView>,
}

pub(crate) type RecipientView = fn(Vec<Record>, &str) -> Vec<Record>;

pub(crate) type BeforeWrite = fn(&rusqlite::Connection, &Record) -> Result<(), ApplyError>;

pub(crate) struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub nullable: bool,
}

#[derive(Clone, Copy)]
pub(crate) enum Kind {
    /// Text of at most this many characters, not empty.
    Text(usize),
    /// A comune's ISTAT code: six digits.
    Istat,
    Integer {
        min: i64,
        max: i64,
    },
    /// `aaaa-mm-gg`.
    Date,
    /// RFC 3339, with its UTC offset.
    Instant,
    Uuid,
    /// One of these words.
    Word(&'static [&'static str]),
    /// JSON written as text (checked by the table's own check).
    JsonText,
}

const fn col(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        nullable: false,
    }
}

const fn optional(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        nullable: true,
    }
}

/// A note or a reason typed by an operator.
const NOTE: Kind = Kind::Text(4000);
/// An answer of a satisfaction questionnaire.
const SCORE: Kind = Kind::Integer { min: 1, max: 5 };
/// A big text: a bando's TOML, a ranking's rows.
const DOCUMENT: Kind = Kind::Text(64 * 1024 * 1024);

/// Every synchronised table.
pub(crate) const TABLES: &[SyncTable] = &[
    SyncTable {
        name: "applications",
        refers_to: &[],
        direction: Direction::Upload,
        columns: &[
            col("comune", Kind::Istat),
            col("bando", Kind::Text(64)),
            col(
                "year",
                Kind::Integer {
                    min: 2000,
                    max: 9999,
                },
            ),
            col(
                "case_seq",
                Kind::Integer {
                    min: 1,
                    max: 9_999_999_999,
                },
            ),
            col("application_code", Kind::Text(16)),
        ],
        owner_column: Some("comune"),
        check: crate::applications::check_received_application,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "application_revisions",
        refers_to: &[("applications", "application_id")],
        direction: Direction::Upload,
        columns: &[
            col("application_id", Kind::Uuid),
            col(
                "revision",
                Kind::Integer {
                    min: 1,
                    max: 1_000_000,
                },
            ),
            col("filed_at", Kind::Instant),
            optional("protocol_number", Kind::Text(64)),
            optional("override_note", NOTE),
            col("declaration", Kind::JsonText),
            optional("reason", NOTE),
            col("operator", Kind::Text(128)),
            col("recorded_at", Kind::Instant),
        ],
        owner_column: None,
        check: crate::applications::check_received_revision,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "application_withdrawals",
        refers_to: &[("applications", "application_id")],
        direction: Direction::Upload,
        columns: &[
            col("application_id", Kind::Uuid),
            col("withdrawn_on", Kind::Date),
            optional("note", NOTE),
            col("operator", Kind::Text(128)),
            col("recorded_at", Kind::Instant),
            optional("annulled_reason", NOTE),
            optional("annulled_at", Kind::Instant),
        ],
        owner_column: None,
        check: crate::withdrawals::check_received,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "objections",
        refers_to: &[("applications", "application_id")],
        direction: Direction::Upload,
        columns: &[
            col("application_id", Kind::Uuid),
            col("about", Kind::Text(64)),
            col("text", NOTE),
            col("received_on", Kind::Date),
            optional("late_reason", NOTE),
            col("operator", Kind::Text(128)),
            col("recorded_at", Kind::Instant),
            optional(
                "applied_revision",
                Kind::Integer {
                    min: 1,
                    max: 1_000_000,
                },
            ),
            optional("applied_at", Kind::Instant),
        ],
        owner_column: None,
        check: crate::objections::check_received,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "civico_events",
        refers_to: &[("applications", "application_id")],
        direction: Direction::Upload,
        columns: &[
            col("application_id", Kind::Uuid),
            col(
                "kind",
                Kind::Word(&[
                    "called",
                    "accepted",
                    "renounced",
                    "lapsed",
                    "ended",
                    "completed",
                ]),
            ),
            col("happened_on", Kind::Date),
            optional("note", NOTE),
            col("operator", Kind::Text(128)),
            col("recorded_at", Kind::Instant),
        ],
        owner_column: None,
        check: crate::civico::check_received,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "civico_projects",
        refers_to: &[("applications", "application_id")],
        direction: Direction::Upload,
        columns: &[
            col("application_id", Kind::Uuid),
            col("sector", Kind::Text(64)),
            col("site", Kind::Text(500)),
            optional("office", Kind::Text(500)),
            col("tutor", Kind::Text(200)),
            col("start_on", Kind::Date),
            col("end_on", Kind::Date),
            col("weekly_hours", Kind::Text(16)),
            optional("schedule", Kind::Text(500)),
            optional("inail_position", Kind::Text(100)),
            optional("rc_policy", Kind::Text(100)),
            col("operator", Kind::Text(128)),
            col("recorded_at", Kind::Instant),
        ],
        owner_column: None,
        check: crate::civico::check_received_project,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "civico_attendance",
        refers_to: &[("applications", "application_id")],
        direction: Direction::Upload,
        columns: &[
            col("application_id", Kind::Uuid),
            col("day", Kind::Date),
            col("hours", Kind::Text(16)),
            col("operator", Kind::Text(128)),
            col("recorded_at", Kind::Instant),
        ],
        owner_column: None,
        check: crate::civico::check_received_attendance,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "civico_complaints",
        refers_to: &[("applications", "application_id")],
        direction: Direction::Upload,
        columns: &[
            col("application_id", Kind::Uuid),
            col("source", Kind::Word(&["host", "participant"])),
            col("text", NOTE),
            col("received_on", Kind::Date),
            col("operator", Kind::Text(128)),
            col("recorded_at", Kind::Instant),
            optional("outcome", NOTE),
            optional("closed_at", Kind::Instant),
        ],
        owner_column: None,
        check: crate::civico::check_received_complaint,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "civico_checks",
        refers_to: &[("applications", "application_id")],
        direction: Direction::Upload,
        columns: &[
            col("application_id", Kind::Uuid),
            col("stage", Kind::Word(&["itinere", "finale"])),
            col("done_on", Kind::Date),
            col("tasks", NOTE),
            optional("training", NOTE),
            optional("skills", NOTE),
            optional("employed_after", Kind::Integer { min: 0, max: 1 }),
            col("operator", Kind::Text(128)),
            col("recorded_at", Kind::Instant),
        ],
        owner_column: None,
        check: crate::civico::check_received_check,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "local_services",
        refers_to: &[],
        direction: Direction::Upload,
        columns: SERVICE_COLUMNS,
        owner_column: None,
        check: crate::services::check_received,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "monitoring_counts",
        refers_to: &[],
        direction: Direction::Upload,
        columns: &[
            col("period", Kind::Text(8)),
            col("counts", Kind::JsonText),
            col("computed_at", Kind::Instant),
        ],
        owner_column: None,
        check: crate::monitoring::check_received_counts,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "contacts",
        refers_to: &[],
        direction: Direction::Upload,
        columns: &[
            col("comune", Kind::Istat),
            col("day", Kind::Date),
            col("channel", Kind::Word(Channel::ALL)),
            col("interlocutor", Kind::Word(Interlocutor::ALL)),
            col("sent_by", Kind::Word(SentBy::ALL)),
            optional("person_key", Kind::Text(32)),
            optional("sex", Kind::Word(&["M", "F"])),
            optional("age_band", Kind::Word(AGE_BANDS)),
            optional("residence_istat", Kind::Istat),
            col("needs", Kind::JsonText),
            col("answer", Kind::Word(Answer::ALL)),
            col("services", Kind::JsonText),
            col("unmet_need", Kind::Integer { min: 0, max: 1 }),
            optional("taken_up", Kind::Integer { min: 0, max: 1 }),
            optional("taken_up_on", Kind::Date),
        ],
        owner_column: Some("comune"),
        check: crate::contacts::check_received_contact,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "front_office_cases",
        refers_to: &[("contacts", "contact_id")],
        direction: Direction::Upload,
        columns: &[
            col("contact_id", Kind::Uuid),
            col("kind", Kind::Text(40)),
            col("target_days", Kind::Integer { min: 2, max: 30 }),
            col("working_days", Kind::Integer { min: 0, max: 1 }),
            col("opened_on", Kind::Date),
            col("due_on", Kind::Date),
            optional("closed_on", Kind::Date),
            optional("outcome", Kind::Word(CASE_OUTCOME_CODES)),
        ],
        owner_column: None,
        check: crate::contacts::check_received_case,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "satisfaction",
        refers_to: &[],
        direction: Direction::Upload,
        columns: &[
            col("comune", Kind::Istat),
            col("day", Kind::Date),
            optional("courtesy", SCORE),
            optional("clarity", SCORE),
            optional("waiting", SCORE),
            optional("finding", SCORE),
        ],
        owner_column: Some("comune"),
        check: crate::contacts::check_received_satisfaction,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "monitoring_forms",
        refers_to: &[],
        direction: Direction::Upload,
        columns: &[
            col("period", Kind::Text(8)),
            col("action", Kind::Text(4)),
            col(
                "revision",
                Kind::Integer {
                    min: 1,
                    max: 1_000_000,
                },
            ),
            col("form", Kind::JsonText),
            col("operator", Kind::Text(128)),
            col("recorded_at", Kind::Instant),
            optional("closed_at", Kind::Instant),
            optional("closed_by", Kind::Text(128)),
        ],
        owner_column: None,
        check: crate::monitoring::check_received_form,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "bandi",
        refers_to: &[],
        direction: Direction::Publish,
        columns: &[
            col("code", Kind::Text(64)),
            col("title", Kind::Text(500)),
            col("opens", Kind::Date),
            col("closes", Kind::Date),
            col("toml", DOCUMENT),
        ],
        owner_column: None,
        check: crate::bandi::check_received,
        before_write: Some(crate::bandi::supersede_local_copy),
        for_recipient: None,
    },
    SyncTable {
        name: "rankings",
        refers_to: &[("bandi", "bando")],
        direction: Direction::Publish,
        columns: &[
            col("bando", Kind::Text(64)),
            col(
                "number",
                Kind::Integer {
                    min: 1,
                    max: 1_000_000,
                },
            ),
            col("stage", Kind::Word(&["provisional", "definitive"])),
            col("published_at", Kind::Instant),
            col("bando_toml", DOCUMENT),
            col("inputs", Kind::JsonText),
            col("rows", Kind::JsonText),
        ],
        owner_column: None,
        check: crate::rankings::check_received,
        before_write: Some(crate::rankings::only_forward),
        for_recipient: Some(crate::rankings::latest_for_comune),
    },
    SyncTable {
        name: "objection_decisions",
        refers_to: &[("objections", "objection_id")],
        direction: Direction::Publish,
        columns: &[
            col("objection_id", Kind::Uuid),
            col("comune", Kind::Istat),
            col("outcome", Kind::Word(&["accolta", "respinta"])),
            col("reason", NOTE),
            col("operator", Kind::Text(128)),
            col("decided_at", Kind::Instant),
        ],
        owner_column: None,
        check: crate::objections::check_received_decision,
        before_write: None,
        for_recipient: Some(crate::objections::decisions_for_comune),
    },
    SyncTable {
        name: "case_kinds",
        refers_to: &[],
        direction: Direction::Publish,
        columns: &[
            col("code", Kind::Text(40)),
            col("name", Kind::Text(200)),
            col("target_days", Kind::Integer { min: 2, max: 30 }),
            col("working_days", Kind::Integer { min: 0, max: 1 }),
            col("active", Kind::Integer { min: 0, max: 1 }),
        ],
        owner_column: None,
        check: crate::front_office::check_received,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "named_elsewhere",
        refers_to: &[("bandi", "bando")],
        direction: Direction::Publish,
        columns: &[
            col("bando", Kind::Text(64)),
            col("recipient", Kind::Istat),
            col("digest_key", Kind::Text(64)),
            col("as_of", Kind::Instant),
            col("digests", Kind::JsonText),
        ],
        owner_column: None,
        check: crate::named_elsewhere::check_received,
        before_write: None,
        for_recipient: Some(crate::named_elsewhere::for_recipient),
    },
    SyncTable {
        name: "services",
        refers_to: &[],
        direction: Direction::Publish,
        columns: SERVICE_COLUMNS,
        owner_column: None,
        check: crate::services::check_received,
        before_write: None,
        for_recipient: None,
    },
    SyncTable {
        name: "accreditation_register",
        refers_to: &[],
        direction: Direction::Publish,
        columns: &[
            col("register_number", Kind::Text(32)),
            col("entered_on", Kind::Date),
            col("tax_code", Kind::Text(16)),
            col("legal_name", Kind::Text(300)),
            col("legal_form", Kind::Text(300)),
            col("seat_istat", Kind::Istat),
            col("offices", Kind::JsonText),
            col("representative_name", Kind::Text(300)),
            col("representative_role", Kind::Text(300)),
            col("services", Kind::JsonText),
            col("comuni", Kind::JsonText),
            col("score", Kind::Integer { min: 0, max: 1000 }),
            col("valid_from", Kind::Date),
            col("valid_until", Kind::Date),
            col("status", Kind::Word(&["attivo", "sospeso", "revocato"])),
            col("history", Kind::JsonText),
            col("documents", Kind::JsonText),
            col("checks", Kind::JsonText),
        ],
        owner_column: None,
        check: crate::accreditation::check_received,
        before_write: None,
        for_recipient: None,
    },
];

/// An entry of the map of services, district or local (`store::services`).
const SERVICE_COLUMNS: &[Column] = &[
    col("code", Kind::Text(40)),
    col("name", Kind::Text(200)),
    optional("provider", Kind::Text(200)),
    col("area", Kind::Integer { min: 1, max: 3 }),
    optional("comuni", Kind::Text(2000)),
    optional("recipients", Kind::Text(2000)),
    optional("access", Kind::Text(2000)),
    optional("documents", Kind::Text(2000)),
    optional("cost", Kind::Text(2000)),
    optional("place", Kind::Text(2000)),
    optional("hours", Kind::Text(2000)),
    optional("contacts", Kind::Text(2000)),
    col("reviewed_on", Kind::Date),
    col("active", Kind::Integer { min: 0, max: 1 }),
];

pub(crate) fn table(name: &str) -> Option<&'static SyncTable> {
    TABLES.iter().find(|t| t.name == name)
}

/// The tables whose rows refer to `name`'s rows, each with its referring column.
pub(crate) fn referring_to(name: &str) -> impl Iterator<Item = (&'static str, &'static str)> {
    TABLES.iter().flat_map(move |t| {
        t.refers_to
            .iter()
            .filter(move |(to, _)| *to == name)
            .map(move |(_, column)| (t.name, *column))
    })
}

/// The tables travelling `direction`, each after the tables it refers to.
pub(crate) fn in_apply_order(direction: Direction) -> Vec<&'static str> {
    let mut ordered: Vec<&'static str> = Vec::new();
    let mut pending: Vec<&SyncTable> = TABLES.iter().filter(|t| t.direction == direction).collect();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|t| {
            let ready = t.refers_to.iter().all(|(dep, _)| {
                ordered.contains(dep) || table(dep).is_none_or(|d| d.direction != direction)
            });
            if ready {
                ordered.push(t.name);
            }
            !ready
        });
        assert!(
            pending.len() < before,
            "synchronised tables refer to each other in a cycle"
        );
    }
    ordered
}

/// Computes and stores the content hash of row `id` of `table` from its wire fields, as
/// they read back from the database: every local write of a synchronised row ends here, so
/// the hash is of exactly what travels.
pub(crate) fn stamp(tx: &rusqlite::Connection, table: &str, id: &str) -> crate::Result<()> {
    let t = self::table(table).expect("stamped tables are declared");
    let body = tx.query_row(
        &format!("SELECT {} FROM {table} WHERE id = ?1", t.field_list()),
        [id],
        |row| t.body_of(row, 0),
    )?;
    tx.execute(
        &format!("UPDATE {table} SET content_hash = ?1 WHERE id = ?2"),
        [content_hash(&body), id.to_string()],
    )?;
    Ok(())
}

/// Stamps every row of every synchronised table again (the migration to one hash scheme):
/// the tables that exist at that step, later migrations adding more.
pub(crate) fn stamp_all(tx: &Transaction) -> crate::Result<()> {
    for t in TABLES {
        let exists: bool = tx.query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [t.name],
            |r| r.get(0),
        )?;
        if !exists {
            continue;
        }
        let ids: Vec<String> = tx
            .prepare(&format!("SELECT id FROM {}", t.name))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            stamp(tx, t.name, &id)?;
        }
    }
    Ok(())
}

impl SyncTable {
    /// The wire fields, as an SQL select list.
    pub(crate) fn field_list(&self) -> String {
        let names: Vec<&str> = self.columns.iter().map(|c| c.name).collect();
        names.join(", ")
    }

    /// A row's wire fields, read from `row` from column `first` on (in [`Self::field_list`]
    /// order).
    pub(crate) fn body_of(&self, row: &Row, first: usize) -> rusqlite::Result<Map<String, Value>> {
        let mut body = Map::new();
        for (i, column) in self.columns.iter().enumerate() {
            body.insert(column.name.to_string(), to_json(row.get_ref(first + i)?));
        }
        Ok(body)
    }

    /// Every way `body` is not a row of this table, first problem first: a missing or unknown
    /// field, a value of the wrong type or outside its domain, then the table's own check.
    pub fn validate(&self, body: &Map<String, Value>, owner: &str) -> Result<(), String> {
        if let Some(unknown) = body
            .keys()
            .find(|k| !self.columns.iter().any(|c| c.name == *k))
        {
            let known: Vec<&str> = self.columns.iter().map(|c| c.name).collect();
            return Err(match nearest(unknown, &known) {
                Some(near) => format!("campo sconosciuto {unknown:?} (forse {near:?}?)"),
                None => format!("campo sconosciuto {unknown:?}"),
            });
        }
        for column in self.columns {
            match body.get(column.name) {
                None => return Err(format!("{}: campo mancante", column.name)),
                Some(Value::Null) if column.nullable => {}
                Some(Value::Null) => return Err(format!("{}: valore mancante", column.name)),
                Some(value) => column
                    .kind
                    .admits(value)
                    .map_err(|what| format!("{}: {what}", column.name))?,
            }
        }
        (self.check)(body, owner)
    }
}

impl Kind {
    /// Whether `value` is of this kind; `Err` says what was expected.
    fn admits(self, value: &Value) -> Result<(), String> {
        let text = || value.as_str().ok_or("atteso un testo");
        match self {
            Kind::Text(max) => {
                let t = text()?;
                if t.is_empty() {
                    return Err("testo vuoto".into());
                }
                if t.chars().count() > max {
                    return Err(format!("testo più lungo di {max} caratteri"));
                }
            }
            Kind::Istat => {
                let t = text()?;
                if t.len() != 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
                    return Err("atteso un codice ISTAT di sei cifre".into());
                }
            }
            Kind::Integer { min, max } => match value.as_i64() {
                Some(n) if (min..=max).contains(&n) => {}
                Some(_) => return Err(format!("numero fuori dall'intervallo {min}–{max}")),
                None => return Err("atteso un numero intero".into()),
            },
            Kind::Date => {
                text()?
                    .parse::<NaiveDate>()
                    .map_err(|_| "attesa una data aaaa-mm-gg")?;
            }
            Kind::Instant => {
                DateTime::parse_from_rfc3339(text()?)
                    .map_err(|_| "attese data e ora (RFC 3339)")?;
            }
            Kind::Uuid => {
                text()?
                    .parse::<Uuid>()
                    .map_err(|_| "atteso un identificativo (UUID)")?;
            }
            Kind::Word(words) => {
                let t = text()?;
                if !words.contains(&t) {
                    return Err(format!(
                        "valore non ammesso, atteso uno tra {}",
                        words.join(", ")
                    ));
                }
            }
            Kind::JsonText => {
                serde_json::from_str::<serde::de::IgnoredAny>(text()?)
                    .map_err(|_| "atteso un testo JSON")?;
            }
        }
        Ok(())
    }
}

/// The known name closest to `name` (at most two edits away), to suggest a correction.
fn nearest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Texts follow the desk's rule: no hidden characters, new lines only where typed freely.
pub(crate) fn check_texts(
    body: &Map<String, Value>,
    texts: &[(&str, bool)],
) -> std::result::Result<(), String> {
    for (column, multiline) in texts {
        if let Some(p) = body[*column]
            .as_str()
            .and_then(|t| sportello_domain::intake::check_text(column, t, *multiline))
        {
            return Err(format!("{column}: {}", p.code));
        }
    }
    Ok(())
}

/// Fields set together or not at all (an annulment's reason and time …): `Err` names `second`.
pub(crate) fn both_or_neither(
    body: &Map<String, Value>,
    first: &str,
    second: &str,
    what: &str,
) -> std::result::Result<(), String> {
    if body[first].is_null() == body[second].is_null() {
        Ok(())
    } else {
        Err(format!("{second}: {what}"))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn tables_apply_after_the_tables_they_refer_to() {
        assert_eq!(
            in_apply_order(Direction::Upload),
            [
                "applications",
                "application_revisions",
                "application_withdrawals",
                "objections",
                "civico_events",
                "civico_projects",
                "civico_attendance",
                "civico_complaints",
                "civico_checks",
                "local_services",
                "monitoring_counts",
                "contacts",
                "front_office_cases",
                "satisfaction",
                "monitoring_forms"
            ]
        );
        assert_eq!(
            in_apply_order(Direction::Publish),
            [
                "bandi",
                "rankings",
                "objection_decisions",
                "case_kinds",
                "named_elsewhere",
                "services",
                "accreditation_register"
            ]
        );
    }

    #[test]
    fn every_descriptor_names_columns_of_its_table() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut conn = conn;
        crate::schema::migrate(&mut conn).unwrap();
        for t in TABLES {
            let columns: Vec<String> = conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{}')", t.name))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            for c in t.columns {
                assert!(columns.iter().any(|n| n == c.name), "{}.{}", t.name, c.name);
            }
        }
    }

    /// A kind of case received from the capofila is refused when its target, its code or its
    /// flags fall outside the district's rules (apply then changes nothing: one transaction).
    #[test]
    fn a_hostile_kind_of_case_is_refused() {
        let kinds = table("case_kinds").unwrap();
        let good = json!({"code": "contributo", "name": "Contributo economico",
                          "target_days": 10, "working_days": 0, "active": 1});
        let with = |key: &str, value: Value| {
            let mut b = good.as_object().unwrap().clone();
            b.insert(key.into(), value);
            b
        };
        assert_eq!(kinds.validate(good.as_object().unwrap(), "089017"), Ok(()));
        for (key, value, says) in [
            ("target_days", json!(31), "target_days: numero fuori"),
            ("target_days", json!(1), "target_days: numero fuori"),
            ("working_days", json!(2), "working_days: numero fuori"),
            ("code", json!("Con Spazi"), "lettere minuscole"),
            ("name", json!(""), "name: testo vuoto"),
        ] {
            let err = kinds.validate(&with(key, value), "089017").unwrap_err();
            assert!(err.contains(says), "{key}: {err}");
        }
    }

    /// An entry of the map of services received, district or local, is refused when it could
    /// not have been written there: an area outside SIUSS's three, a code in capitals or with
    /// spaces, comuni not as six digits in order, hidden characters.
    #[test]
    fn a_hostile_service_is_refused() {
        let good = json!({"code": "sad-anziani", "name": "Assistenza domiciliare",
                          "provider": null, "area": 2, "comuni": "089009 089017",
                          "recipients": "Anziani", "access": null, "documents": null,
                          "cost": null, "place": null, "hours": null, "contacts": null,
                          "reviewed_on": "2026-03-10", "active": 1});
        let with = |key: &str, value: Value| {
            let mut b = good.as_object().unwrap().clone();
            b.insert(key.into(), value);
            b
        };
        for name in ["services", "local_services"] {
            let t = table(name).unwrap();
            assert_eq!(t.validate(good.as_object().unwrap(), "089009"), Ok(()));
            for (key, value, says) in [
                ("area", json!(4), "area: numero fuori"),
                ("code", json!("SAD"), "code"),
                ("code", json!("sad anziani"), "id"),
                ("comuni", json!("089017 089009"), "comuni"),
                ("comuni", json!("89017"), "comuni"),
                ("comuni", json!(""), "comuni: testo vuoto"),
                ("recipients", json!("a\u{202e}b"), "destinatari"),
                ("reviewed_on", json!("10/03/2026"), "reviewed_on"),
            ] {
                let err = t.validate(&with(key, value), "089009").unwrap_err();
                assert!(err.contains(says), "{name}.{key}: {err}");
            }
        }
    }

    /// An objection or a decision received is refused when it could not have been written
    /// here: half an application, an outcome that is no decision, hidden characters.
    #[test]
    fn a_hostile_objection_or_decision_is_refused() {
        let objections = table("objections").unwrap();
        let good = json!({"application_id": "0193f2a4-7c1e-7d3a-9b2f-1a2b3c4d5e6f",
                          "about": "isee", "text": "L'ISEE è sbagliato",
                          "received_on": "2026-03-11", "late_reason": null, "operator": "bruna",
                          "recorded_at": "2026-03-11T10:00:00+01:00",
                          "applied_revision": null, "applied_at": null});
        let with = |base: &Value, key: &str, value: Value| {
            let mut b = base.as_object().unwrap().clone();
            b.insert(key.into(), value);
            b
        };
        assert_eq!(
            objections.validate(good.as_object().unwrap(), "089009"),
            Ok(())
        );
        for (key, value, says) in [
            ("applied_revision", json!(2), "applied_at"),
            (
                "applied_at",
                json!("2026-03-12T10:00:00+01:00"),
                "applied_at",
            ),
            ("text", json!("a\u{202e}b"), "text:"),
            ("received_on", json!("11/03/2026"), "received_on"),
        ] {
            let err = objections
                .validate(&with(&good, key, value), "089009")
                .unwrap_err();
            assert!(err.contains(says), "{key}: {err}");
        }

        let decisions = table("objection_decisions").unwrap();
        let good = json!({"objection_id": "0193f2a4-7c1e-7d3a-9b2f-1a2b3c4d5e6f",
                          "comune": "089009", "outcome": "accolta", "reason": "Documentata",
                          "operator": "coord", "decided_at": "2026-03-13T09:00:00+01:00"});
        assert_eq!(
            decisions.validate(good.as_object().unwrap(), "089017"),
            Ok(())
        );
        let err = decisions
            .validate(&with(&good, "outcome", json!("forse")), "089017")
            .unwrap_err();
        assert!(err.contains("outcome"), "{err}");
    }

    /// Each comune receives the decisions on its own objections only.
    #[test]
    fn decisions_are_cut_to_the_objection_s_comune() {
        let decision = |comune: &str| Record {
            table: "objection_decisions".into(),
            meta: crate::record::SyncMeta {
                id: crate::record::new_id(),
                owner: "089017".into(),
                version: 1,
                content_hash: String::new(),
                deleted: false,
            },
            body: json!({ "comune": comune }),
        };
        let kept = crate::objections::decisions_for_comune(
            vec![decision("089009"), decision("089011"), decision("089009")],
            "089009",
        );
        assert_eq!(kept.len(), 2);
        assert!(kept.iter().all(|r| r.body["comune"] == "089009"));
    }

    #[test]
    fn values_of_the_wrong_type_or_domain_are_named() {
        let applications = table("applications").unwrap();
        let good = json!({"comune": "089009", "bando": "SC-1", "year": 2026, "case_seq": 1,
                          "application_code": "K7M2Q-X9P4T"});
        let body = |edit: fn(&mut Value)| {
            let mut b = good.clone();
            edit(&mut b);
            b.as_object().unwrap().clone()
        };
        assert_eq!(applications.validate(&body(|_| {}), "089009"), Ok(()));
        type Edit = fn(&mut Value);
        let cases: [(Edit, &str); 6] = [
            (
                |b| b["year"] = json!("2026x"),
                "year: atteso un numero intero",
            ),
            (|b| b["year"] = json!(0.5), "year: atteso un numero intero"),
            (|b| b["case_seq"] = json!(0), "case_seq: numero fuori"),
            (
                |b| b["comune"] = json!("89009"),
                "comune: atteso un codice ISTAT",
            ),
            (|b| b["bando"] = json!(null), "bando: valore mancante"),
            (
                |b| b["yaer"] = json!(2026),
                "campo sconosciuto \"yaer\" (forse \"year\"?)",
            ),
        ];
        for (edit, says) in cases {
            let err = applications.validate(&body(edit), "089009").unwrap_err();
            assert!(err.starts_with(says), "{err}");
        }
        let mut missing = good.as_object().unwrap().clone();
        missing.remove("case_seq");
        assert_eq!(
            applications.validate(&missing, "089009"),
            Err("case_seq: campo mancante".into())
        );
    }
    /// A table's good record and, for each field, a bad value and what its refusal names.
    type Bad<'a> = &'a [(&'a str, Value, &'a str)];

    /// Each table admits its good record, sent by comune 089009, and refuses each bad copy of
    /// it naming what is wrong.
    fn good_admitted_bad_refused(cases: &[(&str, Value, Bad)]) {
        for (name, good, bad) in cases {
            let t = table(name).unwrap();
            assert_eq!(
                t.validate(good.as_object().unwrap(), "089009"),
                Ok(()),
                "{name}"
            );
            for (key, value, says) in *bad {
                let mut copy = good.as_object().unwrap().clone();
                copy.insert((*key).into(), value.clone());
                let err = t
                    .validate(&copy, "089009")
                    .expect_err(&format!("{name}.{key} = {value}"));
                assert!(err.contains(says), "{name}.{key}: {err}");
            }
        }
    }

    /// Front-office records received from a comune are refused when they could not have been
    /// written there: an area or answer that does not exist, a person key that is no digest,
    /// half a closing or referral outcome, dates out of order, a questionnaire with no answer.
    #[test]
    fn hostile_front_office_records_are_refused() {
        let cases: [(&str, Value, Bad); 3] = [
            (
                "contacts",
                json!({"comune": "089009", "day": "2026-03-02", "channel": "sportello",
                       "interlocutor": "utente", "sent_by": "spontaneo",
                       "person_key": "0123456789abcdef0123456789abcdef", "sex": "F",
                       "age_band": "25-34", "residence_istat": "089009",
                       "needs": "[{\"area\":3}]", "answer": "invio", "services": "[\"sad\"]",
                       "unmet_need": 0, "taken_up": null, "taken_up_on": null}),
                &[
                    ("needs", json!("[{\"area\":4}]"), "needs"),
                    ("needs", json!("[]"), "needs"),
                    ("answer", json!("forse"), "answer"),
                    ("person_key", json!("RSSMRA80A01I754N"), "person_key"),
                    ("services", json!("[\"a b\"]"), "services"),
                    ("taken_up", json!(1), "taken_up_on"),
                    ("age_band", json!("18-99"), "age_band"),
                ],
            ),
            (
                "front_office_cases",
                json!({"contact_id": "0193f2a4-7c1e-7d3a-9b2f-1a2b3c4d5e6f", "kind": "generica",
                       "target_days": 30, "working_days": 0, "opened_on": "2026-03-02",
                       "due_on": "2026-04-01", "closed_on": null, "outcome": null}),
                &[
                    ("outcome", json!("accolta"), "vanno insieme"),
                    ("outcome", json!("forse"), "outcome"),
                    ("due_on", json!("2026-03-01"), "due_on"),
                    ("target_days", json!(31), "target_days"),
                ],
            ),
            (
                "satisfaction",
                json!({"comune": "089009", "day": "2026-03-02", "courtesy": 5, "clarity": null,
                       "waiting": null, "finding": null}),
                &[
                    ("courtesy", json!(null), "courtesy"),
                    ("clarity", json!(6), "clarity"),
                ],
            ),
        ];
        good_admitted_bad_refused(&cases);
    }

    /// Servizio civico records and withdrawals received from a comune are refused when they
    /// could not have been written there: a half annulment or closure, a step or a source
    /// that does not exist, hours that are no number, dates out of order, hidden characters.
    #[test]
    fn hostile_civico_records_and_withdrawals_are_refused() {
        let id = "0193f2a4-7c1e-7d3a-9b2f-1a2b3c4d5e6f";
        let at = "2026-06-02T10:00:00+02:00";
        // Each table: a good record, then (field, bad value, what the refusal names).
        let cases: [(&str, Value, Bad); 6] = [
            (
                "application_withdrawals",
                json!({"application_id": id, "withdrawn_on": "2026-06-01", "note": null,
                       "operator": "bruna", "recorded_at": at, "annulled_reason": null,
                       "annulled_at": null}),
                &[
                    ("annulled_reason", json!("per errore"), "annulled_at"),
                    ("note", json!("a\u{202e}b"), "note"),
                    ("withdrawn_on", json!("01/06/2026"), "withdrawn_on"),
                ],
            ),
            (
                "civico_events",
                json!({"application_id": id, "kind": "called", "happened_on": "2026-06-01",
                       "note": null, "operator": "bruna", "recorded_at": at}),
                &[
                    ("kind", json!("hired"), "kind"),
                    ("note", json!("x\u{0007}"), "note"),
                ],
            ),
            (
                "civico_projects",
                json!({"application_id": id, "sector": "ambiente", "site": "Villa",
                       "office": null, "tutor": "Verdi", "start_on": "2026-06-01",
                       "end_on": "2026-09-01", "weekly_hours": "12", "schedule": null,
                       "inail_position": null, "rc_policy": null, "operator": "bruna",
                       "recorded_at": at}),
                &[
                    ("end_on", json!("2026-05-01"), "end_on"),
                    ("weekly_hours", json!("12,5"), "weekly_hours"),
                    ("weekly_hours", json!("-3"), "weekly_hours"),
                ],
            ),
            (
                "civico_attendance",
                json!({"application_id": id, "day": "2026-06-01", "hours": "3.5",
                       "operator": "bruna", "recorded_at": at}),
                &[
                    ("hours", json!("tre"), "hours"),
                    ("hours", json!("3."), "hours"),
                ],
            ),
            (
                "civico_complaints",
                json!({"application_id": id, "source": "host", "text": "ritardi",
                       "received_on": "2026-06-01", "operator": "bruna", "recorded_at": at,
                       "outcome": null, "closed_at": null}),
                &[
                    ("source", json!("anyone"), "source"),
                    ("outcome", json!("risolto"), "closed_at"),
                ],
            ),
            (
                "civico_checks",
                json!({"application_id": id, "stage": "finale", "done_on": "2026-06-01",
                       "tasks": "cura del verde", "training": null, "skills": null,
                       "employed_after": null, "operator": "bruna", "recorded_at": at}),
                &[
                    ("stage", json!("dopo"), "stage"),
                    ("employed_after", json!(2), "employed_after"),
                    ("skills", json!("a\u{202e}b"), "skills"),
                ],
            ),
        ];
        good_admitted_bad_refused(&cases);
    }

    /// Monitoring travels as figures only: a count that is text, a name that is not a count's,
    /// a period that is not a half-year, a form incomplete or closed without who closed it.
    #[test]
    fn hostile_monitoring_records_are_refused() {
        let at = "2026-07-02T10:00:00+02:00";
        let form = json!({"period": "2026-H1", "action": "21", "manager": "Russo",
            "objectives": [{"objective": "Avvii", "progress": "4 su 6"}],
            "activities": "Chiamate", "problems": null, "corrective_steps": null,
            "budget": {"allocated": "100.00", "committed": "50.00", "paid": "20.00"},
            "staff": "2"})
        .to_string();
        let unpaid = form.replace("\"paid\":\"20.00\"", "\"paid\":\"90.00\"");
        let cases: [(&str, Value, Bad); 2] = [
            (
                "monitoring_counts",
                json!({"period": "2026-H1", "counts": "{\"civico.hours\":\"12.5\"}",
                       "computed_at": at}),
                &[
                    (
                        "counts",
                        json!("{\"civico.hours\":\"Mario Rossi\"}"),
                        "counts",
                    ),
                    ("counts", json!("{\"RSSMRA80A01I754N\":\"1\"}"), "counts"),
                    ("period", json!("2026-H3"), "period"),
                ],
            ),
            (
                "monitoring_forms",
                json!({"period": "2026-H1", "action": "21", "revision": 1, "form": form,
                       "operator": "bruna", "recorded_at": at, "closed_at": null,
                       "closed_by": null}),
                &[
                    ("form", json!(unpaid), "form"),
                    ("form", json!("non una scheda"), "form"),
                    ("closed_at", json!(at), "closed_by"),
                ],
            ),
        ];
        good_admitted_bad_refused(&cases);
    }
}
