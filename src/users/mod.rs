//! People who log in: staff (admin, manager) and customer users (administrator, developer, user).

pub mod account;
pub mod admin;
pub mod commands;
pub mod invitations;
pub mod model;
pub mod password_reset;

pub use model::{NewUser, User, UserKind};
