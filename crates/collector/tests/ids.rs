//! Ids belong to their kiosk: an id is a duplicate only when the same kiosk
//! sends the same response again.

mod common;

use axum::http::StatusCode;
use common::*;
use feedback_collector::ingest::ID_IN_USE;
use feedback_collector::tokens::Role;
use serde_json::{json, Value};

fn rejected(reply: &Value) -> Vec<(u64, String, String)> {
    reply["rejected"]
        .as_array()
        .expect("rejected")
        .iter()
        .map(|r| {
            (
                r["index"].as_u64().expect("index"),
                r["id"].as_str().unwrap_or_default().to_owned(),
                r["reason"].as_str().expect("reason").to_owned(),
            )
        })
        .collect()
}

fn id(n: u128) -> String {
    uuid::Uuid::from_u128(n).to_string()
}

async fn an_id_stored_by_another_kiosk_or_store_is_refused_the_same_way(engine: Engine) {
    let c = Collector::new(engine).await;
    let original = item(1, json!({"speed": 4}));
    assert_eq!(
        c.post(&c.kiosk, &batch(vec![original.clone()]))
            .await
            .status,
        StatusCode::OK
    );

    let other_kiosk = c
        .token(Role::Kiosk {
            store_id: STORE.into(),
            kiosk_id: "kiosk-2".into(),
        })
        .await;
    let same_item = json!({"kiosk_id": "kiosk-2", "responses": [original.clone()]});
    let reply = c.post(&other_kiosk, &same_item).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let reply = reply.json();
    assert!(
        ids(&reply, "stored").is_empty(),
        "never acknowledged: {reply}"
    );
    assert_eq!(rejected(&reply), vec![(0, id(1), ID_IN_USE.to_owned())]);

    let other_store = c
        .token(Role::Kiosk {
            store_id: "store-2".into(),
            kiosk_id: "kiosk-9".into(),
        })
        .await;
    let mut theirs = original.clone();
    theirs["store_id"] = json!("store-2");
    let reply = c
        .post(
            &other_store,
            &json!({"kiosk_id": "kiosk-9", "responses": [theirs]}),
        )
        .await
        .json();
    assert!(ids(&reply, "stored").is_empty());
    assert_eq!(
        rejected(&reply),
        vec![(0, id(1), ID_IN_USE.to_owned())],
        "the same words: nothing says the id is another store's"
    );
    assert_eq!(c.rows(), 1);
}

async fn the_same_id_with_other_content_is_refused_and_a_true_resend_is_a_duplicate(
    engine: Engine,
) {
    let c = Collector::new(engine).await;
    let mut original = item(1, json!({"speed": 4}));
    original["comment"] = json!("Quick");
    c.post(&c.kiosk, &batch(vec![original.clone()])).await;

    let mut changed = original.clone();
    changed["ratings"] = json!({"speed": 1});
    let reply = c.post(&c.kiosk, &batch(vec![changed])).await.json();
    assert!(ids(&reply, "stored").is_empty());
    assert_eq!(rejected(&reply), vec![(0, id(1), ID_IN_USE.to_owned())]);

    let resend = c.post(&c.kiosk, &batch(vec![original])).await.json();
    assert_eq!(ids(&resend, "stored"), vec![id(1)]);
    assert_eq!(ids(&resend, "duplicates"), vec![id(1)]);
    assert!(rejected(&resend).is_empty());
    let speed = c.db.count("SELECT speed FROM responses");
    assert_eq!(speed, 4, "the stored response is untouched");
}

async fn a_second_item_with_the_same_id_and_other_content_in_one_batch_is_refused(engine: Engine) {
    let c = Collector::new(engine).await;
    let first = item(7, json!({"hygiene": 5}));
    let mut second = first.clone();
    second["complete"] = json!(false);
    let reply = c
        .post(&c.kiosk, &batch(vec![first.clone(), second, first]))
        .await
        .json();
    assert_eq!(ids(&reply, "stored"), vec![id(7)]);
    assert!(ids(&reply, "duplicates").is_empty(), "new in this batch");
    assert_eq!(rejected(&reply), vec![(1, id(7), ID_IN_USE.to_owned())]);
    assert_eq!(c.rows(), 1);
}

async fn a_resend_under_a_new_token_for_the_same_kiosk_is_a_duplicate(engine: Engine) {
    let c = Collector::new(engine).await;
    let original = item(3, json!({"comfort": 2}));
    c.post(&c.kiosk, &batch(vec![original.clone()])).await;
    let renewed = c
        .token(Role::Kiosk {
            store_id: STORE.into(),
            kiosk_id: KIOSK.into(),
        })
        .await;
    let reply = c.post(&renewed, &batch(vec![original])).await.json();
    assert_eq!(ids(&reply, "duplicates"), vec![id(3)]);
}

on_each_engine!(
    an_id_stored_by_another_kiosk_or_store_is_refused_the_same_way,
    the_same_id_with_other_content_is_refused_and_a_true_resend_is_a_duplicate,
    a_second_item_with_the_same_id_and_other_content_in_one_batch_is_refused,
    a_resend_under_a_new_token_for_the_same_kiosk_is_a_duplicate,
);
