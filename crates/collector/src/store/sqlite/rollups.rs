//! Rollups in SQLite: counting what a batch inserted, and reading counts
//! back for a set of spans, with SQL built for the filter given so that
//! every query is a range search on an index.

use std::collections::BTreeMap;

use std::sync::LazyLock;

use feedback_domain::{Factor, Rating, Ratings, Summary};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, Row};

use crate::ingest::Content;
use crate::spans::{bucket_of, day_of, Span};

/// The 27 count columns every rollup table has, in [`Summary`] order:
/// complete, partial, then each factor's faces 1 to 5.
pub(super) static COUNT_COLUMNS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut columns = vec!["complete".to_owned(), "partial".to_owned()];
    for factor in Factor::ALL {
        for face in 1..=5 {
            columns.push(format!("{}_{face}", factor.key()));
        }
    }
    columns
});

/// `sum(complete), …`: the counts of a rollup table, summed.
static SUMS: LazyLock<String> = LazyLock::new(|| {
    COUNT_COLUMNS
        .iter()
        .map(|c| format!("sum({c})"))
        .collect::<Vec<_>>()
        .join(", ")
});

/// The same counts computed from raw responses.
pub(super) static RAW_SUMS: LazyLock<String> = LazyLock::new(|| {
    let mut sums = vec!["sum(complete)".to_owned(), "sum(1 - complete)".to_owned()];
    for factor in Factor::ALL {
        for face in 1..=5 {
            sums.push(format!("sum(coalesce({} = {face}, 0))", factor.key()));
        }
    }
    sums.join(", ")
});

/// The 27 counts of a summary, in [`COUNT_COLUMNS`] order.
fn counts(summary: &Summary) -> Vec<i64> {
    let mut out = vec![i64::from(summary.complete), i64::from(summary.partial)];
    for factor in &summary.factors {
        out.extend(factor.distribution.iter().map(|&n| i64::from(n)));
    }
    out
}

/// A summary from 27 summed counts starting at column `first` (NULL: 0).
pub(super) fn summary_from(row: &Row<'_>, first: usize) -> rusqlite::Result<Summary> {
    let get = |i: usize| -> rusqlite::Result<u32> {
        let n: Option<i64> = row.get(first + i)?;
        Ok(u32::try_from(n.unwrap_or(0)).unwrap_or(u32::MAX))
    };
    let mut summary = Summary {
        complete: get(0)?,
        partial: get(1)?,
        ..Summary::default()
    };
    for (f, factor) in summary.factors.iter_mut().enumerate() {
        for face in 0..5 {
            factor.distribution[face] = get(2 + f * 5 + face)?;
        }
    }
    Ok(summary)
}

/// What one batch's inserted responses add to the rollups.
#[derive(Default)]
pub(super) struct Additions {
    half_hours: BTreeMap<i64, Summary>,
    days: BTreeMap<i64, Summary>,
    total: Summary,
    any: bool,
}

impl Additions {
    /// Counts one inserted response.
    pub(super) fn add(&mut self, content: &Content) {
        let mut ratings = Ratings::none();
        for (factor, value) in Factor::ALL.into_iter().zip(content.ratings) {
            if let Some(rating) = value.and_then(|v| Rating::new(i64::from(v)).ok()) {
                ratings.set(factor, rating);
            }
        }
        let at = content.created_at;
        for summary in [
            self.half_hours.entry(bucket_of(at)).or_default(),
            self.days.entry(day_of(at)).or_default(),
            &mut self.total,
        ] {
            summary.add_rated(&ratings, content.complete);
        }
        self.any = true;
    }

