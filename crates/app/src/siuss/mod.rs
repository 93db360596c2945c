//! SIUSS at the comune: the servizio civico payments of a period, as INPS's layout of social
//! benefits (`sportello_domain::siuss`), checked record by record and written as XML or CSV —
//! every record or none. What was sent is remembered, so the next export carries only what is
//! new or changed: a changed month goes out as a cancellation (`C`) of what was sent and an
//! insertion of the new record; a month no longer paid, as a cancellation alone.

mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use sportello_domain::civico::attendance::Month;
use sportello_domain::siuss::{self, Beneficiary, Benefit, Dsu, Operation, Record};
use sportello_domain::{Bando, Decimal, application::Sex};

use crate::{AppError, ErrorCode, Problem, Result, now};

crate::area!(
    /// National reporting of the benefits the comune pays (SIUSS).
    Siuss,
    siuss
);

/// The install's settings the flow's header needs, remembered once given.
const ENTE_KEY: &str = "siuss_ente";
const OPERATOR_CF_KEY: &str = "siuss_operatore_cf";

/// A flow written (`siuss export --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct SiussExported {
    pub path: String,
    /// `{ente}.PS.{AAAAMMGG}.{n}`.
    pub flow: String,
    /// Records inserted (`I`) and cancelled (`C`).
    pub inserted: usize,
    pub cancelled: usize,
}

/// The ente code and the operator's codice fiscale remembered from the last flow, to prefill
/// the next one (`None` until first given).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct SiussSettings {
    pub ente: Option<String>,
    pub operator_cf: Option<String>,
}

/// The file's layout, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xml,
    Csv,
}

