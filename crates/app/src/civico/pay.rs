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
    pub(super) fn participants(&self) -> Result<HashMap<String, Participant>> {
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
            .attendance()?
            .remove(code)
            .unwrap_or_default()
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
