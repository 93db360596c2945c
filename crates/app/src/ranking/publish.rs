//! Publishing the district ranking: each publication is a numbered, frozen version.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sportello_domain::{Breakdown, Outcome, RankedApplication};
use sportello_store::{NewRanking, StoredRanking};

use super::Ranking;
use crate::{AppError, ErrorCode, Result, Sportello, now};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum Stage {
    Provisional,
    Definitive,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Provisional => "provisional",
            Stage::Definitive => "definitive",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "provisional" | "provvisoria" => Some(Stage::Provisional),
            "definitive" | "definitiva" => Some(Stage::Definitive),
            _ => None,
        }
    }

    pub fn label_it(self) -> &'static str {
        match self {
            Stage::Provisional => "provvisoria",
            Stage::Definitive => "definitiva",
        }
    }
}

/// One row of a published ranking, as frozen (the same JSON as `ranking compute --json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct PublishedRow {
    pub position: Option<u32>,
    pub application_code: String,
    pub comune: String,
    pub score: i32,
    pub outcome: Outcome,
    pub breakdown: Breakdown,
    pub reasons: Vec<String>,
    pub reason_codes: Vec<String>,
}

impl From<&RankedApplication> for PublishedRow {
    fn from(r: &RankedApplication) -> Self {
        Self {
            position: r.position,
            application_code: r.application_code.clone(),
            comune: r.comune.clone(),
            score: r.score,
            outcome: r.outcome,
            breakdown: r.breakdown,
            reasons: r.reasons.iter().map(|x| x.message_it()).collect(),
            reason_codes: r.reason_codes().iter().map(|c| c.to_string()).collect(),
        }
    }
}

/// A published version of a bando's ranking.
#[derive(Debug, Clone, Serialize)]
pub struct PublishedRanking {
    pub bando: String,
    pub number: i64,
    pub stage: Stage,
    pub published_at: String,
    pub rows: Vec<PublishedRow>,
}

impl PublishedRanking {
    pub(crate) fn from_stored(mut s: StoredRanking) -> Result<Self> {
        let rows = serde_json::from_value(s.rows.take()).map_err(|_| corrupt_ranking())?;
        Self::with_rows(s, rows)
    }

    /// `s` with its rows already read (`s.rows` is not looked at).
    fn with_rows(s: StoredRanking, rows: Vec<PublishedRow>) -> Result<Self> {
        Ok(Self {
            stage: Stage::parse(&s.stage).ok_or_else(corrupt_ranking)?,
            rows,
            bando: s.bando,
            number: s.number,
            published_at: s.published_at,
        })
    }
}

fn corrupt_ranking() -> AppError {
    AppError::new(
        ErrorCode::DbCorrupt,
        "graduatoria pubblicata illeggibile nel database",
    )
}

impl Ranking<'_> {
    /// Computes the ranking and freezes it as the next numbered version (capofila only).
    /// Exclusions caused by another comune's application must be confirmed (`confirmed`)
    /// after the coordinator looked at them ([`Ranking::cross_comune_exclusions`]).
    pub fn publish(
        &mut self,
        bando_id: &str,
        stage: Stage,
        confirmed: bool,
    ) -> Result<PublishedRanking> {
        self.require(crate::Action::PublishRanking)?;
        self.require_capofila("pubblicare la graduatoria")?;
        if stage == Stage::Provisional
            && self
                .latest_published(bando_id)?
                .is_some_and(|r| r.stage == Stage::Definitive)
        {
            return Err(AppError::new(
                ErrorCode::RankingAlreadyDefinitive,
                format!(
                    "la graduatoria del bando {bando_id} è già definitiva: si può pubblicare solo \
                     una nuova versione definitiva"
                ),
            ));
        }
        let at = now();
        if stage == Stage::Definitive {
            let bando = self.bando(bando_id)?;
            self.objections_blocking(&bando, sportello_domain::calendar::italian_day(at))?;
        }
        let (ranked, applications) = self.rank_held(bando_id)?;
        let exclusions = super::conflicts::across_comuni(self, &ranked, &applications);
        if !exclusions.is_empty() && !confirmed {
            let listed: Vec<String> = exclusions.iter().map(|e| e.to_string()).collect();
            return Err(AppError::new(
                ErrorCode::CrossComuneUnconfirmed,
                format!(
                    "prima di pubblicare, verificare {} tra comuni diversi e confermarle: {}",
                    if listed.len() == 1 {
                        "l'esclusione".to_string()
                    } else {
                        format!("le {} esclusioni", listed.len())
                    },
                    listed.join("; ")
                ),
            ));
        }
        let confirmed_exclusions: Vec<String> = exclusions
            .iter()
            .map(|e| e.excluded.application_code.clone())
            .collect();
        let rows: Vec<PublishedRow> = ranked.iter().map(PublishedRow::from).collect();
        // Each input names the revision ranked, so the ranking can be recomputed from them.
        let inputs: Vec<_> = applications
            .iter()
            .map(|a| {
                serde_json::json!({
                    "id": a.id, "revision": a.revision, "content_hash": a.revision_hash,
                    "application_code": a.application.code, "comune": a.application.comune,
                })
            })
            .collect();
        let bando_toml = self.store.bando_toml(bando_id)?.unwrap_or_default();
        let rows_json = serde_json::to_value(&rows).expect("rows serialise");
        self.0.store.publish_ranking(
            &NewRanking {
                bando: bando_id,
                stage: stage.as_str(),
                bando_toml: &bando_toml,
                inputs: &serde_json::Value::Array(inputs),
                rows: &rows_json,
                confirmed_exclusions: &confirmed_exclusions,
            },
            at,
            &self.0.actor,
        )?;
        self.latest_published(bando_id)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::DbError,
                "graduatoria appena pubblicata non trovata",
            )
        })
    }

    /// The latest published version of a bando's ranking held here (at a comune: its own rows).
    pub fn latest(&self, bando_id: &str) -> Result<Option<PublishedRanking>> {
        self.require(crate::Action::ReadOutcomes)?;
        self.latest_published(bando_id)
    }

    /// Published version `number` of a bando's ranking, or the latest when `None`: every
    /// version stays readable (at a comune: the versions received, its own rows).
    pub fn version(&self, bando_id: &str, number: Option<i64>) -> Result<PublishedRanking> {
        self.require(crate::Action::ReadOutcomes)?;
        self.published_version(bando_id, number)
    }

    /// Every published version held here, newest first.
    pub fn published(&self) -> Result<Vec<PublishedRanking>> {
        self.require(crate::Action::ReadOutcomes)?;
        self.store
            .rankings(None)?
            .into_iter()
            .map(PublishedRanking::from_stored)
            .collect()
    }
}

