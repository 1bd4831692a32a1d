//! Customers of the operator: hierarchy, groups, tags, settings, accounts.

pub mod model;
