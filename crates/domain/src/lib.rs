//! The district's rules as pure functions over plain data.
//!
//! No files, no clock, no database: dates and times come in as arguments so every rule
//! can be tested at its boundaries and every ranking recomputed exactly.

pub mod accreditation;
pub mod application;
pub mod bando;
pub mod calendar;
pub mod civico;
pub mod codice_fiscale;
pub mod district;
pub mod front_office;
pub mod intake;
pub mod isee;
pub mod money;
pub mod monitoring;
pub mod objection;
pub mod partita_iva;
pub mod ranking;
pub mod roles;
pub mod rules;
pub mod search;
pub mod services;
pub mod siuss;
pub mod toml_text;

pub use application::{
    Applicant, Application, ApplicationForm, Declaration, HouseholdMember, Housing, Person, Sex,
};
pub use bando::Bando;
pub use district::{Comune, District};
pub use front_office::CaseKind;
pub use isee::{Isee, IseeDeclaration, IseeKind};
pub use ranking::{Breakdown, Outcome, RankedApplication, Reason, rank};
pub use roles::{Action, Role};
pub use rules::{FactorLabel, Rules};
/// Amounts and hours are exact decimals throughout.
pub use rust_decimal::Decimal;
