//! Reading in PostgreSQL: counts of spans and bucket bounds from the
//! rollups, export pages and retention on raw rows, with the statements
//! [`crate::store::sql`] builds.

use deadpool_postgres::Client;
use feedback_domain::Summary;

use super::bind;
use crate::spans::Span;
use crate::store::comments::{comments_query, CommentQuery};
use crate::store::sql::{self, Dialect};
use crate::store::{Cursor, ExportRow, Filter};

/// Up to this many spans are counted by one query each, pipelined; more
/// (a trend of a year by day has hundreds) by one query per table.
const FEW_SPANS: usize = 8;

/// One summary per span. A summary's few spans are each a plain range
/// query, pipelined on one connection (the planner sees their bounds); a
/// trend's many are counted with one query per table, each span's range
/// searched by index ([`spans_query`]), rather than hundreds of round trips.
pub(super) async fn tallies(
    client: &Client,
    store_id: Option<&str>,
    spans: &[Span],
) -> Result<Vec<Summary>, tokio_postgres::Error> {
    if spans.len() <= FEW_SPANS {
        return futures_util::future::try_join_all(spans.iter().map(|span| async move {
            let (sql, params) = sql::span_query(Dialect::Postgres, store_id, span);
            let statement = client.prepare_cached(&sql).await?;
            let row = client.query_one(&statement, &bind(&params)).await?;
            summary_at(&row, 0)
        }))
        .await;
    }
    let mut out = vec![Summary::default(); spans.len()];
    // Per table: span positions, lower and upper bounds.
    let mut groups: [(Vec<i32>, Vec<i64>, Vec<i64>); 3] = Default::default();
    for (position, span) in spans.iter().enumerate() {
        let (group, from, to) = match *span {
            Span::Raw { from, to } => (0, Some(from), Some(to)),
            Span::HalfHours { from, to } => (1, from, to),
            Span::Days { from, to } => (2, from, to),
            Span::Everything => {
                let (sql, params) = sql::span_query(Dialect::Postgres, store_id, span);
                let statement = client.prepare_cached(&sql).await?;
                let row = client.query_one(&statement, &bind(&params)).await?;
                out[position] = summary_at(&row, 0)?;
                continue;
            }
        };
        let (positions, lows, highs) = &mut groups[group];
        positions.push(i32::try_from(position).unwrap_or(i32::MAX));
        lows.push(from.unwrap_or(i64::MIN));
        highs.push(to.unwrap_or(i64::MAX));
    }
    for (table, (positions, lows, highs)) in TABLES.iter().zip(&groups) {
        if positions.is_empty() {
            continue;
        }
        let statement = client
            .prepare_cached(&spans_query(table, store_id.is_some()))
            .await?;
        let rows = match store_id {
            Some(store_id) => {
                client
                    .query(&statement, &[positions, lows, highs, &store_id])
                    .await?
            }
            None => client.query(&statement, &[positions, lows, highs]).await?,
        };
        for row in rows {
            let position: i32 = row.try_get(0)?;
            if let Some(slot) = usize::try_from(position).ok().and_then(|p| out.get_mut(p)) {
                *slot = summary_at(&row, 1)?;
            }
        }
    }
    Ok(out)
}

/// The tables spans are counted from, with their range column and sums.
pub(super) const TABLES: [(&str, &str, bool); 3] = [
    ("responses", "created_at", true),
    ("rollup_half_hours", "bucket", false),
    ("rollup_days", "day", false),
];

/// Counts of many ranges of one table at once: a row per range (its
/// position, then 27 counts), each range an index search on the table
/// (`$1` positions, `$2` lower and `$3` upper bounds, `$4` the store).
pub(super) fn spans_query(&(table, column, raw): &(&str, &str, bool), one_store: bool) -> String {
    let sums = if raw {
        Dialect::Postgres.raw_sums()
    } else {
        Dialect::Postgres.sums()
    };
    let store = if one_store { "store_id = $4 AND " } else { "" };
    format!(
        "SELECT span.position, counts.*
         FROM unnest($1::int[], $2::bigint[], $3::bigint[]) AS span (position, low, high)
         CROSS JOIN LATERAL (
             SELECT {sums} FROM {table}
             WHERE {store}{column} >= span.low AND {column} < span.high
         ) AS counts"
    )
}

