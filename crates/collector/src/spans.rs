//! How a time window is covered by the pieces an engine can count cheaply.
//!
//! Rollups count responses per 30-minute UTC bucket (per store and kiosk),
//! per UTC day (per store) and in all (per store). A window `[from, to)` is
//! cut into: whole days in the middle, whole half-hours around them, and, at
//! each end that is not on a half-hour boundary, a short piece counted from
//! the raw rows (an indexed range of at most 30 minutes), so answers are
//! exact. Where raw rows may have been deleted by retention (before
//! `raw_since`), an end piece is counted from its whole half-hour instead:
//! rounded outwards to the bucket.

/// 30 minutes in milliseconds: the smallest rollup bucket. Every whole- and
/// half-hour UTC offset puts local hours and days on its boundaries.
pub const HALF_HOUR_MS: i64 = 30 * 60 * 1000;
/// Half-hours in a UTC day.
pub const HALF_HOURS_PER_DAY: i64 = 48;
/// One UTC day in milliseconds.
pub const DAY_MS: i64 = HALF_HOUR_MS * HALF_HOURS_PER_DAY;

/// One piece of a window, in the unit of the table that counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    /// Raw rows created in `[from, to)`, ms since the epoch.
    Raw {
        /// Start, inclusive.
        from: i64,
        /// End, exclusive.
        to: i64,
    },
    /// Half-hour buckets `[from, to)` (bucket = ms / [`HALF_HOUR_MS`]).
    HalfHours {
        /// First bucket; `None`: from the beginning.
        from: Option<i64>,
        /// Bucket after the last; `None`: to the end.
        to: Option<i64>,
    },
    /// UTC days `[from, to)` (day = ms / [`DAY_MS`]).
    Days {
        /// First day; `None`: from the beginning.
        from: Option<i64>,
        /// Day after the last; `None`: to the end.
        to: Option<i64>,
    },
    /// Everything ever counted.
    Everything,
}

/// The half-hour bucket an instant falls in.
pub fn bucket_of(ms: i64) -> i64 {
    ms.div_euclid(HALF_HOUR_MS)
}

/// The UTC day an instant falls in.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

fn ceil_div(value: i64, unit: i64) -> i64 {
    -((-value).div_euclid(unit))
}

/// The spans that together count exactly the window `[from, to)` (`None`:
/// unbounded), given that raw rows created before `raw_since` may be gone.
/// An empty or reversed window gives no span.
pub fn cover(from: Option<i64>, to: Option<i64>, raw_since: i64) -> Vec<Span> {
    let mut spans = Vec::new();
    if from.is_none() && to.is_none() {
        spans.push(Span::Everything);
        return spans;
    }
    if let (Some(from), Some(to)) = (from, to) {
        if from >= to {
            return spans;
        }
        if bucket_of(from) == bucket_of(to - 1) && from % HALF_HOUR_MS != 0 {
            // Inside one half-hour.
            spans.push(edge(from, to, raw_since));
            return spans;
        }
    }
    // Whole half-hours [first, last).
    let first = from.map(|from| {
        let up = ceil_div(from, HALF_HOUR_MS);
        if up * HALF_HOUR_MS != from {
            spans.push(edge(from, up * HALF_HOUR_MS, raw_since));
        }
        up
    });
    let last = to.map(|to| {
        let down = to.div_euclid(HALF_HOUR_MS);
        if down * HALF_HOUR_MS != to {
            spans.push(edge(down * HALF_HOUR_MS, to, raw_since));
        }
        down
    });
    let first_day = first.map(|b| ceil_div(b, HALF_HOURS_PER_DAY));
    let last_day = last.map(|b| b.div_euclid(HALF_HOURS_PER_DAY));
    match (first_day, last_day) {
        (Some(fd), Some(ld)) if fd >= ld => {
            if first < last {
                spans.push(Span::HalfHours {
                    from: first,
                    to: last,
                });
            }
        }
        _ => {
            if let (Some(first), Some(fd)) = (first, first_day) {
                if first < fd * HALF_HOURS_PER_DAY {
                    spans.push(Span::HalfHours {
                        from: Some(first),
                        to: Some(fd * HALF_HOURS_PER_DAY),
                    });
                }
            }
            spans.push(Span::Days {
                from: first_day,
                to: last_day,
            });
            if let (Some(last), Some(ld)) = (last, last_day) {
                if ld * HALF_HOURS_PER_DAY < last {
                    spans.push(Span::HalfHours {
                        from: Some(ld * HALF_HOURS_PER_DAY),
                        to: Some(last),
                    });
                }
            }
        }
    }
    spans
}

