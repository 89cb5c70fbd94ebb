//! The SQL builders' statements and parameters.

use super::*;

#[test]
fn only_the_conditions_given_are_written_and_numbered_in_order() {
    let (sql, params) = span_query(
        Dialect::Postgres,
        Some("s1"),
        &Span::Days {
            from: None,
            to: Some(9),
        },
    );
    assert!(
        sql.ends_with("FROM rollup_days WHERE store_id = $1 AND day < $2"),
        "{sql}"
    );
    assert_eq!(params, vec![Param::Text("s1".into()), Param::Int(9)]);
    let (sql, params) = span_query(Dialect::Sqlite, None, &Span::Everything);
    assert!(sql.ends_with("FROM rollup_stores"), "{sql}");
    assert!(params.is_empty());
}

#[test]
fn counts_and_summaries_round_trip_in_column_order() {
    let values: Vec<i64> = (0..27).collect();
    let summary = summary_of(|i| values.get(i).copied());
    assert_eq!(counts(&summary), values);
    assert_eq!(COUNT_COLUMNS.len(), 27);
    assert_eq!(COUNT_COLUMNS[2], "friendliness_1");
}
