//! One application per household across the district.

use chrono::{DateTime, FixedOffset};
use foldhash::HashMap;

use crate::application::Application;

/// The applications to exclude because another of their household stands, each with the
/// index of the standing one.
///
/// Two applications share a household when any codice fiscale (applicant or member) appears
/// in both, written the same way (intake normalises them). Walking the `candidates` (the
/// otherwise eligible applications) in filing order (instant, whatever the offset written,
/// then code), one stands unless a codice fiscale of its household already belongs to one
/// that stands. The rule is pairwise: only a standing application blocks, so in a chain
/// A–B–C where only A and B, and B and C, share someone, B is excluded and A and C stand;
/// applications that are not candidates block no one.
pub(crate) fn same_household(
    applications: &[Application],
    candidates: &[usize],
) -> Vec<(usize, usize)> {
    let people: usize = candidates
        .iter()
        .map(|&i| applications[i].declaration.household_size())
        .sum();
    // Each distinct codice fiscale gets a small number, read in input order; the walk in
    // filing order then touches compact arrays instead of strings scattered in memory.
    let mut person_by_codice_fiscale: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(people, Default::default());
    let mut persons: Vec<usize> = Vec::with_capacity(people);
    let mut walk: Vec<(DateTime<FixedOffset>, &str, usize, usize, usize)> =
        Vec::with_capacity(candidates.len());
    for &i in candidates {
        let application = &applications[i];
        let start = persons.len();
        // A blank code identifies no one: it must not join unrelated households.
        let codici_fiscali = application.declaration.household_codici_fiscali();
        for codice_fiscale in codici_fiscali.filter(|cf| !cf.trim_ascii().is_empty()) {
            let next = person_by_codice_fiscale.len();
            persons.push(
                *person_by_codice_fiscale
                    .entry(codice_fiscale)
                    .or_insert(next),
            );
        }
        walk.push((
            application.filed_at,
            application.code.as_str(),
            i,
            start,
            persons.len(),
        ));
    }
    walk.sort_unstable();

    let mut standing: Vec<Option<usize>> = vec![None; person_by_codice_fiscale.len()];
    let mut excluded = Vec::new();
    for (_, _, i, start, end) in walk {
        let household = &persons[start..end];
        match household.iter().find_map(|&person| standing[person]) {
            Some(first) => excluded.push((i, first)),
            None => household
                .iter()
                .for_each(|&person| standing[person] = Some(i)),
        }
    }
    excluded
}
