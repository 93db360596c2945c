//! The district ranking (*graduatoria di distretto*) of a servizio civico bando.
//!
//! [`rank`] is a pure function of the bando (dates, places, frozen rules) and the filed
//! applications, so any published ranking can be recomputed and explained: every
//! application gets its points factor by factor and, when excluded, every reason.

mod eligibility;
mod household;
mod order;
mod outcome;
mod points;
#[cfg(test)]
mod tests;

use foldhash::HashMap;

use crate::application::Application;
use crate::bando::Bando;

pub(crate) use eligibility::personal_reasons;
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

    // Everything that reads one application's own data, in one pass in input order.
    let mut lines = Vec::with_capacity(applications.len());
    let mut keys = Vec::with_capacity(applications.len());
    for application in applications {
        let minors = application
            .declaration
            .dependent_minors(closes, rules.dependent_minor_age);
        let breakdown = points::breakdown(rules, closes, application, minors);
        let reasons = eligibility::personal_reasons(bando, application);
        keys.push(order::Key::new(application, breakdown.score(), minors));
        lines.push(RankedApplication::new(application, breakdown, reasons));
    }

    let candidates: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].reasons.is_empty())
        .collect();
    for (excluded, standing) in household::same_household(applications, &candidates) {
        let standing = applications[standing].code.clone();
        lines[excluded]
            .reasons
            .push(Reason::SameHousehold { standing });
    }

    // Sorting the keys themselves, not indices, keeps the sort in cache.
    let mut eligible: Vec<(order::Key, usize)> = Vec::with_capacity(candidates.len());
    let mut excluded: Vec<(&str, usize)> = Vec::new();
    for (i, key) in keys.into_iter().enumerate() {
        if lines[i].reasons.is_empty() {
            eligible.push((key, i));
        } else {
            excluded.push((applications[i].code.as_str(), i));
        }
    }
    eligible.sort_unstable_by(|(a, _), (b, _)| order::compare(&rules.tie_break, a, b));
    excluded.sort_unstable();

    let mut places_left: HashMap<&str, u32> =
        HashMap::with_capacity_and_hasher(bando.places.len(), Default::default());
    places_left.extend(bando.places.iter().map(|(istat, n)| (istat.as_str(), *n)));

    let mut lines: Vec<Option<RankedApplication>> = lines.into_iter().map(Some).collect();
    let mut ranked = Vec::with_capacity(lines.len());
    for (position, (_, i)) in (1u32..).zip(eligible) {
        let Some(mut line) = lines[i].take() else {
            continue;
        };
        line.position = Some(position);
        line.outcome = match places_left.get_mut(line.comune.as_str()) {
            Some(left) if *left > 0 => {
                *left -= 1;
                Outcome::Ammesso
            }
            _ => Outcome::IdoneoNonAmmesso,
        };
        ranked.push(line);
    }
    ranked.extend(excluded.into_iter().filter_map(|(_, i)| lines[i].take()));
    ranked
}
