//! The one integration-test binary. Every test runs against SQLite and PostgreSQL.

#[allow(dead_code)]
mod support;

mod access;
mod api;
mod api_portal;
mod auth;
mod browser;
mod cli;
mod customers;
mod health;
mod i18n;
mod people_commands;
mod topups;
mod traffic;
