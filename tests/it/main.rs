//! The one integration-test binary. Every test runs against SQLite and PostgreSQL.

#[allow(dead_code)]
mod support;

mod access;
mod api;
mod api_portal;
mod auth;
mod browser;
mod browser_identity;
mod cli;
mod concurrency;
mod customers;
mod customers_commands;
mod health;
mod i18n;
mod identity;
mod mail;
mod nodes;
mod people_commands;
#[allow(dead_code)]
mod pgcluster;
mod replica;
mod reports;
mod scale;
mod storage;
mod topups;
mod traffic;
mod traffic_commands;
