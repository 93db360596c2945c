//! How Italian public documents write amounts, dates and times.
//!
//! Times arrive already in local time (Europe/Rome): converting is the caller's job, so these
//! functions never touch a clock or a time zone.

use chrono::{NaiveDate, NaiveTime};
use rust_decimal::{Decimal, RoundingStrategy};

/// `€ 1.234,56`: thousands grouped by dots, two decimals after a comma.
pub fn euro(amount: Decimal) -> String {
    let rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let cents = rounded.abs().mantissa() * 10i128.pow(2 - rounded.scale().min(2));
    let (units, cents) = (cents / 100, cents % 100);
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("€ {sign}{},{cents:02}", group_thousands(units))
}

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

fn group_thousands(units: i128) -> String {
    let digits = units.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    // A dot before every digit that starts a group of three counted from the right.
    let phase = digits.len() % 3;
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && i % 3 == phase {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn euro_groups_thousands_and_uses_a_decimal_comma() {
        assert_eq!(euro(d("1234.56")), "€ 1.234,56");
        assert_eq!(euro(d("1234567.8")), "€ 1.234.567,80");
        assert_eq!(euro(d("999")), "€ 999,00");
        assert_eq!(euro(d("1000")), "€ 1.000,00");
        assert_eq!(euro(d("0")), "€ 0,00");
        assert_eq!(euro(d("0.05")), "€ 0,05");
    }

    #[test]
    fn euro_rounds_half_cents_away_from_zero() {
        assert_eq!(euro(d("8000.005")), "€ 8.000,01");
        assert_eq!(euro(d("7999.994")), "€ 7.999,99");
        assert_eq!(euro(d("-12.5")), "€ -12,50");
        assert_eq!(euro(d("-0.001")), "€ 0,00");
    }

    #[test]
    fn dates_and_times_are_zero_padded() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(date(day), "05/03/2026");
        assert_eq!(time(NaiveTime::from_hms_opt(9, 7, 59).unwrap()), "09:07");
    }
}
