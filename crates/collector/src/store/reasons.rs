//! Reasons named after low ratings, as both engines keep and count them.
//!
//! Each response keeps its reasons as their wire JSON (`responses.reasons`,
//! validated on the way in). How often each code was named is counted per
//! store and factor per half-hour bucket (`rollup_reasons`), per UTC day
//! (`rollup_reason_days`) and in all (`rollup_reason_stores`), in the
//! transaction that inserts the responses and only for those inserted, like
//! the other rollups; a period is counted from the same spans as its
//! summary ([`crate::spans`]): raw rows at its edges, rollup rows for the rest.

use feedback_domain::wire::reasons_from_wire;
use feedback_domain::{Factor, ReasonCode, ReasonTally, Reasons};

use super::sql::{conditions, Dialect, Param};
use crate::spans::Span;

/// Reasons from the `reasons` column: none if it is empty or, against
/// every check on the way in, unreadable.
pub fn reasons_of(column: Option<&str>) -> Reasons {
    column
        .and_then(|json| serde_json::from_str(json).ok())
        .and_then(|map| reasons_from_wire(&map).ok())
        .unwrap_or_default()
}

/// How one span's reasons are read.
#[derive(Debug, PartialEq, Eq)]
pub enum ReasonQuery {
    /// Rows of `(factor, code, named)` from the rollup.
    Rollup(String, Vec<Param>),
    /// Rows of one `reasons` column from raw responses.
    Raw(String, Vec<Param>),
}

/// The statement counting the reasons of one span of `store_id` (`None`:
/// every store).
pub fn reason_query(dialect: Dialect, store_id: Option<&str>, span: &Span) -> ReasonQuery {
    let (table, column, from, to) = match *span {
        Span::Raw { from, to } => {
            let (conditions, params) =
                conditions(dialect, store_id, "created_at", Some(from), Some(to));
            return ReasonQuery::Raw(
                format!("SELECT reasons FROM responses{conditions} AND reasons IS NOT NULL"),
                params,
            );
        }
        Span::HalfHours { from, to } => ("rollup_reasons", "bucket", from, to),
        Span::Days { from, to } => ("rollup_reason_days", "day", from, to),
        Span::Everything => ("rollup_reason_stores", "", None, None),
    };
    let (conditions, params) = conditions(dialect, store_id, column, from, to);
    let sum = match dialect {
        Dialect::Sqlite => "sum(named)",
        Dialect::Postgres => "sum(named)::bigint",
    };
    ReasonQuery::Rollup(
        format!("SELECT factor, code, {sum} FROM {table}{conditions} GROUP BY factor, code"),
        params,
    )
}

/// Adds a rollup row to `tally`; a row no kiosk could have sent is skipped.
pub fn add_row(tally: &mut ReasonTally, factor: &str, code: &str, named: i64) {
    if let (Ok(factor), Ok(code)) = (factor.parse::<Factor>(), ReasonCode::parse(code)) {
        tally.add_count(factor, code, u32::try_from(named).unwrap_or(u32::MAX));
    }
}

/// The reason rollup tables and the key column each has besides store,
/// factor and code: half hours, days, and totals (none).
pub const TABLES: [(&str, Option<&str>); 3] = [
    ("rollup_reasons", Some("bucket")),
    ("rollup_reason_days", Some("day")),
    ("rollup_reason_stores", None),
];

/// `INSERT … ON CONFLICT DO UPDATE` adding to a row of reason rollup
/// `table` (keyed also by `key`, if any): parameters store, the key, factor,
/// code, count.
pub fn upsert(dialect: Dialect, table: &str, key: Option<&str>) -> String {
    let columns: Vec<&str> = ["store_id"]
        .into_iter()
        .chain(key)
        .chain(["factor", "code"])
        .collect();
    let places: Vec<String> = (1..=columns.len() + 1).map(|i| dialect.param(i)).collect();
    format!(
        "INSERT INTO {table} ({}, named) VALUES ({})
         ON CONFLICT ({}) DO UPDATE SET named = {table}.named + excluded.named",
        columns.join(", "),
        places.join(", "),
        columns.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_counted_from_the_day_rollup() {
        let span = Span::Days {
            from: Some(2),
            to: Some(3),
        };
        let ReasonQuery::Rollup(sql, params) = reason_query(Dialect::Sqlite, Some("s1"), &span)
        else {
            panic!("a rollup query");
        };
        assert_eq!(
            sql,
            "SELECT factor, code, sum(named) FROM rollup_reason_days \
             WHERE store_id = ?1 AND day >= ?2 AND day < ?3 GROUP BY factor, code"
        );
        assert_eq!(
            params,
            [Param::Text("s1".into()), Param::Int(2), Param::Int(3)]
        );
        assert_eq!(
            upsert(Dialect::Postgres, "rollup_reason_stores", None),
            "INSERT INTO rollup_reason_stores (store_id, factor, code, named) VALUES ($1, $2, $3, $4)
         ON CONFLICT (store_id, factor, code) DO UPDATE SET named = rollup_reason_stores.named + excluded.named"
        );
    }

    #[test]
    fn edges_read_raw_rows_and_unreadable_columns_are_no_reasons() {
        let span = Span::Raw { from: 10, to: 20 };
        assert!(matches!(
            reason_query(Dialect::Postgres, None, &span),
            ReasonQuery::Raw(sql, _) if sql.ends_with("created_at < $2 AND reasons IS NOT NULL")
        ));
        assert!(reasons_of(Some("not json")).is_empty());
        assert!(reasons_of(Some(r#"{"speed":["Long queue"]}"#)).is_empty());
        let read = reasons_of(Some(r#"{"speed":["long_queue"]}"#));
        assert_eq!(read.get(Factor::Speed).len(), 1);
    }
}
