//! `POST /v1/responses`: exactly once, item by item, within limits, for the
//! right kiosk only.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use feedback_collector::tokens::Role;
use feedback_domain::wire::{MAX_BATCH_BYTES, MAX_BATCH_RESPONSES};
use serde_json::json;

async fn a_batch_is_stored_once_and_a_resend_reports_duplicates(engine: Engine) {
    let c = Collector::new(engine).await;
    let items: Vec<_> = (1..=3).map(|n| item(n, json!({"speed": 4}))).collect();
    let first = c.post(&c.kiosk, &batch(items.clone())).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    let first = first.json();
    assert_eq!(ids(&first, "stored").len(), 3);
    assert!(ids(&first, "duplicates").is_empty());
    assert_eq!(c.rows(), 3);

    // The reply was lost; the kiosk sends the same batch again, plus one.
    let mut again = items;
    again.push(item(4, json!({"hygiene": 2})));
    let second = c.post(&c.kiosk, &batch(again)).await.json();
    assert_eq!(ids(&second, "stored").len(), 4);
    assert_eq!(
        ids(&second, "duplicates"),
        ids(&first, "stored"),
        "the three already stored are reported as duplicates"
    );
    assert_eq!(c.rows(), 4, "nothing stored twice");
}

async fn two_identical_batches_racing_store_each_response_once(engine: Engine) {
    let c = std::sync::Arc::new(Collector::new(engine).await);
    let items: Vec<_> = (1..=400)
        .map(|n| item(n, json!({"friendliness": 5, "speed": 3})))
        .collect();
    let body = batch(items);
    let racers: Vec<_> = (0..4)
        .map(|_| {
            let c = std::sync::Arc::clone(&c);
            let body = body.clone();
            tokio::spawn(async move { c.post(&c.kiosk, &body).await })
        })
        .collect();
    let mut newly_stored = 0;
    for racer in racers {
        let reply = racer.await.expect("task");
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let reply = reply.json();
        assert_eq!(ids(&reply, "stored").len(), 400, "every id reported stored");
        newly_stored += 400 - ids(&reply, "duplicates").len();
    }
    assert_eq!(newly_stored, 400, "each response new in exactly one reply");
    assert_eq!(c.rows(), 400);
}

async fn the_same_id_twice_in_one_batch_is_stored_once(engine: Engine) {
    let c = Collector::new(engine).await;
    let reply = c
        .post(
            &c.kiosk,
            &batch(vec![
                item(9, json!({"speed": 1})),
                item(9, json!({"speed": 1})),
            ]),
        )
        .await
        .json();
    assert_eq!(ids(&reply, "stored").len(), 1);
    assert_eq!(c.rows(), 1);
}

