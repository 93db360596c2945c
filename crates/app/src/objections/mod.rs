//! Objections (opposizioni) to the provisional ranking: recorded by the comune of filing while
//! the bando's window is open (later only with a responsabile's reason), decided by the
//! capofila, carried out by the comune's correction of the application. The definitive ranking
//! waits for all of them ([`Sportello::objections_blocking`]).

use chrono::NaiveDate;
use serde::Serialize;
use sportello_domain::calendar::italian_day;
use sportello_domain::objection::{Contested, Outcome, Window};
use sportello_domain::{Bando, Outcome as RankOutcome};
use sportello_store::{NewObjection, Objection};

use crate::ranking::Stage;
use crate::{AppError, ErrorCode, Result, Sportello, now};

crate::area!(
    /// Objections to the provisional ranking: recorded, decided, listed.
    Objections,
    objections
);

/// An objection with where it stands (`objection add --json`, `objection list --json`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ObjectionView {
    #[serde(flatten)]
    pub objection: Objection,
    /// `undecided`, `rejected`, `accepted` (to be carried out by the comune) or `applied`.
    pub state: &'static str,
    /// What is contested as the window and the documents name it (`Esclusione`, the factor's
    /// label under the bando's rules).
    pub about_label: String,
}

impl From<Objection> for ObjectionView {
    fn from(objection: Objection) -> Self {
        let state = match (&objection.decision, objection.applied_revision) {
            (None, _) => "undecided",
            (Some(_), Some(_)) => "applied",
            (Some(d), None) if d.outcome == Outcome::Accolta.as_str() => "accepted",
            (Some(_), None) => "rejected",
        };
        let about_label = if objection.about == "exclusion" {
            "Esclusione".to_string()
        } else {
            objection.about.clone()
        };
        Self {
            objection,
            state,
            about_label,
        }
    }
}

