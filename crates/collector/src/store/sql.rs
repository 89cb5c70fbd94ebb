//! The SQL both engines run for reports and exports, built once for the
//! filter given so that every query is a range search on an index: only the
//! conditions asked for are written (a `(?1 IS NULL OR …)` form would keep
//! the planner off the indexes). The engines differ only in how a parameter
//! is written and how counts are summed ([`Dialect`]).

use std::sync::LazyLock;

use feedback_domain::{Factor, Rating, Ratings, Summary};

use super::{Cursor, Filter};
use crate::spans::Span;

/// Which engine a statement is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `?1`, integers for booleans.
    Sqlite,
    /// `$1`, booleans, `sum(bigint)` cast back from numeric.
    Postgres,
}

/// A parameter of a built statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Param {
    /// Text: a store or response id.
    Text(String),
    /// A 64-bit integer: a time, bucket, day or limit.
    Int(i64),
}

/// The 27 count columns every rollup table has, in [`Summary`] order:
/// complete, partial, then each factor's faces 1 to 5.
pub static COUNT_COLUMNS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut columns = vec!["complete".to_owned(), "partial".to_owned()];
    for factor in Factor::ALL {
        for face in 1..=5 {
            columns.push(format!("{}_{face}", factor.key()));
        }
    }
    columns
});

/// Ratings from stored values in [`Factor::ALL`] order; a value outside
/// 1..=5 (which the tables' CHECKs never let in) counts as not rated.
pub fn ratings_of(values: impl IntoIterator<Item = Option<i64>>) -> Ratings {
    let mut ratings = Ratings::none();
    for (factor, value) in Factor::ALL.into_iter().zip(values) {
        if let Some(rating) = value.and_then(|v| Rating::new(v).ok()) {
            ratings.set(factor, rating);
        }
    }
    ratings
}

/// The 27 counts of a summary, in [`COUNT_COLUMNS`] order.
pub fn counts(summary: &Summary) -> Vec<i64> {
    let mut out = vec![i64::from(summary.complete), i64::from(summary.partial)];
    for factor in &summary.factors {
        out.extend(factor.distribution.iter().map(|&n| i64::from(n)));
    }
    out
}

/// A summary from 27 summed counts in [`COUNT_COLUMNS`] order (`None`: 0).
pub fn summary_of(get: impl Fn(usize) -> Option<i64>) -> Summary {
    let count = |i: usize| u32::try_from(get(i).unwrap_or(0)).unwrap_or(u32::MAX);
    let mut summary = Summary {
        complete: count(0),
        partial: count(1),
        ..Summary::default()
    };
    for (f, factor) in summary.factors.iter_mut().enumerate() {
        for (face, slot) in factor.distribution.iter_mut().enumerate() {
            *slot = count(2 + f * 5 + face);
        }
    }
    summary
}

static SQLITE_SUMS: LazyLock<String> = LazyLock::new(|| sums("sum(", ")"));
static POSTGRES_SUMS: LazyLock<String> = LazyLock::new(|| sums("sum(", ")::bigint"));

fn sums(open: &str, close: &str) -> String {
    COUNT_COLUMNS
        .iter()
        .map(|c| format!("{open}{c}{close}"))
        .collect::<Vec<_>>()
        .join(", ")
}

static SQLITE_RAW_SUMS: LazyLock<String> = LazyLock::new(|| {
    let mut sums = vec!["sum(complete)".to_owned(), "sum(1 - complete)".to_owned()];
    for factor in Factor::ALL {
        for face in 1..=5 {
            sums.push(format!("sum(coalesce({} = {face}, 0))", factor.key()));
        }
    }
    sums.join(", ")
});

static POSTGRES_RAW_SUMS: LazyLock<String> = LazyLock::new(|| {
    let mut sums = vec![
        "count(*) FILTER (WHERE complete)".to_owned(),
        "count(*) FILTER (WHERE NOT complete)".to_owned(),
    ];
    for factor in Factor::ALL {
        for face in 1..=5 {
            sums.push(format!("count(*) FILTER (WHERE {} = {face})", factor.key()));
        }
    }
    sums.join(", ")
});

impl Dialect {
    /// Parameter number `n` (from 1).
    pub fn param(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("?{n}"),
            Dialect::Postgres => format!("${n}"),
        }
    }

    /// The counts of a rollup table, summed, in [`COUNT_COLUMNS`] order.
    pub fn sums(self) -> &'static str {
        match self {
            Dialect::Sqlite => &SQLITE_SUMS,
            Dialect::Postgres => &POSTGRES_SUMS,
        }
    }

    /// The same counts computed from raw responses.
    pub fn raw_sums(self) -> &'static str {
        match self {
            Dialect::Sqlite => &SQLITE_RAW_SUMS,
            Dialect::Postgres => &POSTGRES_RAW_SUMS,
        }
    }
}

/// A statement and its parameters, numbered as written.
#[derive(Debug, Default)]
pub(super) struct Built {
    pub(super) clauses: Vec<String>,
    pub(super) params: Vec<Param>,
}

impl Built {
    /// Adds `param` and returns how the statement names it.
    pub(super) fn bind(&mut self, dialect: Dialect, param: Param) -> String {
        self.params.push(param);
        dialect.param(self.params.len())
    }

