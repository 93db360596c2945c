//! Intake: filing applications (JSON, CSV, one form from the window, its draft kept as it is
//! typed), their history and corrections, the listings and the review of duplicates.

mod codice_fiscale;
mod csv;
mod drafts;
mod duplicates;
mod fields;
mod forms;
mod listing;
mod named_elsewhere;
mod one_form;
mod revisions;
mod withdrawal;

pub use codice_fiscale::CodiceFiscaleInfo;
pub use csv::parse_csv;
pub(crate) use csv::{header_names, spreadsheet};
pub use drafts::{DRAFT_MAX_BYTES, DraftView};
pub(crate) use duplicates::linked;
#[cfg(test)]
pub(crate) use duplicates::tests::linked_district;
pub use duplicates::{DuplicateApplication, DuplicateGroup};
pub(crate) use fields::nearest;
pub(crate) use forms::json_items;
pub use forms::{Batch, Filed, FormCheck, Parsed, parse_json_forms};
pub use listing::{ApplicationView, ApplicationsPage, OutcomeChoice, OutcomeView};
pub use revisions::{ApplicationDetail, Corrected, FieldChange, PublishedLine, RevisionView};
pub use withdrawal::WithdrawalChanged;

crate::area!(
    /// Intake: applications filed, read, corrected.
    Intake,
    intake
);
