//! Servizio civico after the definitive ranking: whom a comune calls, in ranking order, and the
//! scorrimento that gives a freed place to the next idoneo of the same comune.
//!
//! A comune calls its AMMESSO applicants; each answers (accepts, renounces) or lapses without
//! an answer; a participant may end early (cessato) or complete (concluso). A rinuncia, a
//! decadenza, or a cessazione before the first part of the service
//! (`Rules::replacement_divisor`) frees the place, and the comune's next IDONEO NON AMMESSO
//! in ranking order comes into the list to call. The list is computed from the ranking and
//! the events recorded, never stored, so it is the same wherever it is computed.

pub mod attendance;
pub mod project;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Outcome;

/// Where an applicant of the call list stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CallState {
    DaChiamare,
    Chiamato,
    Accettato,
    Rinunciatario,
    Decaduto,
    InServizio,
    Cessato,
    Concluso,
}

impl CallState {
    pub fn label_it(self) -> &'static str {
        match self {
            CallState::DaChiamare => "da chiamare",
            CallState::Chiamato => "chiamato",
            CallState::Accettato => "ha accettato",
            CallState::Rinunciatario => "ha rinunciato",
            CallState::Decaduto => "decaduto",
            CallState::InServizio => "in servizio",
            CallState::Cessato => "cessato",
            CallState::Concluso => "concluso",
        }
    }
}

/// What happened to one called applicant, as the comune records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CallEventKind {
    Called,
    Accepted,
    Renounced,
    Lapsed,
    Ended,
    Completed,
}

impl CallEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CallEventKind::Called => "called",
            CallEventKind::Accepted => "accepted",
            CallEventKind::Renounced => "renounced",
            CallEventKind::Lapsed => "lapsed",
            CallEventKind::Ended => "ended",
            CallEventKind::Completed => "completed",
        }
    }

    /// Every event, in the procedure's order.
    pub const ALL: [CallEventKind; 6] = [
        CallEventKind::Called,
        CallEventKind::Accepted,
        CallEventKind::Renounced,
        CallEventKind::Lapsed,
        CallEventKind::Ended,
        CallEventKind::Completed,
    ];

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The state this event leads to.
    fn state(self) -> CallState {
        match self {
            CallEventKind::Called => CallState::Chiamato,
            CallEventKind::Accepted => CallState::Accettato,
            CallEventKind::Renounced => CallState::Rinunciatario,
            CallEventKind::Lapsed => CallState::Decaduto,
            CallEventKind::Ended => CallState::Cessato,
            CallEventKind::Completed => CallState::Concluso,
        }
    }
}

/// One recorded event of an applicant's call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallEvent {
    pub kind: CallEventKind,
    pub on: NaiveDate,
}

/// The service period of a participant (the individual project), when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServicePeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// One line of a comune's definitive ranking: what the call list starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankedLine {
    pub application_code: String,
    pub position: Option<u32>,
    pub outcome: Outcome,
}

/// How the applicant came into the list to call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum CalledBy {
    /// AMMESSO in the ranking.
    Graduatoria,
    /// IDONEO NON AMMESSO, reached when a place was freed.
    Scorrimento,
}

/// One applicant of the call list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallLine {
    pub application_code: String,
    pub position: Option<u32>,
    pub state: CallState,
    pub called_by: CalledBy,
    /// Called this many days ago or more without an answer: past the term to answer.
    pub answer_overdue: bool,
}

/// The last day to answer a call made on `called`: the decadenza is recorded from the day after.
pub fn answer_term_ends(called: NaiveDate, rules: &crate::Rules) -> NaiveDate {
    called + chrono::Duration::days(i64::from(rules.answer_days))
}

/// Whether an event may follow the applicant's state: the order of the procedure.
pub fn may_follow(state: CallState, next: CallEventKind) -> bool {
    use CallEventKind as E;
    use CallState as S;
    matches!(
        (state, next),
        (S::DaChiamare, E::Called | E::Accepted | E::Renounced)
            | (S::Chiamato, E::Accepted | E::Renounced | E::Lapsed)
            | (
                S::Accettato | S::InServizio,
                E::Ended | E::Completed | E::Renounced
            )
    )
}

