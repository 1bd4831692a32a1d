//! Customers of the operator: hierarchy, groups, tags, settings, accounts and access codes.

pub mod accounts;
pub mod groups;
pub mod model;
pub mod settings;

pub use model::{Customer, CustomerInput};
