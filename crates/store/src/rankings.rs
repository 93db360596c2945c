//! Published rankings: numbered, frozen with the bando (rules included) and the inputs they
//! were computed from, so a published ranking can always be recomputed and explained.

use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::audit::{self, Actor};
use crate::record::{content_hash, new_id, next_version, unreadable_json};
use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredRanking {
    pub bando: String,
    /// 1, 2, …: every publication of a bando's ranking is kept.
    pub number: i64,
    /// `provisional` or `definitive`.
    pub stage: String,
    pub published_at: String,
    pub bando_toml: String,
    pub inputs: serde_json::Value,
    pub rows: serde_json::Value,
}

/// A ranking about to be frozen.
pub struct NewRanking<'a> {
    pub bando: &'a str,
    pub stage: &'a str,
    pub bando_toml: &'a str,
    pub inputs: &'a serde_json::Value,
    pub rows: &'a serde_json::Value,
    /// Exclusions across comuni the coordinator confirmed before publishing (application
    /// codes), kept in the audit trail with the publication.
    pub confirmed_exclusions: &'a [String],
}

impl Store {
    /// Freezes a new version of a bando's ranking; returns its number.
    pub fn publish_ranking(
        &mut self,
        ranking: &NewRanking,
        at: DateTime<FixedOffset>,
        actor: &Actor,
    ) -> Result<i64> {
        let NewRanking {
            bando,
            stage,
            bando_toml,
            inputs,
            rows,
            confirmed_exclusions,
        } = *ranking;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let owner = crate::install::own_comune(&tx)?;
        let number: i64 = tx.query_row(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM rankings WHERE bando = ?1",
            [bando],
            |r| r.get(0),
        )?;
        let version = next_version(&tx)?;
        let published_at = at.to_rfc3339();
        let id = new_id().to_string();
        tx.execute(
            "INSERT INTO rankings (id, owner, version, content_hash, bando, number, stage,
             published_at, bando_toml, inputs, rows)
             VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                id,
                owner,
                version,
                bando,
                number,
                stage,
                published_at,
                bando_toml,
                inputs.to_string(),
                rows.to_string()
            ],
        )?;
        crate::tables::stamp(&tx, "rankings", &id)?;
        audit::log(
            &tx,
            at,
            actor,
            "ranking_publish",
            "ranking",
            Some(&format!("{bando}/{number}")),
            serde_json::json!({ "stage": stage, "confirmed_exclusions": confirmed_exclusions }),
        )?;
        crate::failpoint::hit("publish-before-commit");
        tx.commit()?;
        Ok(number)
    }

    /// The latest published ranking of a bando held here.
    pub fn latest_ranking(&self, bando: &str) -> Result<Option<StoredRanking>> {
        Ok(self.query_rankings(Some(bando), true)?.into_iter().next())
    }

    /// The bando as frozen in its latest published ranking (TOML), without the ranking's rows
    /// and inputs: the rules a participant's pay follows.
    pub fn latest_ranking_bando(&self, bando: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT bando_toml FROM rankings
                 WHERE deleted = 0 AND bando = ?1 ORDER BY number DESC LIMIT 1",
                [bando],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Number, stage and date of a bando's latest published ranking, without its rows.
    pub fn latest_ranking_head(&self, bando: &str) -> Result<Option<(i64, String, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT number, stage, published_at FROM rankings
                 WHERE deleted = 0 AND bando = ?1 ORDER BY number DESC LIMIT 1",
                [bando],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
    }

    /// Published version `number` of a bando's ranking (the latest when `None`), without the
    /// inputs frozen beside it: what showing or printing a version reads, one row of the table,
    /// not every version's rows and inputs. The rows come as the caller's type `R`, read
    /// straight from the stored text, with no `serde_json::Value` tree between (for 10,000
    /// rows, some 200,000 allocations fewer); `inputs` and `rows` of the [`StoredRanking`]
    /// are null.
    pub fn ranking_version<R: DeserializeOwned>(
        &self,
        bando: &str,
        number: Option<i64>,
    ) -> Result<Option<(StoredRanking, R)>> {
        let found = self
            .conn
            .query_row(
                "SELECT bando, number, stage, published_at, bando_toml, rows FROM rankings
                 WHERE deleted = 0 AND bando = ?1 AND (?2 IS NULL OR number = ?2)
                 ORDER BY number DESC LIMIT 1",
                rusqlite::params![bando, number],
                |r| {
                    Ok((
                        StoredRanking {
                            bando: r.get("bando")?,
                            number: r.get("number")?,
                            stage: r.get("stage")?,
                            published_at: r.get("published_at")?,
                            bando_toml: r.get("bando_toml")?,
                            inputs: serde_json::Value::Null,
                            rows: serde_json::Value::Null,
                        },
                        serde_json::from_str::<R>(r.get_ref("rows")?.as_str()?),
                    ))
                },
            )
            .optional()?;
        found
            .map(|(ranking, rows)| {
                let key = format!("{}#{}", ranking.bando, ranking.number);
                let rows = rows.map_err(|_| unreadable_json("rankings", &key, "rows"))?;
                Ok((ranking, rows))
            })
            .transpose()
    }

    /// The numbers of a bando's published versions, oldest first.
    pub fn ranking_numbers(&self, bando: &str) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare(
            "SELECT number FROM rankings WHERE deleted = 0 AND bando = ?1 ORDER BY number",
        )?;
        let numbers = stmt
            .query_map([bando], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(numbers)
    }

    /// Published rankings, newest number first; all bandi when `bando` is None.
    pub fn rankings(&self, bando: Option<&str>) -> Result<Vec<StoredRanking>> {
        self.query_rankings(bando, false)
    }

    fn query_rankings(&self, bando: Option<&str>, latest_only: bool) -> Result<Vec<StoredRanking>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT bando, number, stage, published_at, bando_toml, inputs, rows FROM rankings
             WHERE deleted = 0 AND (?1 IS NULL OR bando = ?1) ORDER BY bando, number DESC{}",
            if latest_only { " LIMIT 1" } else { "" }
        ))?;
        let rows = stmt.query_map([bando], |r| {
            let ranking = StoredRanking {
                bando: r.get("bando")?,
                number: r.get("number")?,
                stage: r.get("stage")?,
                published_at: r.get("published_at")?,
                bando_toml: r.get("bando_toml")?,
                inputs: serde_json::Value::Null,
                rows: serde_json::Value::Null,
            };
            Ok((
                ranking,
                r.get::<_, String>("inputs")?,
                r.get::<_, String>("rows")?,
            ))
        })?;
        rows.map(|row| {
            let (mut ranking, inputs, rows) = row?;
            let key = format!("{}#{}", ranking.bando, ranking.number);
            ranking.inputs = crate::record::json_text(&inputs, "rankings", &key, "inputs")?;
            ranking.rows = crate::record::json_text(&rows, "rankings", &key, "rows")?;
            Ok(ranking)
        })
        .collect()
    }
}

