//! The monitoring report printed at the capofila: the half-year's (*relazione semestrale*) and
//! the final one of the plan, from the same overview the *Monitoraggio* screen shows, with the
//! forms of the actions and their money.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use sportello_domain::Decimal;
use sportello_domain::calendar::italian_day;
use sportello_domain::monitoring::{Form, Period};
use sportello_print as print;

use super::{Monitoring, MonitoringOverview, half_year};
use crate::files::write_atomically;
use crate::{AppError, ErrorCode, Result, now};

/// The longest plan a final report covers, in years.
const MAX_PLAN_YEARS: i32 = 5;

impl Monitoring<'_> {
    /// Prints the half-year report of `period` (`AAAA-H1`) to `out`: the district's
    /// indicators, each comune's, their trends over three years, the forms and the money.
    pub fn print_report(&mut self, period: &str, out: &Path) -> Result<PathBuf> {
        self.require_report()?;
        let half = half_year(period)?;
        let today = italian_day(now());
        let periods = super::overview::trend_periods(half);
        let overview = self.overview_of(&periods, half.previous(), None, today)?;
        let title = format!(
            "Relazione semestrale di monitoraggio · {}° semestre {}",
            if half.from.format("%m").to_string() == "01" {
                1
            } else {
                2
            },
            half.from.format("%Y")
        );
        self.print(overview, &[half], title, half, today, out)
    }

    /// Prints the final report of the plan over the years `years` (`2025-2027`): every
    /// half-year of the plan side by side, its first against its last.
    pub fn print_plan_report(&mut self, years: &str, out: &Path) -> Result<PathBuf> {
        self.require_report()?;
        let (first, last) = plan_years(years)?;
        let today = italian_day(now());
        let halves: Vec<Period> = (first..=last)
            .flat_map(|y| [format!("{y}-H1"), format!("{y}-H2")])
            .filter_map(|name| Period::half_year(&name))
            .collect();
        let whole = Period {
            from: halves[0].from,
            to: halves[halves.len() - 1].to,
        };
        let overview = self.overview_of(&halves, halves[0], None, today)?;
        let title = format!("Relazione finale del piano {first}–{last}");
        self.print(overview, &halves, title, whole, today, out)
    }

    fn require_report(&self) -> Result<()> {
        self.require(crate::Action::ReadOutcomes)?;
        if self.install.is_capofila() {
            return Ok(());
        }
        Err(AppError::new(
            ErrorCode::InputRefused,
            "la relazione di monitoraggio la stampa il capofila, che ha i conteggi di tutti i \
             comuni: qui si vedono gli indicatori del comune (monitor indicators, export \
             monitoring)",
        ))
    }

    fn print(
        &mut self,
        overview: MonitoringOverview,
        halves: &[Period],
        title: String,
        whole: Period,
        today: NaiveDate,
        out: &Path,
    ) -> Result<PathBuf> {
        let decimal = |v: &Option<String>| v.as_deref().and_then(|t| t.parse::<Decimal>().ok());
        let indicators = overview
            .indicators
            .iter()
            .map(|i| print::ReportIndicator {
                action: i.action.clone(),
                name: i.name.clone(),
                unit: i.unit.clone(),
                target: i
                    .target
                    .as_ref()
                    .zip(decimal(&i.target_value))
                    .map(|(t, v)| (t.replace(">=", "≥").replace("<=", "≤"), v)),
                value: decimal(&i.value),
                previous: decimal(&i.previous),
                misses_target: i.misses_target,
                by_comune: i
                    .by_comune
                    .iter()
                    .map(|c| (c.name.clone(), decimal(&c.value)))
                    .collect(),
                trend: i.trend.iter().map(decimal).collect(),
            })
            .collect();
        let names: Vec<String> = halves.iter().filter_map(Period::half_year_name).collect();
        let capofila = format!(
            "Comune di {}",
            self.comune_name(&self.install.district.capofila)
        );
        let report = print::MonitoringReport {
            letterhead: self.documents().letterhead(capofila),
            title,
            period: format!(
                "dal {} al {}",
                whole.from.format("%d/%m/%Y"),
                whole.to.format("%d/%m/%Y")
            ),
            printed_on: today,
            missing_comuni: self.missing_comuni(halves, today)?,
            summary: overview.summary,
            periods: overview.periods,
            indicators,
            forms: self.report_forms(&names)?,
        };
        let bytes = print::monitoring_report(&report)
            .map_err(|e| AppError::new(ErrorCode::PrintFailed, e.to_string()))?;
        write_atomically(out, &bytes, false)?;
        self.audit_read(
            "print_monitoring",
            "monitoring_report",
            None,
            serde_json::json!({ "periods": names }),
        )?;
        Ok(out.to_path_buf())
    }

    /// The comuni whose counts of a begun half-year among `halves` have not arrived, with the
    /// half-years missing when more than one is asked for.
    fn missing_comuni(&self, halves: &[Period], today: NaiveDate) -> Result<Vec<String>> {
        let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for half in halves.iter().filter(|h| h.from <= today) {
            let name = half.half_year_name().expect("half-years");
            let received = self.store.monitoring_counts(&name)?;
            for c in &self.install.district.comuni {
                if c.istat != self.install.comune && !received.contains_key(&c.istat) {
                    missing
                        .entry(c.name.clone())
                        .or_default()
                        .push(name.clone());
                }
            }
        }
        Ok(missing
            .into_iter()
            .map(|(comune, periods)| {
                if halves.len() == 1 {
                    comune
                } else {
                    format!("{comune} ({})", periods.join(", "))
                }
            })
            .collect())
    }

    /// The forms of the half-years `periods`: the latest revision of each comune's action.
    pub(super) fn report_forms(&self, periods: &[String]) -> Result<Vec<print::ReportForm>> {
        let mut latest = BTreeMap::new();
        for f in self.store.monitoring_forms()? {
            if periods.contains(&f.period) {
                // Listed by revision: a later one replaces the earlier.
                latest.insert((f.period.clone(), f.action.clone(), f.comune.clone()), f);
            }
        }
        let mut forms = Vec::new();
        for f in latest.into_values() {
            let Ok(form) = serde_json::from_value::<Form>(f.form.clone()) else {
                continue;
            };
            let action = sportello_domain::monitoring::ACTIONS
                .iter()
                .find(|(n, _)| *n == form.action)
                .map_or_else(|| form.action.clone(), |(_, name)| name.to_string());
            forms.push(print::ReportForm {
                action,
                comune: self.comune_name(&f.comune),
                period: f.period.clone(),
                revision: f.revision,
                closed_on: f
                    .closed_at
                    .as_deref()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .map(italian_day),
                manager: form.manager,
                staff: form.staff,
                objectives: form
                    .objectives
                    .into_iter()
                    .map(|o| (o.objective, o.progress))
                    .collect(),
                activities: form.activities,
                problems: form.problems,
                corrective_steps: form.corrective_steps,
                allocated: form.budget.allocated,
                committed: form.budget.committed,
                paid: form.budget.paid,
            });
        }
        Ok(forms)
    }
}

