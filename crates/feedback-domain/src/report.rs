//! What the manager view shows for a period: the summary, a trend, and the
//! latest comments, with days and hours in the kiosk's local time.
//!
//! Local time comes from a [`LocalOffset`] (the kiosk asks the browser; tests
//! use fixed or made-up zones), so the rules here are tested natively.

use crate::{Factor, Ratings, Response, Summary};

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
            bucket,
            trend,
            comments,
        }
    }

    /// The factor with the lowest share satisfied and that share, if any
    /// factor was rated.
    pub fn weakest(&self) -> Option<(Factor, f64)> {
        let factor = self.summary.weakest()?;
        Some((factor, self.summary.factor(factor).share_satisfied()?))
    }
}

/// A share from 0 to 1 as a whole percent, rounded half up.
pub fn percent(share: f64) -> u32 {
    (share * 100.0).round().clamp(0.0, 100.0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Comment, Rating, ResponseId, Timestamp};
    use uuid::Uuid;

    /// UTC−5 (for example New York in winter).
    const NEW_YORK: FixedOffset = FixedOffset(-5 * HOUR_MS);

    /// A zone that moves from UTC+1 to UTC+2 at a given instant, as central
    /// Europe does in spring.
    struct Spring {
        change: i64,
    }
    impl LocalOffset for Spring {
        fn offset_ms(&self, utc_ms: i64) -> i64 {
            if utc_ms < self.change {
                HOUR_MS
            } else {
                2 * HOUR_MS
            }
        }
    }

    /// 2026-11-23 00:00 UTC.
    const NOV_23: i64 = 1_795_392_000_000;

    fn response(n: u128, at: i64, ratings: &[(Factor, i64)], comment: Option<&str>) -> Response {
        let mut r = Ratings::none();
        for &(factor, value) in ratings {
            r.set(factor, Rating::new(value).expect("1-5"));
        }
        Response::new(
            ResponseId(Uuid::from_u128(n)),
            Timestamp(at),
            r,
            comment.and_then(|c| Comment::parse(c).expect("short")),
            true,
        )
        .expect("rated")
    }

    #[test]
    fn calendar_dates_and_utc_times() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(NOV_23 / DAY_MS), (2026, 11, 23));
        assert_eq!(civil(11_016), (2000, 2, 29));
        assert_eq!(civil(-1), (1969, 12, 31));
        assert_eq!(weekday(NOV_23 / DAY_MS), 1, "a Monday");
        assert_eq!(
            utc_rfc3339(NOV_23 + 9 * HOUR_MS + 930_250),
            "2026-11-23T09:15:30.250Z"
        );
        assert_eq!(utc_rfc3339(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn today_starts_at_local_midnight_not_utc_midnight() {
        // 02:00 UTC on the 23rd is 21:00 on the 22nd in New York.
        let now = NOV_23 + 2 * HOUR_MS;
        let start = Period::Today.start(now, &NEW_YORK).expect("bounded");
        assert_eq!(start, NOV_23 - DAY_MS + 5 * HOUR_MS, "22nd 00:00 New York");
        let week = Period::Last7Days.start(now, &NEW_YORK).expect("bounded");
        assert_eq!(week, start - 6 * DAY_MS);
        assert_eq!(Period::All.start(now, &NEW_YORK), None);

        let responses = [
            // 23:30 on the 21st, New York: yesterday's, not today's.
            response(1, start - 30 * 60_000, &[(Factor::Speed, 1)], None),
            // 00:10 on the 22nd, New York, though still the 22nd in UTC too.
            response(2, start + 10 * 60_000, &[(Factor::Speed, 5)], None),
            // 20:59 on the 22nd, New York, but already the 23rd in UTC.
            response(
                3,
                NOV_23 + HOUR_MS + 59 * 60_000,
                &[(Factor::Speed, 3)],
                None,
            ),
        ];
        let today = Report::build(&responses, Period::Today, now, &NEW_YORK, 10);
        assert_eq!(today.summary.responses(), 2);
        assert_eq!(today.bucket, Bucket::Hour);
        assert_eq!(today.trend.len(), 22, "hours 00 to 21 so far");
        assert_eq!(today.trend[0].responses, 1, "00:10 is in the first hour");
        assert_eq!(today.trend[20].responses, 1, "20:59 is in hour 20");
        assert_eq!(today.trend[20].average(), Some(3.0));

        let week = Report::build(&responses, Period::Last7Days, now, &NEW_YORK, 10);
        assert_eq!(week.summary.responses(), 3);
        assert_eq!(week.trend.len(), 7);
        let counts: Vec<u32> = week.trend.iter().map(|p| p.responses).collect();
        assert_eq!(counts, [0, 0, 0, 0, 0, 1, 2]);
        assert_eq!(civil(week.trend[6].key), (2026, 11, 22));
    }

    #[test]
    fn a_daylight_saving_change_moves_local_midnight() {
        // Clocks go forward at 01:00 UTC on 2026-03-29.
        let change = 1_774_746_000_000;
        let zone = Spring { change };
        let day = local_day(change, &zone);
        assert_eq!(civil(day), (2026, 3, 29));
        assert_eq!(
            day_start(day, &zone),
            change - 2 * HOUR_MS,
            "midnight at UTC+1"
        );
        assert_eq!(
            day_start(day + 1, &zone),
            change + 21 * HOUR_MS,
            "next at UTC+2"
        );
        let now = change + 3 * HOUR_MS; // 06:00 local
        let today = Report::build(&[], Period::Today, now, &zone, 10);
        // Local hours 00, 01, (02 skipped by the clock), 03 … 06: keys are
        // wall-clock hours, so the skipped one is an empty point.
        assert_eq!(today.trend.len(), 7);
        assert!(today
            .trend
            .iter()
            .all(|p| p.responses == 0 && p.average().is_none()));
    }

    #[test]
    fn empty_periods_have_no_figures_rather_than_zeros() {
        let now = NOV_23;
        let empty = Report::build(&[], Period::Last30Days, now, &NEW_YORK, 10);
        assert_eq!(empty.summary.responses(), 0);
        assert_eq!(empty.weakest(), None);
        for factor in Factor::ALL {
            let f = empty.summary.factor(factor);
            assert_eq!(
                (f.average(), f.share_satisfied(), f.index()),
                (None, None, None)
            );
        }
        assert_eq!(empty.trend.len(), 30);
        let all = Report::build(&[], Period::All, now, &NEW_YORK, 10);
        assert!(all.trend.is_empty());
    }

    #[test]
    fn partial_responses_and_a_factor_never_rated() {
        let now = NOV_23 + 12 * HOUR_MS;
        let mut partial = response(3, now - HOUR_MS, &[(Factor::Hygiene, 2)], None);
        partial.complete = false;
        let responses = [
            response(
                1,
                now - 3 * HOUR_MS,
                &[(Factor::Speed, 4), (Factor::Hygiene, 5)],
                None,
            ),
            response(
                2,
                now - 2 * HOUR_MS,
                &[(Factor::Speed, 2), (Factor::Hygiene, 4)],
                None,
            ),
            partial,
        ];
        let report = Report::build(&responses, Period::Today, now, &FixedOffset(0), 10);
        let s = &report.summary;
        assert_eq!((s.responses(), s.complete, s.partial), (3, 2, 1));
        let hygiene = s.factor(Factor::Hygiene);
        assert_eq!(hygiene.count(), 3);
        // (5 + 4 + 2) / 3 = 3.67; 2 of 3 satisfied = 67%; index (100+75+25)/3.
        assert!((hygiene.average().expect("rated") - 11.0 / 3.0).abs() < 1e-9);
        assert_eq!(percent(hygiene.share_satisfied().expect("rated")), 67);
        assert!((hygiene.index().expect("rated") - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.factor(Factor::Security).count(), 0);
        assert_eq!(s.factor(Factor::Security).average(), None);
        // Speed: 1 of 2 satisfied (50%) is weaker than hygiene's 67%.
        assert_eq!(report.weakest(), Some((Factor::Speed, 0.5)));
    }

    #[test]
    fn the_latest_comments_come_first_and_only_from_the_period() {
        let now = NOV_23 + 12 * HOUR_MS;
        let responses = [
            response(1, now - 40 * DAY_MS, &[(Factor::Speed, 1)], Some("old")),
            response(2, now - 2 * HOUR_MS, &[(Factor::Speed, 2)], Some("earlier")),
            response(
                3,
                now - HOUR_MS,
                &[(Factor::Comfort, 5)],
                Some("<b>later</b>"),
            ),
            response(4, now - 30 * 60_000, &[(Factor::Comfort, 5)], None),
        ];
        let month = Report::build(&responses, Period::Last30Days, now, &FixedOffset(0), 10);
        let texts: Vec<&str> = month.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["<b>later</b>", "earlier"]);
        let one = Report::build(&responses, Period::All, now, &FixedOffset(0), 1);
        assert_eq!(one.comments.len(), 1);
        // 40 days back still fits a daily trend.
        assert_eq!(one.bucket, Bucket::Day);
        assert_eq!(one.trend.len(), 41);
    }

    #[test]
    fn a_long_history_is_drawn_by_month() {
        let now = NOV_23;
        let responses = [
            response(1, now - 400 * DAY_MS, &[(Factor::Speed, 3)], None),
            response(2, now - HOUR_MS, &[(Factor::Speed, 5)], None),
        ];
        let all = Report::build(&responses, Period::All, now, &FixedOffset(0), 10);
        assert_eq!(all.bucket, Bucket::Month);
        // 2025-10 to 2026-11: 14 months.
        assert_eq!(all.trend.len(), 14);
        assert_eq!(all.trend.first().map(|p| p.responses), Some(1));
        assert_eq!(all.trend.last().map(|p| p.responses), Some(1));
        assert_eq!(all.trend.last().map(|p| p.key), Some(2026 * 12 + 10));
    }

    #[test]
    fn percent_rounds_to_whole_numbers() {
        assert_eq!(percent(0.41), 41);
        assert_eq!(percent(0.004), 0);
        assert_eq!(percent(2.0 / 3.0), 67);
        assert_eq!(percent(0.0), 0);
        assert_eq!(percent(1.0), 100);
    }
}
