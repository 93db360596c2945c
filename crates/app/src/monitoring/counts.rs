//! This install's own counts over a period, from what it holds: figures, never people.
//! docs/monitoring.md names each count and what it counts.

use std::collections::HashMap;

use chrono::NaiveDate;
use sportello_domain::civico::CallState;
use sportello_domain::civico::attendance::Month;
use sportello_domain::front_office::front_office_stats;
use sportello_domain::monitoring::{Counts, Period};
use sportello_domain::{Bando, Decimal, Outcome};

use crate::Result;

impl crate::Sportello {
    /// This comune's counts over each of `periods`, as held on `today`: what they read is read
    /// once for all of them (ten years of a comune are many rows).
    pub(super) fn own_counts(&self, periods: &[Period], today: NaiveDate) -> Result<Vec<Counts>> {
        // Each period is counted on its own: one asked twice (the overview's half-year before
        // is also in its trend) is counted once.
        let mut distinct = periods.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let counted = self.distinct_counts(&distinct, today)?;
        Ok(periods
            .iter()
            .map(|p| counted[distinct.binary_search(p).expect("counted")].clone())
            .collect())
    }

    /// [`Self::own_counts`] of periods each asked once.
    fn distinct_counts(&self, periods: &[Period], today: NaiveDate) -> Result<Vec<Counts>> {
        let mut all = vec![Counts::new(); periods.len()];
        let one = Decimal::ONE;
        let add = |counts: &mut Counts, name: &str, value: Decimal| {
            *counts.entry(name.to_string()).or_default() += value;
        };
        let filed: HashMap<String, NaiveDate> = self
            .store
            .filings(&self.install.comune)?
            .into_iter()
            .map(|(code, at)| (code, sportello_domain::calendar::italian_day(at)))
            .collect();

        // Applications received in the period, and what the latest ranking made of them.
        let mut rankings = Vec::new();
        let mut bandi: HashMap<String, Bando> = HashMap::new();
        for bando in self.store.bandi()? {
            // The latest ranking as the screens share it: read again only once another is.
            if let Some(latest) = self.latest_ranking_shared(&bando.id)? {
                if let Ok(frozen) = Bando::from_toml(&latest.bando_toml) {
                    bandi.insert(bando.id.clone(), frozen);
                }
                rankings.push(latest);
            }
            bandi.entry(bando.id.clone()).or_insert(bando);
        }
        let outcomes: HashMap<&str, Outcome> = rankings
            .iter()
            .flat_map(|latest| &latest.ranking.rows)
            .map(|row| (row.application_code.as_str(), row.outcome))
            .collect();
        for (code, filed_on) in &filed {
            for (period, counts) in periods.iter().zip(&mut all) {
                if !period.contains(*filed_on) {
                    continue;
                }
                add(counts, "civico.applications", one);
                match outcomes.get(code.as_str()) {
                    Some(Outcome::Ammesso) => {
                        add(counts, "civico.eligible", one);
                        add(counts, "civico.admitted", one);
                    }
                    Some(Outcome::IdoneoNonAmmesso) => add(counts, "civico.eligible", one),
                    _ => {}
                }
            }
        }

        for (id, bando) in &bandi {
            // The call lists as held at each period's end (or today): who waits to start.
            let ends: Vec<NaiveDate> = periods.iter().map(|p| p.to.min(today)).collect();
            let (lists, projects) = match self.comune_call_lines_on(id, &ends) {
                Ok(found) => (found.days, found.projects),
                // Without a definitive ranking no one is called: the projects read alone.
                Err(_) => (
                    Vec::new(),
                    self.store.projects(id, Some(&self.install.comune))?,
                ),
            };
            for ((calls, as_of), counts) in lists.iter().zip(&ends).zip(&mut all) {
                let as_of = *as_of;
                let waiting = calls
                    .iter()
                    .filter(|c| {
                        let start = projects.get(&c.application_code).map(|p| p.start);
                        matches!(
                            c.state,
                            CallState::DaChiamare | CallState::Chiamato | CallState::Accettato
                        ) && start.is_none_or(|s| s > as_of)
                    })
                    .count();
                add(counts, "civico.waiting", Decimal::from(waiting));
            }
            // Starts in the period, and the days from application to start (the projects of
            // this comune's applications).
            for (code, project) in &projects {
                let Some(filed_on) = filed.get(code.as_str()) else {
                    continue;
                };
                let days = (project.start - *filed_on).num_days();
                for (period, counts) in periods.iter().zip(&mut all) {
                    if period.contains(project.start) {
                        add(counts, "civico.started", one);
                        add(counts, "civico.start_days", Decimal::from(days));
                        if days <= i64::from(bando.rules.start_target_days) {
                            add(counts, "civico.started_within_target", one);
                        }
                    }
                    if project.start <= period.to.min(today) && project.end >= period.from {
                        add(counts, "civico.in_service", one);
                    }
                }
            }
        }

        // Hours served in the period: the days of every period read in one pass.
        let first = periods.iter().map(|p| p.from).min();
        let last = periods.iter().map(|p| p.to).max();
        if let (Some(first), Some(last)) = (first, last) {
            let days = self
                .store
                .hours_between(&self.install.comune, first, last)?;
            // Each day's hours read once (a day is in one half-year, a trend has six).
            let mut hours = vec![Decimal::ZERO; periods.len()];
            for (day, text, served) in &days {
                let h = text.parse::<Decimal>().unwrap_or_default() * Decimal::from(*served);
                for (period, sum) in periods.iter().zip(&mut hours) {
                    if period.contains(*day) {
                        *sum += h;
                    }
                }
            }
            for (hours, counts) in hours.into_iter().zip(&mut all) {
                if !hours.is_zero() {
                    add(counts, "civico.hours", hours);
                }
            }
        }
        let complaints = self.store.complaints()?;
        for (period, counts) in periods.iter().zip(&mut all) {
            // Paid: the payment lists of the months beginning in the period.
            let mut month = Month::of(period.from);
            loop {
                let first = NaiveDate::from_ymd_opt(month.year, month.month, 1).expect("a month");
                if first > period.to {
                    break;
                }
                if period.contains(first) {
                    for (_, lines) in self.store.payment_lists(&month.to_string())? {
                        for l in lines {
                            add(counts, "civico.paid", l.amount.parse().unwrap_or_default());
                        }
                    }
                }
                month = Month::of(first + chrono::Months::new(1));
            }
            // Complaints received in the period, and those of them closed.
            for c in &complaints {
                let received = c.received_on.parse::<NaiveDate>().ok();
                if !filed.contains_key(c.application_code.as_str())
                    || !received.is_some_and(|d| period.contains(d))
                {
                    continue;
                }
                add(counts, "civico.complaints", one);
                if c.closed_at.is_some() {
                    add(counts, "civico.complaints_closed", one);
                }
            }
            self.front_office_counts(*period, today, counts)?;
            if self.install.is_capofila() {
                self.register_counts(*period, today, counts)?;
            }
        }
        Ok(all)
    }