impl Objections<'_> {
    /// Records the objection brought to this comune against its application `code`: what it
    /// contests (`about`: a factor key or `exclusion`) and the applicant's text. After the
    /// window closed it is refused unless `late_reason` says why it is admitted (a
    /// responsabile's call); a reply to a preavviso di rigetto is recorded the same way.
    pub fn add(
        &mut self,
        code: &str,
        about: &str,
        text: &str,
        late_reason: Option<&str>,
    ) -> Result<ObjectionView> {
        self.require(crate::Action::RecordObjections)?;
        let at = now();
        let today = italian_day(at);
        let stored = self.0.intake().owned(code, "registrare un'opposizione")?;
        let bando = self.bando(&stored.application.bando)?;
        let contested = Contested::parse(about, &bando.rules).ok_or_else(|| {
            AppError::new(
                ErrorCode::InputRefused,
                format!(
                    "opposizione alla domanda {code}, campo about: {about:?} non è né un fattore \
                     del punteggio né l'esclusione; valori ammessi: {}",
                    Contested::accepted(&bando.rules).join(", ")
                ),
            )
        })?;
        let text = checked_text(code, "text", "il testo dell'opposizione", text)?;
        let window = self.window(&bando)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::RankingNotPublished,
                format!(
                    "opposizione alla domanda {code}: la graduatoria provvisoria del bando {} \
                     non è ancora pubblicata, non c'è nulla a cui opporsi",
                    bando.id
                ),
            )
        })?;
        let late_reason = if window.open_on(today) {
            None
        } else {
            let Some(reason) = late_reason.map(str::trim).filter(|r| !r.is_empty()) else {
                return Err(AppError::new(
                    ErrorCode::ObjectionLate,
                    format!(
                        "opposizione alla domanda {code} fuori termine: il termine per le \
                         opposizioni alla graduatoria provvisoria del bando {} è scaduto \
                         (ultimo giorno utile {}); si registra solo con il motivo per cui è \
                         ammessa, scritto da un responsabile",
                        bando.id,
                        window.last_day().format("%d/%m/%Y")
                    ),
                ));
            };
            self.require(crate::Action::RecordLateObjections)?;
            Some(checked_text(
                code,
                "late_reason",
                "il motivo dell'ammissione fuori termine",
                reason,
            )?)
        };
        if contested == Contested::Exclusion {
            let line = self
                .latest_published(&bando.id)?
                .and_then(|p| p.rows.into_iter().find(|r| r.application_code == code));
            if line.is_some_and(|r| r.outcome != RankOutcome::Escluso) {
                return Err(AppError::new(
                    ErrorCode::InputRefused,
                    format!(
                        "opposizione alla domanda {code}, campo about: la domanda non è esclusa \
                         nella graduatoria pubblicata; indicare il fattore del punteggio \
                         contestato"
                    ),
                ));
            }
        }
        let id = self.0.store.record_objection(
            &NewObjection {
                application_code: code,
                about: contested.key(),
                text,
                received_on: today,
                late_reason,
            },
            at,
            &self.0.actor,
        )?;
        self.view(&id)
    }

    /// The capofila decides objection `id`: accolta or respinta, with the reason. An accepted
    /// one is then carried out by the comune of filing, correcting the application.
    pub fn decide(&mut self, id: &str, outcome: &str, reason: &str) -> Result<ObjectionView> {
        self.require(crate::Action::DecideObjections)?;
        self.require_capofila("decidere le opposizioni")?;
        let at = now();
        let held = self.held(id)?;
        if let Some(d) = &held.decision {
            return Err(AppError::new(
                ErrorCode::ObjectionDecided,
                format!(
                    "l'opposizione {id} (domanda {}) è già stata decisa: {} il {}",
                    held.application_code,
                    d.outcome,
                    chrono::DateTime::parse_from_rfc3339(&d.decided_at)
                        .map(|t| t
                            .with_timezone(&crate::TIME_ZONE)
                            .format("%d/%m/%Y alle %H:%M")
                            .to_string())
                        .unwrap_or_else(|_| d.decided_at.clone())
                ),
            ));
        }
        let outcome = Outcome::parse(outcome).ok_or_else(|| {
            AppError::new(
                ErrorCode::InputRefused,
                format!(
                    "opposizione {id}, campo outcome: {outcome:?} non è un esito; valori \
                     ammessi: accolta, respinta"
                ),
            )
        })?;
        let reason = checked_text(
            &held.application_code,
            "reason",
            "il motivo della decisione",
            reason,
        )?;
        self.0
            .store
            .decide_objection(id, outcome.as_str(), reason, at, &self.0.actor)?;
        self.view(id)
    }

    /// The objections held here, of one bando or all, oldest first.
    pub fn list(&self, bando: Option<&str>) -> Result<Vec<ObjectionView>> {
        self.require(crate::Action::ReadApplications)?;
        if let Some(b) = bando {
            self.bando(b)?;
        }
        let mut factors: std::collections::HashMap<String, Vec<sportello_domain::FactorLabel>> =
            std::collections::HashMap::new();
        self.store
            .objections(bando)?
            .into_iter()
            .map(|o| {
                if !factors.contains_key(&o.bando) {
                    let labels = self.bando(&o.bando)?.rules.factor_labels();
                    factors.insert(o.bando.clone(), labels);
                }
                let bando = o.bando.clone();
                Ok(labelled(o, &factors[&bando]))
            })
            .collect()
    }

    fn view(&self, id: &str) -> Result<ObjectionView> {
        let held = self.held(id)?;
        let factors = self.bando(&held.bando)?.rules.factor_labels();
        Ok(labelled(held, &factors))
    }
}

/// The view of `objection`, what it contests named by the bando's `factors`.
fn labelled(objection: Objection, factors: &[sportello_domain::FactorLabel]) -> ObjectionView {
    let mut view = ObjectionView::from(objection);
    if let Some(f) = factors.iter().find(|f| f.key == view.objection.about) {
        view.about_label = f.label.clone();
    }
    view
}

