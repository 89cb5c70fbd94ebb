//! Manager view benchmark in headless Chromium: reading 50,000 stored
//! responses, computing the summary and rendering the whole view.
//!
//! Not a test: it asserts nothing about speed. `make bench` runs it with
//! `--features bench --release -- --nocapture` and prints the figure.
#![cfg(all(target_arch = "wasm32", feature = "bench"))]

use feedback_domain::settings::KioskSettings;
use feedback_domain::{Comment, Factor, Rating, Ratings, Response, ResponseId, Timestamp};
use feedback_kiosk::components::ManagerView;
use feedback_kiosk::messages::{ManagerTexts, Messages, EN, EN_MANAGER};
use feedback_kiosk::storage::ResponseStore;
use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const STORED: u64 = 50_000;
const RUNS: usize = 7;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .expect("performance.now")
}

#[wasm_bindgen_test]
fn summary_of_50000_responses() {
    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage");
    storage.clear().expect("clear");
    let settings = KioskSettings {
        store_id: "store-1".into(),
        kiosk_id: "kiosk-1".into(),
        ..KioskSettings::default()
    };
    let mut store = ResponseStore::open().expect("open");
    let now = js_sys::Date::now() as i64;
    // Spread over the last 30 days, some with comments, some partial.
    for n in 0..STORED {
        let mut ratings = Ratings::none();
        for (i, factor) in Factor::ALL.into_iter().enumerate() {
            if (n + i as u64) % 7 != 0 {
                let value = ((n * 7 + i as u64 * 3) % 5 + 1) as i64;
                ratings.set(factor, Rating::new(value).expect("1-5"));
            }
        }
        let comment = (n % 25 == 0).then(|| format!("Comment number {n}, with a comma"));
        let response = Response::new(
            ResponseId(Uuid::from_u128(u128::from(n) + 1)),
            Timestamp(now - (n as i64) * 51_000),
            ratings,
            comment.and_then(|c| Comment::parse(&c).ok().flatten()),
            n % 9 != 0,
        )
        .expect("rated");
        store.save(&settings.identity(), &response).expect("save");
    }

    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let parent: web_sys::HtmlElement = document
            .create_element("div")
            .expect("div")
            .dyn_into()
            .expect("element");
        document
            .body()
            .expect("body")
            .append_child(&parent)
            .expect("append");
        let settings = settings.clone();
        let started = now_ms();
        let handle = leptos::mount::mount_to(parent.clone(), move || {
            provide_context::<&'static Messages>(&EN);
            provide_context::<&'static ManagerTexts>(&EN_MANAGER);
            view! {
                <ManagerView
                    settings=Signal::stored(settings)
                    on_settings=Callback::new(|_| Ok(()))
                    on_sync_now=Callback::new(|()| ())
                    on_close=Callback::new(|()| ())
                />
            }
        });
        let elapsed = now_ms() - started;
        let text = parent.text_content().unwrap_or_default();
        assert!(text.contains("Ratings by factor"), "the summary rendered");
        times.push(elapsed);
        drop(handle);
        parent.remove();
    }
    times.sort_by(f64::total_cmp);
    console_log!(
        "manager view with {STORED} stored: median {:.1} ms, best {:.1} ms, worst {:.1} ms (read, summarise, render; {RUNS} runs)",
        times[RUNS / 2],
        times[0],
        times[RUNS - 1]
    );
    storage.clear().expect("clear");
}
