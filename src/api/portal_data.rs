//! The customer portal's data through the API (SPEC §8 "Customer"): the same sections, keys,
//! roles and ownership rules as the HTML portal — the guard applies the portal's own check.
//! Traffic (CDRs, statistics, active calls) is keyset-paged ([`traffic`]); the other sections
//! are lists with the list conventions ([`lists`]); [`types`] holds their query parameters and
//! answers as the OpenAPI document shows them.

pub mod lists;
pub mod traffic;
pub mod types;

// The route table names the handlers by this module.
pub use lists::*;
pub use traffic::*;

const TAG: &str = "Portal data (customer users)";
