//! `GET /v1/trend`: a window cut into the store's local hours, days, ISO
//! weeks (Monday first) or months, each summarised from rollups. Local
//! boundaries come from the store's time zone (the bundled tz database), so
//! a day across a daylight-saving change is 23 or 25 hours long. Every
//! boundary of a zone with a whole- or half-hour offset is a half-hour UTC
//! boundary, so buckets are counted from rollups alone (plus raw rows at a
//! `from` or `to` between boundaries).

use feedback_domain::heat_map::HeatMap;
use feedback_domain::{Factor, ReasonTally, Summary};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use crate::report::{self, factor_reports, FactorReport};
use crate::spans::{self, HALF_HOUR_MS};
use crate::store::{Store, StoreError};

/// Most buckets one trend may have.
pub const MAX_BUCKETS: usize = 10_000;

/// How a trend is cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum By {
    /// Local hours.
    Hour,
    /// Local days.
    Day,
    /// ISO weeks, Monday to Sunday, local.
    Week,
    /// Local calendar months.
    Month,
}

/// One bucket of a trend.
#[derive(Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TrendBucket {
    /// The bucket's local name: `2026-03-29T02:00+02:00`, `2026-03-29`,
    /// `2026-W13` or `2026-03`.
    pub label: String,
    /// Where the bucket starts (inclusive), RFC 3339 in local time.
    pub start: String,
    /// Where it ends (exclusive), RFC 3339 in local time.
    pub end: String,
    /// Responses in it.
    pub responses: u32,
    /// Responses the customer sent.
    pub complete: u32,
    /// Responses saved when the customer walked away.
    pub partial: u32,
    /// Per factor (only the one asked for, with `factor=`).
    pub factors: Vec<FactorReport>,
}

/// `GET /v1/trend`.
#[derive(Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TrendReport {
    /// The store; `null`: every store the token may read.
    pub store_id: Option<String>,
    /// The zone buckets are cut in: the store's, or `UTC` for every store.
    pub time_zone: String,
    /// How the trend is cut.
    pub by: By,
    /// Start of the window (inclusive): as asked, or the first response stored.
    pub from: Option<String>,
    /// End of the window (exclusive): as asked, or after the last response.
    pub to: Option<String>,
    /// The buckets, oldest first, empty ones included; a bucket cut by the
    /// window counts only what is inside it.
    pub buckets: Vec<TrendBucket>,
}

/// What a trend asks for.
#[derive(Clone, Debug)]
pub struct TrendRequest {
    /// Only this store; `None`: every store (in UTC).
    pub store_id: Option<String>,
    /// Window start, ms; `None`: the first response stored.
    pub from: Option<i64>,
    /// Window end, ms; `None`: after the last response stored.
    pub to: Option<i64>,
    /// How to cut it.
    pub by: By,
    /// Only this factor.
    pub factor: Option<Factor>,
}