    /// `store_id = ?` (if given) and `created_at >= ?`, always: a lower
    /// bound, even the smallest time, makes reading raw rows a range
    /// search on an index rather than a scan.
    pub(super) fn raw_since(
        &mut self,
        dialect: Dialect,
        store_id: Option<&str>,
        from: Option<i64>,
    ) {
        if let Some(store_id) = store_id {
            let place = self.bind(dialect, Param::Text(store_id.to_owned()));
            self.clauses.push(format!("store_id = {place}"));
        }
        let from = self.bind(dialect, Param::Int(from.unwrap_or(i64::MIN)));
        self.clauses.push(format!("created_at >= {from}"));
    }

    /// `created_at < ?`, if there is an end.
    pub(super) fn raw_before(&mut self, dialect: Dialect, to: Option<i64>) {
        if let Some(to) = to {
            let place = self.bind(dialect, Param::Int(to));
            self.clauses.push(format!("created_at < {place}"));
        }
    }
}

/// `INSERT … ON CONFLICT DO UPDATE` adding counts to a row of `table`
/// keyed by `store_id` and `keys`: parameters are the keys, then the 27
/// counts.
pub fn upsert(dialect: Dialect, table: &str, keys: &[&str]) -> String {
    let mut columns = vec!["store_id"];
    columns.extend_from_slice(keys);
    let key_list = columns.join(", ");
    columns.extend(COUNT_COLUMNS.iter().map(String::as_str));
    let places = (1..=columns.len())
        .map(|i| dialect.param(i))
        .collect::<Vec<_>>()
        .join(", ");
    let adds = COUNT_COLUMNS
        .iter()
        .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO {table} ({}) VALUES ({places}) ON CONFLICT ({key_list}) DO UPDATE SET {adds}",
        columns.join(", ")
    )
}

/// ` WHERE store_id = ? AND column >= ? AND column < ?`, with only the
/// conditions given, and their parameters.
pub fn conditions(
    dialect: Dialect,
    store_id: Option<&str>,
    column: &str,
    from: Option<i64>,
    to: Option<i64>,
) -> (String, Vec<Param>) {
    let mut built = Built::default();
    if let Some(store_id) = store_id {
        let place = built.bind(dialect, Param::Text(store_id.to_owned()));
        built.clauses.push(format!("store_id = {place}"));
    }
    if let Some(from) = from {
        let place = built.bind(dialect, Param::Int(from));
        built.clauses.push(format!("{column} >= {place}"));
    }
    if let Some(to) = to {
        let place = built.bind(dialect, Param::Int(to));
        built.clauses.push(format!("{column} < {place}"));
    }
    if built.clauses.is_empty() {
        (String::new(), built.params)
    } else {
        (
            format!(" WHERE {}", built.clauses.join(" AND ")),
            built.params,
        )
    }
}

/// The statement counting one span of `store_id` (`None`: every store):
/// one row of 27 counts.
pub fn span_query(dialect: Dialect, store_id: Option<&str>, span: &Span) -> (String, Vec<Param>) {
    let (table, column, from, to, sums) = match *span {
        Span::Raw { from, to } => (
            "responses",
            "created_at",
            Some(from),
            Some(to),
            dialect.raw_sums(),
        ),
        Span::HalfHours { from, to } => ("rollup_half_hours", "bucket", from, to, dialect.sums()),
        Span::Days { from, to } => ("rollup_days", "day", from, to, dialect.sums()),
        Span::Everything => ("rollup_stores", "", None, None, dialect.sums()),
    };
    let (conditions, params) = conditions(dialect, store_id, column, from, to);
    (format!("SELECT {sums} FROM {table}{conditions}"), params)
}

/// The first and last half-hour bucket holding responses: one row of two
/// values.
pub fn bounds_query(dialect: Dialect, store_id: Option<&str>) -> [(String, Vec<Param>); 2] {
    let (conditions, params) = conditions(dialect, store_id, "bucket", None, None);
    // Two queries, so each is one end of an index range, not a scan.
    [
        (
            format!("SELECT min(bucket) FROM rollup_half_hours{conditions}"),
            params.clone(),
        ),
        (
            format!("SELECT max(bucket) FROM rollup_half_hours{conditions}"),
            params,
        ),
    ]
}

/// The columns of an export row, in the order [`page_query`] selects them.
pub const EXPORT_COLUMNS: &str = "friendliness, speed, comfort, hygiene, security, complete,
    id, store_id, kiosk_id, created_at, received_at, comment, clock_suspect, lang, reasons";

/// One export page: up to `rows` responses after `after`, by
/// `(created_at, id)`. The lower bound is always there (the cursor, `from`,
/// or the smallest time), so even an export of everything searches an index
/// rather than scanning the table.
pub fn page_query(
    dialect: Dialect,
    filter: &Filter,
    after: Option<&Cursor>,
    rows: usize,
) -> (String, Vec<Param>) {
    let mut built = Built::default();
    built.raw_since(dialect, filter.store_id.as_deref(), filter.from);
    if let Some((time, id)) = after {
        let time = built.bind(dialect, Param::Int(*time));
        let id = built.bind(dialect, Param::Text(id.clone()));
        built
            .clauses
            .push(format!("(created_at, id) > ({time}, {id})"));
    }
    built.raw_before(dialect, filter.to);
    let limit = built.bind(dialect, Param::Int(i64::try_from(rows).unwrap_or(i64::MAX)));
    let sql = format!(
        "SELECT {EXPORT_COLUMNS} FROM responses WHERE {} ORDER BY created_at, id LIMIT {limit}",
        built.clauses.join(" AND ")
    );
    (sql, built.params)
}

#[cfg(test)]
mod tests;
