//! Storage benchmark in headless Chromium: save latency and space per response.
//!
//! Not a test: it asserts nothing about speed. `make bench` runs it with
//! `--features bench --release -- --nocapture` and the figures are printed.
#![cfg(all(target_arch = "wasm32", feature = "bench"))]

use feedback_domain::{Factor, Rating, Ratings, Response, ResponseId, Timestamp};
use feedback_kiosk::storage::{ResponseStore, StorageError};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// What Chromium allows one origin in `localStorage`, in UTF-16 code units.
const CHROMIUM_QUOTA_UNITS: f64 = 5_242_880.0;
const SAMPLES: usize = 500;

fn local_storage() -> web_sys::Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage")
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .expect("performance.now")
}

fn kiosk() -> feedback_domain::KioskIdentity {
    feedback_domain::KioskIdentity {
        store_id: "store-0042".into(),
        kiosk_id: "kiosk-exit-1".into(),
    }
}

/// A typical response: all five factors rated, no comment.
fn typical(n: u64) -> Response {
    let mut ratings = Ratings::none();
    for (i, factor) in Factor::ALL.into_iter().enumerate() {
        let value = (n + i as u64) % 5 + 1;
        ratings.set(factor, Rating::new(value as i64).expect("1-5"));
    }
    Response::new(
        ResponseId(feedback_kiosk::random::new_uuid()),
        Timestamp(1_795_000_000_000 + n as i64 * 37_000),
        ratings,
        None,
        true,
    )
    .expect("valid")
    // Every response records the language it was given in.
    .in_language(Some(feedback_domain::Lang::EN))
}

/// Storage used by this origin, in UTF-16 code units (keys plus values).
fn used_units() -> f64 {
    let storage = local_storage();
    let len = storage.length().expect("length");
    (0..len)
        .filter_map(|i| storage.key(i).ok().flatten())
        .map(|key| {
            let value = storage.get_item(&key).ok().flatten().unwrap_or_default();
            (key.encode_utf16().count() + value.encode_utf16().count()) as f64
        })
        .sum()
}

fn time_saves(store: &mut ResponseStore, from: u64) -> (f64, f64) {
    let mut times: Vec<f64> = (0..SAMPLES as u64)
        .map(|i| {
            let response = typical(from + i);
            let start = now_ms();
            store.save(&kiosk(), &response).expect("save");
            now_ms() - start
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[SAMPLES / 2], times[SAMPLES * 95 / 100])
}

#[wasm_bindgen_test]
fn storage_figures() {
    local_storage().clear().expect("clear");
    let mut store = ResponseStore::open().expect("open");
    let (empty_median, empty_p95) = time_saves(&mut store, 0);

    local_storage().clear().expect("clear");
    let mut store = ResponseStore::open().expect("open");
    for n in 0..20_000 {
        store.save(&kiosk(), &typical(n)).expect("prefill");
    }
    let (full_median, full_p95) = time_saves(&mut store, 20_000);

    console_log!(
        "save latency, empty store:       median {empty_median:.3} ms, p95 {empty_p95:.3} ms ({SAMPLES} saves)"
    );
    console_log!(
        "save latency, 20,000 stored:     median {full_median:.3} ms, p95 {full_p95:.3} ms ({SAMPLES} saves); ratio {:.2}x",
        full_median / empty_median.max(0.001)
    );

    // Space: measured over everything stored, then by filling the quota for real.
    let stored = 20_000.0 + SAMPLES as f64;
    let per_response = used_units() / stored;
    console_log!(
        "storage per typical response:    {per_response:.1} UTF-16 code units (keys, chunk headers and separators included)"
    );
    console_log!(
        "estimated fit in 5,242,880 units: {:.0} responses",
        CHROMIUM_QUOTA_UNITS / per_response
    );

    local_storage().clear().expect("clear");
    let mut store = ResponseStore::open().expect("open");
    let mut fitted = 0u64;
    loop {
        match store.save(&kiosk(), &typical(fitted)) {
            Ok(_) => fitted += 1,
            Err(StorageError::Full) => break,
            Err(err) => panic!("unexpected storage error: {err}"),
        }
    }
    console_log!("measured fit (saved until full): {fitted} responses");
    local_storage().clear().expect("clear");
}