/// The state events lead to; `InServizio` once accepted and the service has started by `today`.
pub fn state_of(
    events: &[CallEvent],
    period: Option<ServicePeriod>,
    today: NaiveDate,
) -> CallState {
    let state = events
        .last()
        .map_or(CallState::DaChiamare, |e| e.kind.state());
    match (state, period) {
        (CallState::Accettato, Some(p)) if p.start <= today => CallState::InServizio,
        _ => state,
    }
}

/// Whether the applicant's place is free again for the next idoneo: after a rinuncia or a
/// decadenza, or a cessazione within the first `1/divisor` of the service period (or before a
/// service period was set).
fn frees_place(
    state: CallState,
    events: &[CallEvent],
    period: Option<ServicePeriod>,
    divisor: u32,
) -> bool {
    match state {
        CallState::Rinunciatario | CallState::Decaduto => true,
        CallState::Cessato => {
            let Some(ended) = events.last().map(|e| e.on) else {
                return true;
            };
            match period {
                None => true,
                Some(p) => {
                    let days = (p.end - p.start).num_days().max(0);
                    let share = days / i64::from(divisor.max(1));
                    ended < p.start + chrono::Duration::days(share)
                }
            }
        }
        _ => false,
    }
}

/// The comune's call list: its applicants of the definitive ranking (`lines`, any order) in
/// ranking order, those holding one of the `places` or having held one, with the events
/// recorded for each (`events`, in order) and the service periods known. An IDONEO NON AMMESSO
/// enters when a place is freed above; an ESCLUSO never does.
pub fn call_list(
    lines: &[RankedLine],
    places: u32,
    events: &HashMap<String, Vec<CallEvent>>,
    periods: &HashMap<String, ServicePeriod>,
    rules: &crate::Rules,
    today: NaiveDate,
) -> Vec<CallLine> {
    let mut eligible: Vec<&RankedLine> = lines
        .iter()
        .filter(|l| l.outcome != Outcome::Escluso && l.position.is_some())
        .collect();
    eligible.sort_by_key(|l| l.position);
    let none = Vec::new();
    let mut taken = 0u32;
    let mut list = Vec::new();
    for line in eligible {
        let own = events.get(&line.application_code).unwrap_or(&none);
        let period = periods.get(&line.application_code).copied();
        let state = state_of(own, period, today);
        let called_by = if line.outcome == Outcome::Ammesso {
            CalledBy::Graduatoria
        } else {
            CalledBy::Scorrimento
        };
        let freed = frees_place(state, own, period, rules.replacement_divisor);
        // Beyond the places, only those already reached keep their line (a place freed
        // then taken by someone above never takes back what was recorded).
        if !freed && taken >= places && own.is_empty() {
            continue;
        }
        if !freed {
            taken += 1;
        }
        let answer_overdue = state == CallState::Chiamato
            && own
                .last()
                .is_some_and(|e| today > answer_term_ends(e.on, rules));
        list.push(CallLine {
            application_code: line.application_code.clone(),
            position: line.position,
            state,
            called_by,
            answer_overdue,
        });
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, d).unwrap()
    }

    fn line(code: &str, position: u32, outcome: Outcome) -> RankedLine {
        RankedLine {
            application_code: code.into(),
            position: Some(position),
            outcome,
        }
    }

    fn ranking() -> Vec<RankedLine> {
        vec![
            line("A", 1, Outcome::Ammesso),
            line("X", 2, Outcome::IdoneoNonAmmesso), // another comune's place was full
            line("B", 3, Outcome::Ammesso),
            line("C", 4, Outcome::IdoneoNonAmmesso),
            line("D", 5, Outcome::IdoneoNonAmmesso),
            RankedLine {
                application_code: "E".into(),
                position: None,
                outcome: Outcome::Escluso,
            },
        ]
    }

    fn states(list: &[CallLine]) -> Vec<(&str, CallState, CalledBy)> {
        list.iter()
            .map(|l| (l.application_code.as_str(), l.state, l.called_by))
            .collect()
    }

    fn events(list: &[(&str, CallEventKind, u32)]) -> HashMap<String, Vec<CallEvent>> {
        let mut map: HashMap<String, Vec<CallEvent>> = HashMap::new();
        for (code, kind, d) in list {
            map.entry((*code).into()).or_default().push(CallEvent {
                kind: *kind,
                on: day(*d),
            });
        }
        map
    }

    #[test]
    fn the_list_starts_with_the_places_in_ranking_order() {
        let rules = crate::Rules::default();
        let list = call_list(
            &ranking(),
            2,
            &HashMap::new(),
            &HashMap::new(),
            &rules,
            day(1),
        );
        assert_eq!(
            states(&list),
            [
                ("A", CallState::DaChiamare, CalledBy::Graduatoria),
                ("X", CallState::DaChiamare, CalledBy::Scorrimento),
            ]
        );
    }

    #[test]
    fn each_place_freed_calls_the_next_idoneo_and_never_an_escluso() {
        use CallEventKind::*;
        let rules = crate::Rules::default();
        let recorded = events(&[
            ("A", Called, 1),
            ("A", Renounced, 2),
            ("X", Called, 1),
            ("X", Lapsed, 20),
            ("B", Called, 3),
            ("B", Accepted, 4),
        ]);
        let list = call_list(&ranking(), 2, &recorded, &HashMap::new(), &rules, day(21));
        assert_eq!(
            states(&list),
            [
                ("A", CallState::Rinunciatario, CalledBy::Graduatoria),
                ("X", CallState::Decaduto, CalledBy::Scorrimento),
                ("B", CallState::Accettato, CalledBy::Graduatoria),
                ("C", CallState::DaChiamare, CalledBy::Scorrimento),
            ]
        );
        // D and the escluso E stay out until another place is freed.
        let recorded = events(&[
            ("A", Called, 1),
            ("A", Renounced, 2),
            ("X", Renounced, 1),
            ("B", Renounced, 3),
            ("C", Renounced, 4),
            ("D", Renounced, 5),
        ]);
        let list = call_list(&ranking(), 2, &recorded, &HashMap::new(), &rules, day(21));
        assert!(list.iter().all(|l| l.application_code != "E"));
        assert_eq!(list.len(), 5);
    }

    #[test]
    fn a_cessazione_frees_the_place_only_within_the_first_third_of_the_service() {
        use CallEventKind::*;
        let rules = crate::Rules::default();
        let period = ServicePeriod {
            start: day(1),
            end: day(1) + chrono::Duration::days(90),
        };
        let periods = HashMap::from([("A".to_string(), period)]);
        let third = day(1) + chrono::Duration::days(30);
        for (ended, frees) in [(third - chrono::Duration::days(1), true), (third, false)] {
            let mut recorded = events(&[("A", Accepted, 1)]);
            recorded.get_mut("A").unwrap().push(CallEvent {
                kind: Ended,
                on: ended,
            });
            let list = call_list(&ranking(), 1, &recorded, &periods, &rules, third);
            let next_called = list.iter().any(|l| l.application_code == "X");
            assert_eq!(next_called, frees, "ended on {ended}");
        }
    }

    #[test]
    fn an_accepted_participant_is_in_service_from_the_start_date() {
        let accepted = [CallEvent {
            kind: CallEventKind::Accepted,
            on: day(1),
        }];
        let period = ServicePeriod {
            start: day(10),
            end: day(30),
        };
        assert_eq!(
            state_of(&accepted, Some(period), day(9)),
            CallState::Accettato
        );
        assert_eq!(
            state_of(&accepted, Some(period), day(10)),
            CallState::InServizio
        );
    }

    #[test]
    fn an_unanswered_call_is_overdue_after_the_days_to_answer() {
        let rules = crate::Rules::default();
        let recorded = events(&[("A", CallEventKind::Called, 1)]);
        let on = |d| {
            call_list(&ranking(), 1, &recorded, &HashMap::new(), &rules, day(d))[0].answer_overdue
        };
        assert!(!on(1 + rules.answer_days));
        assert!(on(2 + rules.answer_days));
    }

    #[test]
    fn events_follow_the_procedure() {
        use CallEventKind::*;
        assert!(may_follow(CallState::DaChiamare, Called));
        assert!(may_follow(CallState::Chiamato, Lapsed));
        assert!(!may_follow(CallState::DaChiamare, Lapsed));
        assert!(!may_follow(CallState::Rinunciatario, Accepted));
        assert!(!may_follow(CallState::Concluso, Ended));
        assert!(may_follow(CallState::InServizio, Completed));
    }
}
