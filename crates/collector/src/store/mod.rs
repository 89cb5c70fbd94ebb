//! The database behind the API, as one small interface: what the handlers,
//! the command line and the retention task ask of it. The handlers hold an
//! `Arc<dyn Store>` and never know which engine answers: SQLite
//! ([`sqlite::SqliteStore`]) is the embedded one, PostgreSQL
//! ([`postgres::PostgresStore`]) the one for chains, which several
//! collector processes share. [`open`] picks one from `--db`.
//!
//! An engine keeps, beside the raw responses, rollups: per store, kiosk and
//! 30-minute UTC bucket, the complete and partial counts and how often each
//! face of each factor was chosen (a [`Summary`] per bucket), plus the same
//! per store and UTC day and per store in all. They are updated in the
//! transaction that inserts the responses, and only for responses actually
//! inserted. Reports combine them as [`crate::spans`] describes.
//!
//! # What every engine must keep
//!
//! - **Exactly once across processes.** Insert if the id is absent (`ON
//!   CONFLICT (id) DO NOTHING` and check what was inserted), compare content
//!   for ids already held ([`Outcome::IdInUse`]), and add to the rollups
//!   only what this transaction inserted, all in one transaction, so
//!   several collectors on one database never count a racing duplicate.
//! - **An acknowledgement means durable.** `insert_batch` returns only after
//!   the commit is on disk. Grouping concurrent batches under one commit (as
//!   the SQLite engine does) is allowed if each batch succeeds or fails
//!   alone.
//! - **Revocation is immediate.** Token lookups are never cached, so a token
//!   revoked through one collector is refused by all from the next request.
//! - **Reports cost what they select.** Every query is a range search on an
//!   index for each combination of store, from and to.
//!
//! The tests in `crates/collector/tests/` exercise these through the API;
//! each engine must pass them all.

pub mod accounts;
pub mod additions;
pub mod alerts;
pub mod comments;
pub mod postgres;
pub mod reasons;
pub mod sql;
pub mod sqlite;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use feedback_domain::{Ratings, ReasonTally, Summary};
pub use reasons::reasons_of;
use serde::Serialize;

use crate::db::Location;
use crate::enrollments::{ExchangeError, NewCode};
use crate::ingest::{Content, Poster};
use crate::spans::Span;
use crate::tokens::{NewToken, Role, TokenInfo};

/// Why the store could not answer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The engine failed (I/O, locks, a broken connection).
    #[error("database: {0}")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// No response, token, enrollment or setting names this store.
    #[error("there is no store {0:?}")]
    UnknownStore(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> StoreError {
        StoreError::Database(Box::new(err))
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(err: r2d2::Error) -> StoreError {
        StoreError::Database(Box::new(err))
    }
}

impl From<tokio::task::JoinError> for StoreError {
    fn from(err: tokio::task::JoinError) -> StoreError {
        StoreError::Database(Box::new(err))
    }
}

impl From<anyhow::Error> for StoreError {
    fn from(err: anyhow::Error) -> StoreError {
        StoreError::Database(err.into())
    }
}

/// Which responses a report or an export covers.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only this store; `None`: every store.
    pub store_id: Option<String>,
    /// Created at or after, ms since the epoch.
    pub from: Option<i64>,
    /// Created before, ms since the epoch.
    pub to: Option<i64>,
}

/// A validated response to insert.
#[derive(Clone, Debug)]
pub struct NewResponse {
    /// Its id, as text.
    pub id: String,
    /// What makes it the response it is.
    pub content: Content,
}

/// What became of one item of a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stored now, and counted in the rollups.
    Inserted,
    /// Already held, with the same content from the same kiosk.
    Duplicate,
    /// The id is held for another response.
    IdInUse,
}

/// Where an export has got to: the `(created_at, id)` of the last row sent.
pub type Cursor = (i64, String);

/// One response as the CSV export lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportRow {
    /// Its id.
    pub id: String,
    /// The store.
    pub store_id: String,
    /// The kiosk.
    pub kiosk_id: String,
    /// When the kiosk saved it, ms since the epoch.
    pub created_at: i64,
    /// When the collector stored it.
    pub received_at: i64,
    /// The ratings.
    pub ratings: Ratings,
    /// The comment, if any.
    pub comment: Option<String>,
    /// Sent by the customer (else saved when they walked away).
    pub complete: bool,
    /// The kiosk's clock looked wrong.
    pub clock_suspect: bool,
    /// The language it was given in, if the kiosk recorded it.
    pub lang: Option<String>,
    /// The reasons chosen after low ratings, as stored (wire JSON).
    pub reasons: Option<String>,
}

/// A store the collector knows of, from its responses, tokens, enrollment
/// codes or settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoreInfo {
    /// The store.
    pub store_id: String,
    /// Its IANA time zone; `UTC` unless set.
    pub time_zone: String,
    /// Responses counted for it (rollups: kept after retention).
    pub responses: u64,
}

