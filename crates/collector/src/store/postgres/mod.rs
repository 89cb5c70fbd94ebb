//! The engine for chains: one PostgreSQL database that any number of
//! collector processes share (tokio-postgres, pooled by deadpool).
//!
//! Nothing is cached between requests, so what one process writes (a
//! revoked token, a stored response) holds for all from the next request.
//! Every batch is one transaction that inserts if absent and adds to the
//! rollups exactly what it inserted; rollup rows are written in key order,
//! and a transaction that still meets a deadlock or serialization failure
//! is run again from the start, so concurrent batches from many processes
//! neither double-count nor fail. Commits are durable when acknowledged as
//! long as the server keeps `synchronous_commit` on (its default).

mod accounts;
mod alerts;
use super::comments::CommentQuery;
mod admin;
mod insert;
mod migrations;
mod reasons;
mod reports;

use std::time::{Duration, Instant};

use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use feedback_domain::{ReasonTally, Summary};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::NoTls;

use super::sql::{self, Dialect, Param};
use super::{Cursor, ExportRow, Filter, NewResponse, Outcome, Store, StoreError, StoreInfo};
use crate::enrollments::{ExchangeError, NewCode};
use crate::ingest::Poster;
use crate::spans::Span;
use crate::tokens::{NewToken, Role, TokenInfo};

impl From<tokio_postgres::Error> for StoreError {
    fn from(err: tokio_postgres::Error) -> StoreError {
        StoreError::Database(Box::new(err))
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(err: deadpool_postgres::PoolError) -> StoreError {
        StoreError::Database(Box::new(err))
    }
}

/// How many times a transaction that lost a deadlock or a serialization
/// conflict is run again before the error is returned.
const ATTEMPTS: usize = 5;

/// The PostgreSQL engine.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
}

impl PostgresStore {
    /// Connects to `url` with a pool of up to `max_connections`, waiting up
    /// to `patience` for the server to accept, and brings the schema up to
    /// date (one process at a time, under an advisory lock).
    pub async fn connect(
        url: &str,
        max_connections: u32,
        patience: Duration,
    ) -> anyhow::Result<PostgresStore> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|err| anyhow::anyhow!("not a PostgreSQL URL: {err}"))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(usize::try_from(max_connections.max(1)).unwrap_or(1))
            .wait_timeout(Some(Duration::from_secs(30)))
            .create_timeout(Some(Duration::from_secs(10)))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()?;
        let deadline = Instant::now() + patience;
        let mut client = loop {
            match pool.get().await {
                Ok(client) => break client,
                Err(err) if Instant::now() < deadline => {
                    tracing::warn!(error = %err, "PostgreSQL not reachable yet; trying again");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(err) => return Err(anyhow::Error::new(err).context("cannot connect")),
            }
        };
        migrations::migrate(&mut client).await?;
        Ok(PostgresStore { pool })
    }

    async fn client(&self) -> Result<deadpool_postgres::Client, StoreError> {
        Ok(self.pool.get().await?)
    }

    /// The plan (`EXPLAIN`) of every query a summary or trend and an export
    /// of `filter` run, with the SQL, planned with sequential scans
    /// discouraged: a `Seq Scan` left in a plan means no index serves it.
    pub async fn query_plans(&self, filter: &Filter) -> Result<Vec<(String, String)>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.batch_execute("SET LOCAL enable_seqscan = off").await?;
        let store = filter.store_id.as_deref();
        let spans = crate::spans::cover(filter.from, filter.to, i64::MIN);
        let mut plans = Vec::new();
        let mut explain = |sql: String, lines: Vec<tokio_postgres::Row>| {
            let lines = lines
                .iter()
                .map(|row| row.try_get::<_, String>(0))
                .collect::<Result<Vec<_>, _>>()?;
            plans.push((sql, lines.join("\n")));
            Ok::<_, tokio_postgres::Error>(())
        };
        // A summary's spans, one query each.
        for span in &spans {
            let (sql, params) = sql::span_query(Dialect::Postgres, store, span);
            let lines = tx.query(&format!("EXPLAIN {sql}"), &bind(&params)).await?;
            explain(sql, lines)?;
        }
        // A trend's, one query per table: two ranges, so the planner sees
        // more than one.
        for table in &reports::TABLES {
            let sql = reports::spans_query(table, store.is_some());
            let (positions, lows, highs) = (vec![0_i32, 1], vec![0_i64, 10], vec![5_i64, 20]);
            let lines = match store {
                Some(store) => {
                    tx.query(
                        &format!("EXPLAIN {sql}"),
                        &[&positions, &lows, &highs, &store],
                    )
                    .await?
                }
                None => {
                    tx.query(&format!("EXPLAIN {sql}"), &[&positions, &lows, &highs])
                        .await?
                }
            };
            explain(sql, lines)?;
        }
        let after: Cursor = (0, String::new());
        for (sql, params) in [
            sql::page_query(Dialect::Postgres, filter, None, 1000),
            sql::page_query(Dialect::Postgres, filter, Some(&after), 1000),
            super::comments::comments_query(Dialect::Postgres, &CommentQuery::busiest(filter)),
        ] {
            let lines = tx.query(&format!("EXPLAIN {sql}"), &bind(&params)).await?;
            explain(sql, lines)?;
        }
        tx.rollback().await?;
        Ok(plans)
    }
}

