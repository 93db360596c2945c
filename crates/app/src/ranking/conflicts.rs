//! Exclusions across comuni: an application excluded because an earlier one filed at another
//! comune names one of its people. The household rule decides them, but a comune could backdate
//! an application and knock out another comune's applicant: the coordinator sees each one (who
//! filed first, when, which person links them) and confirms before publishing.

use std::fmt;

use serde::Serialize;
use sportello_domain::{RankedApplication, Reason};
use sportello_store::StoredApplication;

use super::Ranking;
use crate::{Result, Sportello};

/// One application excluded because of another comune's.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct CrossComuneExclusion {
    pub excluded: ConflictSide,
    /// The application that stands, filed earlier at another comune.
    pub standing: ConflictSide,
    /// The codici fiscali both applications name.
    pub shared_codici_fiscali: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ConflictSide {
    pub application_code: String,
    pub case_number: String,
    pub comune: String,
    pub comune_name: String,
    pub filed_at: String,
}

impl fmt::Display for CrossComuneExclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (e, s) = (&self.excluded, &self.standing);
        write!(
            f,
            "domanda {} ({}, presentata il {}) esclusa per la domanda {} ({}, presentata il {}), \
             persone in comune: {}",
            e.application_code,
            e.comune_name,
            e.filed_at,
            s.application_code,
            s.comune_name,
            s.filed_at,
            self.shared_codici_fiscali.join(", ")
        )
    }
}

impl Ranking<'_> {
    /// Capofila: the exclusions of a bando's ranking caused by another comune's application.
    pub fn cross_comune_exclusions(&self, bando: &str) -> Result<Vec<CrossComuneExclusion>> {
        self.require(crate::Action::ComputeRanking)?;
        let (ranked, held) = self.rank_held(bando)?;
        Ok(across_comuni(self, &ranked, &held))
    }
}

pub(crate) fn across_comuni(
    app: &Sportello,
    ranked: &[RankedApplication],
    held: &[StoredApplication],
) -> Vec<CrossComuneExclusion> {
    let find = |code: &str| held.iter().find(|s| s.application.code == code);
    let side = |s: &StoredApplication| ConflictSide {
        application_code: s.application.code.clone(),
        case_number: s.case_number.clone(),
        comune: s.application.comune.clone(),
        comune_name: app.comune_name(&s.application.comune),
        filed_at: s
            .application
            .filed_at
            .with_timezone(&crate::TIME_ZONE)
            .format("%d/%m/%Y %H:%M")
            .to_string(),
    };
    let mut found = Vec::new();
    for line in ranked {
        for reason in &line.reasons {
            let Reason::SameHousehold { standing } = reason else {
                continue;
            };
            let (Some(excluded), Some(standing)) = (find(&line.application_code), find(standing))
            else {
                continue;
            };
            if excluded.application.comune == standing.application.comune {
                continue;
            }
            let theirs: Vec<&str> = standing
                .application
                .declaration
                .household_codici_fiscali()
                .collect();
            let shared = excluded
                .application
                .declaration
                .household_codici_fiscali()
                .filter(|cf| theirs.contains(cf))
                .map(str::to_string)
                .collect();
            found.push(CrossComuneExclusion {
                excluded: side(excluded),
                standing: side(standing),
                shared_codici_fiscali: shared,
            });
        }
    }
    found
}
