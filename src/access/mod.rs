//! Who may see what: the permission catalog (the single source of truth), effective grants and
//! the resolution of a customer's effective access profile.

pub mod caps;
pub mod catalog;
pub mod grants;
pub mod resolve;

pub use catalog::{Group, Perm};
pub use grants::Grants;
