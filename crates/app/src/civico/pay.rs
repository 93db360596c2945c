//! Attendance and pay at the comune: the host office's monthly sheets imported (every row or
//! none), checked against each participant's project and the bando's limits, and the month's
//! payment list computed from them.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use sportello_domain::Decimal;
use sportello_domain::civico::attendance::{self, Month};
use sportello_domain::civico::project::Project;
use sportello_domain::{Bando, Rules};
use sportello_store::AttendanceRow;

use super::{Civico, refused};
use crate::{ErrorCode, Problem, Result, now};

/// What an attendance import recorded (`civico attendance import --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct AttendanceImported {
    pub rows: usize,
    pub participants: usize,
}

/// One participant's pay for a month (`civico payments --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Payment {
    pub application_code: String,
    /// Decimal text, `"62.5"`.
    pub hours: String,
    /// Euros, two decimals, `"322.50"`.
    pub amount: String,
}

/// A participant's project and the rules of their bando, as frozen in its definitive ranking.
struct Participant {
    project: Project,
    rules: Rules,
}

impl Civico<'_> {
    /// Imports the attendance CSV (`codice_domanda`, `data`, `ore`: one row per day worked,
    /// dates `gg/mm/aaaa` or `aaaa-mm-gg`, hours with a comma or a dot). A file with any bad
    /// row imports nothing, every problem named by row.
    pub fn import_attendance(&mut self, text: &str) -> Result<AttendanceImported> {
        self.require(crate::Action::RecordCalls)?;
        let at = now();
        let today = at.date_naive();
        let mut reader = crate::intake::spreadsheet(text);
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| {
                refused(
                    ErrorCode::CsvInvalid,
                    format!("intestazione del file CSV non leggibile: {e}"),
                )
            })?
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let index = |name: &str| headers.iter().position(|h| h == name);
        let (Some(code_at), Some(day_at), Some(hours_at)) =
            (index("codice_domanda"), index("data"), index("ore"))
        else {
            return Err(refused(
                ErrorCode::CsvInvalid,
                format!(
                    "il file delle presenze ha le colonne {}: servono codice_domanda, data, ore",
                    headers.join(", ")
                ),
            ));
        };
        let participants = self.participants()?;
        let mut held = self.store.attendance()?;
        let mut problems = Vec::new();
        let mut rows = Vec::new();
        // The days of this file, to refuse a day given twice.
        let mut in_file: HashMap<(String, NaiveDate), usize> = HashMap::new();
        for (i, record) in reader.records().enumerate() {
            let row = i + 2;
            let mut problem = |field: &str, message: String| {
                problems.push(Problem {
                    record: format!("riga {row}"),
                    field: field.to_string(),
                    code: "attendance_invalid".into(),
                    message,
                });
            };
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    problem("", format!("riga non leggibile: {e}"));
                    continue;
                }
            };
            let code = record
                .get(code_at)
                .unwrap_or_default()
                .trim()
                .to_uppercase();
            let day = match crate::parse_date(record.get(day_at).unwrap_or_default()) {
                Ok(d) => d,
                Err(e) => {
                    problem("data", e.message);
                    continue;
                }
            };
            let hours_text = record
                .get(hours_at)
                .unwrap_or_default()
                .trim()
                .replace(',', ".");
            let Ok(hours) = hours_text.parse::<Decimal>() else {
                problem(
                    "ore",
                    format!("ore «{hours_text}» non valide: scrivere ad esempio 3,5"),
                );
                continue;
            };
            let Some(p) = participants.get(&code) else {
                problem(
                    "codice_domanda",
                    format!(
                        "la domanda {code} non ha un progetto di servizio civico in questo comune"
                    ),
                );
                continue;
            };
            if let Some(message) = attendance::check_day(day, hours, &p.project, &p.rules, today) {
                problem("ore", format!("domanda {code}: {message}"));
                continue;
            }
            if let Some(first) = in_file.insert((code.clone(), day), row) {
                problem(
                    "data",
                    format!(
                        "domanda {code}: il {} è già alla riga {first}",
                        day.format("%d/%m/%Y")
                    ),
                );
                continue;
            }
            held.entry(code.clone())
                .or_default()
                .insert(day, hours.normalize().to_string());
            rows.push((code, day, hours));
        }
        // The month's cap, with what was held and what this file brings together.
        let touched: std::collections::BTreeSet<&String> = rows.iter().map(|(c, _, _)| c).collect();
        for code in touched {
            let p = &participants[code];
            let days: BTreeMap<NaiveDate, Decimal> = held
                .get(code)
                .map(|days| {
                    days.iter()
                        .filter_map(|(d, h)| Some((*d, h.parse().ok()?)))
                        .collect()
                })
                .unwrap_or_default();
            for (month, total) in attendance::months_over_cap(&days, &p.rules) {
                problems.push(Problem {
                    record: format!("domanda {code}"),
                    field: "ore".into(),
                    code: "attendance_invalid".into(),
                    message: format!(
                        "nel mese {month} le ore sarebbero {}: al massimo {} al mese",
                        total.normalize(),
                        p.rules.max_hours_month.normalize()
                    ),
                });
            }
        }
        if rows.is_empty() && problems.is_empty() {
            return Err(refused(
                ErrorCode::InputEmpty,
                "nessuna presenza nel file".to_string(),
            ));
        }
        if !problems.is_empty() {
            let mut e = refused(
                ErrorCode::InputRefused,
                format!(
                    "presenze non importate: {} problemi, nessuna riga registrata",
                    problems.len()
                ),
            );
            e.problems = problems;
            return Err(e);
        }
        let writes: Vec<AttendanceRow> = rows
            .iter()
            .map(|(code, day, hours)| AttendanceRow {
                application_code: code,
                day: *day,
                hours: hours.normalize().to_string(),
            })
            .collect();
        self.0.store.save_attendance(&writes, at, &self.0.actor)?;
        let touched: std::collections::BTreeSet<&String> = rows.iter().map(|(c, _, _)| c).collect();
        Ok(AttendanceImported {
            rows: rows.len(),
            participants: touched.len(),
        })
    }

    /// The comune's payment list for `month` (`aaaa-mm`): each participant's hours and pay,
    /// computed from the attendance at the pay of their bando, rounded to the cent once.
    pub fn payments(&self, month: &str) -> Result<Vec<Payment>> {
        self.require(crate::Action::ReadOutcomes)?;
        let month = Month::parse(month).ok_or_else(|| {
            refused(
                ErrorCode::DateInvalid,
                format!("mese «{month}» non valido: si scrive aaaa-mm, ad esempio 2026-06"),
            )
        })?;
        let participants = self.participants()?;
        let mut list = Vec::new();
        let mut held: Vec<_> = self.store.attendance()?.into_iter().collect();
        held.sort_by(|a, b| a.0.cmp(&b.0));
        for (code, days) in held {
            let hours: Decimal = days
                .iter()
                .filter(|(d, _)| Month::of(**d) == month)
                .filter_map(|(_, h)| h.parse::<Decimal>().ok())
                .sum();
            if hours.is_zero() {
                continue;
            }
            let Some(p) = participants.get(&code) else {
                continue;
            };
            list.push(Payment {
                application_code: code,
                hours: hours.normalize().to_string(),
                amount: attendance::monthly_pay(hours, &p.rules).to_string(),
            });
        }
        Ok(list)
    }

    /// This comune's participants: each one's project and the rules of their bando as frozen
    /// in its latest ranking, by application code.
    fn participants(&self) -> Result<HashMap<String, Participant>> {
        let mut map = HashMap::new();
        for bando in self.store.bandi()? {
            let projects = self.store.projects(&bando.id, Some(&self.install.comune))?;
            if projects.is_empty() {
                continue;
            }
            let rules = match self.store.latest_ranking(&bando.id)? {
                Some(r) => Bando::from_toml(&r.bando_toml)
                    .map(|b| b.rules)
                    .unwrap_or(bando.rules),
                None => bando.rules,
            };
            for (code, project) in projects {
                let rules = rules.clone();
                map.insert(code, Participant { project, rules });
            }
        }
        Ok(map)
    }
}
