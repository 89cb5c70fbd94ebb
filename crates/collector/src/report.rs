//! What managers read: summaries (computed with the domain crate's summary
//! code); CSV exports are in [`crate::export`].

use feedback_domain::{Factor, Rating, Ratings, Summary};
use rusqlite::{params, Connection, Row};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Which responses a report covers.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only this store; `None`: every store.
    pub store_id: Option<String>,
    /// Created at or after, ms since the epoch.
    pub from: Option<i64>,
    /// Created before, ms since the epoch.
    pub to: Option<i64>,
}

/// The conditions of a [`Filter`], on parameters 1 to 3.
pub(crate) const WHERE: &str = "WHERE (?1 IS NULL OR store_id = ?1)
    AND (?2 IS NULL OR created_at >= ?2)
    AND (?3 IS NULL OR created_at < ?3)";

/// One factor in a summary.
#[derive(Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FactorReport {
    /// The factor's key, for example `speed`.
    pub factor: String,
    /// How many responses rated it.
    pub count: u32,
    /// Mean rating 1–5; `null` when nobody rated it.
    pub average: Option<f64>,
    /// Share of ratings that were 4 or 5, 0–1; `null` when nobody rated it.
    pub share_satisfied: Option<f64>,
    /// 0–100, the faces weighing 0, 25, 50, 75, 100; `null` when nobody rated it.
    pub index: Option<f64>,
    /// How many chose each face, rating 1 first.
    pub distribution: [u32; 5],
}

/// `GET /v1/summary`.
#[derive(Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SummaryReport {
    /// The store covered; `null`: every store the token may read.
    pub store_id: Option<String>,
    /// Start of the window (inclusive), if one was given.
    pub from: Option<String>,
    /// End of the window (exclusive), if one was given.
    pub to: Option<String>,
    /// Responses in the window.
    pub responses: u32,
    /// Responses the customer sent.
    pub complete: u32,
    /// Responses saved when the customer walked away.
    pub partial: u32,
    /// Per factor, in the kiosk's order.
    pub factors: Vec<FactorReport>,
    /// The factor with the lowest share satisfied; `null` when nothing was rated.
    pub weakest: Option<String>,
}

/// Summarises the responses `filter` selects.
pub fn summary(conn: &Connection, filter: &Filter) -> rusqlite::Result<SummaryReport> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT friendliness, speed, comfort, hygiene, security, complete FROM responses {WHERE}"
    ))?;
    let mut rows = stmt.query(params![filter.store_id, filter.from, filter.to])?;
    let mut summary = Summary::default();
    while let Some(row) = rows.next()? {
        summary.add_rated(&ratings(row, 0)?, row.get(5)?);
    }
    Ok(SummaryReport {
        store_id: filter.store_id.clone(),
        from: filter.from.map(rfc3339),
        to: filter.to.map(rfc3339),
        responses: summary.responses(),
        complete: summary.complete,
        partial: summary.partial,
        factors: Factor::ALL
            .into_iter()
            .map(|factor| {
                let s = summary.factor(factor);
                FactorReport {
                    factor: factor.key().to_owned(),
                    count: s.count(),
                    average: s.average(),
                    share_satisfied: s.share_satisfied(),
                    index: s.index(),
                    distribution: s.distribution,
                }
            })
            .collect(),
        weakest: summary.weakest().map(|f| f.key().to_owned()),
    })
}

/// Parses an RFC 3339 time to ms since the epoch.
pub fn parse_time(text: &str) -> Result<i64, String> {
    let time = OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|_| format!("{text:?} is not an RFC 3339 time such as 2026-11-01T00:00:00Z"))?;
    i64::try_from(time.unix_timestamp_nanos() / 1_000_000).map_err(|_| "time out of range".into())
}

/// Formats ms since the epoch as RFC 3339 UTC with milliseconds, as the
/// kiosk and the CSV export do.
pub fn rfc3339(millis: i64) -> String {
    feedback_domain::report::utc_rfc3339(millis)
}

/// The five rating columns starting at `first`.
pub(crate) fn ratings(row: &Row<'_>, first: usize) -> rusqlite::Result<Ratings> {
    let mut ratings = Ratings::none();
    for (offset, factor) in Factor::ALL.into_iter().enumerate() {
        if let Some(value) = row.get::<_, Option<i64>>(first + offset)? {
            // The table's CHECK keeps values in 1..=5.
            if let Ok(rating) = Rating::new(value) {
                ratings.set(factor, rating);
            }
        }
    }
    Ok(ratings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_in_utc() {
        let ms = parse_time("2026-11-23T10:15:30.250+01:00").expect("parses");
        assert_eq!(rfc3339(ms), "2026-11-23T09:15:30.250Z");
        assert!(parse_time("yesterday").is_err());
    }
}
