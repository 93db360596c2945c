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

/// One participant's month of attendance as the grid shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct AttendanceMonth {
    pub application_code: String,
    /// `aaaa-mm`.
    pub month: String,
    #[cfg_attr(feature = "bindings", ts(type = "string"))]
    pub project_start: NaiveDate,
    #[cfg_attr(feature = "bindings", ts(type = "string"))]
    pub project_end: NaiveDate,
    /// The bando's limits and pay, decimal text.
    pub max_hours_day: String,
    pub max_hours_month: String,
    pub hourly_pay: String,
    /// The days worked, first to last.
    pub days: Vec<DayHours>,
    /// Already in a payment list of the month: a change goes into a supplementary list.
    pub listed: bool,
}

/// A day worked and its hours (decimal text, `3.5`; `3,5` is read too).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct DayHours {
    #[cfg_attr(feature = "bindings", ts(type = "string"))]
    pub day: NaiveDate,
    pub hours: String,
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
pub(super) struct Participant {
    pub(super) project: Project,
    pub(super) rules: Rules,
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
        let headers = crate::intake::header_names(&mut reader)?;
        // The columns as the host office's spreadsheet must name them.
        const COLUMNS: [&str; 3] = ["codice_domanda", "data", "ore"];
        let index = |name: &str| headers.iter().position(|h| h == name);
        let (Some(code_at), Some(day_at), Some(hours_at)) =
            (index(COLUMNS[0]), index(COLUMNS[1]), index(COLUMNS[2]))
        else {
            return Err(refused(
                ErrorCode::CsvInvalid,
                format!(
                    "il file delle presenze ha le colonne {}: servono {}",
                    headers.join(", "),
                    COLUMNS.join(", ")
                ),
            ));
        };
        let participants = self.participants()?;
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
            let Some(hours) = parse_hours(record.get(hours_at).unwrap_or_default()) else {
                problem(
                    "ore",
                    hours_invalid(record.get(hours_at).unwrap_or_default()),
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
            rows.push((code, day, hours));
        }
        if rows.is_empty() && problems.is_empty() {
            return Err(refused(
                ErrorCode::InputEmpty,
                "nessuna presenza nel file".to_string(),
            ));
        }
        self.save_days(rows, problems, &participants, at)
    }

    /// One participant's month of attendance, for the grid where the host office's sheet is
    /// typed: the days held, the project's period and the bando's limits.
    pub fn attendance_month(&self, code: &str, month: &str) -> Result<AttendanceMonth> {
        self.require(crate::Action::ReadOutcomes)?;
        let month_of = parse_month(month)?;
        let participants = self.participants()?;
        let p = participant(&participants, code)?;
        let days = self
            .store
            .attendance_of(code)?
            .into_iter()
            .filter(|(d, h)| {
                Month::of(*d) == month_of && h.parse::<Decimal>().is_ok_and(|h| !h.is_zero())
            })
            .map(|(day, hours)| DayHours { day, hours })
            .collect();
        let listed = self
            .store
            .payment_lists(&month_of.to_string())?
            .iter()
            .any(|(_, lines)| lines.iter().any(|l| l.application_code == code));
        Ok(AttendanceMonth {
            application_code: code.to_string(),
            month: month_of.to_string(),
            project_start: p.project.start,
            project_end: p.project.end,
            max_hours_day: p.rules.max_hours_day.normalize().to_string(),
            max_hours_month: p.rules.max_hours_month.normalize().to_string(),
            hourly_pay: p.rules.hourly_pay.to_string(),
            days,
            listed,
        })
    }

