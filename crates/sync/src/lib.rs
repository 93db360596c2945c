//! Keys, trust and the signed, encrypted files that carry a district's data between installs.
//!
//! Everything here works on bytes and opaque JSON records: no database, no tables, no clock
//! (times are text passed in by the caller). The caller decides which records go in a bundle,
//! keeps sequence numbers and acknowledgements, detects forks and rollbacks with what it has
//! stored, and applies records; all refusals share [`BundleError`] so the UI shows one kind of
//! message with a stable code.
//!
//! - [`keys`]: an install's Ed25519 signing key and age (X25519) identity, key ids, fingerprints.
//! - [`trust`]: the trust list of enrolled keys, rotation and revocation records.
//! - [`enrolment`] and [`district`]: signed, unencrypted files that introduce public keys.
//! - [`bundle`]: the signed, encrypted sync bundle (docs/bundle-format.md §1).
//!
//! The byte layout, the order of checks and the threat model are in `docs/bundle-format.md`.

pub mod bundle;
pub mod district;
pub mod enrolment;
mod error;
mod fingerprint;
mod framing;
mod hexser;
pub mod keys;
mod payload;
pub mod statement;
pub mod trust;

pub use bundle::{
    Ack, Addressee, BundleHeader, BundleKind, ChangeRange, HeaderFields, Inspected, Receiver,
    RecipientId, Records, SealError, SealedBundle, Sealer, Verified, inspect, open, records, seal,
    verify,
};
pub use error::{BundleError, Damage, FileKind};
pub use fingerprint::Fingerprint;
pub use framing::{FORMAT_VERSION, is_sportello_file};
pub use keys::{InstallKeys, KeyError, KeyId, PublicKeys};
pub use trust::{
    KEY_ROTATION_RECORD, KeyRevocation, KeyRotation, Role, TrustEntry, TrustError, TrustList,
};
