//! The file format from the outside: round trips, every refusal by name, corruption anywhere,
//! and golden files that must keep verifying forever.

mod common;
mod corruption;
mod golden;
mod limits;
mod measure;
mod refusals;
mod round_trip;