impl Siuss<'_> {
    /// Writes the SIUSS flow of the servizio civico payments of the months that meet
    /// `from`..=`to` to `out` (`.xml` or `.csv`). `ente` (the INPS code of the comune) and
    /// `operator_cf` are remembered as the install's settings once given. Refused, with every
    /// problem named by person, when a record cannot pass the layout; nothing is written then.
    pub fn export(
        &mut self,
        from: NaiveDate,
        to: NaiveDate,
        out: &Path,
        ente: Option<&str>,
        operator_cf: Option<&str>,
    ) -> Result<SiussExported> {
        self.require(crate::Action::ReadInternal)?;
        let at = now();
        let today = sportello_domain::calendar::italian_day(at);
        let format = match out.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("xml") => Format::Xml,
            Some(e) if e.eq_ignore_ascii_case("csv") => Format::Csv,
            _ => {
                return Err(refused(
                    ErrorCode::InputRefused,
                    format!(
                        "«{}»: il file va chiamato .xml o .csv, i due formati che l'INPS accetta",
                        out.display()
                    ),
                ));
            }
        };
        if from > to {
            return Err(refused(
                ErrorCode::DateInvalid,
                format!(
                    "il periodo finisce ({}) prima di cominciare ({})",
                    to.format("%d/%m/%Y"),
                    from.format("%d/%m/%Y")
                ),
            ));
        }
        let ente = self.remembered(ENTE_KEY, ente, siuss::check_ente, "--ente")?;
        let operator_cf = self.remembered(
            OPERATOR_CF_KEY,
            operator_cf.map(|cf| cf.trim().to_uppercase()).as_deref(),
            |cf| {
                sportello_domain::codice_fiscale::CodiceFiscale::parse(cf)
                    .map(|_| ())
                    .map_err(|e| format!("codice fiscale dell'operatore: {e}"))
            },
            "--operatore-cf",
        )?;

        let current = self.records(from, to)?;
        let in_force = self.store.siuss_in_force()?;
        let period: BTreeSet<String> = months(from, to).map(|m| m.to_string()).collect();
        let mut inserted = Vec::new();
        let mut cancelled = Vec::new();
        let mut records: Vec<Record> = Vec::new();
        for ((code, month), record) in &current {
            let json = serde_json::to_string(record).expect("records serialise");
            match in_force.get(&(code.clone(), month.clone())) {
                Some(sent) if *sent == json => continue,
                Some(sent) => {
                    records.push(cancellation(sent)?);
                    cancelled.push((code.clone(), month.clone()));
                }
                None => {}
            }
            records.push(record.clone());
            inserted.push((code.clone(), month.clone(), json));
        }
        for ((code, month), sent) in &in_force {
            let paid = current.contains_key(&(code.clone(), month.clone()));
            if period.contains(month) && !paid {
                records.push(cancellation(sent)?);
                cancelled.push((code.clone(), month.clone()));
            }
        }
        if records.is_empty() {
            return Err(refused(
                ErrorCode::InputEmpty,
                format!(
                    "nessuna prestazione nuova o cambiata da inviare dal {} al {}: gli elenchi di \
                     liquidazione del periodo sono già stati inviati",
                    from.format("%d/%m/%Y"),
                    to.format("%d/%m/%Y")
                ),
            ));
        }
        let problems: Vec<Problem> = records
            .iter()
            .flat_map(|r| {
                let b = &r.beneficiary;
                siuss::check(r).into_iter().map(move |f| Problem {
                    record: format!("{} {} ({})", b.surname, b.name, b.codice_fiscale),
                    field: f.field.to_string(),
                    code: "siuss_invalid".into(),
                    message: f.message,
                })
            })
            .collect();
        if !problems.is_empty() {
            let mut e = refused(
                ErrorCode::InputRefused,
                format!(
                    "flusso SIUSS non scritto: {} problemi nel tracciato, nessun file creato",
                    problems.len()
                ),
            );
            e.problems = problems;
            return Err(e);
        }

        let comune = self
            .install
            .district
            .comuni
            .iter()
            .find(|c| c.istat == self.install.comune)
            .cloned()
            .ok_or_else(|| {
                refused(
                    ErrorCode::DbCorrupt,
                    "il comune di questa installazione non è nel file del distretto".into(),
                )
            })?;
        let progressive = self.store.siuss_flows_on(today)? + 1;
        let flow = siuss::flow_name(&ente, today, progressive);
        let header = write::Header {
            flow: &flow,
            ente: &ente,
            ente_name: &format!("Comune di {}", comune.name),
            belfiore: &comune.belfiore,
            operator_cf: &operator_cf,
        };
        let bytes = match format {
            Format::Xml => write::xml(&header, &records),
            Format::Csv => write::csv(&header, &records),
        };
        // The file first: a flow remembered as sent without its file would never reach INPS.
        crate::files::write_atomically(out, &bytes, true)?;
        let path = out.display().to_string();
        self.0.store.save_siuss_flow(
            &sportello_store::SiussFlow {
                name: &flow,
                sent_on: today,
                file: &path,
                inserted: &inserted,
                cancelled: &cancelled,
            },
            at,
            &self.0.actor,
        )?;
        Ok(SiussExported {
            path,
            flow,
            inserted: inserted.len(),
            cancelled: cancelled.len(),
        })
    }

    /// What the flow's header was last given (the window prefills it).
    pub fn settings(&self) -> Result<SiussSettings> {
        self.require(crate::Action::ReadInternal)?;
        Ok(SiussSettings {
            ente: self.store.setting(ENTE_KEY)?,
            operator_cf: self.store.setting(OPERATOR_CF_KEY)?,
        })
    }

    /// `given` checked and remembered under `key`, or the value remembered before.
    fn remembered(
        &mut self,
        key: &str,
        given: Option<&str>,
        check: impl Fn(&str) -> std::result::Result<(), String>,
        flag: &str,
    ) -> Result<String> {
        match given.map(str::trim) {
            Some(value) => {
                check(value).map_err(|m| refused(ErrorCode::InputRefused, m))?;
                self.0.store.set_setting(key, value)?;
                Ok(value.to_string())
            }
            None => self.store.setting(key)?.ok_or_else(|| {
                refused(
                    ErrorCode::InputRefused,
                    format!(
                        "manca {flag}: indicarlo la prima volta, l'installazione lo ricorda per \
                         gli invii successivi"
                    ),
                )
            }),
        }
    }

    /// The records of the payments frozen in the payment lists of the period's months, by
    /// (application code, `aaaa-mm`): one per participant and month paid.
    fn records(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<BTreeMap<(String, String), Record>> {
        let attendance = self.store.attendance()?;
        let mut paid: BTreeMap<(String, String), (Decimal, Decimal)> = BTreeMap::new();
        for month in months(from, to) {
            let key = month.to_string();
            for (_, lines) in self.store.payment_lists(&key)? {
                for l in lines {
                    let sum = paid.entry((l.application_code, key.clone())).or_default();
                    sum.0 += l.hours.parse::<Decimal>().unwrap_or_default();
                    sum.1 += l.amount.parse::<Decimal>().unwrap_or_default();
                }
            }
        }
        let mut records = BTreeMap::new();
        for ((code, month), (hours, amount)) in paid {
            if amount <= Decimal::ZERO {
                continue;
            }
            let stored = self.store.application_by_code(&code)?.ok_or_else(|| {
                refused(
                    ErrorCode::UnknownApplication,
                    format!("la domanda {code} di un elenco di liquidazione non esiste più"),
                )
            })?;
            let a = &stored.application;
            let bando = self.frozen_bando(&a.bando)?;
            let m = Month::parse(&month).expect("months are written aaaa-mm");
            let worked: Vec<NaiveDate> = attendance
                .get(&code)
                .into_iter()
                .flatten()
                .filter(|(d, h)| {
                    Month::of(**d) == m && h.parse::<Decimal>().is_ok_and(|h| !h.is_zero())
                })
                .map(|(d, _)| *d)
                .collect();
            let first_day = NaiveDate::from_ymd_opt(m.year, m.month, 1).expect("a month");
            let start = worked.first().copied().unwrap_or(first_day);
            let end = worked.last().copied().unwrap_or(start);
            let project_start = self
                .store
                .projects(&a.bando, Some(&self.install.comune))?
                .remove(&code)
                .map(|p| p.start);
            let p = &a.declaration.applicant.person;
            let isee = a.declaration.isee.as_ref();
            let record = Record {
                beneficiary: Beneficiary {
                    codice_fiscale: p.codice_fiscale.clone(),
                    surname: p.surname.clone(),
                    name: p.name.clone(),
                    birth_year: p.birth_date.year(),
                    birth_place: p.birth_place.clone(),
                    gender: match p.sex {
                        Sex::M => 1,
                        Sex::F => 2,
                    },
                    citizenship: siuss::ITALY.into(),
                    country: siuss::ITALY.into(),
                    region: siuss::region_of(&a.comune).unwrap_or_default().into(),
                    comune: a.comune.clone(),
                },
                benefit: Benefit {
                    operation: Operation::Insert,
                    means_test: 1,
                    character: 1,
                    dsu: Dsu {
                        protocol: isee.map(|i| i.dsu_protocol.clone()),
                        year: isee.map(|i| i.dsu_date.year()),
                        date: isee.map(|i| i.dsu_date),
                    },
                    code: bando.rules.siuss_code.clone(),
                    denomination: bando.title.clone(),
                    application_protocol: stored
                        .protocol_number
                        .clone()
                        .unwrap_or_else(|| stored.case_number.clone()),
                    event_date: project_start.unwrap_or(start),
                    start,
                    end,
                    months: 1,
                    monthly_amount: amount,
                    isee_threshold: bando.rules.isee_ceiling,
                    monthly_hours: hours.normalize(),
                    taken_in_charge: 1,
                    area: 3,
                },
            };
            records.insert((code, month), record);
        }
        Ok(records)
    }

    /// The bando as frozen in its latest ranking held here (the rules the payments followed).
    fn frozen_bando(&self, id: &str) -> Result<Bando> {
        let held = self.bando(id)?;
        Ok(match self.store.latest_ranking(id)? {
            Some(r) => Bando::from_toml(&r.bando_toml).unwrap_or(held),
            None => held,
        })
    }
}

/// The months that meet `from`..=`to`.
fn months(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = Month> {
    let last = Month::of(to);
    std::iter::successors(Some(Month::of(from)), move |m| {
        let next = if m.month == 12 {
            Month {
                year: m.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: m.year,
                month: m.month + 1,
            }
        };
        (next <= last).then_some(next)
    })
}

/// The record sent before (`sent`, JSON), now to be cancelled.
fn cancellation(sent: &str) -> Result<Record> {
    let mut record: Record = serde_json::from_str(sent).map_err(|_| {
        refused(
            ErrorCode::DbCorrupt,
            format!("{}: un invio registrato non è leggibile", "siuss_sent"),
        )
    })?;
    record.benefit.operation = Operation::Cancel;
    Ok(record)
}

fn refused(code: ErrorCode, message: String) -> AppError {
    AppError::new(code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_months_of_a_period_cross_the_year() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let listed: Vec<String> = months(day(2026, 11, 15), day(2027, 2, 1))
            .map(|m| m.to_string())
            .collect();
        assert_eq!(listed, ["2026-11", "2026-12", "2027-01", "2027-02"]);
        assert_eq!(months(day(2026, 6, 1), day(2026, 6, 30)).count(), 1);
    }
}
