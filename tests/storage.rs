//! The offline store in a real browser: `localStorage` in headless Chromium.
//!
//! Run with `make test` (or `CHROMEDRIVER=/usr/bin/chromedriver cargo test
//! --target wasm32-unknown-unknown --test storage`).
#![cfg(target_arch = "wasm32")]

use feedback_domain::settings::KioskSettings;
use feedback_domain::{
    Comment, Factor, KioskIdentity, Rating, Ratings, Response, ResponseId, SyncState, Timestamp,
};
use feedback_kiosk::components::OutOfServiceReason;
use feedback_kiosk::context::KioskContext;
use feedback_kiosk::keeper;
use feedback_kiosk::storage::{
    chunk_key, owners, ChunkKey, ResponseStore, StorageError, CHUNK_RECORDS, SETTINGS_KEY,
};
use leptos::prelude::Owner;
use uuid::Uuid;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("the test browser has localStorage")
}

/// A fresh origin state for each test.
fn fresh_store() -> ResponseStore {
    local_storage().clear().expect("clear localStorage");
    ResponseStore::open().expect("open the store")
}

/// This page's writer id: the chunks its saves go to.
fn own() -> String {
    owners::own_writer()
}

fn kiosk() -> KioskIdentity {
    KioskIdentity {
        store_id: "store-7".into(),
        kiosk_id: "exit-left".into(),
    }
}

fn response(n: u128, speed: u8, comment: Option<&str>, complete: bool) -> Response {
    let ratings = Ratings::none()
        .with(
            Factor::Speed,
            Rating::new(i64::from(speed)).expect("rating 1-5"),
        )
        .with(Factor::Hygiene, Rating::new(4).expect("rating 1-5"));
    Response::new(
        ResponseId(Uuid::from_u128(
            0x5eed_0000_0000_4000_8000_0000_0000_0000 + n,
        )),
        Timestamp(1_795_000_000_000 + n as i64),
        ratings,
        comment.and_then(|c| Comment::parse(c).expect("short comment")),
        complete,
    )
    .expect("a valid response")
}

/// Fills what is left of the origin's quota with another app's data; how
/// many keys it used (`other-app-0` …).
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

#[wasm_bindgen_test]
fn a_saved_response_reads_back_after_reopening() {
    let mut store = fresh_store();
    let sent = response(1, 2, Some("Checkout was slow,\nbut \\ friendly"), true);
    let left = response(2, 5, None, false);
    store.save(&kiosk(), &sent).expect("save");
    store.save(&kiosk(), &left).expect("save");
    drop(store);

    let loaded = ResponseStore::open().expect("reopen").load().expect("load");
    assert_eq!(loaded.set_aside.total(), 0);
    let back: Vec<_> = loaded
        .responses
        .iter()
        .map(|r| r.entry.response.clone())
        .collect();
    assert_eq!(back, vec![sent, left]);
    for stored in &loaded.responses {
        assert_eq!(*stored.identity, kiosk());
        assert_eq!(stored.entry.state, SyncState::Pending);
    }
}

#[wasm_bindgen_test]
fn saving_appends_without_rewriting_earlier_chunks() {
    let mut store = fresh_store();
    let total = CHUNK_RECORDS * 2 + 5;
    for n in 0..total {
        store
            .save(&kiosk(), &response(n as u128, 3, None, true))
            .expect("save");
    }
    let storage = local_storage();
    let first = storage
        .get_item(&chunk_key(&own(), 0))
        .expect("read")
        .expect("chunk 0");
    let second = storage
        .get_item(&chunk_key(&own(), 1))
        .expect("read")
        .expect("chunk 1");
    store
        .save(&kiosk(), &response(9_999, 1, None, true))
        .expect("save");
    assert_eq!(
        storage.get_item(&chunk_key(&own(), 0)).expect("read"),
        Some(first)
    );
    assert_eq!(
        storage.get_item(&chunk_key(&own(), 1)).expect("read"),
        Some(second)
    );

    // Per-kiosk fields are kept once per chunk, not once per response.
    let third = storage
        .get_item(&chunk_key(&own(), 2))
        .expect("read")
        .expect("chunk 2");
    assert_eq!(third.matches("exit-left").count(), 1);
    assert_eq!(
        ResponseStore::open()
            .and_then(|s| s.load())
            .expect("load")
            .responses
            .len(),
        total + 1
    );
}

#[wasm_bindgen_test]
fn a_new_kiosk_identity_starts_a_new_chunk() {
    let mut store = fresh_store();
    store
        .save(&kiosk(), &response(1, 3, None, true))
        .expect("save");
    let moved = KioskIdentity {
        store_id: "store-8".into(),
        kiosk_id: "exit-left".into(),
    };
    store
        .save(&moved, &response(2, 3, None, true))
        .expect("save");
    let loaded = store.load().expect("load");
    let stores: Vec<_> = loaded
        .responses
        .iter()
        .map(|r| r.identity.store_id.as_str())
        .collect();
    assert_eq!(stores, ["store-7", "store-8"]);
}

