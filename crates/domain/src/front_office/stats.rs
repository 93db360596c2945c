//! The front office's statistics (the district's "first social observatory"), from the
//! records that travel to the capofila: so a comune and the capofila count alike, and the
//! district's figures are the sum of its comuni's.
//!
//! Counting rule (§3.9): several visits by the same identified person on the same day at the
//! same comune are one contact; anonymous contacts never merge. A merged contact takes the
//! channel, interlocutor and sender of its first visit, and every area, answer and service of
//! its visits (each once).

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};

use chrono::NaiveDate;
use serde::Serialize;

use super::contact::{Answer, Channel, Interlocutor, SentBy};
use super::within_target;

/// One contact as it travels: no name, no codice fiscale, no free text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactFact {
    /// Shared between the contacts of one comune (read once).
    pub comune: std::sync::Arc<str>,
    pub day: NaiveDate,
    pub channel: Channel,
    pub interlocutor: Interlocutor,
    pub sent_by: SentBy,
    /// The keyed digest of an identified person's codice fiscale (its 32 hex digits as a
    /// number); `None` when anonymous.
    pub person_key: Option<u128>,
    /// The SIUSS areas of its needs, bit `area - 1`.
    pub areas: u8,
    pub answer: Answer,
    pub services: Vec<String>,
    pub unmet_need: bool,
}

/// One back-office case as it travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFact {
    pub comune: String,
    pub opened_on: NaiveDate,
    pub due_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub outcome: Option<String>,
}

/// One anonymous questionnaire: each answer 1 to 5, or unanswered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SatisfactionFact {
    pub comune: String,
    pub day: NaiveDate,
    pub courtesy: Option<u8>,
    pub clarity: Option<u8>,
    pub waiting: Option<u8>,
    pub finding: Option<u8>,
}

/// A service and how many contacts named it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ServiceCount {
    pub id: String,
    pub contacts: u64,
}

/// The questionnaires' averages (1 to 5) in the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct SatisfactionAverages {
    pub responses: u64,
    pub courtesy: Option<f64>,
    pub clarity: Option<f64>,
    pub waiting: Option<f64>,
    pub finding: Option<f64>,
}

/// The statistics of a period (`stats front-office --json`, docs/formats.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct FrontOfficeStats {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The comune counted; `None`: every comune held.
    pub comune: Option<String>,
    /// Contacts counted by §3.9.
    pub contacts: u64,
    /// Visits as recorded, before merging.
    pub visits: u64,
    pub by_channel: BTreeMap<String, u64>,
    /// By SIUSS area ("1", "2", "3"): contacts with a need of that area.
    pub by_area: BTreeMap<String, u64>,
    /// Contacts with each answer.
    pub by_answer: BTreeMap<String, u64>,
    pub by_sender: BTreeMap<String, u64>,
    pub by_interlocutor: BTreeMap<String, u64>,
    /// Contacts by comune (ISTAT code): at the capofila, each comune's share of the district.
    pub by_comune: BTreeMap<String, u64>,
    pub anonymous_contacts: u64,
    /// Identified persons with a contact in the period.
    pub persons: u64,
    /// Of those, seen for the first time in the period.
    pub new_persons: u64,
    /// Of those, seen before the period.
    pub returning_persons: u64,
    /// Residents of the comuni counted, when the district file gives each population.
    pub population: Option<u64>,
    pub contacts_per_1000_residents: Option<f64>,
    pub cases_opened: u64,
    /// Cases closed in the period.
    pub cases_closed: u64,
    pub closed_within_target: u64,
    pub closed_within_target_share: Option<f64>,
    pub mean_days_to_close: Option<f64>,
    pub p90_days_to_close: Option<i64>,
    /// Cases open at the end of the period.
    pub open: u64,
    /// Of those, past their due date (on the end of the period, or today if earlier).
    pub overdue: u64,
    pub by_outcome: BTreeMap<String, u64>,
    /// Contacts the operator marked as needing a service the map does not have.
    pub unmet_needs: u64,
    pub unmet_needs_by_area: BTreeMap<String, u64>,
    /// The ten services most named, most first.
    pub top_services: Vec<ServiceCount>,
    pub satisfaction: SatisfactionAverages,
}

