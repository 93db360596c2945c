//! Calendar reckoning shared by intake and the ranking: the Italian day of a filing, whole
//! months and ages (civil code art. 2963), and which birth dates are plausible.

use chrono::{DateTime, Datelike, FixedOffset, Months, NaiveDate};
use chrono_tz::Europe::Rome;

/// Oldest plausible age at filing, in years. Data plausibility, not regulation: a birth date
/// further back is a typing slip (a wrong century), so it is a constant, not a bando key.
pub const PLAUSIBLE_AGE_YEARS: u32 = 110;

/// The day `at` falls on in Italy, whatever UTC offset it was written with: the comune
/// receives applications in Italian time, so a bando's days are Italian days.
pub fn italian_day(at: DateTime<FixedOffset>) -> NaiveDate {
    at.with_timezone(&Rome).date_naive()
}

/// Whole months from `since` to `until`: the largest n with `since` + n months <= `until`,
/// where adding months clamps to the month's end (31 August + 6 months = 28 February).
/// `None` when `since` is after `until`.
pub fn whole_months(since: NaiveDate, until: NaiveDate) -> Option<u32> {
    if since > until {
        return None;
    }
    let calendar_months =
        (until.year() - since.year()) * 12 + until.month() as i32 - since.month() as i32;
    // Adding the calendar difference lands in `until`'s month; one fewer when that lands
    // after `until`'s day.
    let n = u32::try_from(calendar_months).ok()?;
    let lands_after = since
        .checked_add_months(Months::new(n))
        .is_none_or(|landed| landed > until);
    Some(if lands_after { n.saturating_sub(1) } else { n })
}

/// Whole years of age on `on`, zero for someone not yet born. Counted as whole months / 12,
/// so a year ends like any term: born on 29 February, a year older on 28 February of a
/// common year.
pub fn age_on(birth_date: NaiveDate, on: NaiveDate) -> u32 {
    whole_months(birth_date, on).map_or(0, |months| months / 12)
}

/// The earliest plausible birth date for a filing on `filed_on`: [`PLAUSIBLE_AGE_YEARS`]
/// before it, clamped like every term (from 29 February 2028, 28 February 1918).
pub fn earliest_plausible_birth(filed_on: NaiveDate) -> NaiveDate {
    filed_on
        .checked_sub_months(Months::new(PLAUSIBLE_AGE_YEARS * 12))
        .unwrap_or(NaiveDate::MIN)
}

/// Whether someone can have been born on `birth_date` and be named in an application filed
/// on `filed_on`: from [`earliest_plausible_birth`] to the filing day, both included.
pub fn plausible_birth_date(birth_date: NaiveDate, filed_on: NaiveDate) -> bool {
    (earliest_plausible_birth(filed_on)..=filed_on).contains(&birth_date)
}

/// Easter Sunday of `year` (Gregorian calendar; the anonymous algorithm of Meeus).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a real day")
}

/// Whether offices work on `day`: Monday to Friday, except the national holidays (New Year,
/// Epiphany, Easter Monday, 25 April, 1 May, 2 June, 15 August, 1 November, 8 December,
/// Christmas, Santo Stefano). A comune's patron saint's day is not counted out.
pub fn is_working_day(day: NaiveDate) -> bool {
    use chrono::Weekday;
    if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        return false;
    }
    const FIXED: [(u32, u32); 10] = [
        (1, 1),
        (1, 6),
        (4, 25),
        (5, 1),
        (6, 2),
        (8, 15),
        (11, 1),
        (12, 8),
        (12, 25),
        (12, 26),
    ];
    if FIXED.contains(&(day.month(), day.day())) {
        return false;
    }
    let easter_monday = easter_sunday(day.year()) + chrono::Days::new(1);
    day != easter_monday
}

