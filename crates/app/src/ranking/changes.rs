//! Publishing with eyes open: what a new publication would change against the last one —
//! applications new and gone, positions and outcomes changed, applications corrected since or
//! filed after the bando closed — for the coordinatore to read before confirming.

use std::collections::HashMap;

use serde::Serialize;
use sportello_domain::Outcome;

use super::{PublishedRow, Ranking, Stage};
use crate::{Result, TIME_ZONE};

/// One application whose place changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct RowChange {
    pub application_code: String,
    pub from_position: Option<u32>,
    pub to_position: Option<u32>,
    pub from_outcome: Outcome,
    pub to_outcome: Outcome,
}

/// What publishing now would change (`ranking changes`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct PublishChanges {
    pub bando: String,
    /// The last published version compared against: its number and stage; none before the
    /// first publication.
    pub against_number: Option<i64>,
    pub against_stage: Option<Stage>,
    /// Rows the new version would have.
    pub rows: usize,
    /// Applications not in the last version, and those it had that are gone (withdrawn or set
    /// aside).
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Of the removed, those their applicants withdrew (rinuncia alla domanda).
    pub withdrawn: Vec<String>,
    /// Applications whose outcome changes, then those whose position alone changes.
    pub outcome_changed: Vec<RowChange>,
    pub moved: Vec<RowChange>,
    /// Applications corrected since the last version (a newer revision is ranked).
    pub corrected: Vec<String>,
    /// Applications filed after the bando closed (Italian calendar day).
    pub late: Vec<String>,
    /// Objections (ids) still undecided, or accepted and not yet carried out by their comune:
    /// the definitive ranking waits for them.
    pub objections_pending: Vec<String>,
}

impl Ranking<'_> {
    /// What publishing the bando's ranking now would change (capofila, coordinatore).
    pub fn changes(&self, bando_id: &str) -> Result<PublishChanges> {
        self.require(crate::Action::PublishRanking)?;
        self.require_capofila("pubblicare la graduatoria")?;
        let bando = self.bando(bando_id)?;
        let (ranked, applications) = self.rank_held(bando_id)?;
        let rows: Vec<PublishedRow> = ranked.iter().map(PublishedRow::from).collect();
        let last = self.store.latest_ranking(bando_id)?;
        let last_rows = match self.latest_published(bando_id)? {
            Some(published) => published.rows,
            None => Vec::new(),
        };
        let before: HashMap<&str, (Option<u32>, Outcome)> = last_rows
            .iter()
            .map(|r| (r.application_code.as_str(), (r.position, r.outcome)))
            .collect();
        // Each input of the last version names the revision it ranked.
        let no_inputs = Vec::new();
        let revisions: HashMap<String, i64> = last
            .as_ref()
            .and_then(|s| s.inputs.as_array())
            .unwrap_or(&no_inputs)
            .iter()
            .filter_map(|i| {
                Some((
                    i["application_code"].as_str()?.to_string(),
                    i["revision"].as_i64()?,
                ))
            })
            .collect();
        let mut changes = PublishChanges {
            bando: bando_id.to_string(),
            against_number: last.as_ref().map(|s| s.number),
            against_stage: last.as_ref().and_then(|s| Stage::parse(&s.stage)),
            rows: rows.len(),
            added: Vec::new(),
            removed: Vec::new(),
            withdrawn: Vec::new(),
            outcome_changed: Vec::new(),
            moved: Vec::new(),
            corrected: Vec::new(),
            late: Vec::new(),
            objections_pending: Vec::new(),
        };
        for row in &rows {
            let code = row.application_code.clone();
            match before.get(code.as_str()) {
                None if last.is_some() => changes.added.push(code),
                None => {}
                Some(&(position, outcome)) => {
                    let change = RowChange {
                        application_code: code,
                        from_position: position,
                        to_position: row.position,
                        from_outcome: outcome,
                        to_outcome: row.outcome,
                    };
                    if outcome != row.outcome {
                        changes.outcome_changed.push(change);
                    } else if position != row.position {
                        changes.moved.push(change);
                    }
                }
            }
        }
        let now_codes: std::collections::HashSet<&str> =
            rows.iter().map(|r| r.application_code.as_str()).collect();
        changes.removed = last_rows
            .iter()
            .filter(|r| !now_codes.contains(r.application_code.as_str()))
            .map(|r| r.application_code.clone())
            .collect();
        let withdrawals = self.store.withdrawals()?;
        changes.withdrawn = changes
            .removed
            .iter()
            .filter(|c| withdrawals.get(*c).is_some_and(|w| w.in_force()))
            .cloned()
            .collect();
        for a in &applications {
            let code = &a.application.code;
            if revisions.get(code).is_some_and(|&was| a.revision > was) {
                changes.corrected.push(code.clone());
            }
            if a.application
                .filed_at
                .with_timezone(&TIME_ZONE)
                .date_naive()
                > bando.closes
            {
                changes.late.push(code.clone());
            }
        }
        changes.corrected.sort();
        changes.late.sort();
        changes.objections_pending = self
            .store
            .objections(Some(bando_id))?
            .into_iter()
            .map(crate::objections::ObjectionView::from)
            .filter(|o| matches!(o.state, "undecided" | "accepted"))
            .map(|o| o.objection.id)
            .collect();
        Ok(changes)
    }
}
