//! Rollups in SQLite: adding what a batch inserted, and reading counts back
//! for a set of spans with the statements [`crate::store::sql`] builds.

use feedback_domain::Summary;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};

use super::values;
use crate::spans::Span;
use crate::store::additions::Additions;
use crate::store::sql::{self, Dialect};

/// Adds the counts to the rollup tables, in the batch's transaction.
pub(super) fn apply(
    tx: &Connection,
    added: &Additions,
    store_id: &str,
    kiosk_id: &str,
) -> rusqlite::Result<()> {
    if added.is_empty() {
        return Ok(());
    }
    let counts = |summary| sql::counts(summary).into_iter().map(Value::from);
    let mut half_hour = tx.prepare_cached(&sql::upsert(
        Dialect::Sqlite,
        "rollup_half_hours",
        &["bucket", "kiosk_id"],
    ))?;
    for (bucket, summary) in &added.half_hours {
        let mut row = vec![Value::from(store_id.to_owned()), Value::from(*bucket)];
        row.push(Value::from(kiosk_id.to_owned()));
        row.extend(counts(summary));
        half_hour.execute(params_from_iter(row))?;
    }
    let mut day = tx.prepare_cached(&sql::upsert(Dialect::Sqlite, "rollup_days", &["day"]))?;
    for (number, summary) in &added.days {
        let mut row = vec![Value::from(store_id.to_owned()), Value::from(*number)];
        row.extend(counts(summary));
        day.execute(params_from_iter(row))?;
    }
    let mut total = tx.prepare_cached(&sql::upsert(Dialect::Sqlite, "rollup_stores", &[]))?;
    let mut row = vec![Value::from(store_id.to_owned())];
    row.extend(counts(&added.total));
    total.execute(params_from_iter(row))?;
    super::reasons::apply(tx, added, store_id)
}

/// One summary per span.
pub(super) fn tallies(
    conn: &Connection,
    store_id: Option<&str>,
    spans: &[Span],
) -> rusqlite::Result<Vec<Summary>> {
    spans
        .iter()
        .map(|span| {
            let (sql, params) = sql::span_query(Dialect::Sqlite, store_id, span);
            conn.prepare_cached(&sql)?
                .query_row(params_from_iter(values(params)), |row| {
                    let sums = (0..27)
                        .map(|i| row.get::<_, Option<i64>>(i))
                        .collect::<rusqlite::Result<Vec<_>>>()?;
                    Ok(sql::summary_of(|i| sums.get(i).copied().flatten()))
                })
        })
        .collect()
}

/// The first and last bucket holding responses.
pub(super) fn bounds(
    conn: &Connection,
    store_id: Option<&str>,
) -> rusqlite::Result<Option<(i64, i64)>> {
    let [first, last] = sql::bounds_query(Dialect::Sqlite, store_id).map(|(sql, params)| {
        conn.prepare_cached(&sql)?
            .query_row(params_from_iter(values(params)), |row| {
                row.get::<_, Option<i64>>(0)
            })
    });
    Ok(first?.zip(last?))
}
