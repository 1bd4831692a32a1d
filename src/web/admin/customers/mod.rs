//! Customers in the admin area, a file per page or section: the list, the customer page (its
//! form, and the sections below it: access profile, billing accounts, access codes, portal
//! users, numberlists) and the read-only preview of the customer's portal. Every write is a
//! domain command; these handlers parse the form, call it, and answer with a page.

pub mod accounts;
pub mod codes;
pub mod edit;
pub mod form;
pub mod list;
pub mod numberlists;
pub mod page;
pub mod preview;
pub mod users;
