//! The install's settings: who and where it is, and the bandi it holds.

mod bandi;
mod district;

pub use bandi::BandoImported;
pub use district::{DistrictFile, InstallInfo, read_district_file};

crate::area!(
    /// The install's settings: district, comune, bandi.
    Settings,
    settings
);
