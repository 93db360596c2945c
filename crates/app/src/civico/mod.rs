//! Servizio civico after the definitive ranking: the comune's call list with the scorrimento
//! (`sportello_domain::civico`), the answers and ends it records, and the capofila's view of
//! every comune. Works offline at the comune, from the definitive ranking it received.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use sportello_domain::Bando;
use sportello_domain::civico::project::{self, Project};
use sportello_domain::civico::{
    self, CallEvent, CallEventKind, CallLine, CallState, CalledBy, RankedLine, ServicePeriod,
};

use crate::ranking::Stage;
use crate::{AppError, ErrorCode, Result, TIME_ZONE, now};

mod complaints;
mod papers;
pub(crate) mod pay;

pub use papers::ProjectPaper;
pub use pay::{AttendanceImported, AttendanceMonth, DayHours, Payment, PaymentsPrinted};

crate::area!(
    /// Servizio civico after the ranking: calls, answers, scorrimento.
    Civico,
    civico
);

/// One applicant of a comune's call list (`civico calls --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct CallView {
    pub application_code: String,
    pub comune: String,
    pub position: Option<u32>,
    pub state: CallState,
    pub called_by: CalledBy,
    /// Days from filing to the start of service, or to today while not started.
    pub days_since_filing: i64,
    /// The start of service, once a project sets it.
    pub start_date: Option<NaiveDate>,
    /// Called more than the bando's days to answer ago, without an answer.
    pub answer_overdue: bool,
    /// Not yet in service after the bando's `start_target_days` (60) from filing.
    pub over_target: bool,
    /// The day of each event so far, first to last.
    pub events: Vec<CallEventView>,
    /// What may be recorded next, in the procedure's order (the decadenza only once the days
    /// to answer have gone by).
    pub next_steps: Vec<CallEventKind>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct CallEventView {
    pub kind: CallEventKind,
    pub on: NaiveDate,
    pub note: Option<String>,
}

/// A comune's calls as the capofila follows them (`civico overview --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ComuneCalls {
    pub comune: String,
    pub comune_name: String,
    pub places: u32,
    /// Called and not yet answered.
    pub called: usize,
    /// Accepted or in service (the places being used).
    pub started: usize,
    /// In the list and not yet called.
    pub waiting: usize,
    /// Renounced, lapsed or ended early: places freed and given to the next idoneo.
    pub freed: usize,
    pub calls: Vec<CallView>,
}

/// An answer or an end recorded (`civico call|answer|end --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct CallRecorded {
    pub application_code: String,
    pub state: CallState,
    /// Applicants who came into the list to call with this change (scorrimento).
    pub now_to_call: Vec<String>,
}

/// A project recorded (`civico project --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ProjectSaved {
    pub application_code: String,
    pub state: CallState,
    /// What to see to before the start (insurance not yet in place).
    pub warnings: Vec<String>,
}

/// What the project form needs (`project_form`): the project held, if any, and the bando's
/// sectors and limits it is checked against.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ProjectForm {
    pub application_code: String,
    pub state: CallState,
    pub project: Option<Project>,
    pub sectors: Vec<sportello_domain::rules::Sector>,
    pub service_min_months: u32,
    pub service_max_months: u32,
    /// Decimal text.
    pub max_hours_day: String,
}

/// A comune's call list on each of several days ([`crate::Sportello::comune_call_lines_on`]).
pub(crate) struct CallLines {
    /// One list a day, in the order asked.
    pub(crate) days: Vec<Vec<CallLine>>,
    /// The projects of the bando's applications, any comune's, by application code: the
    /// starts of service the lists were made with.
    pub(crate) projects: HashMap<String, Project>,
}

/// The definitive ranking held here, its frozen bando, the events and projects of the bando.
struct Definitive {
    bando: Bando,
    /// The latest ranking, definitive, as last read.
    ranking: std::sync::Arc<crate::ranking::LatestRanking>,
    events: HashMap<String, Vec<sportello_store::StoredCallEvent>>,
    projects: HashMap<String, Project>,
}

