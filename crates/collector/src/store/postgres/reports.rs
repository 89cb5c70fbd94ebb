//! Reading in PostgreSQL: counts of spans and bucket bounds from the
//! rollups, export pages and retention on raw rows, with the statements
//! [`crate::store::sql`] builds.

use deadpool_postgres::Client;
use feedback_domain::{Factor, Rating, Ratings, Summary};
use futures_util::future::try_join_all;

use super::bind;
use crate::spans::Span;
use crate::store::sql::{self, Dialect};
use crate::store::{Cursor, ExportRow, Filter};

/// One summary per span (the queries pipelined on one connection).
pub(super) async fn tallies(
    client: &Client,
    store_id: Option<&str>,
    spans: &[Span],
) -> Result<Vec<Summary>, tokio_postgres::Error> {
    try_join_all(spans.iter().map(|span| async move {
        let (sql, params) = sql::span_query(Dialect::Postgres, store_id, span);
        let statement = client.prepare_cached(&sql).await?;
        let row = client.query_one(&statement, &bind(&params)).await?;
        let sums = (0..27)
            .map(|i| row.try_get::<_, Option<i64>>(i))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(sql::summary_of(|i| sums.get(i).copied().flatten()))
    }))
    .await
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
    let statement = client.prepare_cached(&sql).await?;
    client
        .query(&statement, &bind(&params))
        .await?
        .iter()
        .map(|row| {
            let mut ratings = Ratings::none();
            for (i, factor) in Factor::ALL.into_iter().enumerate() {
                // The table's CHECK keeps values in 1..=5.
                if let Some(Ok(rating)) = row
                    .try_get::<_, Option<i16>>(i)?
                    .map(|v| Rating::new(i64::from(v)))
                {
                    ratings.set(factor, rating);
                }
            }
            Ok(ExportRow {
                ratings,
                complete: row.try_get(5)?,
                id: row.try_get(6)?,
                store_id: row.try_get(7)?,
                kiosk_id: row.try_get(8)?,
                created_at: row.try_get(9)?,
                received_at: row.try_get(10)?,
                comment: row.try_get(11)?,
                clock_suspect: row.try_get(12)?,
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
