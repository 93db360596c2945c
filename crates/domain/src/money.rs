//! How amounts are written for people, on printed documents and on screen alike:
//! `€ 1.234,56`. The window's `formatEuro` (ui/src/lib/format.ts) writes exactly the same; the
//! shared cases are the `formatted` list of fixtures/euro-amounts.json. Reading what an
//! operator typed is [`Isee`](crate::Isee)'s `FromStr`, which reads back every ISEE written here.

use rust_decimal::{Decimal, RoundingStrategy};

/// `€ 1.234,56`: the euro sign and a space, thousands grouped by dots, two decimals after a
/// comma, rounded to the cent half away from zero. A negative amount keeps the sign after the
/// euro sign (`€ -12,50`); one that rounds to zero is `€ 0,00`.
pub fn euro(amount: Decimal) -> String {
    let mut cents = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    // A decimal keeps 28 digits: past 26 digits of euros it keeps fewer decimals, padded below.
    cents.rescale(2);
    let sign = if cents < Decimal::ZERO { "-" } else { "" };
    let text = cents.abs().to_string();
    let (integer, fraction) = text.split_once('.').unwrap_or((&text, ""));
    format!("€ {sign}{},{fraction:0<2}", group_thousands(integer))
}

/// "1234567" → "1.234.567".
pub(crate) fn group_thousands(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        // A dot before each digit with a multiple of three digits after it.
        if i > 0 && i % 3 == digits.len() % 3 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    grouped
}

/// One list of fixtures/euro-amounts.json, the amounts the window is tested with too.
#[cfg(test)]
pub(crate) fn shared_cases(list: &str) -> Vec<serde_json::Value> {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("../../../fixtures/euro-amounts.json")).unwrap();
    fixture[list].as_array().cloned().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cases the window's `formatEuro` is tested with too: both write amounts alike.
    #[test]
    fn writes_amounts_as_the_shared_fixture_says() {
        let cases = shared_cases("formatted");
        assert!(cases.len() > 20);
        for case in &cases {
            let value = case["value"].as_str().unwrap();
            let text = case["text"].as_str().unwrap();
            let amount = Decimal::from_str_exact(value).unwrap();
            assert_eq!(euro(amount), text, "{value}");
        }
    }

    #[test]
    fn groups_every_length() {
        let cases = [
            ("0", "0"),
            ("12", "12"),
            ("123", "123"),
            ("1234", "1.234"),
            ("123456", "123.456"),
            ("1234567", "1.234.567"),
        ];
        for (digits, grouped) in cases {
            assert_eq!(group_thousands(digits), grouped);
        }
    }
}