/// The day `n` working days after `from` (`from` itself not counted).
pub fn add_working_days(from: NaiveDate, n: u32) -> NaiveDate {
    let mut day = from;
    let mut left = n;
    while left > 0 {
        day = day.succ_opt().expect("dates stay within chrono's range");
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn the_italian_day_depends_on_the_instant_not_the_offset_written() {
        // Winter: Italy is UTC+1.
        assert_eq!(
            italian_day(at("2026-03-28T23:30:00+00:00")),
            date(2026, 3, 29)
        );
        assert_eq!(
            italian_day(at("2026-03-28T22:59:59+00:00")),
            date(2026, 3, 28)
        );
        assert_eq!(
            italian_day(at("2026-03-28T23:59:59+01:00")),
            date(2026, 3, 28)
        );
        // Summer: UTC+2, from the last Sunday of March (29 March 2026).
        assert_eq!(
            italian_day(at("2026-03-31T22:30:00+00:00")),
            date(2026, 4, 1)
        );
        assert_eq!(
            italian_day(at("2026-03-31T21:59:59+00:00")),
            date(2026, 3, 31)
        );
        assert_eq!(
            italian_day(at("2026-03-31T23:59:59+02:00")),
            date(2026, 3, 31)
        );
        // Another zone's evening can be the next Italian morning.
        assert_eq!(
            italian_day(at("2026-03-31T19:00:00-05:00")),
            date(2026, 4, 1)
        );
    }

    #[test]
    fn age_on_29_february_follows_the_month_end_rule() {
        let born = date(2008, 2, 29);
        assert_eq!(age_on(born, date(2026, 2, 27)), 17);
        assert_eq!(age_on(born, date(2026, 2, 28)), 18);
        assert_eq!(age_on(born, date(2026, 3, 1)), 18);
        // In a leap year the birthday exists again.
        assert_eq!(age_on(born, date(2028, 2, 28)), 19);
        assert_eq!(age_on(born, date(2028, 2, 29)), 20);
        assert_eq!(age_on(born, date(2008, 2, 29)), 0);
        assert_eq!(age_on(born, date(2008, 2, 28)), 0);
    }

    #[test]
    fn plausible_birth_dates_span_110_years_up_to_the_filing_day() {
        let filed = date(2026, 2, 16);
        assert_eq!(earliest_plausible_birth(filed), date(1916, 2, 16));
        assert!(!plausible_birth_date(date(1916, 2, 15), filed));
        assert!(plausible_birth_date(date(1916, 2, 16), filed));
        assert!(plausible_birth_date(date(1916, 2, 17), filed));
        assert!(plausible_birth_date(date(2026, 2, 15), filed));
        assert!(plausible_birth_date(filed, filed));
        assert!(!plausible_birth_date(date(2026, 2, 17), filed));
        // From 29 February, 110 years back ends on the month's last day.
        assert_eq!(
            earliest_plausible_birth(date(2028, 2, 29)),
            date(1918, 2, 28)
        );
    }

    #[test]
    fn easter_and_working_days() {
        assert_eq!(easter_sunday(2026), date(2026, 4, 5));
        assert_eq!(easter_sunday(2027), date(2027, 3, 28));
        assert_eq!(easter_sunday(2024), date(2024, 3, 31));
        // Easter Monday 2026 is 6 April; Saturday and Sunday are not working days.
        assert!(!is_working_day(date(2026, 4, 6)));
        assert!(!is_working_day(date(2026, 4, 4)));
        assert!(!is_working_day(date(2026, 6, 2)));
        assert!(is_working_day(date(2026, 4, 7)));
        // Friday 3 April + 2 working days: Tuesday 7 and Wednesday 8 April.
        assert_eq!(add_working_days(date(2026, 4, 3), 2), date(2026, 4, 8));
        assert_eq!(add_working_days(date(2026, 4, 3), 0), date(2026, 4, 3));
        // Across Christmas: Wednesday 23 December 2026 + 3 = 24, 28, 29 December.
        assert_eq!(add_working_days(date(2026, 12, 23), 3), date(2026, 12, 29));
    }
}