    /// Records the month `month` of participant `code` as typed in the grid: `days` are the
    /// days worked with their hours; a day held before and now absent (or at zero) is cleared.
    /// Every day checked like an imported row; any problem records nothing. Only the days that
    /// change are written (`rows` counts them: zero when nothing changed).
    pub fn save_attendance_month(
        &mut self,
        code: &str,
        month: &str,
        days: &[DayHours],
    ) -> Result<AttendanceImported> {
        self.require(crate::Action::RecordCalls)?;
        let at = now();
        let today = at.date_naive();
        let month_of = parse_month(month)?;
        let participants = self.participants()?;
        let p = participant(&participants, code)?;
        let mut problems = Vec::new();
        let mut rows = Vec::new();
        let mut typed = std::collections::BTreeSet::new();
        for d in days {
            let record = format!("giorno {}", d.day.format("%d/%m/%Y"));
            let mut problem = |message: String| {
                problems.push(Problem {
                    record: record.clone(),
                    field: "ore".into(),
                    code: "attendance_invalid".into(),
                    message,
                });
            };
            if Month::of(d.day) != month_of || !typed.insert(d.day) {
                problem(format!("il giorno non è del mese {month_of} o è ripetuto"));
                continue;
            }
            let Some(hours) = parse_hours(&d.hours) else {
                problem(hours_invalid(&d.hours));
                continue;
            };
            if hours.is_zero() {
                continue;
            }
            if let Some(message) = attendance::check_day(d.day, hours, &p.project, &p.rules, today)
            {
                problem(message);
                continue;
            }
            rows.push((code.to_string(), d.day, hours));
        }
        // Days held this month and no longer typed are cleared (zero hours, a new version);
        // days typed as they were held are left as they are.
        let held = self.store.attendance_of(code)?;
        let hours_held = |day: &NaiveDate| {
            held.get(day)
                .and_then(|h| h.parse::<Decimal>().ok())
                .unwrap_or_default()
        };
        for day in held.keys() {
            let typed_again = rows.iter().any(|(_, d, _)| d == day);
            if Month::of(*day) == month_of && !hours_held(day).is_zero() && !typed_again {
                rows.push((code.to_string(), *day, Decimal::ZERO));
            }
        }
        rows.retain(|(_, day, hours)| *hours != hours_held(day));
        if rows.is_empty() && problems.is_empty() {
            return Ok(AttendanceImported {
                rows: 0,
                participants: 0,
            });
        }
        self.save_days(rows, problems, &participants, at)
    }

