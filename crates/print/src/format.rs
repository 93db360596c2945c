//! How Italian public documents write amounts, dates and times. Amounts are written by the
//! domain ([`sportello_domain::money::euro`]), as the window writes them.
//!
//! Times arrive already in local time (Europe/Rome): converting is the caller's job, so these
//! functions never touch a clock or a time zone.

use chrono::{NaiveDate, NaiveTime};

/// `€ 1.234,56`: the domain's one way of writing amounts, the window's too.
pub use sportello_domain::money::euro;

/// `gg/mm/aaaa`.
pub fn date(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// `hh:mm`.
pub fn time(at: NaiveTime) -> String {
    at.format("%H:%M").to_string()
}

pub fn yes_no(flag: bool) -> &'static str {
    if flag { "sì" } else { "no" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_are_zero_padded() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(date(day), "05/03/2026");
        assert_eq!(time(NaiveTime::from_hms_opt(9, 7, 59).unwrap()), "09:07");
    }
}