impl Civico<'_> {
    /// This comune's call list for `bando` (at the capofila: the capofila's own comune).
    pub fn calls(&self, bando: &str) -> Result<Vec<CallView>> {
        self.require(crate::Action::ReadOutcomes)?;
        let d = self.definitive(bando)?;
        self.comune_calls(&d, &self.install.comune, now().date_naive())
    }

    /// Every comune's calls (capofila).
    pub fn overview(&self, bando: &str) -> Result<Vec<ComuneCalls>> {
        self.require(crate::Action::ReadOutcomes)?;
        self.require_capofila("seguire le chiamate di tutti i comuni")?;
        let d = self.definitive(bando)?;
        let today = now().date_naive();
        let mut all = Vec::new();
        for (comune, &places) in &d.bando.places {
            let calls = self.comune_calls(&d, comune, today)?;
            let count =
                |states: &[CallState]| calls.iter().filter(|c| states.contains(&c.state)).count();
            all.push(ComuneCalls {
                comune: comune.clone(),
                comune_name: self.comune_name(comune),
                places,
                called: count(&[CallState::Chiamato]),
                started: count(&[CallState::Accettato, CallState::InServizio]),
                waiting: count(&[CallState::DaChiamare]),
                freed: count(&[
                    CallState::Rinunciatario,
                    CallState::Decaduto,
                    CallState::Cessato,
                ]),
                calls,
            });
        }
        Ok(all)
    }

    /// Records what happened to this comune's applicant `code`: called (with how), accepted,
    /// renounced, lapsed (only after the days to answer), ended early (with the reason) or
    /// completed; on `on`, not after today nor before the last event. The applicant must be
    /// in the call list and the event must follow its state.
    pub fn record(
        &mut self,
        code: &str,
        kind: CallEventKind,
        on: NaiveDate,
        note: Option<&str>,
    ) -> Result<CallRecorded> {
        self.require(crate::Action::RecordCalls)?;
        let at = now();
        let today = at.date_naive();
        let stored = self.store.application_by_code(code)?.ok_or_else(|| {
            refused(
                ErrorCode::UnknownApplication,
                format!("la domanda {code} non esiste in questa installazione"),
            )
        })?;
        let d = self.definitive(&stored.application.bando)?;
        let before = self.comune_calls(&d, &self.install.comune, today)?;
        let Some(line) = before.iter().find(|c| c.application_code == code) else {
            return Err(refused(
                ErrorCode::NotInCallList,
                format!(
                    "la domanda {code} non è tra quelle da chiamare del comune: si chiamano, in \
                     ordine di graduatoria, gli ammessi e, per scorrimento, gli idonei quando un \
                     posto si libera"
                ),
            ));
        };
        if !civico::may_follow(line.state, kind) {
            return Err(refused(
                ErrorCode::CallOutOfOrder,
                format!(
                    "la domanda {code} risulta «{}»: non si può registrare «{}»",
                    line.state.label_it(),
                    event_label(kind)
                ),
            ));
        }
        if on > today {
            return Err(refused(
                ErrorCode::DateInvalid,
                format!("la data ({}) è nel futuro", on.format("%d/%m/%Y")),
            ));
        }
        if let Some(last) = line.events.last().filter(|e| on < e.on) {
            return Err(refused(
                ErrorCode::DateInvalid,
                format!(
                    "la data ({}) è precedente all'ultimo passo registrato ({} il {})",
                    on.format("%d/%m/%Y"),
                    event_label(last.kind),
                    last.on.format("%d/%m/%Y")
                ),
            ));
        }
        if kind == CallEventKind::Lapsed {
            let called = line.events.last().map_or(on, |e| e.on);
            let ends = civico::answer_term_ends(called, &d.bando.rules);
            if on <= ends {
                return Err(refused(
                    ErrorCode::CallOutOfOrder,
                    format!(
                        "il termine per rispondere alla chiamata scade il {}: la decadenza si \
                         registra dal giorno dopo",
                        ends.format("%d/%m/%Y")
                    ),
                ));
            }
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if kind == CallEventKind::Ended && note.is_none() {
            return Err(refused(
                ErrorCode::ReasonMissing,
                "manca il motivo della cessazione anticipata del servizio".to_string(),
            ));
        }
        if let Some(p) = note.and_then(|n| sportello_domain::intake::check_text("note", n, true)) {
            return Err(refused(
                p.code.parse().unwrap_or(ErrorCode::InputRefused),
                format!("nota: {}", p.message),
            ));
        }
        self.0
            .store
            .record_call_event(code, kind, on, note, at, &self.0.actor)?;
        let d = self.definitive(&stored.application.bando)?;
        let after = self.comune_calls(&d, &self.install.comune, today)?;
        let to_call = |list: &[CallView]| -> Vec<String> {
            list.iter()
                .filter(|c| c.state == CallState::DaChiamare)
                .map(|c| c.application_code.clone())
                .collect()
        };
        let earlier = to_call(&before);
        Ok(CallRecorded {
            application_code: code.to_string(),
            state: after
                .iter()
                .find(|c| c.application_code == code)
                .map_or(CallState::DaChiamare, |c| c.state),
            now_to_call: to_call(&after)
                .into_iter()
                .filter(|c| !earlier.contains(c))
                .collect(),
        })
    }

    /// The project of this comune's applicant `code` as held, with the sectors and limits of
    /// the bando of its definitive ranking.
    pub fn project_form(&self, code: &str) -> Result<ProjectForm> {
        self.require(crate::Action::ReadOutcomes)?;
        let stored = self.store.application_by_code(code)?.ok_or_else(|| {
            refused(
                ErrorCode::UnknownApplication,
                format!("la domanda {code} non esiste in questa installazione"),
            )
        })?;
        let mut d = self.definitive(&stored.application.bando)?;
        let state = self
            .comune_calls(&d, &self.install.comune, now().date_naive())?
            .into_iter()
            .find(|c| c.application_code == code)
            .map(|c| c.state)
            .ok_or_else(|| {
                refused(
                    ErrorCode::NotInCallList,
                    format!("la domanda {code} non è tra quelle da chiamare del comune"),
                )
            })?;
        let rules = &d.bando.rules;
        Ok(ProjectForm {
            application_code: code.to_string(),
            state,
            project: d.projects.remove(code),
            sectors: rules.sectors.clone(),
            service_min_months: rules.service_min_months,
            service_max_months: rules.service_max_months,
            max_hours_day: rules.max_hours_day.normalize().to_string(),
        })
    }

    /// Records the individual project of this comune's participant `code` (who accepted the
    /// call), from the JSON shape of `civico project`; checked against the bando's rules.
    pub fn set_project(&mut self, code: &str, json: &str) -> Result<ProjectSaved> {
        self.require(crate::Action::RecordCalls)?;
        let at = now();
        let today = at.date_naive();
        let project: Project = serde_json::from_str(json).map_err(|e| {
            refused(
                ErrorCode::JsonInvalid,
                format!("progetto non valido: {}", json_reason(&e)),
            )
        })?;
        let stored = self.store.application_by_code(code)?.ok_or_else(|| {
            refused(
                ErrorCode::UnknownApplication,
                format!("la domanda {code} non esiste in questa installazione"),
            )
        })?;
        let d = self.definitive(&stored.application.bando)?;
        let calls = self.comune_calls(&d, &self.install.comune, today)?;
        let state = calls
            .iter()
            .find(|c| c.application_code == code)
            .map(|c| c.state);
        if !matches!(state, Some(CallState::Accettato | CallState::InServizio)) {
            return Err(refused(
                ErrorCode::CallOutOfOrder,
                format!(
                    "la domanda {code} {}: il progetto si scrive per chi ha accettato la chiamata",
                    state.map_or("non è tra quelle chiamate".to_string(), |s| format!(
                        "risulta «{}»",
                        s.label_it()
                    ))
                ),
            ));
        }
        let check = project::check(&project, &d.bando.rules, today);
        if !check.problems.is_empty() {
            let mut e = refused(
                ErrorCode::InputRefused,
                format!("progetto della domanda {code} non registrato"),
            );
            e.problems = check
                .problems
                .iter()
                .map(|p| crate::Problem {
                    record: format!("progetto {code}"),
                    field: p.field.to_string(),
                    code: "project_invalid".into(),
                    message: p.message.clone(),
                })
                .collect();
            return Err(e);
        }
        self.0
            .store
            .save_project(code, &project, at, &self.0.actor)?;
        let d = self.definitive(&stored.application.bando)?;
        let state = self
            .comune_calls(&d, &self.install.comune, today)?
            .into_iter()
            .find(|c| c.application_code == code)
            .map_or(CallState::Accettato, |c| c.state);
        Ok(ProjectSaved {
            application_code: code.to_string(),
            state,
            warnings: check.warnings.into_iter().map(|w| w.message).collect(),
        })
    }
}

