//! Trust: the install's keys, the enrolment of comuni at the capofila, the signed district
//! file, key rotation and revocation.

mod enrolment;
pub(crate) mod keys;

pub use enrolment::{Accepted, ReplacedKey};
pub(crate) use enrolment::{refused, target};
pub use keys::{KeysView, Rotated, TrustedKey};

crate::area!(
    /// Keys and trust between the comuni and the capofila.
    Trust,
    trust
);
