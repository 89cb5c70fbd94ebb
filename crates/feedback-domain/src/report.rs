//! What the manager view shows for a period: the summary, a trend, and the
//! latest comments, with days and hours in the kiosk's local time.
//!
//! Local time comes from a [`LocalOffset`] (the kiosk asks the browser; tests
//! use fixed or made-up zones), so the rules here are tested natively.

use crate::{Factor, Ratings, ReasonTally, Response, Summary};

pub use crate::calendar::{
    civil, day_start, from_local, local_day, to_local, utc_rfc3339, weekday, FixedOffset,
    LocalOffset, DAY_MS, HOUR_MS,
};

/// An "All" trend longer than this many days is drawn by month.
pub const MAX_DAILY_POINTS: i64 = 62;

/// The periods a manager can look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    /// Since local midnight; the trend is by hour.
    Today,
    /// Today and the six days before; by day.
    Last7Days,
    /// Today and the 29 days before; by day.
    Last30Days,
    /// Everything stored; by day, or by month when that is long.
    All,
}

impl Period {
    /// Every period, in the order the view offers them.
    pub const ALL: [Period; 4] = [
        Period::Today,
        Period::Last7Days,
        Period::Last30Days,
        Period::All,
    ];

    /// How many local days the period covers; `None` for [`Period::All`].
    pub const fn days(self) -> Option<i64> {
        match self {
            Period::Today => Some(1),
            Period::Last7Days => Some(7),
            Period::Last30Days => Some(30),
            Period::All => None,
        }
    }

    /// When the period starts, UTC ms; `None`: from the beginning.
    pub fn start(self, now: i64, zone: &impl LocalOffset) -> Option<i64> {
        self.days()
            .map(|days| day_start(local_day(now, zone) - (days - 1), zone))
    }
}

/// How a trend's points are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bucket {
    /// By local hour; a point's key is hours since the epoch, local.
    Hour,
    /// By local day; a point's key is a day number.
    Day,
    /// By local month; a point's key is `year * 12 + month - 1`.
    Month,
}

impl Bucket {
    /// The key of the point an instant falls in.
    pub fn key(self, utc_ms: i64, zone: &impl LocalOffset) -> i64 {
        match self {
            Bucket::Hour => to_local(utc_ms, zone).div_euclid(HOUR_MS),
            Bucket::Day => local_day(utc_ms, zone),
            Bucket::Month => {
                let (y, m, _) = civil(local_day(utc_ms, zone));
                y * 12 + i64::from(m) - 1
            }
        }
    }
}

/// One point of a trend.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrendPoint {
    /// Which hour, day or month (see [`Bucket`]).
    pub key: i64,
    /// Responses in it.
    pub responses: u32,
    /// Ratings given in it, all factors together.
    pub ratings: u32,
    /// Their sum.
    pub rating_sum: u32,
}

impl TrendPoint {
    /// The mean of all ratings in the point; `None` when there were none.
    pub fn average(&self) -> Option<f64> {
        (self.ratings > 0).then(|| f64::from(self.rating_sum) / f64::from(self.ratings))
    }
}

/// A comment and what came with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentRow {
    /// When the response was saved, UTC ms.
    pub at: i64,
    /// The ratings given with it.
    pub ratings: Ratings,
    /// The comment, as text.
    pub text: String,
}

/// Everything the manager view shows for a period.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The period.
    pub period: Period,
    /// Counts and per-factor figures.
    pub summary: Summary,
    /// The reasons named after low ratings.
    pub reasons: ReasonTally,
    /// How the trend is grouped.
    pub bucket: Bucket,
    /// One point per hour, day or month of the period, oldest first, empty
    /// ones included; empty when nothing was ever stored.
    pub trend: Vec<TrendPoint>,
    /// The latest comments, newest first.
    pub comments: Vec<CommentRow>,
}

impl Report {
    /// Builds the report of `period` at `now` from every stored response.
    pub fn build<'a>(
        responses: impl IntoIterator<Item = &'a Response>,
        period: Period,
        now: i64,
        zone: &impl LocalOffset,
        max_comments: usize,
    ) -> Report {
        let start = period.start(now, zone);
        let in_period: Vec<&Response> = responses
            .into_iter()
            .filter(|r| start.is_none_or(|s| r.created_at.millis() >= s))
            .collect();
        let summary = Summary::of(in_period.iter().copied());
        let mut reasons = ReasonTally::default();
        for response in &in_period {
            reasons.add(&response.reasons);
        }

        let today = local_day(now, zone);
        let (bucket, first, last) = match period {
            Period::Today => (
                Bucket::Hour,
                Bucket::Hour.key(day_start(today, zone), zone),
                Bucket::Hour.key(now, zone),
            ),
            Period::Last7Days | Period::Last30Days => {
                let days = period.days().unwrap_or(1);
                (Bucket::Day, today - (days - 1), today)
            }
            Period::All => {
                let oldest = in_period.iter().map(|r| r.created_at.millis()).min();
                let oldest_day = oldest.map_or(today, |t| local_day(t, zone).min(today));
                let bucket = if today - oldest_day < MAX_DAILY_POINTS {
                    Bucket::Day
                } else {
                    Bucket::Month
                };
                let first = oldest.map_or(0, |t| bucket.key(t.min(now), zone));
                let last = if oldest.is_some() {
                    bucket.key(now, zone)
                } else {
                    -1 // No points.
                };
                (bucket, first, last)
            }
        };
        let mut trend: Vec<TrendPoint> = (first..=last)
            .map(|key| TrendPoint {
                key,
                ..TrendPoint::default()
            })
            .collect();
        for response in &in_period {
            let key = bucket.key(response.created_at.millis(), zone);
            let Some(point) = usize::try_from(key - first)
                .ok()
                .and_then(|i| trend.get_mut(i))
            else {
                continue; // A kiosk clock ahead of now: counted, not drawn.
            };
            point.responses += 1;
            for (_, rating) in response.ratings.iter() {
                point.ratings += 1;
                point.rating_sum += u32::from(rating.value());
            }
        }

        let mut comments: Vec<CommentRow> = in_period
            .iter()
            .filter_map(|r| {
                r.comment.as_ref().map(|c| CommentRow {
                    at: r.created_at.millis(),
                    ratings: r.ratings,
                    text: c.as_str().to_owned(),
                })
            })
            .collect();
        comments.sort_by_key(|c| std::cmp::Reverse(c.at));
        comments.truncate(max_comments);

        Report {
            period,
            summary,
            reasons,
            bucket,
            trend,
            comments,
        }
    }

    /// The factor with the lowest share satisfied and that share, if any
    /// factor was rated.
    pub fn weakest(&self) -> Option<(Factor, f64)> {
        self.summary.weakest_share()
    }
}

/// A share from 0 to 1 as a whole percent, rounded half up.
pub fn percent(share: f64) -> u32 {
    (share * 100.0).round().clamp(0.0, 100.0) as u32
}

#[cfg(test)]
mod tests;