impl crate::Sportello {
    fn definitive(&self, bando: &str) -> Result<Definitive> {
        let latest = self.latest_ranking_shared(bando)?;
        let Some(latest) = latest.filter(|l| l.ranking.stage == Stage::Definitive) else {
            return Err(refused(
                ErrorCode::RankingNotPublished,
                format!(
                    "la graduatoria definitiva del bando {bando} non è ancora {}: le chiamate \
                     partono da quella",
                    if self.install.is_capofila() {
                        "pubblicata"
                    } else {
                        "arrivata dal capofila (importare il suo ultimo pacchetto)"
                    }
                ),
            ));
        };
        let frozen = Bando::from_toml(&latest.bando_toml).map_err(|e| {
            refused(
                ErrorCode::DbCorrupt,
                format!("bando della graduatoria illeggibile: {e}"),
            )
        })?;
        Ok(Definitive {
            bando: frozen,
            ranking: latest,
            events: self.store.call_events(bando)?,
            projects: self.store.projects(bando, None)?,
        })
    }

    /// The lines of this comune's call list for `bando` the Home watches, as views: those still
    /// to start (no project yet) and those whose answer is overdue. Their filing days alone are
    /// read, not every application's of the bando: the Home is the first screen of the day.
    pub(crate) fn comune_calls_watched(
        &self,
        bando: &str,
        today: NaiveDate,
    ) -> Result<Vec<CallView>> {
        let d = self.definitive(bando)?;
        let comune = &self.install.comune;
        let watched: Vec<CallLine> = call_lines(&d, comune, &[today])
            .pop()
            .expect("one day, one list")
            .into_iter()
            .filter(|l| {
                l.answer_overdue
                    || (waiting_start(l.state) && !d.projects.contains_key(&l.application_code))
            })
            .collect();
        // A few on most days: read by code. Many just after a ranking: read as the list is.
        let filed = if watched.len() <= WATCHED_BY_CODE {
            let codes: Vec<String> = watched.iter().map(|l| l.application_code.clone()).collect();
            self.store
                .applications_by_code(&codes)?
                .applications
                .into_iter()
                .map(|a| (a.application.code, filing_day(a.application.filed_at)))
                .collect()
        } else {
            self.filing_days(&d, comune)?
        };
        Ok(self.call_views(&d, comune, watched, &filed, today))
    }