/// 27 counts from column `first` on.
fn summary_at(row: &tokio_postgres::Row, first: usize) -> Result<Summary, tokio_postgres::Error> {
    let sums = (first..first + 27)
        .map(|i| row.try_get::<_, Option<i64>>(i))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(sql::summary_of(|i| sums.get(i).copied().flatten()))
}

/// The first and last bucket holding responses.
pub(super) async fn bounds(
    client: &Client,
    store_id: Option<&str>,
) -> Result<Option<(i64, i64)>, tokio_postgres::Error> {
    let [first, last] = sql::bounds_query(Dialect::Postgres, store_id);
    let end = |(sql, params): (String, Vec<sql::Param>)| async move {
        let statement = client.prepare_cached(&sql).await?;
        client
            .query_one(&statement, &bind(&params))
            .await?
            .try_get::<_, Option<i64>>(0)
    };
    let (first, last) = futures_util::future::try_join(end(first), end(last)).await?;
    Ok(first.zip(last))
}

/// Up to `rows` responses after `after`.
pub(super) async fn page(
    client: &Client,
    filter: &Filter,
    after: Option<&Cursor>,
    rows: usize,
) -> Result<Vec<ExportRow>, tokio_postgres::Error> {
    let (sql, params) = sql::page_query(Dialect::Postgres, filter, after, rows);
    export_rows(client, &sql, params).await
}

/// The comments `query` selects, newest first.
pub(super) async fn comments(
    client: &Client,
    query: &CommentQuery,
) -> Result<Vec<ExportRow>, tokio_postgres::Error> {
    let (sql, params) = comments_query(Dialect::Postgres, query);
    export_rows(client, &sql, params).await
}

/// Runs a statement selecting [`sql::EXPORT_COLUMNS`].
async fn export_rows(
    client: &Client,
    sql: &str,
    params: Vec<sql::Param>,
) -> Result<Vec<ExportRow>, tokio_postgres::Error> {
    let statement = client.prepare_cached(sql).await?;
    client
        .query(&statement, &bind(&params))
        .await?
        .iter()
        .map(|row| {
            let values = (0..5)
                .map(|i| Ok(row.try_get::<_, Option<i16>>(i)?.map(i64::from)))
                .collect::<Result<Vec<_>, tokio_postgres::Error>>()?;
            Ok(ExportRow {
                ratings: sql::ratings_of(values),
                complete: row.try_get(5)?,
                id: row.try_get(6)?,
                store_id: row.try_get(7)?,
                kiosk_id: row.try_get(8)?,
                created_at: row.try_get(9)?,
                received_at: row.try_get(10)?,
                comment: row.try_get(11)?,
                clock_suspect: row.try_get(12)?,
                lang: row.try_get(13)?,
                reasons: row.try_get(14)?,
            })
        })
        .collect()
}

/// Deletes up to `limit` responses created and received before `cutoff`,
/// and records that raw rows before `cutoff` may be gone.
pub(super) async fn retain_step(
    client: &mut Client,
    cutoff: i64,
    limit: usize,
) -> Result<usize, tokio_postgres::Error> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let tx = client.transaction().await?;
    tx.execute(
        "UPDATE retention SET raw_since = greatest(raw_since, $1) WHERE id = 1",
        &[&cutoff],
    )
    .await?;
    let deleted = tx
        .execute(
            "DELETE FROM responses WHERE id IN (
                 SELECT id FROM responses WHERE created_at < $1 AND received_at < $1 LIMIT $2)",
            &[&cutoff, &limit],
        )
        .await?;
    tx.commit().await?;
    Ok(usize::try_from(deleted).unwrap_or(usize::MAX))
}
