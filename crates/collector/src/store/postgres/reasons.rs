//! Reasons in PostgreSQL: adding a batch's to the reason rollups, and counting
//! them for spans (see [`crate::store::reasons`]).

use deadpool_postgres::{Client, Transaction};
use feedback_domain::ReasonTally;

use super::bind;
use crate::spans::Span;
use crate::store::additions::Additions;
use crate::store::reasons::{self, reason_query, reasons_of, ReasonQuery};
use crate::store::sql::Dialect;

/// Adds the reasons a batch inserted, row by row in key order (so
/// concurrent batches take row locks in one order). Few responses name
/// reasons, so this is rarely more than a handful of rows per table.
pub(super) async fn apply(
    tx: &Transaction<'_>,
    added: &Additions,
    store_id: &str,
) -> Result<(), tokio_postgres::Error> {
    if added.reasons.is_empty() {
        return Ok(());
    }
    let [half_hours, days, stores] =
        reasons::TABLES.map(|(table, key)| reasons::upsert(Dialect::Postgres, table, key));
    let upsert = tx.prepare_cached(&half_hours).await?;
    for ((bucket, factor, code), named) in &added.reasons {
        tx.execute(&upsert, &[&store_id, bucket, factor, code, named])
            .await?;
    }
    let upsert = tx.prepare_cached(&days).await?;
    for ((day, factor, code), named) in &added.reason_days {
        tx.execute(&upsert, &[&store_id, day, factor, code, named])
            .await?;
    }
    let upsert = tx.prepare_cached(&stores).await?;
    for ((factor, code), named) in &added.reason_total {
        tx.execute(&upsert, &[&store_id, factor, code, named])
            .await?;
    }
    Ok(())
}

/// The reasons named in each of `spans`: one query per span, pipelined on
/// one connection (a trend has hundreds, each a range search on an index).
pub(super) async fn tallies(
    client: &Client,
    store_id: Option<&str>,
    spans: &[Span],
) -> Result<Vec<ReasonTally>, tokio_postgres::Error> {
    futures_util::future::try_join_all(spans.iter().map(|span| tally(client, store_id, span))).await
}

async fn tally(
    client: &Client,
    store_id: Option<&str>,
    span: &Span,
) -> Result<ReasonTally, tokio_postgres::Error> {
    let mut tally = ReasonTally::default();
    match reason_query(Dialect::Postgres, store_id, span) {
        ReasonQuery::Rollup(sql, params) => {
            let statement = client.prepare_cached(&sql).await?;
            for row in client.query(&statement, &bind(&params)).await? {
                let (factor, code): (&str, &str) = (row.try_get(0)?, row.try_get(1)?);
                reasons::add_row(&mut tally, factor, code, row.try_get(2)?);
            }
        }
        ReasonQuery::Raw(sql, params) => {
            let statement = client.prepare_cached(&sql).await?;
            for row in client.query(&statement, &bind(&params)).await? {
                tally.add(&reasons_of(row.try_get(0)?));
            }
        }
    }
    Ok(tally)
}