impl Sportello {
    /// Objection `id`, or the refusal that names it.
    pub(crate) fn held(&self, id: &str) -> Result<Objection> {
        self.store.objection(id)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::UnknownRecord,
                format!("l'opposizione {id} non esiste in questa installazione: controllare l'id"),
            )
        })
    }

    /// The objections window of the bando's latest provisional ranking held here, if one was
    /// published; once the latest version is definitive the window is the one before it.
    pub(crate) fn window(&self, bando: &Bando) -> Result<Option<Window>> {
        let provisional = self
            .store
            .rankings(Some(&bando.id))?
            .into_iter()
            .filter(|r| r.stage == Stage::Provisional.as_str())
            .max_by_key(|r| r.number);
        Ok(provisional.map(|r| Window {
            published_on: chrono::DateTime::parse_from_rfc3339(&r.published_at)
                .map(italian_day)
                .unwrap_or(NaiveDate::MIN),
            days: bando.rules.objection_days,
        }))
    }

    /// What keeps the definitive ranking of `bando` from being published on `today`, as the
    /// refusal: no provisional ranking yet, its window still open, objections undecided,
    /// accepted ones not yet carried out by their comune.
    pub(crate) fn objections_blocking(&self, bando: &Bando, today: NaiveDate) -> Result<()> {
        let window = self.window(bando)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::RankingNotPublished,
                format!(
                    "la graduatoria definitiva del bando {} segue la provvisoria e il termine per \
                     le opposizioni: la provvisoria non è ancora stata pubblicata",
                    bando.id
                ),
            )
        })?;
        if window.open_on(today) {
            return Err(AppError::new(
                ErrorCode::ObjectionsWindowOpen,
                format!(
                    "la graduatoria definitiva del bando {} si pubblica dopo il termine per le \
                     opposizioni alla provvisoria del {}, ancora aperto (ultimo giorno utile {})",
                    bando.id,
                    window.published_on.format("%d/%m/%Y"),
                    window.last_day().format("%d/%m/%Y")
                ),
            ));
        }
        let held = self.store.objections(Some(&bando.id))?;
        let named =
            |o: &Objection| format!("{} (domanda {}, {})", o.id, o.application_code, o.about);
        let undecided: Vec<String> = held
            .iter()
            .filter(|o| o.decision.is_none())
            .map(named)
            .collect();
        let unapplied: Vec<String> = held
            .iter()
            .filter(|o| ObjectionView::from((*o).clone()).state == "accepted")
            .map(|o| format!("{}, al Comune di {}", named(o), self.comune_name(&o.comune)))
            .collect();
        let mut problems = Vec::new();
        if !undecided.is_empty() {
            problems.push(format!("opposizioni da decidere: {}", undecided.join("; ")));
        }
        if !unapplied.is_empty() {
            problems.push(format!(
                "opposizioni accolte non ancora applicate dal comune con la correzione della \
                 domanda: {}",
                unapplied.join("; ")
            ));
        }
        if problems.is_empty() {
            return Ok(());
        }
        Err(AppError::new(
            ErrorCode::ObjectionsPending,
            format!(
                "la graduatoria definitiva del bando {} attende le opposizioni: {}",
                bando.id,
                problems.join(". ")
            ),
        ))
    }

    /// The accepted objection `id` of application `code`, still to be carried out here.
    pub(crate) fn objection_to_apply(&self, code: &str, id: &str) -> Result<()> {
        let held = self.held(id)?;
        let view = ObjectionView::from(held);
        let o = &view.objection;
        if o.application_code != code {
            return Err(AppError::new(
                ErrorCode::ObjectionNotAccepted,
                format!(
                    "l'opposizione {id} riguarda la domanda {}, non la {code}",
                    o.application_code
                ),
            ));
        }
        let problem = match view.state {
            "accepted" => return Ok(()),
            "undecided" => "non è ancora stata decisa dal capofila".to_string(),
            "rejected" => "è stata respinta dal capofila".to_string(),
            _ => format!(
                "è già stata applicata con la revisione {}",
                o.applied_revision.unwrap_or_default()
            ),
        };
        Err(AppError::new(
            ErrorCode::ObjectionNotAccepted,
            format!("domanda {code}, campo objection: l'opposizione {id} {problem}"),
        ))
    }
}

/// A required text typed by an operator: trimmed, not empty, without hidden characters.
fn checked_text<'t>(code: &str, field: &str, what: &str, text: &'t str) -> Result<&'t str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::new(
            ErrorCode::ReasonMissing,
            format!("opposizione alla domanda {code}, campo {field}: manca {what}"),
        ));
    }
    if let Some(p) = sportello_domain::intake::check_text(field, text, true) {
        return Err(AppError::new(
            p.code.parse().unwrap_or(ErrorCode::InputRefused),
            format!(
                "opposizione alla domanda {code}, campo {field}: {}",
                p.message
            ),
        ));
    }
    Ok(text)
}
