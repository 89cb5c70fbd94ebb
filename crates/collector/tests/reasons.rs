//! Reasons after low ratings: checked per item like everything else, kept
//! with each response, counted for summaries (from rollups and, at a
//! period's edges, raw rows) and exported, on both engines.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{json, Value};

/// Start of a half-hour bucket: 2026-11-18T11:00:00Z.
const T0: i64 = 1_794_999_600_000;
const MINUTE: i64 = 60_000;

fn why(n: u128, ratings: Value, reasons: Value) -> Value {
    let mut item = item(n, ratings);
    item["reasons"] = reasons;
    item
}

fn at(mut item: Value, created_at: i64) -> Value {
    item["created_at"] = json!(created_at);
    item
}

/// `(code, count, share_of_low)` of a factor in a summary.
fn named(summary: &Value, factor: &str) -> Vec<(String, u64, f64)> {
    let factors = summary["factors"].as_array().expect("factors");
    let report = factors
        .iter()
        .find(|f| f["factor"] == factor)
        .expect("the factor");
    report["reasons"]
        .as_array()
        .expect("reasons in a summary")
        .iter()
        .map(|r| {
            (
                r["code"].as_str().expect("code").to_owned(),
                r["count"].as_u64().expect("count"),
                r["share_of_low"].as_f64().expect("share"),
            )
        })
        .collect()
}

async fn reasons_are_checked_per_item_kept_counted_and_exported(engine: Engine) {
    let c = Collector::new(engine).await;
    let items = vec![
        why(
            1,
            json!({"speed": 1}),
            json!({"speed": ["long_queue", "not_enough_staff"]}),
        ),
        why(
            2,
            json!({"speed": 2, "hygiene": 1}),
            json!({"speed": ["long_queue"]}),
        ),
        item(3, json!({"speed": 1})),
        // Refused, each on its own: a face that asks no reason, another
        // shape, seven reasons, a code that is not one.
        why(4, json!({"hygiene": 5}), json!({"hygiene": ["smell"]})),
        why(5, json!({"speed": 1}), json!({"speed": "long_queue"})),
        why(
            6,
            json!({"speed": 1}),
            json!({"speed": ["a", "b", "c", "d", "e", "f", "g"]}),
        ),
        why(7, json!({"speed": 1}), json!({"speed": ["Long queue"]})),
    ];
    let reply = c.post(&c.kiosk, &batch(items.clone())).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let reply = reply.json();
    assert_eq!(ids(&reply, "stored").len(), 3, "{reply}");
    let rejected: Vec<(u64, String)> = reply["rejected"]
        .as_array()
        .expect("rejected")
        .iter()
        .map(|r| (r["index"].as_u64().expect("index"), r["reason"].to_string()))
        .collect();
    assert_eq!(
        rejected.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        [3, 4, 5, 6]
    );
    assert!(
        rejected[0]
            .1
            .contains("hygiene has reasons but is not rated 1 or 2"),
        "{rejected:?}"
    );
    assert!(
        rejected[2].1.contains("more than the 6 allowed"),
        "{rejected:?}"
    );
    assert!(
        rejected[3].1.contains("is not a reason code"),
        "{rejected:?}"
    );
    assert_eq!(c.rows(), 3);

    // The same response again is a duplicate; with other reasons it is not.
    let again = c
        .post(&c.kiosk, &batch(vec![items[0].clone()]))
        .await
        .json();
    assert_eq!(ids(&again, "duplicates").len(), 1, "{again}");
    let changed = why(1, json!({"speed": 1}), json!({"speed": ["long_queue"]}));
    let refused = c.post(&c.kiosk, &batch(vec![changed])).await.json();
    assert_eq!(
        refused["rejected"].as_array().map(Vec::len),
        Some(1),
        "{refused}"
    );

    let summary = c
        .get("/v1/summary?store_id=store-1", &c.manager)
        .await
        .json();
    let third = 1.0 / 3.0;
    assert_eq!(
        named(&summary, "speed"),
        [
            ("long_queue".to_owned(), 2, 2.0 * third),
            ("not_enough_staff".to_owned(), 1, third)
        ],
        "three ratings of 1 or 2 for speed: {summary}"
    );
    let speed = &summary["factors"][1]["reasons"][0];
    assert_eq!(speed["label"], "long queue");
    assert_eq!(named(&summary, "hygiene"), []);

    let csv = c.get("/v1/responses.csv", &c.manager).await;
    let mut reader = csv::Reader::from_reader(csv.body.as_slice());
    let header = reader.headers().expect("a header").clone();
    assert_eq!(header.get(15), Some("speed_reasons"));
    assert_eq!(header.len(), 19);
    let speed_reasons: Vec<String> = reader
        .records()
        .map(|r| r.expect("row")[15].to_owned())
        .collect();
    assert_eq!(
        speed_reasons,
        ["long_queue not_enough_staff", "long_queue", ""]
    );
}

