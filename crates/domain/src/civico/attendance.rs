//! Attendance and pay: the hours a participant served each day, checked against the project
//! and the bando's limits, and the month's pay computed from them exactly.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use super::project::Project;
use crate::Rules;

/// A calendar month (`2026-06`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(day: NaiveDate) -> Self {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// The month's first day.
    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a month of the calendar")
    }

    /// The month's last day.
    pub fn last_day(&self) -> NaiveDate {
        let next = self.first_day() + chrono::Months::new(1);
        next.pred_opt().expect("a day before the next month")
    }

    /// `aaaa-mm`.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.trim().split_once('-')?;
        let month = Month {
            year: year.parse().ok()?,
            month: month.parse().ok()?,
        };
        NaiveDate::from_ymd_opt(month.year, month.month, 1).map(|_| month)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Why a day of attendance is refused, in Italian (the caller names the row).
pub fn check_day(
    day: NaiveDate,
    hours: Decimal,
    project: &Project,
    rules: &Rules,
    today: NaiveDate,
) -> Option<String> {
    if hours <= Decimal::ZERO {
        return Some(format!("ore {hours}: devono essere più di zero"));
    }
    if hours > rules.max_hours_day {
        return Some(format!(
            "{} ore il {}: al massimo {} ore al giorno",
            hours.normalize(),
            day.format("%d/%m/%Y"),
            rules.max_hours_day.normalize()
        ));
    }
    if day > today {
        return Some(format!(
            "il {} è un giorno futuro: la presenza si registra dopo",
            day.format("%d/%m/%Y")
        ));
    }
    if day < project.start || day > project.end {
        return Some(format!(
            "il {} è fuori dal progetto (dal {} al {})",
            day.format("%d/%m/%Y"),
            project.start.format("%d/%m/%Y"),
            project.end.format("%d/%m/%Y")
        ));
    }
    None
}

/// The months whose total hours go beyond the bando's monthly cap, with the total.
pub fn months_over_cap(
    days: &BTreeMap<NaiveDate, Decimal>,
    rules: &Rules,
) -> Vec<(Month, Decimal)> {
    let mut totals: BTreeMap<Month, Decimal> = BTreeMap::new();
    for (day, hours) in days {
        *totals.entry(Month::of(*day)).or_default() += *hours;
    }
    totals
        .into_iter()
        .filter(|(_, total)| *total > rules.max_hours_month)
        .collect()
}

/// The pay for `hours` of one month: hours times the hourly pay, rounded to the cent once
/// (half away from zero).
pub fn monthly_pay(hours: Decimal, rules: &Rules) -> Decimal {
    (hours * rules.hourly_pay).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn dec(t: &str) -> Decimal {
        t.parse().unwrap()
    }

    #[test]
    fn a_month_runs_from_its_first_day_to_its_last() {
        let february = Month::parse("2028-02").unwrap();
        assert_eq!(
            (february.first_day(), february.last_day()),
            (
                NaiveDate::from_ymd_opt(2028, 2, 1).unwrap(),
                NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()
            )
        );
        let december = Month::parse("2026-12").unwrap();
        assert_eq!(
            (december.first_day(), december.last_day()),
            (day(12, 1), day(12, 31))
        );
    }

    fn project() -> Project {
        Project {
            sector: "ambiente".into(),
            site: "s".into(),
            office: None,
            tutor: "t".into(),
            start: day(6, 1),
            end: day(9, 1),
            weekly_hours: dec("12"),
            schedule: None,
            inail_position: None,
            rc_policy: None,
        }
    }

    #[test]
    fn four_hours_a_day_at_most_inside_the_project_and_not_ahead() {
        let rules = Rules::default();
        let today = day(7, 1);
        assert_eq!(
            check_day(day(6, 2), dec("4.00"), &project(), &rules, today),
            None
        );
        assert!(check_day(day(6, 2), dec("4.01"), &project(), &rules, today).is_some());
        assert!(
            check_day(day(5, 31), dec("2"), &project(), &rules, today)
                .unwrap()
                .contains("fuori dal progetto")
        );
        assert!(
            check_day(day(7, 2), dec("2"), &project(), &rules, today)
                .unwrap()
                .contains("futuro")
        );
        assert!(check_day(day(6, 2), dec("0"), &project(), &rules, today).is_some());
    }

    #[test]
    fn eighty_hours_a_month_at_most() {
        let rules = Rules::default();
        let mut days: BTreeMap<NaiveDate, Decimal> =
            (1..=20).map(|d| (day(6, d), dec("4"))).collect();
        assert!(months_over_cap(&days, &rules).is_empty());
        days.insert(day(6, 21), dec("0.5"));
        assert_eq!(
            months_over_cap(&days, &rules),
            [(
                Month {
                    year: 2026,
                    month: 6
                },
                dec("80.5")
            )]
        );
    }

    #[test]
    fn the_month_is_paid_to_the_cent_rounded_once() {
        let rules = Rules::default();
        assert_eq!(monthly_pay(dec("80"), &rules), dec("412.80"));
        assert_eq!(monthly_pay(dec("62.5"), &rules), dec("322.50"));
        // 0.25 h × 5.16 = 1.29; 0.125 h would be 0.645 → 0.65 (half away from zero).
        assert_eq!(monthly_pay(dec("0.125"), &rules), dec("0.65"));
    }

    #[test]
    fn months_read_as_written() {
        assert_eq!(
            Month::parse("2026-06"),
            Some(Month {
                year: 2026,
                month: 6
            })
        );
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(
            Month {
                year: 2026,
                month: 6
            }
            .to_string(),
            "2026-06"
        );
    }
}