/// Why a trend was not made.
#[derive(Debug, thiserror::Error)]
pub enum TrendError {
    /// Too long a window for the bucket size.
    #[error("the window has more than {MAX_BUCKETS} buckets by {by:?}; ask for a shorter window or a larger bucket")]
    TooManyBuckets {
        /// The bucket size asked for.
        by: By,
    },
    /// A time past what the calendar handles.
    #[error("the window is outside the years the calendar handles")]
    OutOfRange,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn zoned(ms: i64, zone: &TimeZone) -> Result<jiff::Zoned, TrendError> {
    Ok(Timestamp::from_millisecond(ms)
        .map_err(|_| TrendError::OutOfRange)?
        .to_zoned(zone.clone()))
}

fn millis(zoned: &jiff::Zoned) -> i64 {
    zoned.timestamp().as_millisecond()
}

/// Start of the local bucket holding `ms`, and its label.
fn bucket_start(ms: i64, by: By, zone: &TimeZone) -> Result<(i64, String), TrendError> {
    let at = zoned(ms, zone)?;
    let out = |_: jiff::Error| TrendError::OutOfRange;
    Ok(match by {
        By::Hour => {
            // Keep the instant's own offset, so the repeated hour of a
            // fall-back day is its own bucket.
            let offset = i64::from(at.offset().seconds()) * 1000;
            let start = (ms + offset).div_euclid(3_600_000) * 3_600_000 - offset;
            let start_at = zoned(start, zone)?;
            (start, start_at.strftime("%Y-%m-%dT%H:%M%:z").to_string())
        }
        By::Day => {
            let date = at.date();
            (
                millis(&date.to_zoned(zone.clone()).map_err(out)?),
                date.to_string(),
            )
        }
        By::Week => {
            let back = i64::from(at.weekday().to_monday_zero_offset());
            let monday = at.date().checked_sub(back.days()).map_err(out)?;
            let week = monday.iso_week_date();
            (
                millis(&monday.to_zoned(zone.clone()).map_err(out)?),
                format!("{:04}-W{:02}", week.year(), week.week()),
            )
        }
        By::Month => {
            let first = at.date().first_of_month();
            (
                millis(&first.to_zoned(zone.clone()).map_err(out)?),
                first.strftime("%Y-%m").to_string(),
            )
        }
    })
}

/// The next bucket's start after the one starting at `start`.
fn next_start(start: i64, by: By, zone: &TimeZone) -> Result<i64, TrendError> {
    let out = |_: jiff::Error| TrendError::OutOfRange;
    let date = zoned(start, zone)?.date();
    let next = match by {
        By::Hour => {
            let probe = start + 3_600_000;
            let (aligned, _) = bucket_start(probe, by, zone)?;
            return Ok(if aligned > start { aligned } else { probe });
        }
        By::Day => date.checked_add(1.day()).map_err(out)?,
        By::Week => date.checked_add(7.days()).map_err(out)?,
        By::Month => date.checked_add(1.month()).map_err(out)?,
    };
    Ok(millis(&next.to_zoned(zone.clone()).map_err(out)?))
}

/// The buckets of `[from, to)`: (label, start, end), clipped to the window.
pub fn buckets(
    from: i64,
    to: i64,
    by: By,
    zone: &TimeZone,
) -> Result<Vec<(String, i64, i64)>, TrendError> {
    let mut out = Vec::new();
    let (mut start, mut label) = bucket_start(from, by, zone)?;
    while start < to {
        if out.len() == MAX_BUCKETS {
            return Err(TrendError::TooManyBuckets { by });
        }
        let end = next_start(start, by, zone)?;
        out.push((label, start.max(from), end.min(to)));
        (start, label) = bucket_start(end, by, zone)?;
    }
    Ok(out)
}

fn local(ms: i64, zone: &TimeZone) -> Result<String, TrendError> {
    Ok(zoned(ms, zone)?
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string())
}

/// The window `request` covers (asked, or what is stored) cut into its
/// buckets in `zone`, each with its summary: (label, start, end, summary).
/// One bucket counted: its label, start and end, summary, and reasons (if asked).
type Tallied = (String, i64, i64, Summary, ReasonTally);

async fn tally_buckets(
    store: &dyn Store,
    request: &TrendRequest,
    zone: &TimeZone,
    with_reasons: bool,
) -> Result<(Option<(i64, i64)>, Vec<Tallied>), TrendError> {
    let bounds = match (request.from, request.to) {
        (Some(from), Some(to)) => Some((from, to)),
        (from, to) => store
            .bucket_bounds(request.store_id.clone())
            .await?
            .map(|(first, last)| {
                (
                    from.unwrap_or(first * HALF_HOUR_MS),
                    to.unwrap_or((last + 1) * HALF_HOUR_MS),
                )
            }),
    };
    let cut = match bounds {
        Some((from, to)) if from < to => buckets(from, to, request.by, zone)?,
        _ => Vec::new(),
    };
    let raw_since = store.raw_since().await?;
    let mut spans = Vec::new();
    let mut owners = Vec::new();
    for (index, (_, start, end)) in cut.iter().enumerate() {
        for span in spans::cover(Some(*start), Some(*end), raw_since) {
            spans.push(span);
            owners.push(index);
        }
    }
    let reason_parts = if with_reasons {
        store
            .reason_tallies(request.store_id.clone(), spans.clone())
            .await?
    } else {
        Vec::new()
    };
    let parts = store.tallies(request.store_id.clone(), spans).await?;
    let mut sums = vec![Summary::default(); cut.len()];
    let mut reasons = vec![ReasonTally::default(); cut.len()];
    for (at, (&owner, part)) in owners.iter().zip(&parts).enumerate() {
        sums[owner].merge(part);
        if let Some(named) = reason_parts.get(at) {
            reasons[owner].merge(named);
        }
    }
    let tallied = cut
        .into_iter()
        .zip(sums.into_iter().zip(reasons))
        .map(|((label, start, end), (summary, reasons))| (label, start, end, summary, reasons))
        .collect();
    Ok((bounds, tallied))
}

/// The trend `request` asks for, cut in `zone`.
pub async fn trend(
    store: &dyn Store,
    request: &TrendRequest,
    zone: &TimeZone,
) -> Result<TrendReport, TrendError> {
    let time_zone = zone.iana_name().unwrap_or("UTC").to_owned();
    let (bounds, tallied) = tally_buckets(store, request, zone, true).await?;
    let buckets = tallied
        .into_iter()
        .map(|(label, start, end, summary, reasons)| {
            Ok(TrendBucket {
                label,
                start: local(start, zone)?,
                end: local(end, zone)?,
                responses: summary.responses(),
                complete: summary.complete,
                partial: summary.partial,
                factors: factor_reports(&summary, request.factor, &reasons),
            })
        })
        .collect::<Result<Vec<_>, TrendError>>()?;
    Ok(TrendReport {
        store_id: request.store_id.clone(),
        time_zone,
        by: request.by,
        from: bounds.map(|(from, _)| report::rfc3339(from)),
        to: bounds.map(|(_, to)| report::rfc3339(to)),
        buckets,
    })
}

/// The share satisfied by local weekday and hour over `request`'s window
/// (cut by hour, whatever `request.by` says), in `zone`.
pub async fn heat_map(
    store: &dyn Store,
    request: &TrendRequest,
    zone: &TimeZone,
) -> Result<HeatMap, TrendError> {
    let hourly = TrendRequest {
        by: By::Hour,
        ..request.clone()
    };
    let (_, tallied) = tally_buckets(store, &hourly, zone, false).await?;
    let mut map = HeatMap::default();
    for (_, start, _, summary, _) in tallied {
        let at = zoned(start, zone)?;
        let weekday = usize::from(at.weekday().to_monday_zero_offset().unsigned_abs());
        let hour = usize::from(at.hour().unsigned_abs());
        map.add(weekday, hour, &summary, request.factor);
    }
    Ok(map)
}
