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
        let bando = self.bando(bando)?;
        let households = self.store.households(Some(&bando.id))?;
        // One whose household cannot be read: the whole ranking, which names it.
        if !households.unreadable.is_empty() {
            let (ranked, held) = self.rank_held(&bando.id)?;
            return Ok(across_comuni(self, &ranked, &held));
        }
        // Only an application sharing someone with another comune's can be excluded for it,
        // and the household rule decides it within the applications linked to it: those
        // groups are ranked alone, each as it stands in the whole ranking (no codice fiscale
        // links them to the rest).
        let apps = &households.households;
        let codes: Vec<String> = crate::intake::linked(apps)
            .into_iter()
            .filter(|(members, _)| {
                members
                    .iter()
                    .any(|&i| apps[i].comune != apps[members[0]].comune)
            })
            .flat_map(|(members, _)| members.into_iter().map(|i| apps[i].code.clone()))
            .collect();
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        let listing = self.store.applications_by_code(&codes)?;
        let (ranked, held) = self.rank_listing(&bando, listing)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::linked_district;

    const BANDO: &str = "SC-2026-1";

    /// The exclusions across comuni as the whole ranking of the bando gives them.
    fn of_the_whole_ranking(app: &mut Sportello) -> serde_json::Value {
        let ranking = app.ranking();
        let (ranked, held) = ranking.rank_held(BANDO).unwrap();
        serde_json::to_value(across_comuni(&ranking, &ranked, &held)).unwrap()
    }

    fn found(app: &mut Sportello) -> serde_json::Value {
        serde_json::to_value(app.ranking().cross_comune_exclusions(BANDO).unwrap()).unwrap()
    }

    /// Only the applications linked to another comune's are ranked, and the exclusions are
    /// those of the whole ranking: with a withdrawal, and when a household cannot be read.
    #[test]
    fn the_exclusions_across_comuni_are_those_of_the_whole_ranking() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = linked_district(dir.path());
        let whole = of_the_whole_ranking(&mut app);
        assert!(whole.as_array().unwrap().len() >= 20, "{whole}");
        assert_eq!(found(&mut app), whole);

        // The capofila's first application withdrawn: the next of its household stands.
        let first = whole[0]["standing"]["application_code"]
            .as_str()
            .unwrap()
            .to_string();
        let standing_at_capofila = whole
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["standing"]["comune"] == "089017")
            .unwrap()["standing"]["application_code"]
            .as_str()
            .unwrap()
            .to_string();
        app.intake()
            .withdraw_application(&standing_at_capofila, None, None)
            .unwrap();
        let whole = of_the_whole_ranking(&mut app);
        assert_eq!(found(&mut app), whole);

        // A household that cannot be read: the whole ranking, which would name it.
        app.store
            .connection()
            .execute(
                "DELETE FROM application_search WHERE revision_id IN (SELECT r.id FROM
                 application_revisions r JOIN applications a ON a.id = r.application_id
                 WHERE a.application_code = ?1)",
                [&first],
            )
            .unwrap();
        assert_eq!(found(&mut app), whole);
    }
}
