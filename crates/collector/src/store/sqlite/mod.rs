//! The embedded engine: one SQLite file, a pool of connections (r2d2), and
//! each call run off the async threads (`spawn_blocking`). Writers queue on
//! one in-process lock rather than in SQLite's busy handler, whose sleeps
//! would add tens of milliseconds under load; batches of responses go
//! through one writer thread that commits those waiting together
//! ([`group`]).

mod accounts;
mod admin;
mod alerts;
mod export;
mod group;
mod insert;
mod reasons;
mod rollups;
mod stores;

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use feedback_domain::{ReasonTally, Summary};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};

use super::sql::{self, Dialect, Param};
use super::{Cursor, ExportRow, Filter, NewResponse, Outcome, Store, StoreError, StoreInfo};
use crate::db::{self, Pool};
use crate::enrollments::{ExchangeError, NewCode};
use crate::ingest::Poster;
use crate::spans::{self, Span};
use crate::tokens::{NewToken, Role, TokenInfo};

/// The SQLite engine.
#[derive(Clone)]
pub struct SqliteStore {
    pool: Pool,
    write_lock: Arc<Mutex<()>>,
    /// The group-commit writer; `None` if its thread could not start (then
    /// each batch commits on its own).
    writer: Option<Sender<group::Job>>,
}

impl SqliteStore {
    /// The engine on an open pool (see [`db::open`]).
    pub fn new(pool: Pool) -> SqliteStore {
        let write_lock = Arc::default();
        let writer = match group::start(pool.clone(), Arc::clone(&write_lock)) {
            Ok(writer) => Some(writer),
            Err(err) => {
                tracing::warn!(error = %err, "no writer thread: each batch commits alone");
                None
            }
        };
        SqliteStore {
            pool,
            write_lock,
            writer,
        }
    }

