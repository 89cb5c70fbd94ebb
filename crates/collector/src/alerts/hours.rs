//! Opening hours in a store's local time, and how much of a stretch of time
//! fell within them: a kiosk is silent after two hours *of opening hours*
//! without a heartbeat, so a night or a Sunday closed never counts.
//!
//! In the alerts file, either one range for every day:
//! `opening_hours = "08:00-21:00"`, or one per weekday, days left out being
//! closed: `opening_hours = { mon = "08:00-21:00", sat = "09:00-14:00",
//! sun = "closed" }`. A range ending at or before its start runs past
//! midnight (`"18:00-02:00"`); `"00:00-24:00"` is the whole day.

use std::collections::BTreeMap;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Deserialize;

/// Minutes after local midnight a store opens and closes, per weekday
/// (Monday first); `None`: closed that day.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Written")]
pub struct OpeningHours([Option<(u32, u32)>; 7]);

/// As the file has it.
#[derive(Deserialize)]
#[serde(untagged)]
enum Written {
    EveryDay(String),
    PerDay(BTreeMap<String, String>),
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl TryFrom<Written> for OpeningHours {
    type Error = String;

    fn try_from(written: Written) -> Result<OpeningHours, String> {
        let mut days = [None; 7];
        match written {
            Written::EveryDay(range) => {
                let range = parse_range(&range)?;
                days = [range; 7];
            }
            Written::PerDay(map) => {
                for (day, range) in map {
                    let index = DAYS.iter().position(|d| *d == day).ok_or_else(|| {
                        format!("{day:?} is not a day; use mon, tue, wed, thu, fri, sat, sun")
                    })?;
                    days[index] = parse_range(&range)?;
                }
            }
        }
        Ok(OpeningHours(days))
    }
}

/// `"08:00-21:00"` as minutes, or `"closed"` as `None`.
fn parse_range(text: &str) -> Result<Option<(u32, u32)>, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("closed") {
        return Ok(None);
    }
    let bad = || format!("{text:?} is not opening hours such as \"08:00-21:00\" or \"closed\"");
    let (open, close) = text.split_once('-').ok_or_else(bad)?;
    let minutes = |t: &str| -> Option<u32> {
        let (h, m) = t.trim().split_once(':')?;
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
    };
    let (open, close) = (
        minutes(open).ok_or_else(bad)?,
        minutes(close).ok_or_else(bad)?,
    );
    if open == close || open == 24 * 60 {
        return Err(bad());
    }
    Ok(Some((open, close)))
}

impl OpeningHours {
    /// How many ms of `[from, to)` (ms since the epoch) the store was open,
    /// in time zone `zone`. Looks back at most 31 days from `to`.
    pub fn open_ms_between(&self, from: i64, to: i64, zone: &TimeZone) -> i64 {
        let from = from.max(to - 31 * 86_400_000);
        let (Some(first), Some(last)) = (local_date(from, zone), local_date(to, zone)) else {
            return 0;
        };
        let mut total = 0;
        // Counted up to here: a day running past midnight may overlap the
        // next day's hours, which must not count twice.
        let mut counted = from;
        // The day before `from` may run past midnight into it.
        let mut day = first.yesterday().unwrap_or(first);
        while day <= last {
            if let Some((open, close)) = self.interval(day, zone) {
                let (start, end) = (open.max(counted), close.min(to));
                if end > start {
                    total += end - start;
                    counted = end;
                }
            }
            let Ok(next) = day.tomorrow() else { break };
            day = next;
        }
        total
    }

    /// Whether the store is open at `at`.
    pub fn is_open(&self, at: i64, zone: &TimeZone) -> bool {
        self.open_ms_between(at, at + 1, zone) > 0
    }

