//! Calendar arithmetic in local time: days, weekdays and RFC 3339 in UTC.
//!
//! Local time comes from a [`LocalOffset`] (the kiosk asks the browser; tests
//! use fixed or made-up zones), so the rules here are tested natively.

/// One hour in milliseconds.
pub const HOUR_MS: i64 = 60 * 60 * 1000;
/// One day in milliseconds.
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// The kiosk's time zone: how far local time is ahead of UTC at an instant.
pub trait LocalOffset {
    /// Local time minus UTC, in milliseconds, at `utc_ms`.
    fn offset_ms(&self, utc_ms: i64) -> i64;
}

/// A zone with one offset all year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedOffset(pub i64);

impl LocalOffset for FixedOffset {
    fn offset_ms(&self, _utc_ms: i64) -> i64 {
        self.0
    }
}

/// Local wall-clock milliseconds since the epoch for `utc_ms`.
pub fn to_local(utc_ms: i64, zone: &impl LocalOffset) -> i64 {
    utc_ms + zone.offset_ms(utc_ms)
}

/// The instant (UTC) at which local wall-clock time reads `local_ms`.
/// Across a daylight-saving change the offset after the change is used.
pub fn from_local(local_ms: i64, zone: &impl LocalOffset) -> i64 {
    let guess = local_ms - zone.offset_ms(local_ms);
    local_ms - zone.offset_ms(guess)
}

/// The local day number (days since 1970-01-01, local) of an instant.
pub fn local_day(utc_ms: i64, zone: &impl LocalOffset) -> i64 {
    to_local(utc_ms, zone).div_euclid(DAY_MS)
}

/// When local day `day` starts, in UTC milliseconds.
pub fn day_start(day: i64, zone: &impl LocalOffset) -> i64 {
    from_local(day * DAY_MS, zone)
}

/// Year, month (1–12) and day (1–31) of a day number (days since 1970-01-01).
pub fn civil(day: i64) -> (i64, u32, u32) {
    // Howard Hinnant's days-to-civil algorithm.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Day of the week of a day number: 0 Sunday to 6 Saturday.
pub fn weekday(day: i64) -> u32 {
    (day + 4).rem_euclid(7) as u32
}

/// An instant as RFC 3339 UTC with milliseconds, e.g. `2026-11-23T09:15:30.250Z`.
pub fn utc_rfc3339(utc_ms: i64) -> String {
    let day = utc_ms.div_euclid(DAY_MS);
    let ms = utc_ms.rem_euclid(DAY_MS);
    let (y, m, d) = civil(day);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        ms / HOUR_MS,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}
