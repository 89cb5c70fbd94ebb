//! Keeping a customer's response when storage refuses it: held, the kiosk
//! out of service for the right reason, and stored once there is room
//! again (a full store has no room for the fault either). In headless Chromium, with real `localStorage`.
#![cfg(target_arch = "wasm32")]

use feedback_domain::{Factor, KioskIdentity, Rating, Ratings, Response, ResponseId, Timestamp};
use feedback_kiosk::components::OutOfServiceReason;
use feedback_kiosk::context::KioskContext;
use feedback_kiosk::keeper;
use feedback_kiosk::storage::ResponseStore;
use leptos::prelude::Owner;
use uuid::Uuid;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("the test browser has localStorage")
}

fn kiosk() -> KioskIdentity {
    KioskIdentity {
        store_id: "store-3".into(),
        kiosk_id: "exit".into(),
    }
}

fn response(n: u128) -> Response {
    Response::new(
        ResponseId(Uuid::from_u128(
            0x6b65_6570_0000_4000_8000_0000_0000_0000 + n,
        )),
        Timestamp(1_795_000_000_000 + n as i64),
        Ratings::none().with(Factor::Comfort, Rating::new(2).expect("1-5")),
        None,
        true,
    )
    .expect("rated")
}

/// Fills what is left of the origin's quota with another app's data; the
/// keys it used.
fn fill_quota() -> usize {
    let storage = local_storage();
    let mut block = "x".repeat(512 * 1024);
    let mut i = 0;
    loop {
        if storage.set_item(&format!("other-app-{i}"), &block).is_ok() {
            i += 1;
        } else if block.len() > 1 {
            block.truncate(block.len() / 2);
        } else {
            return i;
        }
    }
}

fn stored() -> Vec<Response> {
    ResponseStore::open()
        .expect("open")
        .load()
        .expect("load")
        .responses
        .into_iter()
        .map(|r| r.entry.response)
        .collect()
}

#[wasm_bindgen_test]
fn a_refused_response_is_held_until_there_is_room_and_then_stored() {
    local_storage().clear().expect("clear");
    Owner::new().with(|| {
        let context = KioskContext::provide();
        assert_eq!(keeper::keep(&context, &kiosk(), response(1)), Ok(()));
        assert_eq!(context.held(), None);

        let others = fill_quota();
        assert_eq!(
            keeper::keep(&context, &kiosk(), response(2)),
            Err(OutOfServiceReason::StorageFull)
        );
        assert_eq!(context.held(), Some(response(2)), "held, not dropped");
        // Still full: it stays held.
        assert_eq!(
            keeper::retry(&context, &kiosk()),
            Err(OutOfServiceReason::StorageFull)
        );
        assert_eq!(context.held(), Some(response(2)));

        for i in 0..others {
            local_storage()
                .remove_item(&format!("other-app-{i}"))
                .expect("remove");
        }
        assert_eq!(keeper::retry(&context, &kiosk()), Ok(()));
        assert_eq!(context.held(), None);
        assert_eq!(stored(), [response(1), response(2)]);
        // Nothing held and storage opens: back in service.
        assert_eq!(keeper::retry(&context, &kiosk()), Ok(()));
    });
    local_storage().clear().expect("clear");
}
