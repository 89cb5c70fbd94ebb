//! The feedback collector: receives responses from kiosks, keeps them
//! exactly once in its database (SQLite, behind the [`store::Store`]
//! interface) with rollups, and serves summaries, trends, CSV exports and
//! the kiosk app.
//!
//! The HTTP API is versioned under `/v1/` and described by the OpenAPI
//! document the service itself serves at `/v1/openapi.json`. Request and
//! reply bodies are the domain crate's wire types ([`feedback_domain::wire`]).

pub mod accounts;
pub mod alerts;
pub mod api;
pub mod db;
pub mod enrollments;
pub mod error;
pub mod export;
pub mod ingest;
pub mod report;
pub mod retention;
pub mod server;
pub mod spans;
pub mod store;
pub mod throttle;
pub mod tokens;
pub mod trend;
pub mod zones;

pub use api::{app, AppConfig, AppState};

/// Milliseconds since the Unix epoch, UTC, now.
pub fn now_millis() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}
