//! Access profiles (SPEC §3): named sets of permission keys, with availability, a default and
//! optimistic concurrency.

pub mod model;

pub use model::{Availability, Profile, ProfileInput};