    /// Adds the counts to the rollup tables, in the batch's transaction.
    pub(super) fn apply(
        &self,
        tx: &Connection,
        store_id: &str,
        kiosk_id: &str,
    ) -> rusqlite::Result<()> {
        if !self.any {
            return Ok(());
        }
        let mut half_hour =
            tx.prepare_cached(&upsert("rollup_half_hours", &["bucket", "kiosk_id"]))?;
        for (bucket, summary) in &self.half_hours {
            let mut values = vec![Value::from(store_id.to_owned()), Value::from(*bucket)];
            values.push(Value::from(kiosk_id.to_owned()));
            values.extend(counts(summary).into_iter().map(Value::from));
            half_hour.execute(params_from_iter(values))?;
        }
        let mut day = tx.prepare_cached(&upsert("rollup_days", &["day"]))?;
        for (number, summary) in &self.days {
            let mut values = vec![Value::from(store_id.to_owned()), Value::from(*number)];
            values.extend(counts(summary).into_iter().map(Value::from));
            day.execute(params_from_iter(values))?;
        }
        let mut total = tx.prepare_cached(&upsert("rollup_stores", &[]))?;
        let mut values = vec![Value::from(store_id.to_owned())];
        values.extend(counts(&self.total).into_iter().map(Value::from));
        total.execute(params_from_iter(values))?;
        Ok(())
    }
}

/// `INSERT … ON CONFLICT DO UPDATE` adding counts to a row of `table`
/// keyed by `store_id` and `keys`.
fn upsert(table: &str, keys: &[&str]) -> String {
    let mut columns = vec!["store_id"];
    columns.extend_from_slice(keys);
    let key_list = columns.join(", ");
    columns.extend(COUNT_COLUMNS.iter().map(String::as_str));
    let places = (1..=columns.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let adds = COUNT_COLUMNS
        .iter()
        .map(|c| format!("{c} = {c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO {table} ({}) VALUES ({places}) ON CONFLICT ({key_list}) DO UPDATE SET {adds}",
        columns.join(", ")
    )
}

/// The SQL and parameters counting one span of `store_id` (`None`: all).
pub(super) fn span_query(store_id: Option<&str>, span: &Span) -> (String, Vec<Value>) {
    let (table, column, from, to, sums) = match *span {
        Span::Raw { from, to } => (
            "responses",
            "created_at",
            Some(from),
            Some(to),
            RAW_SUMS.as_str(),
        ),
        Span::HalfHours { from, to } => ("rollup_half_hours", "bucket", from, to, SUMS.as_str()),
        Span::Days { from, to } => ("rollup_days", "day", from, to, SUMS.as_str()),
        Span::Everything => ("rollup_stores", "", None, None, SUMS.as_str()),
    };
    let (conditions, values) = conditions(store_id, column, from, to);
    (format!("SELECT {sums} FROM {table}{conditions}"), values)
}

/// ` WHERE store_id = ? AND column >= ? AND column < ?`, with only the
/// conditions given, and their parameters.
pub(super) fn conditions(
    store_id: Option<&str>,
    column: &str,
    from: Option<i64>,
    to: Option<i64>,
) -> (String, Vec<Value>) {
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    if let Some(store_id) = store_id {
        values.push(Value::from(store_id.to_owned()));
        clauses.push(format!("store_id = ?{}", values.len()));
    }
    if let Some(from) = from {
        values.push(Value::from(from));
        clauses.push(format!("{column} >= ?{}", values.len()));
    }
    if let Some(to) = to {
        values.push(Value::from(to));
        clauses.push(format!("{column} < ?{}", values.len()));
    }
    if clauses.is_empty() {
        (String::new(), values)
    } else {
        (format!(" WHERE {}", clauses.join(" AND ")), values)
    }
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
            let (sql, values) = span_query(store_id, span);
            conn.prepare_cached(&sql)?
                .query_row(params_from_iter(values), |row| summary_from(row, 0))
        })
        .collect()
}

/// The first and last bucket holding responses.
pub(super) fn bounds(
    conn: &Connection,
    store_id: Option<&str>,
) -> rusqlite::Result<Option<(i64, i64)>> {
    let (conditions, values) = conditions(store_id, "bucket", None, None);
    let first: Option<i64> = conn
        .prepare_cached(&format!(
            "SELECT min(bucket) FROM rollup_half_hours{conditions}"
        ))?
        .query_row(params_from_iter(values.clone()), |row| row.get(0))?;
    let last: Option<i64> = conn
        .prepare_cached(&format!(
            "SELECT max(bucket) FROM rollup_half_hours{conditions}"
        ))?
        .query_row(params_from_iter(values), |row| row.get(0))?;
    Ok(first.zip(last))
}
