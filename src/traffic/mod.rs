//! Traffic: CDRs of both directions (ingest, keyset lists, streamed exports, recordings),
//! hourly rollups for statistics, and the active-calls snapshot. What the portal and the API
//! ask of it arrives as a [`query::CdrQuery`] or [`query::StatsQuery`].

pub mod active;
pub mod cdrs;
pub mod export;
#[cfg(test)]
pub mod fixtures;
pub mod import;
pub mod ingest;
pub mod partitions;
pub mod query;
pub mod recordings;
pub mod retention;
pub mod stats;
pub mod time;

pub const OUTGOING: i16 = 0;
pub const INCOMING: i16 = 1;

/// Which way a call went, as the customer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum Direction {
    Outgoing,
    Incoming,
}

impl Direction {
    pub fn code(self) -> i16 {
        match self {
            Direction::Outgoing => OUTGOING,
            Direction::Incoming => INCOMING,
        }
    }
    pub fn from_code(c: i16) -> Direction {
        if c == INCOMING { Direction::Incoming } else { Direction::Outgoing }
    }
    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "outgoing" => Some(Direction::Outgoing),
            "incoming" => Some(Direction::Incoming),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Outgoing => "outgoing",
            Direction::Incoming => "incoming",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Direction::Outgoing => "Outgoing",
            Direction::Incoming => "Incoming",
        }
    }
    /// The catalog key that opens this direction's CDRs.
    pub fn cdrs_key(self) -> crate::access::Perm {
        match self {
            Direction::Outgoing => crate::access::Perm::OutgoingCdrs,
            Direction::Incoming => crate::access::Perm::IncomingCdrs,
        }
    }
    /// The catalog key that opens this direction's statistics.
    pub fn statistics_key(self) -> crate::access::Perm {
        match self {
            Direction::Outgoing => crate::access::Perm::OutgoingStatistics,
            Direction::Incoming => crate::access::Perm::IncomingStatistics,
        }
    }
}
