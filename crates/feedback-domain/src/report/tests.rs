//! Tests of the report: periods, buckets, trends and comments.

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