/// Position and outcome of each application, by code, in the latest published ranking of its
/// bando.
pub(crate) type PublishedOutcomes = HashMap<String, (Option<u32>, Outcome)>;

/// The latest published version of a bando's ranking as read, with the bando frozen in it
/// (TOML).
#[derive(Debug)]
pub(crate) struct LatestRanking {
    pub(crate) ranking: PublishedRanking,
    pub(crate) bando_toml: String,
}

/// The latest ranking of each bando last read, by bando, with its number, stage and date: a
/// published version never changes, so it is read again only when another is the latest.
pub(crate) type RankingCache = HashMap<String, ((i64, String, String), Arc<LatestRanking>)>;

impl Sportello {
    /// Position and outcome of each application in the latest published ranking of its bando.
    pub(crate) fn published_outcomes(&self) -> Result<PublishedOutcomes> {
        let mut outcomes = HashMap::new();
        for bando in self.store.bandi()? {
            if let Some(latest) = self.latest_ranking_shared(&bando.id)? {
                outcomes.extend(
                    latest
                        .ranking
                        .rows
                        .iter()
                        .map(|row| (row.application_code.clone(), (row.position, row.outcome))),
                );
            }
        }
        Ok(outcomes)
    }

    /// The latest published version of a bando's ranking held here, read from the database
    /// only when it is not the one read last time (every list of applications, the call
    /// lists and the Home show it).
    pub(crate) fn latest_ranking_shared(
        &self,
        bando_id: &str,
    ) -> Result<Option<Arc<LatestRanking>>> {
        let Some(head) = self.store.latest_ranking_head(bando_id)? else {
            return Ok(None);
        };
        let mut cache = self
            .rankings
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((read, latest)) = cache.get(bando_id)
            && *read == head
        {
            return Ok(Some(Arc::clone(latest)));
        }
        // Its rows alone: not the inputs frozen beside them.
        let Some((stored, rows)) = self.store.ranking_version(bando_id, None)? else {
            return Ok(None);
        };
        let latest = Arc::new(LatestRanking {
            bando_toml: stored.bando_toml.clone(),
            ranking: PublishedRanking::with_rows(stored, rows)?,
        });
        cache.insert(bando_id.to_string(), (head, Arc::clone(&latest)));
        Ok(Some(latest))
    }
}

impl Sportello {
    /// Version `number` of a bando's ranking held here (the latest when `None`), or the refusal
    /// that says which versions there are.
    pub(crate) fn published_version(
        &self,
        bando_id: &str,
        number: Option<i64>,
    ) -> Result<PublishedRanking> {
        self.bando(bando_id)?;
        // The version asked for alone: not every version's rows and inputs.
        let Some((found, rows)) = self.store.ranking_version(bando_id, number)? else {
            let numbers: Vec<String> = self
                .store
                .ranking_numbers(bando_id)?
                .iter()
                .map(i64::to_string)
                .collect();
            return Err(AppError::new(
                ErrorCode::RankingNotPublished,
                match (number, numbers.is_empty()) {
                    (_, true) => format!(
                        "la graduatoria del bando {bando_id} non è ancora stata pubblicata: \
                         pubblicarla prima (provvisoria o definitiva)"
                    ),
                    (Some(n), false) => format!(
                        "la versione {n} della graduatoria del bando {bando_id} non è tra quelle \
                         presenti qui: versioni {}",
                        numbers.join(", ")
                    ),
                    (None, false) => unreachable!("a latest version exists when any does"),
                },
            ));
        };
        PublishedRanking::with_rows(found, rows)
    }

    /// The latest published version of a bando's ranking held here (at a comune: its own rows).
    pub(crate) fn latest_published(&self, bando_id: &str) -> Result<Option<PublishedRanking>> {
        Ok(self
            .latest_ranking_shared(bando_id)?
            .map(|latest| latest.ranking.clone()))
    }
}
