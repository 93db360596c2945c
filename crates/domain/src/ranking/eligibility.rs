//! Who may be ranked on their own: filing window, age, residence, work, income support, ISEE
//! and DSU.

use super::Reason;
use crate::application::Application;
use crate::bando::Bando;
use crate::calendar::{age_on, italian_day};
use crate::isee::IseeKind;

/// Every requirement `application` fails on its own (not counting other applications), in
/// the order the regulation lists them.
pub(crate) fn personal_reasons(bando: &Bando, application: &Application) -> Vec<Reason> {
    let rules = &bando.rules;
    let closes = bando.closes;
    let declaration = &application.declaration;
    let mut reasons = Vec::new();

    if !bando.accepts_filing_at(application.filed_at) {
        reasons.push(Reason::FiledOutsideWindow {
            filed_on: italian_day(application.filed_at),
            opens: bando.opens,
            closes,
        });
    }
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
            // An ordinario lasts to 31 December of its DSU's year, a corrente six months: one
            // filed by the closing date and no longer valid on it is of a past year or expired.
            if !isee.valid_on(closes) {
                reasons.push(match isee.kind {
                    IseeKind::Corrente if isee.dsu_date <= closes => Reason::IseeCorrenteExpired {
                        dsu_date: isee.dsu_date,
                        expiry: isee.expiry(),
                        closes,
                    },
                    kind => Reason::DsuNotValid {
                        kind,
                        dsu_date: isee.dsu_date,
                        closes,
                    },
                });
            }
        }
    }
    reasons
}
