//! Reasons in SQLite: adding a batch's to the reason rollups, and counting
//! them for spans (see [`crate::store::reasons`]).

use feedback_domain::ReasonTally;
use rusqlite::{params, params_from_iter, Connection};

use super::values;
use crate::spans::Span;
use crate::store::additions::Additions;
use crate::store::reasons::{self, reason_query, reasons_of, ReasonQuery};
use crate::store::sql::Dialect;

/// Adds the reasons a batch inserted, in the batch's transaction.
pub(super) fn apply(tx: &Connection, added: &Additions, store_id: &str) -> rusqlite::Result<()> {
    if added.reasons.is_empty() {
        return Ok(());
    }
    let [half_hours, days, stores] =
        reasons::TABLES.map(|(table, key)| reasons::upsert(Dialect::Sqlite, table, key));
    let mut upsert = tx.prepare_cached(&half_hours)?;
    for ((bucket, factor, code), named) in &added.reasons {
        upsert.execute(params![store_id, bucket, factor, code, named])?;
    }
    let mut upsert = tx.prepare_cached(&days)?;
    for ((day, factor, code), named) in &added.reason_days {
        upsert.execute(params![store_id, day, factor, code, named])?;
    }
    let mut upsert = tx.prepare_cached(&stores)?;
    for ((factor, code), named) in &added.reason_total {
        upsert.execute(params![store_id, factor, code, named])?;
    }
    Ok(())
}

/// The reasons named in each of `spans`.
pub(super) fn tallies(
    conn: &Connection,
    store_id: Option<&str>,
    spans: &[Span],
) -> rusqlite::Result<Vec<ReasonTally>> {
    spans
        .iter()
        .map(|span| tally(conn, store_id, span))
        .collect()
}

fn tally(conn: &Connection, store_id: Option<&str>, span: &Span) -> rusqlite::Result<ReasonTally> {
    let mut tally = ReasonTally::default();
    match reason_query(Dialect::Sqlite, store_id, span) {
        ReasonQuery::Rollup(sql, params) => {
            let mut statement = conn.prepare_cached(&sql)?;
            let mut rows = statement.query(params_from_iter(values(params)))?;
            while let Some(row) = rows.next()? {
                let (factor, code): (String, String) = (row.get(0)?, row.get(1)?);
                reasons::add_row(&mut tally, &factor, &code, row.get(2)?);
            }
        }
        ReasonQuery::Raw(sql, params) => {
            let mut statement = conn.prepare_cached(&sql)?;
            let mut rows = statement.query(params_from_iter(values(params)))?;
            while let Some(row) = rows.next()? {
                tally.add(&reasons_of(row.get::<_, Option<String>>(0)?.as_deref()));
            }
        }
    }
    Ok(tally)
}