async fn a_period_counts_only_its_own_reasons_and_old_kiosks_still_sync(engine: Engine) {
    let c = Collector::new(engine).await;
    let early = why(11, json!({"speed": 1}), json!({"speed": ["slow_checkout"]}));
    let late = why(12, json!({"speed": 2}), json!({"speed": ["long_queue"]}));
    let next_day = why(13, json!({"comfort": 1}), json!({"comfort": ["noisy"]}));
    let old_kiosk = item(14, json!({"comfort": 1}));
    let items = vec![
        at(early, T0 + 5 * MINUTE),
        at(late, T0 + 40 * MINUTE),
        at(next_day, T0 + 24 * 60 * MINUTE),
        at(old_kiosk, T0 + 24 * 60 * MINUTE),
    ];
    let reply = c.post(&c.kiosk, &batch(items)).await.json();
    assert_eq!(ids(&reply, "stored").len(), 4, "{reply}");

    // From 11:10 to 11:50: edges read from raw rows, not whole half hours.
    let part = c
        .get(
            "/v1/summary?store_id=store-1&from=2026-11-18T11:10:00Z&to=2026-11-18T11:50:00Z",
            &c.manager,
        )
        .await
        .json();
    assert_eq!(
        named(&part, "speed"),
        [("long_queue".to_owned(), 1, 1.0)],
        "{part}"
    );
    assert_eq!(named(&part, "comfort"), []);

    // Everything: the rollups, whole days and half hours.
    let all = c
        .get("/v1/summary?store_id=store-1", &c.manager)
        .await
        .json();
    assert_eq!(named(&all, "speed").len(), 2, "{all}");
    assert_eq!(
        named(&all, "comfort"),
        [("noisy".to_owned(), 1, 0.5)],
        "two ratings of 1 for comfort, one with a reason: {all}"
    );
    assert_eq!(
        c.db.count("SELECT count(*) FROM responses WHERE reasons IS NULL"),
        1,
        "a response without reasons keeps none"
    );

    // A trend by hour names each hour's reasons, and only its own.
    let trend = c
        .get(
            "/v1/trend?store_id=store-1&by=hour&from=2026-11-18T11:00:00Z&to=2026-11-18T13:00:00Z",
            &c.manager,
        )
        .await
        .json();
    let buckets = trend["buckets"].as_array().expect("buckets");
    assert_eq!(buckets.len(), 2, "{trend}");
    let mut eleven = named(&buckets[0], "speed");
    eleven.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        eleven,
        [
            ("long_queue".to_owned(), 1, 0.5),
            ("slow_checkout".to_owned(), 1, 0.5)
        ],
        "{trend}"
    );
    assert_eq!(named(&buckets[1], "speed"), []);
}

on_each_engine!(
    reasons_are_checked_per_item_kept_counted_and_exported,
    a_period_counts_only_its_own_reasons_and_old_kiosks_still_sync,
);
