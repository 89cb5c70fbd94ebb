//! Raw rows in SQLite: CSV pages (as [`sql::page_query`] builds them) and
//! retention.

use feedback_domain::Ratings;
use rusqlite::{params, params_from_iter, Connection, Row, TransactionBehavior};

use super::values;
use crate::store::comments::{comments_query, CommentQuery};
use crate::store::sql::{self, Dialect};
use crate::store::{Cursor, ExportRow, Filter};

/// The five rating columns starting at `first`.
fn ratings(row: &Row<'_>, first: usize) -> rusqlite::Result<Ratings> {
    let values = (first..first + 5)
        .map(|i| row.get::<_, Option<i64>>(i))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(sql::ratings_of(values))
}

/// Up to `rows` rows after `after`.
pub(super) fn page(
    conn: &Connection,
    filter: &Filter,
    after: Option<&Cursor>,
    rows: usize,
) -> rusqlite::Result<Vec<ExportRow>> {
    let (sql, params) = sql::page_query(Dialect::Sqlite, filter, after, rows);
    export_rows(conn, &sql, params)
}

/// The comments `query` selects, newest first.
pub(super) fn comments(
    conn: &Connection,
    query: &CommentQuery,
) -> rusqlite::Result<Vec<ExportRow>> {
    let (sql, params) = comments_query(Dialect::Sqlite, query);
    export_rows(conn, &sql, params)
}

/// Runs a statement selecting [`sql::EXPORT_COLUMNS`].
fn export_rows(
    conn: &Connection,
    sql: &str,
    params: Vec<sql::Param>,
) -> rusqlite::Result<Vec<ExportRow>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let found = stmt.query_map(params_from_iter(values(params)), |row| {
        Ok(ExportRow {
            ratings: ratings(row, 0)?,
            complete: row.get(5)?,
            id: row.get(6)?,
            store_id: row.get(7)?,
            kiosk_id: row.get(8)?,
            created_at: row.get(9)?,
            received_at: row.get(10)?,
            comment: row.get(11)?,
            clock_suspect: row.get(12)?,
            lang: row.get(13)?,
            reasons: row.get(14)?,
        })
    })?;
    found.collect()
}

/// Deletes up to `limit` responses created and received before `cutoff`,
/// and records that raw rows before `cutoff` may be gone.
pub(super) fn retain_step(
    conn: &mut Connection,
    cutoff: i64,
    limit: usize,
) -> rusqlite::Result<usize> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "UPDATE retention SET raw_since = max(raw_since, ?1) WHERE id = 1",
        [cutoff],
    )?;
    let deleted = tx.execute(
        "DELETE FROM responses WHERE id IN (
             SELECT id FROM responses WHERE created_at < ?1 AND received_at < ?1 LIMIT ?2)",
        params![cutoff, i64::try_from(limit).unwrap_or(i64::MAX)],
    )?;
    tx.commit()?;
    Ok(deleted)
}