#[wasm_bindgen_test]
fn corrupt_and_unknown_entries_are_set_aside_and_the_rest_loads() {
    let mut store = fresh_store();
    for n in 0..3 {
        store
            .save(&kiosk(), &response(n, 4, None, true))
            .expect("save");
    }
    let storage = local_storage();
    let chunk = storage
        .get_item(&chunk_key(&own(), 0))
        .expect("read")
        .expect("chunk 0");
    let mut lines: Vec<&str> = chunk.split('\n').collect();
    lines.insert(2, "p?garbage that is not a record at all");
    storage
        .set_item(&chunk_key(&own(), 0), &lines.join("\n"))
        .expect("write");
    // A chunk whose header cannot be read, a future schema's key, a stray chunk key.
    storage
        .set_item(
            &chunk_key(&own(), 5),
            "{not json\npc00000AAAAAAAAAAAAAAAAAAAAAA1",
        )
        .expect("write");
    storage
        .set_item("fk2.c.0", "from a newer kiosk version")
        .expect("write");
    storage.set_item("fk1.c.x", "??").expect("write");
    storage
        .set_item(SETTINGS_KEY, "{\"store_id\":")
        .expect("write");

    let store = ResponseStore::open().expect("open despite the damage");
    let loaded = store.load().expect("load");
    assert_eq!(loaded.responses.len(), 3, "every readable response loads");
    assert_eq!(loaded.set_aside.corrupt_records, 3);
    assert_eq!(loaded.set_aside.unknown_keys, 2);
    assert_eq!(
        store.settings(),
        None,
        "unreadable settings fall back, not crash"
    );
    // Nothing was deleted: what was set aside is still there to inspect.
    assert!(storage.get_item("fk2.c.0").expect("read").is_some());
    assert!(storage
        .get_item(&chunk_key(&own(), 5))
        .expect("read")
        .is_some());

    // And the kiosk keeps taking responses.
    let mut store = store;
    store
        .save(&kiosk(), &response(10, 1, None, true))
        .expect("save after damage");
    assert_eq!(store.load().expect("load").responses.len(), 4);
}

#[wasm_bindgen_test]
fn sync_state_survives_reopening() {
    let mut store = fresh_store();
    let a = response(1, 3, None, true);
    let b = response(2, 3, None, true);
    store.save(&kiosk(), &a).expect("save");
    store.save(&kiosk(), &b).expect("save");
    assert_eq!(
        store.set_state(&[b.id], SyncState::Synced).expect("mark"),
        1
    );
    assert_eq!(
        store
            .set_state(&[b.id], SyncState::Synced)
            .expect("mark again"),
        0
    );

    let loaded = ResponseStore::open().and_then(|s| s.load()).expect("load");
    let states: Vec<_> = loaded.responses.iter().map(|r| r.entry.state).collect();
    assert_eq!(states, [SyncState::Pending, SyncState::Synced]);
}

#[wasm_bindgen_test]
fn settings_are_saved_and_read_back() {
    let mut store = fresh_store();
    assert_eq!(store.settings(), None);
    let settings = KioskSettings {
        store_id: "store-7".into(),
        kiosk_id: "exit-left".into(),
        ..KioskSettings::default()
    };
    store.save_settings(&settings).expect("save settings");
    assert_eq!(
        ResponseStore::open().expect("reopen").settings(),
        Some(settings)
    );
}

#[wasm_bindgen_test]
fn a_full_quota_with_nothing_synced_refuses_and_keeps_everything() {
    let mut store = fresh_store();
    let kept: Vec<_> = (0..5).map(|n| response(n, 2, None, true)).collect();
    for r in &kept {
        store.save(&kiosk(), r).expect("save");
    }
    let _ = fill_quota();

    let refused = store.save(&kiosk(), &response(100, 5, Some("will not fit"), true));
    assert!(
        matches!(refused, Err(StorageError::Full)),
        "got {refused:?}"
    );
    let loaded = store.load().expect("load");
    let back: Vec<_> = loaded
        .responses
        .iter()
        .map(|r| r.entry.response.clone())
        .collect();
    assert_eq!(back, kept, "unsynced responses are never dropped");
    local_storage().clear().expect("clear");
}