async fn each_invalid_item_is_rejected_with_its_reason_and_the_rest_stored(engine: Engine) {
    let c = Collector::new(engine).await;
    let mut unknown_field = item(10, json!({"speed": 4}));
    unknown_field["colour"] = json!("blue");
    let mut long_comment = item(11, json!({"speed": 4}));
    long_comment["comment"] = json!("é".repeat(501));
    let mut bad_id = item(12, json!({"speed": 4}));
    bad_id["id"] = json!("not-a-uuid");
    let mut wrong_type = item(13, json!({"speed": 4}));
    wrong_type["created_at"] = json!("yesterday");
    let mut max_comment = item(2, json!({"comfort": 3}));
    max_comment["comment"] = json!("é".repeat(500));

    let cases = vec![
        (item(1, json!({"speed": 4, "hygiene": 5})), None),
        (item(3, json!({"speed": 0})), Some("outside 1 to 5")),
        (item(4, json!({"speed": 6})), Some("outside 1 to 5")),
        (item(5, json!({"parking": 3})), Some("unknown factor")),
        (item(6, json!({})), Some("no factor was rated")),
        (unknown_field, Some("unknown field")),
        (long_comment, Some("500")),
        (bad_id, Some("not a UUID")),
        (wrong_type, Some("invalid type")),
        (json!("just a string"), Some("invalid type")),
        (max_comment, None),
    ];
    let items: Vec<_> = cases.iter().map(|(item, _)| item.clone()).collect();
    let reply = c.post(&c.kiosk, &batch(items)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let reply = reply.json();
    assert_eq!(
        ids(&reply, "stored"),
        vec![
            uuid::Uuid::from_u128(1).to_string(),
            uuid::Uuid::from_u128(2).to_string()
        ]
    );
    assert_eq!(c.rows(), 2);

    let rejected = reply["rejected"].as_array().expect("rejected");
    let expected: Vec<_> = cases
        .iter()
        .enumerate()
        .filter_map(|(index, (_, reason))| reason.map(|r| (index, r)))
        .collect();
    assert_eq!(rejected.len(), expected.len(), "{reply}");
    for (got, (index, reason)) in rejected.iter().zip(expected) {
        assert_eq!(got["index"], json!(index), "{got}");
        let text = got["reason"].as_str().expect("reason");
        assert!(
            text.contains(reason),
            "item {index}: {text:?} should mention {reason:?}"
        );
    }
    assert_eq!(rejected[6]["id"], json!("not-a-uuid"), "the id is echoed");
}

async fn a_body_that_is_not_a_batch_is_a_clear_400(engine: Engine) {
    let c = Collector::new(engine).await;
    for (body, says) in [
        (
            b"{\"kiosk_id\": \"kiosk-1\", \"responses\": [".to_vec(),
            "EOF",
        ),
        (b"not json".to_vec(), "expected"),
        (
            br#"{"kiosk_id": "kiosk-1", "responses": [], "extra": 1}"#.to_vec(),
            "unknown field",
        ),
        (br#"{"kiosk_id": "kiosk-1"}"#.to_vec(), "missing field"),
    ] {
        let reply = c
            .send(Method::POST, "/v1/responses", Some(&c.kiosk), Some(body))
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
        assert_eq!(reply.error_code(), "bad_request");
        let message = reply.json()["error"]["message"].to_string();
        assert!(message.contains(says), "{message} should say {says}");
    }
    assert_eq!(c.rows(), 0);
}

async fn more_than_a_thousand_responses_is_413_and_a_thousand_is_fine(engine: Engine) {
    let c = Collector::new(engine).await;
    let many: Vec<_> = (1..=MAX_BATCH_RESPONSES as u128 + 1)
        .map(|n| item(n, json!({"speed": 4})))
        .collect();
    let reply = c.post(&c.kiosk, &batch(many.clone())).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.error_code(), "too_large");
    assert_eq!(c.rows(), 0);

    let reply = c
        .post(&c.kiosk, &batch(many[..MAX_BATCH_RESPONSES].to_vec()))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(c.rows(), MAX_BATCH_RESPONSES as i64);
}

async fn a_body_over_one_mebibyte_is_413(engine: Engine) {
    let c = Collector::new(engine).await;
    let mut body = serde_json::to_vec(&batch(vec![item(1, json!({"speed": 4}))])).expect("JSON");
    // Pad with whitespace, which JSON allows: the size alone must refuse it.
    body.splice(1..1, std::iter::repeat_n(b' ', MAX_BATCH_BYTES));
    let reply = c
        .send(Method::POST, "/v1/responses", Some(&c.kiosk), Some(body))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    assert_eq!(reply.error_code(), "too_large");
    assert_eq!(c.rows(), 0);
}

async fn a_created_at_far_in_the_future_or_before_2020_is_stored_and_flagged(engine: Engine) {
    let c = Collector::new(engine).await;
    let mut future = item(1, json!({"speed": 4}));
    future["created_at"] = json!(feedback_collector::now_millis() + 90 * 24 * 3600 * 1000);
    let mut past = item(2, json!({"speed": 4}));
    past["created_at"] = json!(1_000);
    let mut unrepresentable = item(3, json!({"speed": 4}));
    unrepresentable["created_at"] = json!(i64::MIN);
    let mut just_2020 = item(4, json!({"speed": 4}));
    just_2020["created_at"] = json!(1_577_836_800_000_i64);
    let reply = c
        .post(
            &c.kiosk,
            &batch(vec![future, past, unrepresentable, just_2020]),
        )
        .await
        .json();
    assert_eq!(ids(&reply, "stored").len(), 4);
    assert_eq!(
        ids(&reply, "flagged"),
        (1..=3)
            .map(|n| uuid::Uuid::from_u128(n).to_string())
            .collect::<Vec<_>>()
    );
    let suspect =
        c.db.count("SELECT count(*) FROM responses WHERE clock_suspect");
    assert_eq!(suspect, 3);
}

async fn posting_needs_a_live_token_for_this_kiosk_and_store(engine: Engine) {
    let c = Collector::new(engine).await;
    let body = batch(vec![item(1, json!({"speed": 4}))]);
    let bytes = serde_json::to_vec(&body).expect("JSON");

    let none = c
        .send(Method::POST, "/v1/responses", None, Some(bytes.clone()))
        .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.error_code(), "unauthorized");

    let unknown = c.post("fkk_not-a-real-token", &body).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);

    let other_kiosk = c
        .token(Role::Kiosk {
            store_id: STORE.into(),
            kiosk_id: "kiosk-2".into(),
        })
        .await;
    let wrong_kiosk = c.post(&other_kiosk, &body).await;
    assert_eq!(wrong_kiosk.status, StatusCode::FORBIDDEN);
    assert_eq!(wrong_kiosk.error_code(), "forbidden");

    let other_store = c
        .token(Role::Kiosk {
            store_id: "store-2".into(),
            kiosk_id: KIOSK.into(),
        })
        .await;
    let wrong_store = c.post(&other_store, &body).await;
    assert_eq!(wrong_store.status, StatusCode::FORBIDDEN);
    assert!(wrong_store.text().contains("store-2"));

    let manager = c.post(&c.manager, &body).await;
    assert_eq!(manager.status, StatusCode::FORBIDDEN);
    assert_eq!(c.rows(), 0, "nothing stored by a refused request");

    // Revoked: refused from then on.
    let id = c
        .store
        .token_list()
        .await
        .expect("list")
        .into_iter()
        .find(|t| {
            t.role
                == Role::Kiosk {
                    store_id: STORE.into(),
                    kiosk_id: KIOSK.into(),
                }
        })
        .expect("kiosk token")
        .id;
    assert_eq!(c.post(&c.kiosk, &body).await.status, StatusCode::OK);
    assert!(c.store.token_revoke(id, 2).await.expect("revoke"));
    let revoked = c.post(&c.kiosk, &body).await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
    assert!(revoked.text().contains("revoked"));
}

on_each_engine!(
    a_batch_is_stored_once_and_a_resend_reports_duplicates,
    two_identical_batches_racing_store_each_response_once,
    the_same_id_twice_in_one_batch_is_stored_once,
    each_invalid_item_is_rejected_with_its_reason_and_the_rest_stored,
    a_body_that_is_not_a_batch_is_a_clear_400,
    more_than_a_thousand_responses_is_413_and_a_thousand_is_fine,
    a_body_over_one_mebibyte_is_413,
    a_created_at_far_in_the_future_or_before_2020_is_stored_and_flagged,
    posting_needs_a_live_token_for_this_kiosk_and_store,
);
