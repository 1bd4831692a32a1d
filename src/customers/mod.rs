//! Customers of the operator: the hierarchy and its tree queries, groups, tags, settings,
//! billing accounts and access codes, and the commands that change them. Nothing here knows
//! access profiles: assigning one (and keeping it available) is `crate::access::assignments`.

pub mod accounts;
pub mod codes;
pub mod commands;
pub mod groups;
pub mod input;
pub mod list;
pub mod model;
pub mod settings;
pub mod tree;

pub use input::CustomerInput;
pub use model::Customer;
