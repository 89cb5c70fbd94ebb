//! What managers read: summaries, from rollups and the domain crate's
//! summary rules; trends are in [`crate::trend`], CSV exports in
//! [`crate::export`].

use feedback_domain::reason::low_ratings;
use feedback_domain::{Factor, ReasonTally, Summary};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::spans;
pub use crate::store::Filter;
use crate::store::{Store, StoreError};

/// One factor in a summary or a trend bucket.
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
    /// The reasons named after ratings of 1 or 2, most named first.
    pub reasons: Vec<ReasonReport>,
}

/// How often one reason was named for a factor.
#[derive(Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ReasonReport {
    /// The reason's code, for example `long_queue`.
    pub code: String,
    /// Words for it where no catalogue has any: the code with spaces.
    pub label: String,
    /// How many responses named it.
    pub count: u32,
    /// `count` as a share of the factor's ratings of 1 or 2, 0–1.
    pub share_of_low: Option<f64>,
}

/// The reasons of `tally` for `factor`, most named first.
pub fn reason_reports(summary: &Summary, tally: &ReasonTally, factor: Factor) -> Vec<ReasonReport> {
    let low = low_ratings(summary.factor(factor));
    tally
        .top(factor, low, usize::MAX)
        .into_iter()
        .map(|named| ReasonReport {
            label: named.code.label(),
            code: named.code.as_str().to_owned(),
            count: named.count,
            share_of_low: named.share_of_low,
        })
        .collect()
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

/// The figures of each factor of `summary` (only `only`, if given), with
/// the reasons of `tally`.
pub fn factor_reports(
    summary: &Summary,
    only: Option<Factor>,
    tally: &ReasonTally,
) -> Vec<FactorReport> {
    Factor::ALL
        .into_iter()
        .filter(|factor| only.is_none_or(|only| only == *factor))
        .map(|factor| {
            let s = summary.factor(factor);
            FactorReport {
                factor: factor.key().to_owned(),
                count: s.count(),
                average: s.average(),
                share_satisfied: s.share_satisfied(),
                index: s.index(),
                distribution: s.distribution,
                reasons: reason_reports(summary, tally, factor),
            }
        })
        .collect()
}

/// The summary of `[from, to)` of `store_id`, from the cheapest pieces
/// that count it exactly (see [`crate::spans`]).
pub async fn tally(
    store: &dyn Store,
    store_id: Option<String>,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<Summary, StoreError> {
    let raw_since = store.raw_since().await?;
    let parts = store
        .tallies(store_id, spans::cover(from, to, raw_since))
        .await?;
    let mut total = Summary::default();
    for part in &parts {
        total.merge(part);
    }
    Ok(total)
}

/// Summarises the responses `filter` selects.
pub async fn summary(store: &dyn Store, filter: &Filter) -> Result<SummaryReport, StoreError> {
    // One read of where raw rows start; ratings and reasons from the same pieces.
    let spans = spans::cover(filter.from, filter.to, store.raw_since().await?);
    let mut summary = Summary::default();
    for part in &store
        .tallies(filter.store_id.clone(), spans.clone())
        .await?
    {
        summary.merge(part);
    }
    let mut reasons = ReasonTally::default();
    for part in &store.reason_tallies(filter.store_id.clone(), spans).await? {
        reasons.merge(part);
    }
    Ok(SummaryReport {
        store_id: filter.store_id.clone(),
        from: filter.from.map(rfc3339),
        to: filter.to.map(rfc3339),
        responses: summary.responses(),
        complete: summary.complete,
        partial: summary.partial,
        factors: factor_reports(&summary, None, &reasons),
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