/// A piece of at most one half-hour: raw rows, or its whole bucket when
/// raw rows there may have been deleted.
fn edge(from: i64, to: i64, raw_since: i64) -> Span {
    if from >= raw_since {
        Span::Raw { from, to }
    } else {
        let bucket = bucket_of(from);
        Span::HalfHours {
            from: Some(bucket),
            to: Some(bucket + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Milliseconds each span covers, to check a cover has no gap or overlap.
    fn covered(spans: &[Span]) -> Vec<(i64, i64)> {
        let mut pieces: Vec<(i64, i64)> = spans
            .iter()
            .map(|span| match *span {
                Span::Raw { from, to } => (from, to),
                Span::HalfHours { from, to } => (
                    from.map_or(i64::MIN, |b| b * HALF_HOUR_MS),
                    to.map_or(i64::MAX, |b| b * HALF_HOUR_MS),
                ),
                Span::Days { from, to } => (
                    from.map_or(i64::MIN, |d| d * DAY_MS),
                    to.map_or(i64::MAX, |d| d * DAY_MS),
                ),
                Span::Everything => (i64::MIN, i64::MAX),
            })
            .collect();
        pieces.sort_unstable();
        pieces
    }

    fn contiguous(spans: &[Span], from: i64, to: i64) {
        let pieces = covered(spans);
        assert_eq!(pieces.first().map(|p| p.0), Some(from), "{spans:?}");
        assert_eq!(pieces.last().map(|p| p.1), Some(to), "{spans:?}");
        for pair in pieces.windows(2) {
            assert_eq!(pair[0].1, pair[1].0, "gap or overlap in {spans:?}");
        }
    }

    #[test]
    fn a_window_is_covered_exactly_by_raw_edges_half_hours_and_days() {
        let day = 20_000 * DAY_MS;
        for (from, to) in [
            (day + 7, day + 3 * DAY_MS + 11),
            (day, day + DAY_MS),
            (day + 1_000, day + 2_000),
            (day + 5 * HALF_HOUR_MS, day + 9 * HALF_HOUR_MS + 1),
            (day - 1, day + 1),
        ] {
            contiguous(&cover(Some(from), Some(to), i64::MIN), from, to);
        }
        let spans = cover(Some(day + 7), Some(day + 3 * DAY_MS + 11), i64::MIN);
        assert!(spans.contains(&Span::Days {
            from: Some(20_001),
            to: Some(20_003)
        }));
        contiguous(&cover(None, Some(day + 5), i64::MIN), i64::MIN, day + 5);
        contiguous(&cover(Some(day + 5), None, i64::MIN), day + 5, i64::MAX);
        assert_eq!(cover(None, None, 0), vec![Span::Everything]);
        assert!(cover(Some(day), Some(day), 0).is_empty());
    }

    #[test]
    fn edges_older_than_the_raw_rows_are_rounded_to_their_bucket() {
        let from = 100 * HALF_HOUR_MS + 10;
        let spans = cover(Some(from), Some(300 * HALF_HOUR_MS), 200 * HALF_HOUR_MS);
        assert!(spans.contains(&Span::HalfHours {
            from: Some(100),
            to: Some(101)
        }));
        assert!(!spans.iter().any(|s| matches!(s, Span::Raw { .. })));
    }
}
