//! Monitoring of the plan: each install counts what it holds per half-year
//! (`sportello_domain::monitoring`), sends its counts to the capofila with every upload, and
//! computes the indicators from counts — its own at a comune, any comune's or the district's
//! sums at the capofila.

mod counts;
mod export;
mod overview;
mod report;

pub use overview::{ComuneValue, IndicatorSeries, MonitoringOverview};

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use sportello_domain::Decimal;
use sportello_domain::monitoring::{self, Counts, INDICATORS, Period};

use crate::{AppError, ErrorCode, Result, now};

crate::area!(
    /// Monitoring of the plan: counts, indicators.
    Monitoring,
    monitoring
);

/// One indicator for one comune or the district (`monitor indicators --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct IndicatorValue {
    pub id: String,
    pub name: String,
    pub action: String,
    /// ISTAT code; `null` for the district.
    pub comune: Option<String>,
    /// Decimal text; `null` when it cannot be computed (a ratio over nothing).
    pub value: Option<String>,
    pub unit: String,
    /// `"<= 60"` or `">= 100"`, when the indicator has a target.
    pub target: Option<String>,
    /// The value over the period before (the half-year before, for a half-year).
    pub previous: Option<String>,
    /// Whether the value misses the target.
    pub misses_target: Option<bool>,
}

impl Monitoring<'_> {
    /// The indicators over `period`: at a comune its own (`comune` absent or its own); at the
    /// capofila the district's (`comune` absent: the sums of every comune's counts) or one
    /// comune's.
    pub fn indicators(
        &mut self,
        period: Period,
        comune: Option<&str>,
    ) -> Result<Vec<IndicatorValue>> {
        self.require(crate::Action::ReadOutcomes)?;
        let scope = self.scope(comune)?;
        let today = sportello_domain::calendar::italian_day(now());
        self.values(period, scope.as_deref(), today)
    }

    /// The indicators of `scope` over `period`, with the period before, as held on `today`.
    fn values(
        &self,
        period: Period,
        scope: Option<&str>,
        today: NaiveDate,
    ) -> Result<Vec<IndicatorValue>> {
        let [now_counts, before] = self
            .counts_of(&[period, period.previous()], scope, today)?
            .try_into()
            .expect("two periods, two counts");
        Ok(INDICATORS
            .iter()
            .map(|i| {
                let value = i.formula.value(&now_counts);
                IndicatorValue {
                    id: i.id.into(),
                    name: i.name.into(),
                    action: i.action.into(),
                    comune: scope.map(str::to_string),
                    value: value.map(|v| v.to_string()),
                    unit: i.unit.into(),
                    target: target_text(i),
                    previous: i.formula.value(&before).map(|v| v.to_string()),
                    misses_target: i.misses(value),
                }
            })
            .collect())
    }

    /// Whose indicators are asked for: `None` for the district (the capofila's default), else
    /// a comune's ISTAT code — at a comune only its own.
    fn scope(&self, comune: Option<&str>) -> Result<Option<String>> {
        let own = self.install.comune.clone();
        Ok(match comune {
            Some(c) if c != own && !self.install.is_capofila() => {
                return Err(AppError::new(
                    ErrorCode::InputRefused,
                    format!(
                        "gli indicatori del comune {c} li ha il capofila: qui si vedono quelli di \
                         questo comune"
                    ),
                ));
            }
            Some(c) => {
                if !self.install.district.comuni.iter().any(|k| k.istat == c) {
                    return Err(AppError::new(
                        ErrorCode::InputRefused,
                        format!("il comune {c} non è nel distretto"),
                    ));
                }
                Some(c.to_string())
            }
            None if self.install.is_capofila() => None,
            None => Some(own.clone()),
        })
    }

    /// The counts of each of `periods` for `comune` (`None`: the district's sums). This
    /// install's own are computed now; another comune's are those it sent for whole half-years.
    fn counts_of(
        &self,
        periods: &[Period],
        comune: Option<&str>,
        today: NaiveDate,
    ) -> Result<Vec<Counts>> {
        let own = self.install.comune.as_str();
        match comune {
            Some(c) if c != own => periods
                .iter()
                .map(|p| Ok(self.received(*p)?.remove(c).unwrap_or_default()))
                .collect(),
            Some(_) => self.own_counts(periods, today),
            None => self.with_received(self.own_counts(periods, today)?, periods),
        }
    }

    /// The district's counts of each of `periods`: this install's `own`, plus what every other
    /// comune sent.
    fn with_received(&self, mut own: Vec<Counts>, periods: &[Period]) -> Result<Vec<Counts>> {
        for (period, counts) in periods.iter().zip(&mut own) {
            for (c, theirs) in &self.received(*period)? {
                if *c != self.install.comune {
                    monitoring::add(counts, theirs);
                }
            }
        }
        Ok(own)
    }

    /// The counts the comuni sent for `period`, by comune: only for a whole half-year.
    fn received(&self, period: Period) -> Result<BTreeMap<String, Counts>> {
        let Some(name) = period.half_year_name() else {
            return Ok(BTreeMap::new());
        };
        let mut by_comune = BTreeMap::new();
        for (comune, text) in self.store.monitoring_counts(&name)? {
            let raw: BTreeMap<String, String> = serde_json::from_str(&text).map_err(|_| {
                AppError::new(
                    ErrorCode::DbCorrupt,
                    format!(
                        "{}: conteggi del comune {comune} illeggibili",
                        "monitoring_counts"
                    ),
                )
            })?;
            let counts = raw
                .into_iter()
                .filter_map(|(k, v)| Some((k, v.parse::<Decimal>().ok()?)))
                .collect();
            by_comune.insert(comune, counts);
        }
        Ok(by_comune)
    }
}

