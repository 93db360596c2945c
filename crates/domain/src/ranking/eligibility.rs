//! Who may be ranked on their own: age, residence, work, income support, ISEE and DSU.

use chrono::{Datelike, Months, NaiveDate};

use super::Reason;
use crate::application::Application;
use crate::rules::Rules;

/// Whole years of age on `on`; zero for someone not yet born.
pub(crate) fn age_on(birth_date: NaiveDate, on: NaiveDate) -> u32 {
    on.years_since(birth_date).unwrap_or(0)
}

/// Whole months from `since` to `until`: the largest n with `since` + n months <= `until`,
/// where adding months clamps to the month's end (31 August + 6 months = 28 February).
/// `None` when `since` is after `until`.
pub(crate) fn whole_months(since: NaiveDate, until: NaiveDate) -> Option<u32> {
    if since > until {
        return None;
    }
    let calendar_months =
        (until.year() - since.year()) * 12 + until.month() as i32 - since.month() as i32;
    // Adding the calendar difference lands in `until`'s month; one fewer when that lands
    // after `until`'s day.
    let n = u32::try_from(calendar_months).ok()?;
    let lands_after = since
        .checked_add_months(Months::new(n))
        .is_none_or(|landed| landed > until);
    Some(if lands_after { n.saturating_sub(1) } else { n })
}

/// Every requirement `application` fails on its own (not counting other applications), in
/// the order the regulation lists them.
pub(crate) fn personal_reasons(
    rules: &Rules,
    closes: NaiveDate,
    application: &Application,
) -> Vec<Reason> {
    let declaration = &application.declaration;
    let mut reasons = Vec::new();

    let age = age_on(declaration.applicant.person.birth_date, closes);
    if age < rules.min_age {
        reasons.push(Reason::Underage {
            age,
            min_age: rules.min_age,
        });
    }
    if age > rules.max_age {
        reasons.push(Reason::OverAge {
            age,
            max_age: rules.max_age,
        });
    }
    if !declaration.resident {
        reasons.push(Reason::NotResident);
    }
    if !declaration.unemployed {
        reasons.push(Reason::NotUnemployed);
    }
    if declaration.other_income_support {
        reasons.push(Reason::OtherIncomeSupport);
    }
    match &declaration.isee {
        None => reasons.push(Reason::IseeMissing),
        Some(isee) => {
            let value = isee.value.value();
            if value > rules.isee_ceiling {
                reasons.push(Reason::IseeOverCeiling {
                    isee: value,
                    ceiling: rules.isee_ceiling,
                });
            }
            if !isee.valid_on(closes) || isee.dsu_date.year() != closes.year() {
                reasons.push(Reason::DsuNotValid {
                    dsu_date: isee.dsu_date,
                    closes,
                });
            }
        }
    }
    reasons
}
