//! The household of each revision, kept beside it with its search text in `application_search`
//! (local, never synchronised): the applicant's name and every codice fiscale it names,
//! written wherever a revision is written (filing, correction, import, and the backfill of
//! migration `0037_search_households.sql`). The duplicates review and the exclusions across
//! comuni link applications through them without decoding every declaration of ten years;
//! the ranking still reads the declarations themselves.

use chrono::{DateTime, FixedOffset};
use rusqlite::Row;

use crate::applications::{case_number, current_conditions, filing_instant};
use crate::{Result, Store};

/// An application as its household links it to others, its declaration not decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    pub code: String,
    /// `2026/0000001`.
    pub case_number: String,
    pub comune: String,
    pub bando: String,
    pub filed_at: DateTime<FixedOffset>,
    /// The applicant's «Cognome Nome».
    pub applicant: String,
    /// The applicant's codice fiscale first, then each member's, as declared.
    pub codici_fiscali: Vec<String>,
}

/// The households of live applications (current revision), in filing order, and the codes of
/// those whose household cannot be read (their declaration is unreadable).
#[derive(Debug, Clone, Default)]
pub struct Households {
    pub households: Vec<Household>,
    pub unreadable: Vec<String>,
}

/// A revision's household as it is kept beside it: the applicant's «Cognome Nome» and every
/// codice fiscale (the applicant's first) as a JSON list.
#[derive(Debug)]
pub(crate) struct Kept {
    pub(crate) applicant: String,
    pub(crate) codici_fiscali: String,
}

impl Kept {
    pub(crate) fn of<'a>(
        (surname, name): (&str, &str),
        codici_fiscali: impl Iterator<Item = &'a str>,
    ) -> Self {
        let codici_fiscali: Vec<&str> = codici_fiscali.collect();
        Kept {
            applicant: format!("{surname} {name}"),
            codici_fiscali: serde_json::to_string(&codici_fiscali).expect("texts serialise"),
        }
    }
}

/// [`Store::households`]'s query (`?1` bando or `NULL`).
const HOUSEHOLDS_OF: &str = concat!(
    "SELECT a.application_code, a.year, a.case_seq, a.comune, a.bando, r.filed_at,
            h.applicant, h.codici_fiscali
     FROM applications a JOIN application_revisions r ON r.application_id = a.id
     LEFT JOIN application_search h ON h.revision_id = r.id
     WHERE ",
    current_conditions!(),
    " AND (?1 IS NULL OR a.bando = ?1)"
);

impl Store {
    /// [`Store::households`]'s query, for its plan to be checked.
    pub const HOUSEHOLDS: &str = HOUSEHOLDS_OF;

    /// The household of each live application of `bando` (every bando when `None`), in filing
    /// order: by instant (whatever the UTC offset written), then by code.
    pub fn households(&self, bando: Option<&str>) -> Result<Households> {
        let mut stmt = self.conn.prepare_cached(Self::HOUSEHOLDS)?;
        let mut rows = stmt.query([bando])?;
        let mut out = Households::default();
        while let Some(row) = rows.next()? {
            match household(row) {
                Some(h) => out.households.push(h),
                None => out.unreadable.push(row.get(0)?),
            }
        }
        // Codes are unique: the order is the same as a stable sort's.
        out.households
            .sort_unstable_by(|a, b| (a.filed_at, &a.code).cmp(&(b.filed_at, &b.code)));
        Ok(out)
    }
}

/// A row of [`Store::HOUSEHOLDS`]; `None` when any of it cannot be read.
fn household(row: &Row) -> Option<Household> {
    let code: String = row.get(0).ok()?;
    let filed_at = filing_instant(&code, &row.get::<_, String>(5).ok()?).ok()?;
    // The applicant's is always there.
    let codici_fiscali: Vec<String> = serde_json::from_str(&row.get::<_, String>(7).ok()?).ok()?;
    if codici_fiscali.is_empty() {
        return None;
    }
    Some(Household {
        case_number: case_number(row.get(1).ok()?, row.get(2).ok()?),
        comune: row.get(3).ok()?,
        bando: row.get(4).ok()?,
        filed_at,
        applicant: row.get(6).ok()?,
        codici_fiscali,
        code,
    })
}