/// A received ranking: its rows and inputs are lists, its bando a bando.
pub(crate) fn check_received(
    body: &serde_json::Map<String, serde_json::Value>,
    _owner: &str,
) -> std::result::Result<(), String> {
    for key in ["rows", "inputs"] {
        let text = body[key].as_str().unwrap_or_default();
        if !matches!(serde_json::from_str(text), Ok(serde_json::Value::Array(_))) {
            return Err(format!("{key}: atteso un elenco JSON"));
        }
    }
    sportello_domain::Bando::from_toml(body["bando_toml"].as_str().unwrap_or_default())
        .map(drop)
        .map_err(|e| format!("bando_toml: {e}"))
}

/// A published ranking only moves forward: an older number is a rollback, the same number
/// with other content a fork.
pub(crate) fn only_forward(
    tx: &rusqlite::Connection,
    record: &crate::record::Record,
) -> std::result::Result<(), crate::sync::ApplyError> {
    use crate::sync::ApplyError;
    let bando = record.body["bando"].as_str().unwrap_or_default();
    let number = record.body["number"].as_i64().unwrap_or_default();
    let held: Option<i64> = tx.query_row(
        "SELECT MAX(number) FROM rankings WHERE bando = ?1",
        [bando],
        |r| r.get(0),
    )?;
    if let Some(held) = held {
        if number < held {
            return Err(ApplyError::Rollback {
                bando: bando.to_string(),
                held,
                received: number,
            });
        }
        let same: Option<String> = tx
            .query_row(
                "SELECT content_hash FROM rankings WHERE bando = ?1 AND number = ?2",
                params![bando, number],
                |r| r.get(0),
            )
            .optional()?;
        if same.is_some_and(|h| h != record.meta.content_hash) {
            return Err(ApplyError::Invalid {
                table: "rankings".into(),
                id: format!("{bando}/{number}"),
                reason: "graduatoria con lo stesso numero di versione ma contenuto diverso".into(),
            });
        }
    }
    Ok(())
}

/// What a comune receives of the published rankings: the latest version of each bando's,
/// with only its own applications' rows and inputs (no other comune's data leaves), hashed
/// again as the record it now is.
pub(crate) fn latest_for_comune(
    records: Vec<crate::record::Record>,
    comune: &str,
) -> Vec<crate::record::Record> {
    use serde_json::Value;
    let mut latest: std::collections::BTreeMap<String, crate::record::Record> =
        std::collections::BTreeMap::new();
    for r in records {
        let bando = r.body["bando"].as_str().unwrap_or_default().to_string();
        let number = r.body["number"].as_i64().unwrap_or_default();
        if latest
            .get(&bando)
            .is_some_and(|held| held.body["number"].as_i64().unwrap_or_default() > number)
        {
            continue;
        }
        latest.insert(bando, r);
    }
    latest
        .into_values()
        .map(|mut r| {
            for key in ["rows", "inputs"] {
                let Some(text) = r.body[key].as_str() else {
                    continue;
                };
                let all: Vec<Value> = serde_json::from_str(text).unwrap_or_default();
                let own: Vec<Value> = all
                    .into_iter()
                    .filter(|row| row["comune"].as_str().is_none_or(|c| c == comune))
                    .collect();
                r.body[key] = Value::String(Value::Array(own).to_string());
            }
            if let Value::Object(body) = &r.body {
                r.meta.content_hash = content_hash(body);
            }
            r
        })
        .collect()
}