#[wasm_bindgen_test]
fn a_full_quota_prunes_synced_responses_oldest_first() {
    let mut store = fresh_store();
    // Three chunks: the first two synced, the last one pending.
    let all: Vec<_> = (0..CHUNK_RECORDS as u128 * 3)
        .map(|n| response(n, 3, None, true))
        .collect();
    for r in &all {
        store.save(&kiosk(), r).expect("save");
    }
    let synced: Vec<_> = all[..CHUNK_RECORDS * 2].iter().map(|r| r.id).collect();
    store
        .set_state(&synced, SyncState::Synced)
        .expect("mark synced");
    let _ = fill_quota();

    let newest = response(
        10_000,
        5,
        Some("a long comment that needs room ".repeat(8).trim_end()),
        true,
    );
    let outcome = store.save(&kiosk(), &newest).expect("room was made");
    assert_eq!(
        outcome.pruned, CHUNK_RECORDS,
        "only the oldest synced chunk went"
    );

    let loaded = store.load().expect("load");
    let ids: Vec<_> = loaded
        .responses
        .iter()
        .map(|r| r.entry.response.id)
        .collect();
    let mut expected: Vec<_> = all[CHUNK_RECORDS..].iter().map(|r| r.id).collect();
    expected.push(newest.id);
    assert_eq!(ids, expected);
    local_storage().clear().expect("clear");
}

#[wasm_bindgen_test]
fn the_next_batch_is_pending_responses_of_this_kiosk_oldest_first() {
    let mut store = fresh_store();
    for n in 0..5 {
        store
            .save(&kiosk(), &response(n, 3, None, true))
            .expect("save");
    }
    let other = KioskIdentity {
        store_id: "store-7".into(),
        kiosk_id: "renamed".into(),
    };
    store
        .save(&other, &response(9, 3, None, true))
        .expect("save");
    store
        .set_state(&[response(1, 3, None, true).id], SyncState::Synced)
        .expect("mark");

    let batch = store.pending(&kiosk(), 2).expect("pending");
    let ids: Vec<_> = batch.responses.iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        vec![response(0, 3, None, true).id, response(2, 3, None, true).id]
    );
    assert_eq!(
        batch.pending, 4,
        "every pending one of this kiosk is counted"
    );
    assert_eq!(batch.other_identity, 1);
}

#[wasm_bindgen_test]
fn a_refused_response_is_kept_rejected_with_its_reason() {
    let mut store = fresh_store();
    store
        .save(&kiosk(), &response(1, 2, None, true))
        .expect("save");
    store
        .save(&kiosk(), &response(2, 2, None, true))
        .expect("save");
    let refused = response(2, 2, None, true).id;
    let changed = store
        .reject(&[(refused, "rating 9 for speed is outside 1 to 5".into())])
        .expect("reject");
    assert_eq!(changed, 1);

    let reopened = ResponseStore::open().expect("reopen");
    let states: Vec<_> = reopened
        .load()
        .expect("load")
        .responses
        .iter()
        .map(|r| r.entry.state)
        .collect();
    assert_eq!(states, vec![SyncState::Pending, SyncState::Rejected]);
    assert_eq!(
        reopened
            .rejections()
            .iter()
            .find(|(id, _)| *id == refused.to_string())
            .map(|(_, reason)| reason.as_str()),
        Some("rating 9 for speed is outside 1 to 5")
    );
    assert_eq!(reopened.pending(&kiosk(), 10).expect("pending").pending, 1);
    assert_eq!(
        reopened.load().expect("load").set_aside.unknown_keys,
        0,
        "the rejections key is this schema's own"
    );
}

#[wasm_bindgen_test]
fn the_sync_record_survives_and_a_damaged_one_reads_as_empty() {
    use feedback_domain::sync::{SyncProblem, SyncRecord};
    let mut store = fresh_store();
    let record = SyncRecord {
        last_success_at: Some(7),
        last_problem_at: Some(8),
        last_problem: Some(SyncProblem::Timeout),
        refused_token: None,
    };
    store.save_sync_record(&record).expect("save");
    assert_eq!(ResponseStore::open().expect("reopen").sync_record(), record);

    local_storage()
        .set_item(feedback_kiosk::storage::SYNC_KEY, "{not json")
        .expect("damage");
    assert_eq!(store.sync_record(), SyncRecord::default());
}