    /// The front office's counts of this comune over `period` (the observatory's figures).
    fn front_office_counts(
        &self,
        period: Period,
        today: NaiveDate,
        counts: &mut Counts,
    ) -> Result<()> {
        let own = self.install.comune.as_str();
        let population = self
            .install
            .district
            .comune(own)
            .and_then(|c| c.population)
            .map(u64::from);
        let (contacts, cases, satisfaction) =
            self.store.front_office_counted(period.from, period.to)?;
        let s = front_office_stats(
            &contacts,
            &cases,
            &satisfaction,
            period.from,
            period.to,
            today,
            Some(own),
            population,
        );
        let mut add = |name: &str, value: u64| {
            *counts.entry(name.to_string()).or_default() += Decimal::from(value);
        };
        add("fo.contacts", s.contacts);
        add("fo.population", population.unwrap_or(0));
        add("fo.cases_closed", s.cases_closed);
        add("fo.closed_within_target", s.closed_within_target);
        add("fo.unmet_needs", s.unmet_needs);
        // The questionnaires' marks added up, so the district's average is of every mark.
        let marks: Vec<u8> = satisfaction
            .iter()
            .filter(|f| f.comune == own && period.contains(f.day))
            .flat_map(|f| [f.courtesy, f.clarity, f.waiting, f.finding])
            .flatten()
            .collect();
        add("fo.satisfaction_answers", marks.len() as u64);
        add(
            "fo.satisfaction_marks",
            marks.iter().map(|m| u64::from(*m)).sum(),
        );
        Ok(())
    }

    /// The register of accredited providers at the period's end (the capofila keeps it).
    fn register_counts(&self, period: Period, today: NaiveDate, counts: &mut Counts) -> Result<()> {
        use sportello_domain::accreditation::{
            REGISTRATION_NOTICE_DAYS, Status, expiring, status_on,
        };
        let day = period.to.min(today);
        let mut add = |name: &str| {
            *counts.entry(name.to_string()).or_default() += Decimal::ONE;
        };
        for e in self.store.register()? {
            match status_on(e.status, e.valid_until, day) {
                Status::Attivo => {
                    add("acc.active");
                    if expiring(e.valid_until, day, REGISTRATION_NOTICE_DAYS) {
                        add("acc.expiring");
                    }
                }
                Status::Sospeso => add("acc.suspended"),
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A period asked twice (the overview's half-year before is in its trend too) is counted
    /// once, each period as it counts alone.
    #[test]
    fn each_period_counts_as_it_does_alone() {
        let dir = tempfile::tempdir().unwrap();
        let app = crate::intake::linked_district(dir.path());
        let today = NaiveDate::from_ymd_opt(2026, 8, 1).unwrap();
        let half = |name: &str| Period::half_year(name).unwrap();
        let periods = [
            half("2026-H1"),
            half("2025-H2"),
            half("2026-H1"),
            Period {
                from: NaiveDate::from_ymd_opt(2026, 1, 20).unwrap(),
                to: NaiveDate::from_ymd_opt(2026, 2, 10).unwrap(),
            },
        ];
        let together = app.own_counts(&periods, today).unwrap();
        // The capofila counts the applications filed at its own comune.
        assert_eq!(together[0]["civico.applications"], Decimal::from(90));
        for (p, counts) in periods.iter().zip(&together) {
            assert_eq!(counts, &app.own_counts(&[*p], today).unwrap()[0], "{p:?}");
        }
    }
}
