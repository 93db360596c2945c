//! The half-year at a glance, as the *Monitoraggio* screen and the printed report show it: each
//! indicator with the half-year before, each comune's value (at the capofila), its trend over
//! the last half-years, and the automatic summary.

use chrono::NaiveDate;
use serde::Serialize;
use sportello_domain::monitoring::{self, Counts, INDICATORS, Movement, Period};

use super::{Monitoring, target_text};
use crate::{Result, now};

/// How many half-years the trend shows: the three years of a plan.
const TREND: usize = 6;

/// The half-year of one scope (`Monitoring::overview`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct MonitoringOverview {
    /// `AAAA-H1` or `AAAA-H2`.
    pub period: String,
    /// The trend's half-years, oldest first, ending with `period`.
    pub periods: Vec<String>,
    /// The scope: `null` for the district, else the comune's ISTAT code.
    pub comune: Option<String>,
    pub indicators: Vec<IndicatorSeries>,
    /// What moved most since the half-year before, and what misses its target.
    pub summary: Vec<String>,
}

/// One indicator of an [`MonitoringOverview`]. Values are decimal text, `null` when not computable.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct IndicatorSeries {
    pub id: String,
    pub name: String,
    pub action: String,
    pub unit: String,
    /// `"<= 60"` or `">= 100"`.
    pub target: Option<String>,
    /// The target's number, where a chart draws its line.
    pub target_value: Option<String>,
    pub value: Option<String>,
    /// Over the half-year before.
    pub previous: Option<String>,
    pub misses_target: Option<bool>,
    /// At the capofila, every comune's value over the period, in the district's order.
    pub by_comune: Vec<ComuneValue>,
    /// The scope's value over each of the overview's `periods`.
    pub trend: Vec<Option<String>>,
}

/// One comune's value of an indicator.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ComuneValue {
    /// ISTAT code.
    pub comune: String,
    pub name: String,
    pub value: Option<String>,
}

impl Monitoring<'_> {
    /// The half-year `period` (`AAAA-H1`) for `comune` (at the capofila `None` is the
    /// district; at a comune, its own).
    pub fn overview(&mut self, period: &str, comune: Option<&str>) -> Result<MonitoringOverview> {
        self.require(crate::Action::ReadOutcomes)?;
        let half = super::half_year(period)?;
        let scope = self.scope(comune)?;
        let today = sportello_domain::calendar::italian_day(now());
        self.overview_of(
            &trend_periods(half),
            half.previous(),
            scope.as_deref(),
            today,
        )
    }

    /// The overview of the last of `periods` (half-years, oldest first) against `before`.
    pub(super) fn overview_of(
        &self,
        periods: &[Period],
        before: Period,
        scope: Option<&str>,
        today: NaiveDate,
    ) -> Result<MonitoringOverview> {
        let half = *periods.last().expect("at least one half-year");
        // The trend's half-years and the one compared with, read in one pass; for the
        // district, this install's own counts are read once for its bar and for the sums.
        let all = [periods, &[before]].concat();
        let own = self.install.comune.clone();
        let (mut trend, own_current) = match scope {
            None => {
                let own_counts = self.own_counts(&all, today)?;
                let own_current = own_counts[periods.len() - 1].clone();
                (self.with_received(own_counts, &all)?, Some(own_current))
            }
            Some(_) => (self.counts_of(&all, scope, today)?, None),
        };
        let before = trend.pop().expect("the period compared with");
        let current = trend.last().expect("the trend ends with the period");
        let mut comuni: Vec<(String, String, Counts)> = Vec::new();
        if self.install.is_capofila() {
            for c in &self.install.district.comuni {
                let counts = if Some(c.istat.as_str()) == scope {
                    current.clone()
                } else if let (true, Some(mine)) = (c.istat == own, &own_current) {
                    mine.clone()
                } else {
                    let mut one = self.counts_of(&[half], Some(&c.istat), today)?;
                    one.pop().expect("one period, one count")
                };
                comuni.push((c.istat.clone(), c.name.clone(), counts));
            }
        }
        let text = |v: Option<sportello_domain::Decimal>| v.map(|v| v.to_string());
        let indicators: Vec<IndicatorSeries> = INDICATORS
            .iter()
            .map(|i| {
                let value = i.formula.value(current);
                IndicatorSeries {
                    id: i.id.into(),
                    name: i.name.into(),
                    action: i.action.into(),
                    unit: i.unit.into(),
                    target: target_text(i),
                    target_value: i.target.map(|(_, t)| t.to_string()),
                    value: text(value),
                    previous: text(i.formula.value(&before)),
                    misses_target: i.misses(value),
                    by_comune: comuni
                        .iter()
                        .map(|(istat, name, counts)| ComuneValue {
                            comune: istat.clone(),
                            name: name.clone(),
                            value: text(i.formula.value(counts)),
                        })
                        .collect(),
                    trend: trend.iter().map(|c| text(i.formula.value(c))).collect(),
                }
            })
            .collect();
        let movements: Vec<Movement> = INDICATORS
            .iter()
            .map(|i| Movement {
                indicator: i,
                value: i.formula.value(current),
                previous: i.formula.value(&before),
            })
            .collect();
        Ok(MonitoringOverview {
            period: half.half_year_name().expect("a half-year"),
            periods: periods
                .iter()
                .map(|p| p.half_year_name().expect("half-years"))
                .collect(),
            comune: scope.map(str::to_string),
            indicators,
            summary: monitoring::summary(&movements),
        })
    }
}

/// The [`TREND`] half-years ending with `half`, oldest first.
pub(super) fn trend_periods(half: Period) -> Vec<Period> {
    let mut periods = vec![half];
    while periods.len() < TREND {
        let earliest = periods[0].previous();
        periods.insert(0, earliest);
    }
    periods
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trend_ends_with_the_half_year_and_goes_back_three_years() {
        let names: Vec<String> = trend_periods(Period::half_year("2026-H1").unwrap())
            .iter()
            .map(|p| p.half_year_name().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "2023-H2", "2024-H1", "2024-H2", "2025-H1", "2025-H2", "2026-H1"
            ]
        );
    }
}
