//! The district ranking (*graduatoria di distretto*) of a servizio civico bando.
//!
//! [`rank`] is a pure function of the bando (dates, places, frozen rules) and the filed
//! applications, so any published ranking can be recomputed and explained: every
//! application gets its points factor by factor and, when excluded, every reason.

mod eligibility;
mod order;
mod outcome;
mod points;
#[cfg(test)]
mod tests;

use foldhash::HashMap;

use crate::application::Application;
use crate::bando::Bando;

pub use outcome::{Outcome, RankedApplication, Reason};
pub use points::Breakdown;

/// Ranks the applications of `bando` across the whole district.
///
/// `applications` are the bando's applications, in any order: the result does not depend on
/// it. Eligible applications come first, by score and then the rules' tie-break chain, each
/// with its district position and outcome (AMMESSO while its comune has places left, else
/// IDONEO_NON_AMMESSO); excluded ones follow by application code, without position.
pub fn rank(bando: &Bando, applications: &[Application]) -> Vec<RankedApplication> {
    let rules = &bando.rules;
    let closes = bando.closes;

    let mut reasons: Vec<Vec<Reason>> = applications
        .iter()
        .map(|a| eligibility::personal_reasons(rules, closes, a))
        .collect();
    eligibility::exclude_same_household(applications, &mut reasons);

    let breakdowns: Vec<Breakdown> = applications
        .iter()
        .map(|a| points::breakdown(rules, closes, a))
        .collect();

    // Sorting the keys themselves, not indices into `applications`, keeps the sort in cache.
    let (mut eligible, mut excluded): (Vec<(order::Key, usize)>, Vec<(&str, usize)>) =
        (Vec::new(), Vec::new());
    for (i, application) in applications.iter().enumerate() {
        if reasons[i].is_empty() {
            eligible.push((order::Key::new(application, breakdowns[i].score()), i));
        } else {
            excluded.push((application.code.as_str(), i));
        }
    }
    eligible.sort_unstable_by(|(a, _), (b, _)| order::compare(&rules.tie_break, a, b));
    excluded.sort_unstable();

    let mut places_left: HashMap<&str, u32> =
        HashMap::with_capacity_and_hasher(bando.places.len(), Default::default());
    places_left.extend(
        bando
            .places
            .iter()
            .map(|(istat, places)| (istat.as_str(), *places)),
    );
    let mut ranked = Vec::with_capacity(applications.len());
    for (position, &(_, i)) in (1u32..).zip(&eligible) {
        let application = &applications[i];
        let outcome = match places_left.get_mut(application.comune.as_str()) {
            Some(left) if *left > 0 => {
                *left -= 1;
                Outcome::Ammesso
            }
            _ => Outcome::IdoneoNonAmmesso,
        };
        ranked.push(RankedApplication::new(
            Some(position),
            application,
            outcome,
            breakdowns[i],
            Vec::new(),
        ));
    }
    for &(_, i) in &excluded {
        ranked.push(RankedApplication::new(
            None,
            &applications[i],
            Outcome::Escluso,
            breakdowns[i],
            std::mem::take(&mut reasons[i]),
        ));
    }
    ranked
}