#[wasm_bindgen_test]
fn two_tabs_saving_at_once_never_write_one_chunk() {
    let mut mine = fresh_store();
    // Another tab of the kiosk: another writer, its own chunks.
    let mut theirs = ResponseStore::open_as("zzzzzzzzz000".into()).expect("open");
    for n in 0..(CHUNK_RECORDS as u128 + 10) {
        mine.save(&kiosk(), &response(2 * n, 3, None, true))
            .expect("save");
        theirs
            .save(&kiosk(), &response(2 * n + 1, 4, None, true))
            .expect("save");
    }
    let loaded = ResponseStore::open().and_then(|s| s.load()).expect("load");
    assert_eq!(loaded.responses.len(), 2 * (CHUNK_RECORDS + 10));
    let storage = local_storage();
    assert!(storage
        .get_item(&chunk_key("zzzzzzzzz000", 1))
        .expect("read")
        .is_some());

    // This tab sends, and marks, only what it owns; the other tab's
    // chunks are never rewritten while it lives.
    let before = storage
        .get_item(&chunk_key("zzzzzzzzz000", 0))
        .expect("read");
    let batch = mine.pending(&kiosk(), 1_000).expect("pending");
    assert_eq!(batch.pending, CHUNK_RECORDS + 10);
    assert!(batch
        .responses
        .windows(2)
        .all(|w| w[0].created_at <= w[1].created_at));
    let all: Vec<ResponseId> = loaded
        .responses
        .iter()
        .map(|r| r.entry.response.id)
        .collect();
    let marked = mine.set_state(&all, SyncState::Synced).expect("mark");
    assert_eq!(marked, CHUNK_RECORDS + 10);
    assert_eq!(
        storage
            .get_item(&chunk_key("zzzzzzzzz000", 0))
            .expect("read"),
        before
    );
}

#[wasm_bindgen_test]
fn chunk_keys_of_every_version_are_read() {
    assert_eq!(
        ChunkKey::parse("fk1.c.12"),
        Some(ChunkKey {
            writer: String::new(),
            number: 12
        })
    );
    assert_eq!(
        ChunkKey::parse("fk1.c.mh3k2a9q0abc.3"),
        Some(ChunkKey {
            writer: "mh3k2a9q0abc".into(),
            number: 3
        })
    );
    for bad in [
        "fk1.c.01",
        "fk1.c.AB.1",
        "fk1.c.x.",
        "fk1.c.a.b.1",
        "fk1.c.",
    ] {
        assert_eq!(ChunkKey::parse(bad), None, "{bad}");
    }
    // A chunk written before writers existed still loads.
    let store = fresh_store();
    let line = feedback_domain::record::encode(&feedback_domain::OutboxEntry::pending(response(
        1, 2, None, true,
    )));
    local_storage()
        .set_item(
            "fk1.c.0",
            &format!("{}\n{line}", feedback_kiosk::codec::identity_line(&kiosk())),
        )
        .expect("write");
    assert_eq!(store.load().expect("load").responses.len(), 1);
}

#[wasm_bindgen_test]
fn damaged_settings_read_as_damaged_and_keep_the_pin() {
    use feedback_kiosk::storage::StoredSettings;
    let mut store = fresh_store();
    assert_eq!(store.stored_settings(), StoredSettings::Missing);
    let settings = KioskSettings {
        manager_pin: Some(feedback_domain::pin::PinHash::new("2468", &[7; 16])),
        ..KioskSettings::default()
    };
    store.save_settings(&settings).expect("save");
    local_storage()
        .set_item(SETTINGS_KEY, "{\"store_id\": ")
        .expect("damage");
    assert_eq!(store.stored_settings(), StoredSettings::Damaged);
    let pin = store.manager_pin().expect("the PIN's own copy");
    assert!(pin.verify("2468"));
    assert!(!pin.verify("1111"));
}

// Keeping a customer's response when storage refuses it (`keeper.rs`):
// held, the kiosk out of service for the right reason, and stored once
// there is room again (a full store has no room for the fault either).

/// A response the keeper tests store or hold.
fn kept(n: u128) -> Response {
    response(0x6b65_6570 + n, 2, None, true)
}

fn stored_responses() -> Vec<Response> {
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
        let context = KioskContext::open();
        assert_eq!(keeper::keep(&context, &kiosk(), kept(1)), Ok(()));
        assert_eq!(context.held(), None);

        let others = fill_quota();
        assert_eq!(
            keeper::keep(&context, &kiosk(), kept(2)),
            Err(OutOfServiceReason::StorageFull)
        );
        assert_eq!(context.held(), Some(kept(2)), "held, not dropped");
        // Still full: it stays held.
        assert_eq!(
            keeper::retry(&context, &kiosk()),
            Err(OutOfServiceReason::StorageFull)
        );
        assert_eq!(context.held(), Some(kept(2)));

        for i in 0..others {
            local_storage()
                .remove_item(&format!("other-app-{i}"))
                .expect("remove");
        }
        assert_eq!(keeper::retry(&context, &kiosk()), Ok(()));
        assert_eq!(context.held(), None);
        assert_eq!(stored_responses(), [kept(1), kept(2)]);
        // Nothing held and storage opens: back in service.
        assert_eq!(keeper::retry(&context, &kiosk()), Ok(()));
    });
    local_storage().clear().expect("clear");
}
