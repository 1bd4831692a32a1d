//! Access profiles (SPEC §3): named sets of permission keys, with availability, a default and
//! optimistic concurrency. `model` holds the rows and queries, `input` the validation shared by
//! the form and the API, `commands` the audited changes.

pub mod commands;
pub mod input;
pub mod model;

pub use input::ProfileInput;
pub use model::{Availability, Profile};
