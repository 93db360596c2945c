//! The install's settings: who and where it is, the bandi it holds, and the district-wide
//! settings of each area (the front office's kinds of case).

mod bandi;
mod district;
mod front_office;

pub use bandi::BandoImported;
pub use district::{DistrictFile, InstallInfo, read_district_file};
pub use front_office::{CaseKinds, CaseKindsSaved, StoredCaseKind};

crate::area!(
    /// The install's settings: district, comune, bandi, the areas' district-wide settings.
    Settings,
    settings
);