    /// The pool, for tests and tools that read the file directly.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Runs `work` on a pooled connection off the async threads.
    async fn read<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || work(&mut *pool.get()?)).await?
    }

    /// Like [`SqliteStore::read`], holding the write lock.
    async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let lock = Arc::clone(&self.write_lock);
        self.read(move |conn| {
            // A poisoned lock only means another write panicked; SQLite
            // rolled it back.
            let _writing = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            work(conn)
        })
        .await
    }

    /// The query plan (`EXPLAIN QUERY PLAN`) of every query a summary and an
    /// export of `filter` run, with the SQL: to check they use indexes.
    pub fn query_plans(&self, filter: &Filter) -> Result<Vec<(String, String)>, StoreError> {
        let conn = self.pool.get()?;
        let store = filter.store_id.as_deref();
        let mut queries: Vec<_> = spans::cover(filter.from, filter.to, i64::MIN)
            .iter()
            .map(|span| sql::span_query(Dialect::Sqlite, store, span))
            .collect();
        let after: Cursor = (0, String::new());
        queries.push(sql::page_query(Dialect::Sqlite, filter, None, 1000));
        queries.push(sql::page_query(Dialect::Sqlite, filter, Some(&after), 1000));
        let comments = super::comments::CommentQuery::busiest(filter);
        queries.push(super::comments::comments_query(Dialect::Sqlite, &comments));
        let mut plans = Vec::new();
        for (sql, params) in queries {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let steps = stmt
                .query_map(params_from_iter(values(params)), |row| {
                    row.get::<_, String>(3)
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            plans.push((sql, steps.join("; ")));
        }
        Ok(plans)
    }
}

/// A built statement's parameters as SQLite values.
fn values(params: Vec<Param>) -> impl Iterator<Item = Value> {
    params.into_iter().map(|param| match param {
        Param::Text(text) => Value::from(text),
        Param::Int(int) => Value::from(int),
    })
}

#[async_trait]
impl Store for SqliteStore {
    async fn insert_batch(
        &self,
        poster: Poster,
        items: Vec<NewResponse>,
        received_at: i64,
    ) -> Result<Vec<Outcome>, StoreError> {
        if let Some(writer) = &self.writer {
            let (reply, answer) = tokio::sync::oneshot::channel();
            let job = group::Job {
                poster,
                items,
                received_at,
                reply,
            };
            return match writer.send(job) {
                Ok(()) => answer
                    .await
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("the writer thread ended").into())),
                Err(_) => Err(anyhow::anyhow!("the writer thread ended").into()),
            };
        }
        self.write(move |conn| Ok(insert::insert_batch(conn, &poster, &items, received_at)?))
            .await
    }

    async fn raw_since(&self) -> Result<i64, StoreError> {
        self.read(|conn| {
            Ok(conn
                .prepare_cached("SELECT raw_since FROM retention WHERE id = 1")?
                .query_row([], |row| row.get(0))?)
        })
        .await
    }

    async fn tallies(
        &self,
        store_id: Option<String>,
        spans: Vec<Span>,
    ) -> Result<Vec<Summary>, StoreError> {
        self.read(move |conn| Ok(rollups::tallies(conn, store_id.as_deref(), &spans)?))
            .await
    }

    async fn reason_tallies(
        &self,
        store_id: Option<String>,
        spans: Vec<Span>,
    ) -> Result<Vec<ReasonTally>, StoreError> {
        self.read(move |conn| Ok(reasons::tallies(conn, store_id.as_deref(), &spans)?))
            .await
    }

    async fn bucket_bounds(
        &self,
        store_id: Option<String>,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        self.read(move |conn| Ok(rollups::bounds(conn, store_id.as_deref())?))
            .await
    }

    async fn export_page(
        &self,
        filter: Filter,
        after: Option<Cursor>,
        rows: usize,
    ) -> Result<Vec<ExportRow>, StoreError> {
        self.read(move |conn| Ok(export::page(conn, &filter, after.as_ref(), rows)?))
            .await
    }

    async fn comments(
        &self,
        query: super::comments::CommentQuery,
    ) -> Result<Vec<ExportRow>, StoreError> {
        self.read(move |conn| Ok(export::comments(conn, &query)?))
            .await
    }

    async fn token_authenticate(&self, secret: String) -> Result<Option<TokenInfo>, StoreError> {
        self.read(move |conn| Ok(admin::token_authenticate(conn, &secret)?))
            .await
    }

    async fn token_create(&self, role: Role, now: i64) -> Result<NewToken, StoreError> {
        self.write(move |conn| admin::token_create(conn, role, now))
            .await
    }

    async fn token_list(&self) -> Result<Vec<TokenInfo>, StoreError> {
        self.read(|conn| Ok(admin::token_list(conn)?)).await
    }

    async fn token_revoke(&self, id: i64, now: i64) -> Result<bool, StoreError> {
        self.write(move |conn| Ok(admin::token_revoke(conn, id, now)?))
            .await
    }

    async fn enrollment_create(
        &self,
        store_id: String,
        kiosk_id: String,
        now: i64,
    ) -> Result<NewCode, StoreError> {
        self.write(move |conn| admin::enrollment_create(conn, &store_id, &kiosk_id, now))
            .await
    }

    async fn enrollment_exchange(&self, code: String, now: i64) -> Result<NewToken, ExchangeError> {
        let exchanged = self
            .write(move |conn| Ok(admin::enrollment_exchange(conn, &code, now)))
            .await?;
        exchanged
    }

    async fn store_time_zone(&self, store_id: String) -> Result<String, StoreError> {
        self.read(move |conn| Ok(stores::time_zone(conn, &store_id)?))
            .await
    }

    async fn store_set_time_zone(
        &self,
        store_id: String,
        time_zone: String,
        create: bool,
    ) -> Result<(), StoreError> {
        self.write(move |conn| stores::set_time_zone(conn, &store_id, &time_zone, create))
            .await
    }

    async fn store_list(&self) -> Result<Vec<StoreInfo>, StoreError> {
        self.read(|conn| Ok(stores::list(conn)?)).await
    }

    async fn retain_step(&self, cutoff: i64, limit: usize) -> Result<usize, StoreError> {
        self.write(move |conn| Ok(export::retain_step(conn, cutoff, limit)?))
            .await
    }

    async fn check_writable(&self, now: i64) -> Result<(), StoreError> {
        self.write(move |conn| Ok(db::check_writable(conn, now)?))
            .await
    }
}
