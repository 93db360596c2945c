//! An application (*istanza*) to a servizio civico bando, as the operator declares it.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::age_on;
use crate::isee::IseeDeclaration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum Sex {
    M,
    F,
}

/// Identity data of one person, as written on their documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Person {
    pub codice_fiscale: String,
    pub surname: String,
    pub name: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    /// Belfiore code of the comune (or `Z` + 3 digits for a foreign country) of birth.
    pub birth_place: String,
}

/// The person who files the application, with how to reach them (all optional).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Applicant {
    #[serde(flatten)]
    pub person: Person,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// Another member of the applicant's household (*nucleo familiare*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct HouseholdMember {
    #[serde(flatten)]
    pub person: Person,
    /// Relation to the applicant, in the operator's words (figlio, coniuge ...).
    pub relation: String,
    /// Declared dependent (*a carico*) as a minor; whether they count as one depends on
    /// their birth date (see [`HouseholdMember::is_dependent_minor`]).
    #[serde(default)]
    pub dependent_minor: bool,
    /// Certified disability, yes or no: never a diagnosis.
    #[serde(default)]
    pub disabled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum Housing {
    /// Neither a registered lease nor an eviction.
    #[default]
    None,
    /// Rent with a registered lease.
    Rent,
    /// An eviction order being executed.
    Eviction,
}

/// Everything the applicant declares: the facts the regulation scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Declaration {
    pub applicant: Applicant,
    /// The other members of the household; the applicant is not listed here.
    #[serde(default)]
    pub household: Vec<HouseholdMember>,
    #[serde(default)]
    pub isee: Option<IseeDeclaration>,
    pub resident: bool,
    pub unemployed: bool,
    #[serde(default)]
    pub unemployed_since: Option<NaiveDate>,
    #[serde(default)]
    pub other_income_support: bool,
    #[serde(default)]
    pub single_parent: bool,
    #[serde(default)]
    pub applicant_disabled: bool,
    #[serde(default)]
    pub housing: Housing,
    #[serde(default)]
    pub previous_participation: bool,
}

impl HouseholdMember {
    /// Whether the member counts as a dependent minor on `on` (the closing date): declared
    /// dependent and younger than `minor_age` by their birth date.
    pub fn is_dependent_minor(&self, on: NaiveDate, minor_age: u32) -> bool {
        self.dependent_minor && age_on(self.person.birth_date, on) < minor_age
    }
}

impl Person {
    /// Codes uppercase, text trimmed: the same person is written the same way everywhere,
    /// so households match across comuni.
    pub fn normalize(&mut self) {
        self.codice_fiscale = self.codice_fiscale.trim().to_uppercase();
        self.birth_place = self.birth_place.trim().to_uppercase();
        self.surname = self.surname.trim().to_string();
        self.name = self.name.trim().to_string();
    }
}

impl Declaration {
    /// Normalises every person of the declaration (see [`Person::normalize`]).
    pub fn normalize(&mut self) {
        self.applicant.person.normalize();
        for m in &mut self.household {
            m.person.normalize();
        }
    }

    /// Codici fiscali of the whole household, applicant first.
    pub fn household_codici_fiscali(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.applicant.person.codice_fiscale.as_str()).chain(
            self.household
                .iter()
                .map(|m| m.person.codice_fiscale.as_str()),
        )
    }

    /// Members of the household, applicant included.
    pub fn household_size(&self) -> usize {
        self.household.len() + 1
    }

    /// Members who count as dependent minors on `on` (see
    /// [`HouseholdMember::is_dependent_minor`]): a member declared so but already `minor_age`
    /// is not one.
    pub fn dependent_minors(&self, on: NaiveDate, minor_age: u32) -> usize {
        self.household
            .iter()
            .filter(|m| m.is_dependent_minor(on, minor_age))
            .count()
    }

    /// Members with a certified disability, applicant included.
    pub fn disabled_members(&self) -> usize {
        usize::from(self.applicant_disabled) + self.household.iter().filter(|m| m.disabled).count()
    }
}

/// An application as the operator submits it (the documented JSON shape of
/// `sportello application add`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ApplicationForm {
    pub bando: String,
    /// Defaults to the moment of saving.
    #[serde(default)]
    pub filed_at: Option<DateTime<FixedOffset>>,
    #[serde(flatten)]
    pub declaration: Declaration,
    /// The operator's note confirming data that disagree with a codice fiscale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_note: Option<String>,
    /// The comune's official protocol number, when the operator has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol_number: Option<String>,
}

/// A filed application: what the ranking reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// The public pseudonym printed on the receipt.
    pub code: String,
    /// ISTAT code of the comune where it was filed.
    pub comune: String,
    pub bando: String,
    pub filed_at: DateTime<FixedOffset>,
    #[serde(flatten)]
    pub declaration: Declaration,
}
