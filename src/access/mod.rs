//! Who may see what: the permission catalog (the single source of truth), effective grants, the
//! resolution of a customer's effective access profile, and the commands that assign profiles
//! to customers (this module sits above `customers` and `profiles`, which do not know each
//! other).

pub mod assignments;
pub mod caps;
pub mod catalog;
pub mod grants;
pub mod resolve;

pub use catalog::{Group, Perm};
pub use grants::Grants;