/// `2025-2027` → (2025, 2027).
fn plan_years(text: &str) -> Result<(i32, i32)> {
    let refused = || {
        AppError::new(
            ErrorCode::DateInvalid,
            format!(
                "piano «{text}» non valido: si scrivono il primo e l'ultimo anno, come \
                 2025-2027 (al massimo {MAX_PLAN_YEARS} anni)"
            ),
        )
    };
    let (first, last) = text.trim().split_once('-').ok_or_else(refused)?;
    let first: i32 = first.trim().parse().map_err(|_| refused())?;
    let last: i32 = last.trim().parse().map_err(|_| refused())?;
    if !(1900..=9999).contains(&first) || last < first || last - first >= MAX_PLAN_YEARS {
        return Err(refused());
    }
    Ok((first, last))
}

#[cfg(test)]
mod tests {
    use super::plan_years;

    #[test]
    fn a_plan_is_its_first_and_last_year() {
        assert_eq!(plan_years("2025-2027").unwrap(), (2025, 2027));
        assert_eq!(plan_years(" 2026 - 2026 ").unwrap(), (2026, 2026));
        for wrong in [
            "2027-2025",
            "2025",
            "2025-2035",
            "venti-ventisette",
            "25-27",
        ] {
            assert!(plan_years(wrong).is_err(), "{wrong}");
        }
    }
}
