//! The bodies and answers of the ingest routes as the OpenAPI document shows them. The row
//! types themselves are the domain's (`CdrRow`, `InvoiceRow`, …): what they accept is what is
//! documented.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One record, or an array of them (at most 100 000).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)] // describes the bodies `one_or_many` reads
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

/// The ids of the stored records, in the order sent (existing ones for known external ids).
#[derive(Debug, Serialize, ToSchema)]
pub struct StoredIds {
    pub ids: Vec<i64>,
}

/// How many records were stored (records with a known external id are skipped).
#[derive(Debug, Serialize, ToSchema)]
pub struct StoredCount {
    pub stored: usize,
}

/// The answer to a new active-calls snapshot.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotStored {
    /// Calls in the snapshot now.
    pub active_calls: usize,
}

/// The bytes of a file (a PDF, a recording).
#[derive(Debug, ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // describes the raw bodies the handlers read
pub struct FileBody(Vec<u8>);
