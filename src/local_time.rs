//! The kiosk's local time, from the browser, for the manager view.

use feedback_domain::report::{civil, LocalOffset, DAY_MS, HOUR_MS};

use crate::messages::ManagerTexts;

/// The browser's time zone, daylight saving included.
#[derive(Clone, Copy, Debug, Default)]
pub struct BrowserZone;

impl LocalOffset for BrowserZone {
    fn offset_ms(&self, utc_ms: i64) -> i64 {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(utc_ms as f64));
        // getTimezoneOffset is UTC minus local, in minutes.
        let minutes = date.get_timezone_offset();
        if minutes.is_finite() {
            -(minutes as i64) * 60_000
        } else {
            0
        }
    }
}

/// Now, in ms since the epoch.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The local calendar day and minute of the day of `utc_ms`.
pub fn local_day_and_minute(utc_ms: i64) -> ((i64, u32, u32), i64) {
    let local = utc_ms + BrowserZone.offset_ms(utc_ms);
    (
        civil(local.div_euclid(DAY_MS)),
        local.rem_euclid(DAY_MS) / 60_000,
    )
}

/// A local date and time such as `2026-11-23 14:05`, for pages in English
/// only (the dashboard); the manager page uses [`ManagerTexts::date_time_of`].
pub fn format_local(utc_ms: i64) -> String {
    crate::messages::EN_MANAGER.date_time_of(utc_ms)
}

/// A trend point's label: `14:00` for an hour, `Mon 23` for a day,
/// `Nov 2026` for a month.
pub fn point_label(
    bucket: feedback_domain::report::Bucket,
    key: i64,
    texts: &ManagerTexts,
) -> String {
    use feedback_domain::report::{weekday, Bucket};
    match bucket {
        Bucket::Hour => format!("{:02}:00", (key * HOUR_MS).rem_euclid(DAY_MS) / HOUR_MS),
        Bucket::Day => {
            let (_, _, d) = civil(key);
            format!("{} {d}", texts.weekdays[weekday(key) as usize])
        }
        Bucket::Month => {
            let month = key.rem_euclid(12) as usize;
            format!("{} {}", texts.months[month], key.div_euclid(12))
        }
    }
}
