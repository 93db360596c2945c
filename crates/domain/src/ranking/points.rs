//! Points, factor by factor, so every score can be explained.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::application::Application;
use crate::calendar::{age_on, whole_months};
use crate::rules::Rules;

/// The points of one application, one field per factor of the regulation. The disability
/// factor is for authorised staff only: never publish it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Breakdown {
    pub isee: i32,
    pub household_size: i32,
    pub dependent_minors: i32,
    pub disability: i32,
    pub single_parent: i32,
    pub unemployment: i32,
    pub housing: i32,
    pub older_applicant: i32,
    pub previous_participation: i32,
}

impl Breakdown {
    /// The score: the sum of every factor.
    pub fn score(&self) -> i32 {
        self.factors().iter().sum()
    }

    /// The points of every factor, in the order of [`Rules::factor_labels`].
    pub fn factors(&self) -> [i32; 9] {
        [
            self.isee,
            self.household_size,
            self.dependent_minors,
            self.disability,
            self.single_parent,
            self.unemployment,
            self.housing,
            self.older_applicant,
            self.previous_participation,
        ]
    }
}

/// Points of `application` under `rules`, reckoned on the closing date, its household
/// counting `minors` dependent minors. Computed for excluded applications too, so an
/// applicant learns where they stand; a missing ISEE, or one above the ceiling, scores
/// nothing.
pub(crate) fn breakdown(
    rules: &Rules,
    closes: NaiveDate,
    application: &Application,
    minors: usize,
) -> Breakdown {
    let declaration = &application.declaration;
    let age = age_on(declaration.applicant.person.birth_date, closes);
    Breakdown {
        isee: declaration
            .isee
            .as_ref()
            .map_or(0, |isee| rules.points_for_isee(isee.value.value())),
        household_size: rules.points_for_household_size(declaration.household_size()),
        dependent_minors: rules.points_for_dependent_minors(minors),
        disability: rules.points_for_disabled_members(declaration.disabled_members()),
        single_parent: if declaration.single_parent && minors > 0 {
            rules.single_parent_points
        } else {
            0
        },
        unemployment: rules.points_for_unemployment(
            declaration
                .unemployed_since
                .and_then(|since| whole_months(since, closes)),
        ),
        housing: rules.points_for_housing(declaration.housing),
        older_applicant: if age >= rules.older_applicant_age {
            rules.older_applicant_points
        } else {
            0
        },
        previous_participation: if declaration.previous_participation {
            rules.previous_participation_points
        } else {
            0
        },
    }
}
