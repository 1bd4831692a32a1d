//! The append-only audit log (SPEC §9). Rows are only ever inserted; no route edits them.

pub mod model;

pub use model::{Actor, AuditEntry, AuditFilter, diff, record};