/// What a merged contact carries.
struct Merged<'a> {
    first: &'a ContactFact,
    areas: u8,
    answers: u8,
    unmet: bool,
    services: Vec<&'a str>,
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// The statistics of `from..=to` (on `today`, for what is overdue) over the records given,
/// those of `comune` only when named. `population`: the residents of the comuni counted.
#[allow(clippy::too_many_arguments)]
pub fn front_office_stats(
    contacts: &[ContactFact],
    cases: &[CaseFact],
    satisfaction: &[SatisfactionFact],
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    comune: Option<&str>,
    population: Option<u64>,
) -> FrontOfficeStats {
    let in_scope = |c: &str| comune.is_none_or(|k| k == c);
    let counted = |c: &&ContactFact| in_scope(&c.comune) && c.day <= to;
    // Each person: the first day seen, and whether seen in the period. Sized once.
    let mut persons: HashMap<u128, (NaiveDate, bool)> = HashMap::with_capacity(contacts.len());
    let mut merged: Vec<Merged> = Vec::with_capacity(contacts.len());
    // Visits merge within a day: when the period's records come in day order (as the store
    // reads them) the map holds one day at a time.
    let in_day_order = contacts
        .iter()
        .filter(counted)
        .filter(|c| c.day >= from)
        .map(|c| c.day)
        .is_sorted();
    let mut by_key: HashMap<(&str, NaiveDate, u128), usize> = if in_day_order {
        HashMap::new()
    } else {
        HashMap::with_capacity(contacts.len())
    };
    let mut current_day = from;
    let mut visits = 0;
    for c in contacts.iter().filter(counted) {
        if let Some(key) = c.person_key {
            let seen = persons.entry(key).or_insert((c.day, false));
            seen.0 = seen.0.min(c.day);
            seen.1 |= c.day >= from;
        }
        if c.day < from {
            continue;
        }
        if in_day_order && c.day != current_day {
            by_key.clear();
            current_day = c.day;
        }
        visits += 1;
        let answer_bit = 1u8 << (c.answer as u8);
        let index = match c.person_key {
            Some(key) => *by_key.entry((&*c.comune, c.day, key)).or_insert_with(|| {
                merged.push(Merged {
                    first: c,
                    areas: 0,
                    answers: 0,
                    unmet: false,
                    services: Vec::new(),
                });
                merged.len() - 1
            }),
            None => {
                merged.push(Merged {
                    first: c,
                    areas: 0,
                    answers: 0,
                    unmet: false,
                    services: Vec::new(),
                });
                merged.len() - 1
            }
        };
        let m = &mut merged[index];
        m.areas |= c.areas;
        m.answers |= answer_bit;
        m.unmet |= c.unmet_need;
        for s in &c.services {
            if !m.services.contains(&s.as_str()) {
                m.services.push(s);
            }
        }
    }
    let mut stats = FrontOfficeStats {
        from,
        to,
        comune: comune.map(str::to_string),
        contacts: merged.len() as u64,
        visits,
        by_channel: BTreeMap::new(),
        by_area: BTreeMap::new(),
        by_answer: BTreeMap::new(),
        by_sender: BTreeMap::new(),
        by_interlocutor: BTreeMap::new(),
        by_comune: BTreeMap::new(),
        anonymous_contacts: 0,
        persons: 0,
        new_persons: 0,
        returning_persons: 0,
        population,
        contacts_per_1000_residents: population
            .filter(|p| *p > 0)
            .map(|p| round(merged.len() as f64 * 1000.0 / p as f64, 2)),
        cases_opened: 0,
        cases_closed: 0,
        closed_within_target: 0,
        closed_within_target_share: None,
        mean_days_to_close: None,
        p90_days_to_close: None,
        open: 0,
        overdue: 0,
        by_outcome: BTreeMap::new(),
        unmet_needs: 0,
        unmet_needs_by_area: BTreeMap::new(),
        top_services: Vec::new(),
        satisfaction: SatisfactionAverages::default(),
    };
    let mut counts = [[0u64; 6]; 4];
    let mut areas = [0u64; 3];
    let mut unmet_areas = [0u64; 3];
    let mut answers = [0u64; 3];
    let mut services: HashMap<&str, u64> = HashMap::new();
    let mut by_comune: HashMap<&str, u64> = HashMap::new();
    for m in &merged {
        *by_comune.entry(&m.first.comune).or_default() += 1;
        counts[0][m.first.channel as usize] += 1;
        counts[1][m.first.sent_by as usize] += 1;
        counts[2][m.first.interlocutor as usize] += 1;
        if m.first.person_key.is_none() {
            stats.anonymous_contacts += 1;
        }
        for (a, n) in areas.iter_mut().enumerate() {
            if m.areas & (1 << a) != 0 {
                *n += 1;
                if m.unmet {
                    unmet_areas[a] += 1;
                }
            }
        }
        for (a, n) in answers.iter_mut().enumerate() {
            if m.answers & (1 << a) != 0 {
                *n += 1;
            }
        }
        stats.unmet_needs += u64::from(m.unmet);
        for s in &m.services {
            *services.entry(s).or_default() += 1;
        }
    }
    stats.by_comune = by_comune
        .into_iter()
        .map(|(c, n)| (c.to_string(), n))
        .collect();
    for (first, in_period) in persons.values() {
        stats.persons += u64::from(*in_period);
        stats.new_persons += u64::from(*in_period && *first >= from);
    }
    stats.returning_persons = stats.persons - stats.new_persons;
    for (i, w) in Channel::ALL.iter().enumerate() {
        stats.by_channel.insert((*w).into(), counts[0][i]);
    }
    for (i, w) in SentBy::ALL.iter().enumerate() {
        stats.by_sender.insert((*w).into(), counts[1][i]);
    }
    for (i, w) in Interlocutor::ALL.iter().enumerate() {
        stats.by_interlocutor.insert((*w).into(), counts[2][i]);
    }
    for (i, w) in Answer::ALL.iter().enumerate() {
        stats.by_answer.insert((*w).into(), answers[i]);
    }
    for a in 0..3 {
        stats.by_area.insert((a + 1).to_string(), areas[a]);
        stats
            .unmet_needs_by_area
            .insert((a + 1).to_string(), unmet_areas[a]);
    }
    let mut top: Vec<ServiceCount> = services
        .into_iter()
        .map(|(id, contacts)| ServiceCount {
            id: id.into(),
            contacts,
        })
        .collect();
    top.sort_by(|a, b| b.contacts.cmp(&a.contacts).then_with(|| a.id.cmp(&b.id)));
    top.truncate(10);
    stats.top_services = top;

    let as_of = to.min(today);
    let mut days_to_close = Vec::new();
    for c in cases.iter().filter(|c| in_scope(&c.comune)) {
        if (from..=to).contains(&c.opened_on) {
            stats.cases_opened += 1;
        }
        match c.closed_on {
            Some(closed) if (from..=to).contains(&closed) => {
                stats.cases_closed += 1;
                stats.closed_within_target += u64::from(within_target(c.due_on, closed));
                days_to_close.push((closed - c.opened_on).num_days());
                if let Some(o) = &c.outcome {
                    *stats.by_outcome.entry(o.clone()).or_default() += 1;
                }
            }
            _ => {}
        }
        let open_at_end = c.opened_on <= to && c.closed_on.is_none_or(|d| d > to);
        if open_at_end {
            stats.open += 1;
            stats.overdue += u64::from(super::overdue(c.due_on, as_of));
        }
    }
    if stats.cases_closed > 0 {
        stats.closed_within_target_share = Some(round(
            stats.closed_within_target as f64 / stats.cases_closed as f64,
            4,
        ));
        let sum: i64 = days_to_close.iter().sum();
        stats.mean_days_to_close = Some(round(sum as f64 / days_to_close.len() as f64, 2));
        days_to_close.sort_unstable();
        let rank = (days_to_close.len() * 9).div_ceil(10);
        stats.p90_days_to_close = Some(days_to_close[rank.max(1) - 1]);
    }

    let mut sums = [(0u64, 0u64); 4];
    for s in satisfaction
        .iter()
        .filter(|s| in_scope(&s.comune) && (from..=to).contains(&s.day))
    {
        stats.satisfaction.responses += 1;
        for (i, v) in [s.courtesy, s.clarity, s.waiting, s.finding]
            .iter()
            .enumerate()
        {
            if let Some(v) = v {
                sums[i].0 += u64::from(*v);
                sums[i].1 += 1;
            }
        }
    }
    let avg = |(sum, n): (u64, u64)| (n > 0).then(|| round(sum as f64 / n as f64, 2));
    stats.satisfaction.courtesy = avg(sums[0]);
    stats.satisfaction.clarity = avg(sums[1]);
    stats.satisfaction.waiting = avg(sums[2]);
    stats.satisfaction.finding = avg(sums[3]);
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn contact(comune: &str, day: NaiveDate, person: Option<u128>) -> ContactFact {
        ContactFact {
            comune: comune.into(),
            day,
            channel: Channel::Sportello,
            interlocutor: Interlocutor::Utente,
            sent_by: SentBy::Spontaneo,
            person_key: person,
            areas: 0b001,
            answer: Answer::Informazione,
            services: vec![],
            unmet_need: false,
        }
    }

    fn stats(contacts: &[ContactFact], cases: &[CaseFact]) -> FrontOfficeStats {
        front_office_stats(
            contacts,
            cases,
            &[],
            date(1, 1),
            date(12, 31),
            date(12, 31),
            None,
            None,
        )
    }

    #[test]
    fn the_same_person_twice_on_one_day_is_one_contact_on_two_days_two() {
        let one_day = [
            contact("089009", date(3, 2), Some(1)),
            contact("089009", date(3, 2), Some(1)),
        ];
        let s = stats(&one_day, &[]);
        assert_eq!((s.contacts, s.visits, s.persons), (1, 2, 1));
        let two_days = [
            contact("089009", date(3, 2), Some(1)),
            contact("089009", date(3, 3), Some(1)),
        ];
        assert_eq!(stats(&two_days, &[]).contacts, 2);
        // Same day, another comune: two contacts.
        let two_comuni = [
            contact("089009", date(3, 2), Some(1)),
            contact("089005", date(3, 2), Some(1)),
        ];
        let s = stats(&two_comuni, &[]);
        assert_eq!(s.contacts, 2);
        assert_eq!((s.by_comune["089009"], s.by_comune["089005"]), (1, 1));
    }

    #[test]
    fn visits_merge_whatever_the_order_of_the_records() {
        let shuffled = [
            contact("089009", date(3, 3), Some(1)),
            contact("089009", date(3, 2), Some(1)),
            contact("089009", date(3, 3), Some(1)),
        ];
        let s = stats(&shuffled, &[]);
        assert_eq!(
            (s.contacts, s.visits, s.persons, s.new_persons),
            (2, 3, 1, 1)
        );
    }

    #[test]
    fn anonymous_contacts_never_merge() {
        let anonymous = [
            contact("089009", date(3, 2), None),
            contact("089009", date(3, 2), None),
        ];
        let s = stats(&anonymous, &[]);
        assert_eq!((s.contacts, s.anonymous_contacts, s.persons), (2, 2, 0));
    }

    #[test]
    fn a_merged_contact_counts_each_area_and_answer_once() {
        let mut second = contact("089009", date(3, 2), Some(1));
        second.areas = 0b101;
        second.answer = Answer::Istruttoria;
        second.unmet_need = true;
        let s = stats(&[contact("089009", date(3, 2), Some(1)), second], &[]);
        assert_eq!(s.by_area["1"], 1);
        assert_eq!(s.by_area["3"], 1);
        assert_eq!(s.by_answer["informazione"], 1);
        assert_eq!(s.by_answer["istruttoria"], 1);
        assert_eq!(s.by_channel["sportello"], 1);
        assert_eq!((s.unmet_needs, s.unmet_needs_by_area["3"]), (1, 1));
    }

    #[test]
    fn new_and_returning_persons() {
        let contacts = [
            contact("089009", date(1, 10), Some(2)),
            contact("089009", date(6, 1), Some(2)),
            contact("089009", date(6, 2), Some(3)),
        ];
        let s = front_office_stats(
            &contacts,
            &[],
            &[],
            date(6, 1),
            date(6, 30),
            date(6, 30),
            None,
            Some(2000),
        );
        assert_eq!((s.persons, s.new_persons, s.returning_persons), (2, 1, 1));
        assert_eq!(s.contacts_per_1000_residents, Some(1.0));
    }

    #[test]
    fn cases_closed_on_the_due_date_are_within_target_and_p90_is_nearest_rank() {
        let case = |closed: Option<NaiveDate>| CaseFact {
            comune: "089009".into(),
            opened_on: date(3, 2),
            due_on: date(3, 12),
            closed_on: closed,
            outcome: closed.map(|_| "accolta".into()),
        };
        let cases = [case(Some(date(3, 12))), case(Some(date(3, 13))), case(None)];
        let s = front_office_stats(
            &[],
            &cases,
            &[],
            date(1, 1),
            date(12, 31),
            date(3, 12),
            None,
            None,
        );
        assert_eq!(
            (s.cases_opened, s.cases_closed, s.closed_within_target),
            (3, 2, 1)
        );
        assert_eq!(s.closed_within_target_share, Some(0.5));
        assert_eq!(s.mean_days_to_close, Some(10.5));
        assert_eq!(s.p90_days_to_close, Some(11));
        // Open, due on 12 March, counted on 12 March: not yet overdue; on the 13th it is.
        assert_eq!((s.open, s.overdue), (1, 0));
        let later = front_office_stats(
            &[],
            &cases,
            &[],
            date(1, 1),
            date(12, 31),
            date(3, 13),
            None,
            None,
        );
        assert_eq!(later.overdue, 1);
        assert_eq!(later.by_outcome["accolta"], 2);
    }

    #[test]
    fn satisfaction_averages_skip_unanswered_questions() {
        let answer = |courtesy, waiting| SatisfactionFact {
            comune: "089009".into(),
            day: date(3, 2),
            courtesy: Some(courtesy),
            clarity: None,
            waiting,
            finding: None,
        };
        let s = front_office_stats(
            &[],
            &[],
            &[answer(5, Some(2)), answer(4, None)],
            date(1, 1),
            date(12, 31),
            date(12, 31),
            None,
            None,
        );
        assert_eq!(s.satisfaction.responses, 2);
        assert_eq!(s.satisfaction.courtesy, Some(4.5));
        assert_eq!(s.satisfaction.waiting, Some(2.0));
        assert_eq!(s.satisfaction.clarity, None);
    }
}