    /// When the store opens and closes on local `day`, in ms since the epoch.
    fn interval(&self, day: Date, zone: &TimeZone) -> Option<(i64, i64)> {
        let index = usize::try_from(day.weekday().to_monday_zero_offset()).ok()?;
        let (open, close) = self.0.get(index).copied().flatten()?;
        let close_day = if close <= open {
            day.tomorrow().ok()?
        } else {
            day
        };
        Some((instant(day, open, zone)?, instant(close_day, close, zone)?))
    }
}

fn local_date(ms: i64, zone: &TimeZone) -> Option<Date> {
    Some(
        Timestamp::from_millisecond(ms)
            .ok()?
            .to_zoned(zone.clone())
            .date(),
    )
}

/// Local `day` at `minutes` after midnight (24:00 being the next midnight).
fn instant(day: Date, minutes: u32, zone: &TimeZone) -> Option<i64> {
    let (day, minutes) = if minutes == 24 * 60 {
        (day.tomorrow().ok()?, 0)
    } else {
        (day, minutes)
    };
    let time = Time::new(
        i8::try_from(minutes / 60).ok()?,
        i8::try_from(minutes % 60).ok()?,
        0,
        0,
    )
    .ok()?;
    let zoned = day.to_datetime(time).to_zoned(zone.clone()).ok()?;
    Some(zoned.timestamp().as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(toml_value: &str) -> Result<OpeningHours, String> {
        #[derive(Deserialize)]
        struct File {
            opening_hours: OpeningHours,
        }
        toml::from_str::<File>(&format!("opening_hours = {toml_value}"))
            .map(|f| f.opening_hours)
            .map_err(|e| e.to_string())
    }

    fn at(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn ranges_days_and_mistakes_are_read() {
        let daily = hours("\"08:00-21:00\"").unwrap();
        assert_eq!(daily.0, [Some((480, 1260)); 7]);
        let week = hours("{ mon = \"08:00-21:00\", sun = \"closed\" }").unwrap();
        assert_eq!(week.0[0], Some((480, 1260)));
        assert_eq!(week.0[1..], [None; 6]);
        assert_eq!(hours("\"00:00-24:00\"").unwrap().0[3], Some((0, 1440)));
        for bad in [
            "\"8-21\"",
            "\"08:00-08:00\"",
            "\"25:00-26:00\"",
            "{ funday = \"08:00-09:00\" }",
        ] {
            assert!(hours(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_open_time_counts_in_the_store_s_zone() {
        let zone = TimeZone::get("Europe/Madrid").unwrap();
        let daily = hours("\"08:00-21:00\"").unwrap();
        // Thursday 2026-12-03: Madrid is UTC+1, so it opens at 07:00 UTC.
        let (from, to) = (at("2026-12-02T19:00:00Z"), at("2026-12-03T08:30:00Z"));
        // 20:00-21:00 local the evening before, 08:00-09:30 local today.
        assert_eq!(daily.open_ms_between(from, to, &zone), 150 * 60_000);
        assert!(daily.is_open(at("2026-12-03T07:00:00Z"), &zone));
        assert!(!daily.is_open(at("2026-12-03T06:59:00Z"), &zone));
        let night = hours("\"22:00-02:00\"").unwrap();
        assert!(night.is_open(at("2026-12-03T00:30:00Z"), &zone));
        assert!(!night.is_open(at("2026-12-03T02:30:00Z"), &zone));
        // Friday past midnight into a Saturday open all day: counted once.
        let late = hours("{ fri = \"18:00-02:00\", sat = \"00:00-24:00\" }").unwrap();
        let (fri, sun) = (at("2026-11-27T17:00:00Z"), at("2026-11-28T23:00:00Z"));
        assert_eq!(late.open_ms_between(fri, sun, &zone), 30 * 3_600_000);
        let weekdays = hours("{ mon = \"09:00-17:00\" }").unwrap();
        // Only Mondays: a silence from Saturday to Monday 10:00 is one hour.
        let (sat, mon) = (at("2026-11-28T12:00:00Z"), at("2026-11-30T09:00:00Z"));
        assert_eq!(weekdays.open_ms_between(sat, mon, &zone), 3_600_000);
    }
}