    /// This comune's call list for `bando` as it stood on each of `days` (the lines alone, as
    /// the domain gives them), the ranking and its events read once.
    pub(crate) fn comune_call_lines_on(
        &self,
        bando: &str,
        days: &[NaiveDate],
    ) -> Result<CallLines> {
        let definitive = self.definitive(bando)?;
        Ok(CallLines {
            days: call_lines(&definitive, &self.install.comune, days),
            projects: definitive.projects,
        })
    }

    fn comune_calls(
        &self,
        d: &Definitive,
        comune: &str,
        today: NaiveDate,
    ) -> Result<Vec<CallView>> {
        let filed = self.filing_days(d, comune)?;
        let list = call_lines(d, comune, &[today])
            .pop()
            .expect("one day, one list");
        Ok(self.call_views(d, comune, list, &filed, today))
    }

    /// The filing day of every application of `comune` for the bando, by code: the filing
    /// days alone, the declarations not read.
    fn filing_days(&self, d: &Definitive, comune: &str) -> Result<HashMap<String, NaiveDate>> {
        Ok(self
            .store
            .listed(&sportello_store::ApplicationFilter {
                bando: Some(d.bando.id.clone()),
                comune: Some(comune.to_string()),
                ..Default::default()
            })?
            .into_iter()
            .map(|l| (l.code, filing_day(l.filed_at)))
            .collect())
    }

