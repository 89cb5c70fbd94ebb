//! The dashboard's URL state, in headless Chromium: every view reads back
//! from the query it writes, and a mangled query falls back to the
//! overview rather than breaking the page.
#![cfg(target_arch = "wasm32")]

use feedback_kiosk::dashboard::route::{Period, Route, View};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_view_reads_back_from_the_query_it_writes() {
    let route = Route {
        view: View::Store("store north & 1".into()),
        period: Period::Dates("2026-03-01".into(), "2026-03-31".into()),
        sort: Some("speed".into()),
        descending: true,
        by: Some("week".into()),
        factor: Some("hygiene".into()),
        low: Some("speed".into()),
        q: Some("queue & 50%".into()),
    };
    let query = route.query();
    assert!(query.contains("store=store%20north%20%26%201"), "{query}");
    assert_eq!(Route::parse(&query), route);
    let overview = Route {
        period: Period::Last30,
        ..Route::default()
    };
    assert_eq!(Route::parse(&overview.query()), overview);
    for view in [View::Kiosks, View::Alerts] {
        let route = Route {
            view,
            ..Route::default()
        };
        assert_eq!(Route::parse(&route.query()), route);
    }
    assert_eq!(Route::parse("?view=alerts").view, View::Alerts);
}

#[wasm_bindgen_test]
fn a_mangled_query_falls_back_to_the_overview() {
    let route = Route::parse("?view=store&from=2026-13-45&to=x&by=decade&period=%E0%A4%A");
    assert_eq!(route, Route::default());
    // Dates given the wrong way round are not a period.
    let reversed = Route::parse("?from=2026-03-31&to=2026-03-01");
    assert_eq!(reversed.period, Period::Last7);
}

#[wasm_bindgen_test]
fn every_period_is_a_window_of_whole_local_days() {
    for period in [Period::Today, Period::Last7, Period::Last30] {
        let (from, to) = Route {
            period: period.clone(),
            ..Route::default()
        }
        .window();
        let days = (js_sys::Date::parse(&to) - js_sys::Date::parse(&from)) / 86_400_000.0;
        let expected = match period {
            Period::Today => 1.0,
            Period::Last7 => 7.0,
            _ => 30.0,
        };
        // A daylight-saving change inside the window moves it by an hour.
        assert!(
            (days - expected).abs() <= 1.0 / 24.0 + 1e-9,
            "{period:?}: {days}"
        );
    }
    let (from, to) = Route::parse("?from=2026-03-01&to=2026-03-31").window();
    assert!(from < to, "{from} {to}");
}
