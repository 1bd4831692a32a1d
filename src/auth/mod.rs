//! Authentication: passwords, server-side sessions, CSRF, login throttling, API tokens and
//! the extractor that says who is asking.

pub mod csrf;
pub mod identity;
pub mod password;
pub mod sessions;
pub mod throttle;
pub mod tokens;

pub use identity::{Identity, Staff};