    /// The views of `lines` of `comune`'s call list, `filed` giving their filing days.
    fn call_views(
        &self,
        d: &Definitive,
        comune: &str,
        lines: Vec<CallLine>,
        filed: &HashMap<String, NaiveDate>,
        today: NaiveDate,
    ) -> Vec<CallView> {
        lines
            .into_iter()
            .map(|l| {
                let start = d.projects.get(&l.application_code).map(|p| p.start);
                let until = start.unwrap_or(today);
                let days_since_filing = filed
                    .get(&l.application_code)
                    .map_or(0, |f| (until - *f).num_days());
                let next_steps = CallEventKind::ALL
                    .into_iter()
                    .filter(|k| civico::may_follow(l.state, *k))
                    .filter(|k| *k != CallEventKind::Lapsed || l.answer_overdue)
                    .collect();
                CallView {
                    next_steps,
                    events: d
                        .events
                        .get(&l.application_code)
                        .map(|list| {
                            list.iter()
                                .map(|e| CallEventView {
                                    kind: e.kind,
                                    on: e.on,
                                    note: e.note.clone(),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    comune: comune.to_string(),
                    application_code: l.application_code,
                    position: l.position,
                    state: l.state,
                    called_by: l.called_by,
                    days_since_filing,
                    start_date: start,
                    answer_overdue: l.answer_overdue,
                    over_target: start.is_none()
                        && waiting_start(l.state)
                        && days_since_filing > i64::from(d.bando.rules.start_target_days),
                }
            })
            .collect()
    }
}

/// Up to how many watched lines the Home reads the filing days of by code (each read with its
/// declaration) rather than every application's of the bando (none decoded).
const WATCHED_BY_CODE: usize = 200;

/// The day, in Italy, an application was filed.
fn filing_day(filed_at: chrono::DateTime<chrono::FixedOffset>) -> NaiveDate {
    filed_at.with_timezone(&TIME_ZONE).date_naive()
}

/// `comune`'s call list on each of `days`, as the domain gives it: what does not change with
/// the day is gathered once.
fn call_lines(d: &Definitive, comune: &str, days: &[NaiveDate]) -> Vec<Vec<CallLine>> {
    let lines: Vec<RankedLine> = d
        .ranking
        .ranking
        .rows
        .iter()
        .filter(|r| r.comune == comune)
        .map(|r| RankedLine {
            application_code: r.application_code.clone(),
            position: r.position,
            outcome: r.outcome,
        })
        .collect();
    let events: HashMap<String, Vec<CallEvent>> = d
        .events
        .iter()
        .map(|(code, list)| {
            let list = list
                .iter()
                .map(|e| CallEvent {
                    kind: e.kind,
                    on: e.on,
                })
                .collect();
            (code.clone(), list)
        })
        .collect();
    let periods: HashMap<String, ServicePeriod> = d
        .projects
        .iter()
        .map(|(code, p)| {
            let period = ServicePeriod {
                start: p.start,
                end: p.end,
            };
            (code.clone(), period)
        })
        .collect();
    let places = d.bando.places.get(comune).copied().unwrap_or(0);
    days.iter()
        .map(|&today| civico::call_list(&lines, places, &events, &periods, &d.bando.rules, today))
        .collect()
}

/// Still to start the service: called or to call, or accepted without a start date yet.
pub(crate) fn waiting_start(state: CallState) -> bool {
    matches!(
        state,
        CallState::DaChiamare | CallState::Chiamato | CallState::Accettato
    )
}

/// An event as the clerk names it.
fn event_label(kind: CallEventKind) -> &'static str {
    match kind {
        CallEventKind::Called => "chiamata",
        CallEventKind::Accepted => "accettazione",
        CallEventKind::Renounced => "rinuncia",
        CallEventKind::Lapsed => "decadenza",
        CallEventKind::Ended => "cessazione",
        CallEventKind::Completed => "conclusione",
    }
}

/// What serde says of a JSON text, in the clerk's words.
pub(crate) fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let quoted = |t: &str| t.split('`').nth(1).unwrap_or_default().to_string();
    if text.starts_with("missing field") {
        format!("manca il campo «{}»", quoted(&text))
    } else if text.starts_with("unknown field") {
        format!("il campo «{}» non esiste", quoted(&text))
    } else if let Some((what, _)) = text.split_once(" at line") {
        if what.contains(':') || what.contains('«') {
            what.to_string()
        } else {
            format!(
                "testo non leggibile alla riga {}, colonna {}",
                e.line(),
                e.column()
            )
        }
    } else {
        format!(
            "testo non leggibile alla riga {}, colonna {}",
            e.line(),
            e.column()
        )
    }
}

fn refused(code: ErrorCode, message: String) -> AppError {
    AppError::new(code, message)
}