    /// Checks the month's cap over what is held and what `rows` bring together, then records
    /// every row, or none when there is any problem.
    fn save_days(
        &mut self,
        rows: Vec<(String, NaiveDate, Decimal)>,
        mut problems: Vec<Problem>,
        participants: &HashMap<String, Participant>,
        at: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<AttendanceImported> {
        // What is held of the participants the rows touch.
        let mut held = HashMap::new();
        for (code, _, _) in &rows {
            if !held.contains_key(code) {
                held.insert(code.clone(), self.store.attendance_of(code)?);
            }
        }
        for (code, day, hours) in &rows {
            held.entry(code.clone())
                .or_default()
                .insert(*day, hours.normalize().to_string());
        }
        let touched: std::collections::BTreeSet<&String> = rows.iter().map(|(c, _, _)| c).collect();
        for code in &touched {
            let p = &participants[*code];
            let days: BTreeMap<NaiveDate, Decimal> = held
                .get(*code)
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
        if !problems.is_empty() {
            let mut e = refused(
                ErrorCode::InputRefused,
                format!(
                    "presenze non registrate: {} problemi, nessun giorno registrato",
                    problems.len()
                ),
            );
            e.problems = problems;
            return Err(e);
        }
        let participants = touched.len();
        let writes: Vec<AttendanceRow> = rows
            .iter()
            .map(|(code, day, hours)| AttendanceRow {
                application_code: code,
                day: *day,
                hours: hours.normalize().to_string(),
            })
            .collect();
        self.0.store.save_attendance(&writes, at, &self.0.actor)?;
        Ok(AttendanceImported {
            rows: rows.len(),
            participants,
        })
    }

    /// The comune's payment list for `month` (`aaaa-mm`): each participant's hours and pay,
    /// computed from the attendance at the pay of their bando, rounded to the cent once.
    pub fn payments(&self, month: &str) -> Result<Vec<Payment>> {
        self.require(crate::Action::ReadOutcomes)?;
        let month = parse_month(month)?;
        let participants = self.participants()?;
        let mut list = Vec::new();
        // The month's days alone, a range of the attendance's index by day.
        let mut held: Vec<_> = self
            .store
            .attendance_between(&self.install.comune, month.first_day(), month.last_day())?
            .into_iter()
            .collect();
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
    pub(super) fn participants(&self) -> Result<HashMap<String, Participant>> {
        let mut map = HashMap::new();
        for bando in self.store.bandi()? {
            let projects = self.store.projects(&bando.id, Some(&self.install.comune))?;
            if projects.is_empty() {
                continue;
            }
            let rules = match self.store.latest_ranking_bando(&bando.id)? {
                Some(frozen) => Bando::from_toml(&frozen)
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

/// `aaaa-mm`, or a refusal saying how to write it.
fn parse_month(month: &str) -> Result<Month> {
    Month::parse(month).ok_or_else(|| {
        refused(
            ErrorCode::DateInvalid,
            format!("mese «{month}» non valido: si scrive aaaa-mm, ad esempio 2026-06"),
        )
    })
}

/// Hours as typed: `3,5` or `3.5`; empty is zero (a day not worked).
pub(crate) fn parse_hours(text: &str) -> Option<Decimal> {
    let text = text.trim().replace(',', ".");
    if text.is_empty() {
        return Some(Decimal::ZERO);
    }
    text.parse()
        .ok()
        .filter(|h: &Decimal| !h.is_sign_negative())
}

fn hours_invalid(text: &str) -> String {
    format!("ore «{}» non valide: scrivere ad esempio 3,5", text.trim())
}

/// This comune's participant `code`, or a refusal naming it.
fn participant<'p>(
    participants: &'p HashMap<String, Participant>,
    code: &str,
) -> Result<&'p Participant> {
    participants.get(code).ok_or_else(|| {
        refused(
            ErrorCode::CallOutOfOrder,
            format!("la domanda {code} non ha un progetto di servizio civico in questo comune"),
        )
    })
}

/// A payment list printed (`print payments --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct PaymentsPrinted {
    pub month: String,
    /// 1 for the month's list, then the supplementary ones.
    pub number: i64,
    pub pdf: String,
    /// The same lines for the ragioneria's spreadsheet, next to the PDF.
    pub csv: String,
    pub lines: usize,
    /// Euros, two decimals.
    pub total: String,
}

impl Civico<'_> {
    /// Prints the month's payment list (PDF, and CSV next to it) and freezes it: later
    /// attendance for the month goes into a supplementary list with the differences only.
    pub fn print_payments(
        &mut self,
        month: &str,
        out: &std::path::Path,
    ) -> Result<PaymentsPrinted> {
        self.require(crate::Action::ReadInternal)?;
        let at = now();
        let current = self.payments(month)?;
        let listed = self.store.payment_lists(month)?;
        let mut before: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
        for (_, lines) in &listed {
            for l in lines {
                let entry = before.entry(l.application_code.clone()).or_default();
                entry.0 += l.hours.parse::<Decimal>().unwrap_or_default();
                entry.1 += l.amount.parse::<Decimal>().unwrap_or_default();
            }
        }
        let mut now_due: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
        for p in &current {
            now_due.insert(
                p.application_code.clone(),
                (
                    p.hours.parse().unwrap_or_default(),
                    p.amount.parse().unwrap_or_default(),
                ),
            );
        }
        let codes: std::collections::BTreeSet<&String> =
            before.keys().chain(now_due.keys()).collect();
        let mut lines = Vec::new();
        for code in codes {
            let (h1, a1) = now_due.get(code).copied().unwrap_or_default();
            let (h0, a0) = before.get(code).copied().unwrap_or_default();
            if h1 == h0 && a1 == a0 {
                continue;
            }
            lines.push(sportello_store::ListedPayment {
                application_code: code.clone(),
                hours: (h1 - h0).normalize().to_string(),
                amount: (a1 - a0).to_string(),
            });
        }
        let number = listed.last().map_or(1, |(n, _)| n + 1);
        if lines.is_empty() {
            return Err(refused(
                ErrorCode::InputEmpty,
                if listed.is_empty() {
                    format!("nessuna presenza registrata nel mese {month}: nulla da liquidare")
                } else {
                    format!(
                        "nessuna variazione da liquidare: l'elenco n. {} del mese {month} \
                         comprende già tutte le presenze registrate",
                        number - 1
                    )
                },
            ));
        }
        let mut printed = Vec::new();
        let mut csv = [
            "codice_domanda",
            "cognome",
            "nome",
            "codice_fiscale",
            "ore",
            "importo",
        ]
        .join(";");
        csv.push('\n');
        for l in &lines {
            let stored = self.store.application_by_code(&l.application_code)?;
            let (surname, name, cf) = stored
                .map(|s| {
                    let p = s.application.declaration.applicant.person;
                    (p.surname, p.name, p.codice_fiscale)
                })
                .unwrap_or_default();
            csv.push_str(&format!(
                "{};{};{};{};{};{}\n",
                l.application_code,
                surname,
                name,
                cf,
                l.hours.replace('.', ","),
                l.amount.replace('.', ",")
            ));
            printed.push(sportello_print::PaymentLine {
                application_code: l.application_code.clone(),
                surname,
                name,
                codice_fiscale: cf,
                hours: l.hours.clone(),
                amount: l.amount.parse().unwrap_or_default(),
            });
        }
        let total: Decimal = printed.iter().map(|l| l.amount).sum();
        let parsed = Month::parse(month).expect("payments checked the month");
        let comune = self.comune_name(&self.install.comune);
        let letterhead = self.0.documents().letterhead(format!("Comune di {comune}"));
        let hourly_pay = self
            .participants()?
            .values()
            .next()
            .map_or_else(|| Rules::default().hourly_pay, |p| p.rules.hourly_pay);
        let bytes = sportello_print::payment_list(&sportello_print::PaymentList {
            letterhead,
            comune,
            month: month_name(parsed),
            number,
            listed_on: at.date_naive(),
            hourly_pay,
            lines: printed,
        })
        .map_err(|e| refused(ErrorCode::PrintFailed, e.to_string()))?;
        let csv_path = out.with_extension("csv");
        // The documents first: a list frozen without its papers would never be paid.
        crate::files::write_atomically(out, &bytes, true)?;
        crate::files::write_atomically(&csv_path, csv.as_bytes(), true)?;
        let number = self
            .0
            .store
            .save_payment_list(month, &lines, at, &self.0.actor)?;
        Ok(PaymentsPrinted {
            month: month.to_string(),
            number,
            pdf: out.display().to_string(),
            csv: csv_path.display().to_string(),
            lines: lines.len(),
            total: total.to_string(),
        })
    }
}

/// `giugno 2026`.
fn month_name(m: Month) -> String {
    const NAMES: [&str; 12] = [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ];
    format!(
        "{} {}",
        NAMES[(m.month as usize).saturating_sub(1) % 12],
        m.year
    )
}

impl Civico<'_> {
    /// Prints the attestato di partecipazione of this comune's participant `code`, once the
    /// service has ended (completed or ended early): the period, the sector, the site and the
    /// hours served.
    pub fn print_attestato(
        &mut self,
        code: &str,
        out: &std::path::Path,
    ) -> Result<std::path::PathBuf> {
        self.require(crate::Action::PrintReceipts)?;
        let at = now();
        let stored = self
            .store
            .application_by_code(code)?
            .filter(|s| s.owner == self.install.comune)
            .ok_or_else(|| {
                refused(
                    ErrorCode::UnknownApplication,
                    format!("la domanda {code} non è tra quelle presentate in questo comune"),
                )
            })?;
        let bando_id = stored.application.bando.clone();
        let participants = self.participants()?;
        let p = participants.get(code).ok_or_else(|| {
            refused(
                ErrorCode::CallOutOfOrder,
                format!("la domanda {code} non ha un progetto di servizio civico"),
            )
        })?;
        let events = self
            .store
            .call_events(&bando_id)?
            .remove(code)
            .unwrap_or_default();
        let last = events.last().filter(|e| {
            matches!(
                e.kind,
                sportello_domain::civico::CallEventKind::Completed
                    | sportello_domain::civico::CallEventKind::Ended
            )
        });
        let Some(last) = last else {
            return Err(refused(
                ErrorCode::CallOutOfOrder,
                format!(
                    "il servizio della domanda {code} non è ancora finito: l'attestato si \
                     rilascia alla conclusione (civico end)"
                ),
            ));
        };
        let hours: Decimal = self
            .store
            .attendance_of(code)?
            .values()
            .filter_map(|h| h.parse::<Decimal>().ok())
            .sum();
        let bando = self.bando(&bando_id)?;
        let sector = p
            .rules
            .sectors
            .iter()
            .find(|s| s.id == p.project.sector)
            .map_or_else(|| p.project.sector.clone(), |s| s.name.clone());
        let person = stored.application.declaration.applicant.person.clone();
        let comune = self.comune_name(&self.install.comune);
        let letterhead = self.0.documents().letterhead(format!("Comune di {comune}"));
        let bytes = sportello_print::attestato(&sportello_print::Attestato {
            letterhead,
            comune,
            bando_title: bando.title,
            application_code: code.to_string(),
            surname: person.surname,
            name: person.name,
            codice_fiscale: person.codice_fiscale,
            birth_date: person.birth_date,
            sector,
            site: p.project.site.clone(),
            start: p.project.start,
            end: last.on,
            hours: hours.normalize().to_string(),
            completed: last.kind == sportello_domain::civico::CallEventKind::Completed,
            skills: self
                .store
                .checks(code)?
                .into_iter()
                .find(|c| c.stage == "finale")
                .and_then(|c| c.skills)
                .filter(|s| !s.trim().is_empty()),
            issued_on: at.date_naive(),
        })
        .map_err(|e| refused(ErrorCode::PrintFailed, e.to_string()))?;
        crate::files::write_atomically(out, &bytes, false)?;
        self.audit_read(
            "print_attestato",
            "application",
            Some(&stored.id.to_string()),
            serde_json::json!({ "application_code": code }),
        )?;
        Ok(out.to_path_buf())
    }
}