/// A built statement's parameters, as the driver takes them.
fn bind(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|param| match param {
            Param::Text(text) => text as &(dyn ToSql + Sync),
            Param::Int(int) => int as &(dyn ToSql + Sync),
        })
        .collect()
}

/// The transaction lost to another and may be run again.
fn is_conflict(err: &tokio_postgres::Error) -> bool {
    matches!(
        err.code(),
        Some(code) if *code == SqlState::T_R_DEADLOCK_DETECTED
            || *code == SqlState::T_R_SERIALIZATION_FAILURE
    )
}

#[async_trait]
impl Store for PostgresStore {
    async fn insert_batch(
        &self,
        poster: Poster,
        items: Vec<NewResponse>,
        received_at: i64,
    ) -> Result<Vec<Outcome>, StoreError> {
        let mut client = self.client().await?;
        let mut attempt = 1;
        loop {
            match insert::insert_batch(&mut client, &poster, &items, received_at).await {
                Err(err) if is_conflict(&err) && attempt < ATTEMPTS => {
                    tracing::debug!(error = %err, attempt, "batch lost a conflict; again");
                    attempt += 1;
                }
                done => return Ok(done?),
            }
        }
    }

    async fn raw_since(&self) -> Result<i64, StoreError> {
        let client = self.client().await?;
        let statement = client
            .prepare_cached("SELECT raw_since FROM retention WHERE id = 1")
            .await?;
        Ok(client.query_one(&statement, &[]).await?.try_get(0)?)
    }

    async fn tallies(
        &self,
        store_id: Option<String>,
        spans: Vec<Span>,
    ) -> Result<Vec<Summary>, StoreError> {
        let client = self.client().await?;
        Ok(reports::tallies(&client, store_id.as_deref(), &spans).await?)
    }

    async fn reason_tallies(
        &self,
        store_id: Option<String>,
        spans: Vec<Span>,
    ) -> Result<Vec<ReasonTally>, StoreError> {
        let client = self.client().await?;
        Ok(reasons::tallies(&client, store_id.as_deref(), &spans).await?)
    }

    async fn bucket_bounds(
        &self,
        store_id: Option<String>,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        let client = self.client().await?;
        Ok(reports::bounds(&client, store_id.as_deref()).await?)
    }

    async fn export_page(
        &self,
        filter: Filter,
        after: Option<Cursor>,
        rows: usize,
    ) -> Result<Vec<ExportRow>, StoreError> {
        let client = self.client().await?;
        Ok(reports::page(&client, &filter, after.as_ref(), rows).await?)
    }

    async fn comments(
        &self,
        query: super::comments::CommentQuery,
    ) -> Result<Vec<ExportRow>, StoreError> {
        let client = self.client().await?;
        Ok(reports::comments(&client, &query).await?)
    }

    async fn token_authenticate(&self, secret: String) -> Result<Option<TokenInfo>, StoreError> {
        let client = self.client().await?;
        Ok(admin::token_authenticate(&client, &secret).await?)
    }

    async fn token_create(&self, role: Role, now: i64) -> Result<NewToken, StoreError> {
        let client = self.client().await?;
        admin::token_create(&client, role, now).await
    }

    async fn token_list(&self) -> Result<Vec<TokenInfo>, StoreError> {
        let client = self.client().await?;
        Ok(admin::token_list(&client).await?)
    }

    async fn token_revoke(&self, id: i64, now: i64) -> Result<bool, StoreError> {
        let client = self.client().await?;
        Ok(admin::token_revoke(&client, id, now).await?)
    }

    async fn enrollment_create(
        &self,
        store_id: String,
        kiosk_id: String,
        now: i64,
    ) -> Result<NewCode, StoreError> {
        let client = self.client().await?;
        admin::enrollment_create(&client, &store_id, &kiosk_id, now).await
    }

    async fn enrollment_exchange(&self, code: String, now: i64) -> Result<NewToken, ExchangeError> {
        let mut client = self.client().await?;
        admin::enrollment_exchange(&mut client, &code, now).await
    }

    async fn store_time_zone(&self, store_id: String) -> Result<String, StoreError> {
        let client = self.client().await?;
        Ok(admin::time_zone(&client, &store_id).await?)
    }

    async fn store_set_time_zone(
        &self,
        store_id: String,
        time_zone: String,
        create: bool,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        admin::set_time_zone(&client, &store_id, &time_zone, create).await
    }

    async fn store_list(&self) -> Result<Vec<StoreInfo>, StoreError> {
        let client = self.client().await?;
        Ok(admin::store_list(&client).await?)
    }

    async fn retain_step(&self, cutoff: i64, limit: usize) -> Result<usize, StoreError> {
        let mut client = self.client().await?;
        Ok(reports::retain_step(&mut client, cutoff, limit).await?)
    }

    async fn check_writable(&self, now: i64) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        Ok(admin::check_writable(&mut client, now).await?)
    }
}