/// `"<= 60"` or `">= 100"`: the indicator's target as the tables show it.
fn target_text(i: &monitoring::Indicator) -> Option<String> {
    i.target.map(|(d, t)| match d {
        monitoring::Direction::AtLeast => format!(">= {t}"),
        monitoring::Direction::AtMost => format!("<= {t}"),
    })
}

/// The half-year `AAAA-H1` / `AAAA-H2` named by `text`.
fn half_year(text: &str) -> Result<Period> {
    Period::half_year(text).ok_or_else(|| {
        AppError::new(
            ErrorCode::DateInvalid,
            format!("semestre «{text}» non valido: si scrive AAAA-H1 o AAAA-H2"),
        )
    })
}

impl crate::Sportello {
    /// Recomputes this install's counts for every half-year from its first application to
    /// today's, keeping those that changed so they travel with the next upload.
    pub(crate) fn refresh_monitoring(&mut self) -> Result<()> {
        // Every filing is read: through a small cache, so a large comune's first upload stays
        // in bounded memory (docs/benchmarks.md, "Memory").
        let cache = self.store.small_cache()?;
        let refreshed = self.refresh_counts();
        self.store.restore_cache(cache)?;
        refreshed
    }

    fn refresh_counts(&mut self) -> Result<()> {
        let at = now();
        let today = sportello_domain::calendar::italian_day(at);
        let Some(first) = self.first_activity()? else {
            return Ok(());
        };
        let mut halves = vec![Period::half_year_of(first)];
        let last = Period::half_year_of(today);
        while let Some(next) = halves[halves.len() - 1].to.succ_opt()
            && halves[halves.len() - 1] < last
        {
            halves.push(Period::half_year_of(next));
        }
        for (period, counts) in halves.iter().zip(self.own_counts(&halves, today)?) {
            let text: BTreeMap<&String, String> = counts
                .iter()
                .map(|(k, v)| (k, v.normalize().to_string()))
                .collect();
            let name = period.half_year_name().expect("half-years are named");
            let json = serde_json::to_string(&text).expect("counts serialise");
            self.store.save_monitoring_counts(&name, &json, at)?;
        }
        Ok(())
    }

    /// The day of this comune's first application, if any.
    fn first_activity(&self) -> Result<Option<NaiveDate>> {
        Ok(self
            .store
            .filings(&self.install.comune)?
            .into_iter()
            .map(|(_, at)| sportello_domain::calendar::italian_day(at))
            .min())
    }
}

/// A form written (`monitor form add --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct FormSaved {
    pub id: String,
    /// 1, then one more for each correction after closing.
    pub revision: i64,
}

impl Monitoring<'_> {
    /// Writes the half-year form of an action (the JSON of `monitor form add`): checked, then
    /// kept as this install's open form of that half-year and action — a closed one is never
    /// changed, a correction after closing is its next revision.
    pub fn save_form(&mut self, json: &str) -> Result<FormSaved> {
        self.require(crate::Action::FillMonitoring)?;
        let at = now();
        let form: monitoring::Form = serde_json::from_str(json).map_err(|e| {
            AppError::new(
                ErrorCode::JsonInvalid,
                format!(
                    "scheda di monitoraggio non valida: {}",
                    crate::civico::json_reason(&e)
                ),
            )
        })?;
        let found = form.check();
        if !found.is_empty() {
            let mut e = AppError::new(
                ErrorCode::InputRefused,
                format!(
                    "scheda di monitoraggio non registrata: {} problemi",
                    found.len()
                ),
            );
            e.problems = found
                .into_iter()
                .map(|(field, message)| crate::Problem {
                    record: format!("scheda {} azione {}", form.period, form.action),
                    field: field.to_string(),
                    code: "form_invalid".into(),
                    message,
                })
                .collect();
            return Err(e);
        }
        let text = serde_json::to_string(&form).expect("forms serialise");
        let (id, revision) = self.0.store.save_monitoring_form(
            &form.period,
            &form.action,
            &text,
            at,
            &self.0.actor,
        )?;
        Ok(FormSaved { id, revision })
    }

    /// Closes this install's open form `id`: read-only from now on.
    pub fn close_form(&mut self, id: &str) -> Result<()> {
        self.require(crate::Action::FillMonitoring)?;
        let at = now();
        if self.0.store.close_monitoring_form(id, at, &self.0.actor)? {
            return Ok(());
        }
        let held = self
            .store
            .monitoring_forms()?
            .into_iter()
            .find(|f| f.id == id);
        Err(AppError::new(
            ErrorCode::InputRefused,
            match held {
                Some(f) if f.closed_at.is_some() => format!(
                    "la scheda {id} è già chiusa: una correzione si registra con monitor form \
                     add e diventa la revisione {}",
                    f.revision + 1
                ),
                Some(f) => format!(
                    "la scheda {id} è del comune {}: la chiude chi l'ha compilata",
                    f.comune
                ),
                None => format!("la scheda {id} non esiste in questa installazione"),
            },
        ))
    }

    /// The forms held here: this install's and, at the capofila, the comuni's.
    pub fn forms(&self) -> Result<Vec<sportello_store::StoredForm>> {
        self.require(crate::Action::ReadOutcomes)?;
        Ok(self.store.monitoring_forms()?)
    }
}
