//! Exchange: the signed, encrypted sync bundles written and read, their history, and the
//! quarantine of stored rows that cannot be read.

mod ahead;
mod bundles;

pub use bundles::{ImportReport, Inspection};
/// The sync history's rows, as the front ends list them.
pub use sportello_store::{BundleOut, ImportLogEntry};

crate::area!(
    /// Sync bundles: export, import, preview, history.
    Exchange,
    exchange
);
