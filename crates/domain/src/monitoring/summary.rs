//! The report's automatic summary: what moved most since the half-year before, and what misses
//! its target. Written as sentences for people, with Italian numbers.

use rust_decimal::Decimal;

use super::{Direction, Indicator};
use crate::money::{euro, group_thousands};

/// How many of the largest movements the summary names.
const MOVEMENTS: usize = 4;

/// One indicator's value over a period and over the one before.
#[derive(Debug, Clone, Copy)]
pub struct Movement<'a> {
    pub indicator: &'a Indicator,
    pub value: Option<Decimal>,
    pub previous: Option<Decimal>,
}

/// How far an indicator moved: from zero to something (the largest move), or by a share of
/// what it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Change {
    Relative(Decimal),
    FromZero,
}

impl Movement<'_> {
    fn change(&self) -> Option<Change> {
        let (value, previous) = (self.value?, self.previous?);
        if value == previous {
            return None;
        }
        Some(if previous.is_zero() {
            Change::FromZero
        } else {
            Change::Relative(((value - previous) / previous.abs()).abs())
        })
    }
}

/// The summary's sentences, movements first (largest relative change first), then the targets.
pub fn summary(rows: &[Movement]) -> Vec<String> {
    let mut sentences = Vec::new();
    let mut moved: Vec<(&Movement, Change)> =
        rows.iter().filter_map(|m| Some((m, m.change()?))).collect();
    moved.sort_by_key(|m| std::cmp::Reverse(m.1));
    if moved.is_empty() {
        sentences.push("Nessun indicatore è cambiato rispetto al semestre precedente.".into());
    }
    for (m, change) in moved.into_iter().take(MOVEMENTS) {
        let unit = m.indicator.unit;
        let (from, to) = (m.previous.unwrap_or_default(), m.value.unwrap_or_default());
        // «da 100 a 110 domande», but «da € 10,00 a € 12,00» and «da 50% a 60%».
        let from_text = match unit {
            "euro" | "%" => quantity(from, unit),
            _ => number(from),
        };
        let share = match change {
            Change::FromZero => String::new(),
            Change::Relative(_) => {
                let percent = ((to - from) * Decimal::from(100) / from.abs()).round();
                let sign = if percent.is_sign_positive() { "+" } else { "" };
                format!(" ({sign}{}%)", number(percent))
            }
        };
        sentences.push(format!(
            "«{}»: da {from_text} a {}{share}.",
            m.indicator.name,
            quantity(to, unit),
        ));
    }
    let mut with_target = 0;
    let mut missed = 0;
    for m in rows {
        let Some((direction, target)) = m.indicator.target else {
            continue;
        };
        let Some(value) = m.value else { continue };
        with_target += 1;
        if m.indicator.misses(Some(value)) == Some(true) {
            missed += 1;
            let bound = match direction {
                Direction::AtLeast => "almeno",
                Direction::AtMost => "al massimo",
            };
            sentences.push(format!(
                "«{}»: {}, fuori obiettivo ({bound} {}).",
                m.indicator.name,
                quantity(value, m.indicator.unit),
                quantity(Decimal::from(target), m.indicator.unit),
            ));
        }
    }
    if with_target > 0 && missed == 0 {
        sentences.push("Tutti gli indicatori con un obiettivo lo rispettano.".into());
    }
    sentences
}

/// `1.234,5`: thousands grouped by dots, decimals after a comma, as they were computed.
pub fn number(value: Decimal) -> String {
    let text = value.normalize().abs().to_string();
    let (integer, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if value.is_sign_negative() && !value.is_zero() {
        "-"
    } else {
        ""
    };
    let grouped = group_thousands(integer);
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{fraction}")
    }
}

/// A value with its unit, as people read it: `€ 1.234,50`, `72,5%`, `312 ore`.
pub fn quantity(value: Decimal, unit: &str) -> String {
    match unit {
        "euro" => euro(value),
        "%" => format!("{}%", number(value)),
        _ => format!("{} {unit}", number(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitoring::INDICATORS;

    fn indicator(id: &str) -> &'static Indicator {
        INDICATORS.iter().find(|i| i.id == id).unwrap()
    }

    fn movement(id: &str, value: Option<i64>, previous: Option<i64>) -> Movement<'static> {
        Movement {
            indicator: indicator(id),
            value: value.map(Decimal::from),
            previous: previous.map(Decimal::from),
        }
    }

    #[test]
    fn the_largest_relative_movements_come_first() {
        let rows = [
            movement("sc_domande", Some(110), Some(100)),
            movement("ss_contatti", Some(300), Some(1200)),
            movement("sc_ore", Some(1500), Some(1000)),
            movement("sc_reclami", Some(3), Some(0)),
            movement("sc_avviati", Some(4), Some(4)),
            movement("sc_in_servizio", Some(9), Some(10)),
        ];
        let s = summary(&rows);
        assert_eq!(
            &s[..4],
            [
                "«Reclami ricevuti»: da 0 a 3 reclami.",
                "«Contatti dello sportello»: da 1.200 a 300 contatti (-75%).",
                "«Ore di servizio prestate»: da 1.000 a 1.500 ore (+50%).",
                "«Domande di servizio civico ricevute»: da 100 a 110 domande (+10%).",
            ]
        );
        // What did not move is not a movement.
        assert!(!s.iter().any(|l| l.contains("Avviati al servizio")));
    }

    #[test]
    fn what_misses_its_target_is_named_with_the_bound() {
        let rows = [
            movement("sc_giorni_avvio", Some(72), Some(50)),
            movement("sc_reclami_chiusi", Some(100), None),
            movement("sc_avvio_entro_obiettivo", None, Some(80)),
        ];
        let s = summary(&rows);
        assert!(s.contains(
            &"«Giorni medi dalla domanda all'avvio»: 72 giorni, fuori obiettivo (al massimo 60 \
              giorni)."
                .to_string()
        ));
        assert!(!s.iter().any(|l| l.contains("Reclami chiusi")));
        assert!(!s.iter().any(|l| l.starts_with("Tutti")));

        let all_met = summary(&[movement("sc_giorni_avvio", Some(45), Some(45))]);
        assert_eq!(
            all_met,
            [
                "Nessun indicatore è cambiato rispetto al semestre precedente.",
                "Tutti gli indicatori con un obiettivo lo rispettano.",
            ]
        );
    }

    #[test]
    fn numbers_are_written_the_italian_way() {
        assert_eq!(number("1234567.50".parse().unwrap()), "1.234.567,5");
        assert_eq!(number(Decimal::from(-12)), "-12");
        assert_eq!(quantity("72.5".parse().unwrap(), "%"), "72,5%");
        assert_eq!(quantity("59.34".parse().unwrap(), "euro"), "€ 59,34");
        assert_eq!(quantity(Decimal::from(3), "ore"), "3 ore");
    }
}
