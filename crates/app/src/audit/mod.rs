//! The audit trail as the front ends show it: its entries by day and operator, and the check
//! of its hash chain (`store::audit`). The reads of personal data that the other areas record
//! go through [`Sportello::audit_read`].

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use serde::{Deserialize, Serialize};
use sportello_store::{AuditEntry, AuditFilter, ChainBreak, ChainCheck};

use crate::{AppError, ErrorCode, Result, Sportello, TIME_ZONE, now};

crate::area!(
    /// The audit trail: who did what, when, on which records; hash-chained.
    Audit,
    audit
);

/// Which entries to list (`audit list`): Italian calendar days, both included, and the
/// operator's username.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct AuditQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub operator: Option<String>,
    /// At most this many entries, the newest of those selected (the window's table); every
    /// one when absent.
    #[serde(default)]
    pub newest: Option<usize>,
}

/// One entry of the audit trail (`audit list --json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct AuditEntryView {
    /// The entry's number: 1, 2, 3 … with no gaps.
    pub seq: i64,
    /// When, RFC 3339, as recorded (the text its hash covers).
    pub at: String,
    /// The same moment in Italian time, `gg/mm/aaaa hh:mm:ss`.
    pub italian_time: String,
    /// The operator's username.
    pub operator: String,
    pub action: String,
    /// The kind of record (`application`, `ranking`, `bundle` …) and its id, if one.
    pub entity: String,
    pub entity_id: Option<String>,
    /// Ids, numbers and counts; never personal values.
    pub detail: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

/// The chain checked from the first entry to the last (`audit verify`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ChainIntact {
    pub entries: u64,
}

/// A day written `aaaa-mm-gg` or `gg/mm/aaaa`.
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map_err(|_| {
            AppError::new(
                ErrorCode::DateInvalid,
                format!("data non valida: «{text}» (si scrive aaaa-mm-gg oppure gg/mm/aaaa)"),
            )
        })
}

/// The first instant of `day` in Italy.
fn start_of(day: NaiveDate) -> DateTime<FixedOffset> {
    let midnight = day.and_time(NaiveTime::MIN);
    TIME_ZONE
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc().fixed_offset(), |t| t.fixed_offset())
}

/// What is wrong at the first broken entry, in Italian.
fn broken(seq: i64, problem: &ChainBreak) -> String {
    match problem {
        ChainBreak::Altered => format!(
            "voce n. {seq} alterata: il suo contenuto non corrisponde all'impronta registrata"
        ),
        ChainBreak::Unlinked => format!(
            "voce n. {seq} non collegata alla precedente: l'impronta che riporta non è quella \
             della voce n. {} (modificata o aggiunta dopo)",
            seq - 1
        ),
        ChainBreak::Missing { next: Some(next) } => {
            let which = if *next == seq + 1 {
                format!("voce n. {seq} mancante")
            } else {
                format!("voci dalla n. {seq} alla n. {} mancanti", next - 1)
            };
            match seq {
                1 => format!("{which}: la prima presente è la n. {next}"),
                _ => format!("{which}: dopo la n. {} viene la n. {next}", seq - 1),
            }
        }
        ChainBreak::Missing { next: None } => {
            format!("voci dalla n. {seq} in poi mancanti: il registro è stato troncato")
        }
    }
}

impl Audit<'_> {
    /// The entries of the days and operator asked (the newest of them when so asked), oldest
    /// first.
    pub fn list(&self, query: &AuditQuery) -> Result<Vec<AuditEntryView>> {
        self.require(crate::Action::ReadAudit)?;
        if let (Some(from), Some(to)) = (query.from, query.to)
            && from > to
        {
            return Err(AppError::new(
                ErrorCode::DateInvalid,
                format!(
                    "la data iniziale ({}) è successiva a quella finale ({})",
                    from.format("%d/%m/%Y"),
                    to.format("%d/%m/%Y")
                ),
            ));
        }
        let filter = AuditFilter {
            from: query.from.map(start_of),
            before: query.to.and_then(|d| d.succ_opt()).map(start_of),
            actor: query
                .operator
                .as_deref()
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_string),
            newest: query.newest,
        };
        Ok(self
            .store
            .audit_list(&filter)?
            .into_iter()
            .map(view)
            .collect())
    }

    /// Checks the hash chain; refused with `audit_broken`, naming the first broken entry.
    pub fn verify(&self) -> Result<ChainIntact> {
        self.require(crate::Action::ReadAudit)?;
        match self.store.audit_verify()? {
            ChainCheck::Intact { entries } => Ok(ChainIntact { entries }),
            ChainCheck::Broken { seq, problem } => Err(AppError::new(
                ErrorCode::AuditBroken,
                format!(
                    "registro delle attività non integro: {}",
                    broken(seq, &problem)
                ),
            )),
        }
    }
}

fn view(e: AuditEntry) -> AuditEntryView {
    let italian_time = DateTime::parse_from_rfc3339(&e.at).map_or_else(
        |_| e.at.clone(),
        |t| {
            t.with_timezone(&TIME_ZONE)
                .format("%d/%m/%Y %H:%M:%S")
                .to_string()
        },
    );
    AuditEntryView {
        seq: e.seq,
        at: e.at,
        italian_time,
        operator: e.actor,
        action: e.action,
        entity: e.entity,
        entity_id: e.entity_id,
        detail: e.detail,
        prev_hash: e.prev_hash,
        hash: e.hash,
    }
}

impl Sportello {
    /// Records a read of personal data, or an action that changes no row: who, now, what, on
    /// which record — ids and counts in `detail`, never names, codici fiscali or amounts.
    pub(crate) fn audit_read(
        &self,
        action: &str,
        entity: &str,
        entity_id: Option<&str>,
        detail: serde_json::Value,
    ) -> Result<()> {
        Ok(self
            .store
            .audit(now(), &self.actor, action, entity, entity_id, detail)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_both_ways_and_days_start_at_italian_midnight() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(parse_date("2026-03-01").unwrap(), day);
        assert_eq!(parse_date(" 01/03/2026 ").unwrap(), day);
        for wrong in ["2026-02-30", "1/3/26x", "", "31/02/2026"] {
            assert_eq!(
                parse_date(wrong).unwrap_err().code,
                "date_invalid",
                "{wrong}"
            );
        }
        assert_eq!(start_of(day).to_rfc3339(), "2026-03-01T00:00:00+01:00");
        let summer = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(start_of(summer).to_rfc3339(), "2026-07-01T00:00:00+02:00");
    }

    #[test]
    fn each_break_is_said_with_the_entry_s_number() {
        assert!(broken(7, &ChainBreak::Altered).starts_with("voce n. 7 alterata"));
        assert!(broken(7, &ChainBreak::Unlinked).contains("voce n. 6"));
        assert_eq!(
            broken(7, &ChainBreak::Missing { next: Some(8) }),
            "voce n. 7 mancante: dopo la n. 6 viene la n. 8"
        );
        assert_eq!(
            broken(7, &ChainBreak::Missing { next: Some(10) }),
            "voci dalla n. 7 alla n. 9 mancanti: dopo la n. 6 viene la n. 10"
        );
        assert_eq!(
            broken(1, &ChainBreak::Missing { next: Some(2) }),
            "voce n. 1 mancante: la prima presente è la n. 2"
        );
        assert!(broken(7, &ChainBreak::Missing { next: None }).contains("troncato"));
    }
}