/// The time zone of a store nobody set one for.
pub const DEFAULT_TIME_ZONE: &str = "UTC";

/// What the collector asks of its database.
#[async_trait]
pub trait Store: accounts::Accounts + alerts::Alerts + Send + Sync + 'static {
    /// Inserts each response unless its id is held; rollups count only the
    /// ones inserted. One outcome per item, in order; all in one transaction.
    async fn insert_batch(
        &self,
        poster: Poster,
        items: Vec<NewResponse>,
        received_at: i64,
    ) -> Result<Vec<Outcome>, StoreError>;

    /// Raw rows created before this instant may have been deleted by
    /// retention; `i64::MIN` when none was.
    async fn raw_since(&self) -> Result<i64, StoreError>;

    /// One summary per span, of `store_id` (`None`: every store).
    async fn tallies(
        &self,
        store_id: Option<String>,
        spans: Vec<Span>,
    ) -> Result<Vec<Summary>, StoreError>;

    /// The reasons named in each of `spans`, of `store_id` (`None`: every
    /// store), counted as [`reasons`] describes; one tally per span.
    async fn reason_tallies(
        &self,
        store_id: Option<String>,
        spans: Vec<Span>,
    ) -> Result<Vec<ReasonTally>, StoreError>;

    /// The first and last half-hour bucket holding responses.
    async fn bucket_bounds(
        &self,
        store_id: Option<String>,
    ) -> Result<Option<(i64, i64)>, StoreError>;

    /// Up to `rows` responses `filter` selects after `after`, by
    /// `(created_at, id)`.
    async fn export_page(
        &self,
        filter: Filter,
        after: Option<Cursor>,
        rows: usize,
    ) -> Result<Vec<ExportRow>, StoreError>;

    /// Comments `query` selects, newest first, as export rows.
    async fn comments(&self, query: comments::CommentQuery) -> Result<Vec<ExportRow>, StoreError>;

    /// The live token with this secret.
    async fn token_authenticate(&self, secret: String) -> Result<Option<TokenInfo>, StoreError>;
    /// Makes and stores a token.
    async fn token_create(&self, role: Role, now: i64) -> Result<NewToken, StoreError>;
    /// Every token, oldest first.
    async fn token_list(&self) -> Result<Vec<TokenInfo>, StoreError>;
    /// Revokes a live token; `false` if there is none with this number.
    async fn token_revoke(&self, id: i64, now: i64) -> Result<bool, StoreError>;

    /// Makes and stores a one-time enrollment code.
    async fn enrollment_create(
        &self,
        store_id: String,
        kiosk_id: String,
        now: i64,
    ) -> Result<NewCode, StoreError>;
    /// Exchanges a code for a new kiosk token, once.
    async fn enrollment_exchange(&self, code: String, now: i64) -> Result<NewToken, ExchangeError>;

    /// The store's time zone ([`DEFAULT_TIME_ZONE`] unless set).
    async fn store_time_zone(&self, store_id: String) -> Result<String, StoreError>;
    /// Sets a store's time zone (an IANA name the caller has checked).
    /// A store the collector does not know is refused unless `create`.
    async fn store_set_time_zone(
        &self,
        store_id: String,
        time_zone: String,
        create: bool,
    ) -> Result<(), StoreError>;
    /// Every known store, by id.
    async fn store_list(&self) -> Result<Vec<StoreInfo>, StoreError>;

    /// Deletes up to `limit` raw responses created and received before
    /// `cutoff`, in one short transaction; how many went.
    async fn retain_step(&self, cutoff: i64, limit: usize) -> Result<usize, StoreError>;

    /// Proves the database takes writes now.
    async fn check_writable(&self, now: i64) -> Result<(), StoreError>;
}

/// Opens the database `location` names with up to `connections` pooled
/// connections, bringing its schema up to date (a SQLite file is created
/// if missing). A PostgreSQL server is waited for up to `patience`.
pub async fn open(
    location: &Location,
    connections: u32,
    patience: Duration,
) -> anyhow::Result<Arc<dyn Store>> {
    let store: Arc<dyn Store> = match location {
        Location::Sqlite(path) => Arc::new(open_sqlite(path, connections)?),
        Location::Postgres(url) => Arc::new(
            postgres::PostgresStore::connect(url, connections, patience)
                .await
                .with_context(|| format!("opening database {location}"))?,
        ),
    };
    Ok(store)
}

fn open_sqlite(path: &Path, connections: u32) -> anyhow::Result<sqlite::SqliteStore> {
    let pool = crate::db::open(path, connections)
        .with_context(|| format!("opening database {}", path.display()))?;
    Ok(sqlite::SqliteStore::new(pool))
}
