//! The order of the eligible applications: score, then the bando's tie-break chain.

use std::cmp::Ordering;

use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;

use crate::application::Application;
use crate::rules::TieBreak;

/// What the comparison reads, gathered once per application rather than once per comparison.
pub(crate) struct Key<'a> {
    score: i32,
    isee: Option<Decimal>,
    dependent_minors: usize,
    birth_date: NaiveDate,
    filed_at: DateTime<FixedOffset>,
    code: &'a str,
}

impl<'a> Key<'a> {
    /// `dependent_minors` are those that count on the closing date, as scored.
    pub(crate) fn new(application: &'a Application, score: i32, dependent_minors: usize) -> Self {
        let declaration = &application.declaration;
        Key {
            score,
            isee: declaration.isee.as_ref().map(|isee| isee.value.value()),
            dependent_minors,
            birth_date: declaration.applicant.person.birth_date,
            filed_at: application.filed_at,
            code: &application.code,
        }
    }
}

/// Higher score first; on equal scores each step of `tie_break` in turn. The code closes the
/// chain even when given rules forgot it (validated rules always end with it), so the order
/// stays total.
pub(crate) fn compare(tie_break: &[TieBreak], a: &Key, b: &Key) -> Ordering {
    b.score.cmp(&a.score).then_with(|| {
        tie_break
            .iter()
            .map(|step| compare_step(*step, a, b))
            .find(|ordering| ordering.is_ne())
            .unwrap_or_else(|| a.code.cmp(b.code))
    })
}

fn compare_step(step: TieBreak, a: &Key, b: &Key) -> Ordering {
    match step {
        // Eligible applications always have an ISEE; a missing one would sort last.
        TieBreak::LowerIsee => match (a.isee, b.isee) {
            (Some(a), Some(b)) => a.cmp(&b),
            (a, b) => a.is_none().cmp(&b.is_none()),
        },
        TieBreak::MoreDependentMinors => b.dependent_minors.cmp(&a.dependent_minors),
        TieBreak::OlderApplicant => a.birth_date.cmp(&b.birth_date),
        TieBreak::EarlierFiling => a.filed_at.cmp(&b.filed_at),
        TieBreak::ApplicationCode => a.code.cmp(b.code),
    }
}
