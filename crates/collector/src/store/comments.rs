//! The comments a store's page lists: newest first, optionally only those
//! of customers who rated one factor 1 or 2, or containing some text. Read
//! from raw rows (comments are never rolled up), by the
//! `(store_id, created_at)` index, backwards.

use feedback_domain::Factor;

use super::sql::{Built, Dialect, Param, EXPORT_COLUMNS};

/// Which comments to list.
#[derive(Clone, Debug, Default)]
pub struct CommentQuery {
    /// Only this store; `None`: every store.
    pub store_id: Option<String>,
    /// Created at or after, ms.
    pub from: Option<i64>,
    /// Created before, ms.
    pub to: Option<i64>,
    /// Only responses that rated this factor 1 or 2.
    pub low: Option<Factor>,
    /// Only comments containing this (letters in any case).
    pub text: Option<String>,
    /// At most this many.
    pub limit: usize,
}

impl CommentQuery {
    /// The most a store's page asks of `filter`'s window: comments of
    /// customers who rated speed low, mentioning a queue (to check the
    /// query's plan).
    pub fn busiest(filter: &super::Filter) -> CommentQuery {
        CommentQuery {
            store_id: filter.store_id.clone(),
            from: filter.from,
            to: filter.to,
            low: Some(Factor::Speed),
            text: Some("queue".into()),
            limit: 50,
        }
    }
}

/// `text` as a `LIKE` pattern matching it anywhere, `\` escaping.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The statement listing comments: rows as [`EXPORT_COLUMNS`], newest first.
pub fn comments_query(dialect: Dialect, query: &CommentQuery) -> (String, Vec<Param>) {
    let mut built = Built::default();
    built.raw_since(dialect, query.store_id.as_deref(), query.from);
    built.raw_before(dialect, query.to);
    built.clauses.push("comment IS NOT NULL".into());
    if let Some(factor) = query.low {
        // The column is named by the factor's key: a fixed word, not input.
        built
            .clauses
            .push(format!("{} BETWEEN 1 AND 2", factor.key()));
    }
    if let Some(text) = query.text.as_deref().filter(|t| !t.trim().is_empty()) {
        let place = built.bind(dialect, Param::Text(contains_pattern(text.trim())));
        built
            .clauses
            .push(format!("lower(comment) LIKE {place} ESCAPE '\\'"));
    }
    let limit = built.bind(
        dialect,
        Param::Int(i64::try_from(query.limit).unwrap_or(i64::MAX)),
    );
    let sql = format!(
        "SELECT {EXPORT_COLUMNS} FROM responses WHERE {} ORDER BY created_at DESC, id DESC LIMIT {limit}",
        built.clauses.join(" AND ")
    );
    (sql, built.params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_matched_literally() {
        assert_eq!(contains_pattern("50%_Off\\"), "%50\\%\\_off\\\\%");
        let query = CommentQuery {
            store_id: Some("s1".into()),
            low: Some(Factor::Speed),
            text: Some("queue".into()),
            limit: 20,
            ..CommentQuery::default()
        };
        let (sql, params) = comments_query(Dialect::Postgres, &query);
        assert!(sql.contains("speed BETWEEN 1 AND 2"), "{sql}");
        assert!(sql.contains("lower(comment) LIKE $3"), "{sql}");
        assert_eq!(params.len(), 4);
    }
}
