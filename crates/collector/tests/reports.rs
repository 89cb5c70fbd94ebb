//! Summaries and CSV exports for managers, the OpenAPI document and health.

mod common;

use std::collections::BTreeSet;

use axum::http::{header, Method, StatusCode};
use common::*;
use feedback_collector::tokens::Role;

use serde_json::{json, Value};

/// Six responses with hand-computed figures (see `the_summary_maths_*`).
async fn seed(c: &Collector) {
    let mut items = vec![
        item(1, json!({"friendliness": 5, "speed": 2, "comfort": 4})),
        item(2, json!({"friendliness": 4, "speed": 1})),
        item(3, json!({"friendliness": 3, "speed": 4, "comfort": 4})),
        item(4, json!({"friendliness": 5, "speed": 2})),
        item(5, json!({"speed": 5})),
    ];
    items[1]["complete"] = json!(false);
    // A day later than the others.
    let mut late = item(6, json!({"friendliness": 1, "hygiene": 3}));
    late["created_at"] = json!(1_795_000_000_000_i64 + 86_400_000);
    items.push(late);
    let reply = c.post(&c.kiosk, &batch(items)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(c.rows(), 6);
}

fn factor<'a>(summary: &'a Value, key: &str) -> &'a Value {
    summary["factors"]
        .as_array()
        .expect("factors")
        .iter()
        .find(|f| f["factor"] == key)
        .unwrap_or_else(|| panic!("no {key} in {summary}"))
}

fn close(value: &Value, expected: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - expected).abs() < 1e-9)
}

async fn the_summary_maths_match_hand_computed_figures(engine: Engine) {
    let c = Collector::new(engine).await;
    seed(&c).await;
    let reply = c.get("/v1/summary?store_id=store-1", &c.manager).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let s = reply.json();
    assert_eq!(s["responses"], 6);
    assert_eq!(s["complete"], 5);
    assert_eq!(s["partial"], 1);

    // Friendliness: 5, 4, 3, 5, 1 → mean 3.6; 3 of 5 satisfied; index
    // (100 + 75 + 50 + 100 + 0) / 5 = 65.
    let f = factor(&s, "friendliness");
    assert_eq!(f["count"], 5);
    assert!(close(&f["average"], 3.6), "{f}");
    assert!(close(&f["share_satisfied"], 0.6), "{f}");
    assert!(close(&f["index"], 65.0), "{f}");
    assert_eq!(f["distribution"], json!([1, 0, 1, 1, 2]));

    // Speed: 2, 1, 4, 2, 5 → mean 2.8; 2 of 5 satisfied: the weakest.
    let sp = factor(&s, "speed");
    assert!(close(&sp["average"], 2.8), "{sp}");
    assert!(close(&sp["share_satisfied"], 0.4), "{sp}");
    assert_eq!(sp["distribution"], json!([1, 2, 0, 1, 1]));

    // Comfort: 4, 4; hygiene: 3 alone; security: never rated.
    assert!(close(&factor(&s, "comfort")["share_satisfied"], 1.0));
    assert!(close(&factor(&s, "hygiene")["share_satisfied"], 0.0));
    let security = factor(&s, "security");
    assert_eq!(security["count"], 0);
    assert_eq!(
        security["average"],
        Value::Null,
        "no NaN for an unrated factor"
    );
    assert_eq!(security["share_satisfied"], Value::Null);

    assert_eq!(s["weakest"], "hygiene");
}

async fn a_window_and_a_store_narrow_the_summary(engine: Engine) {
    let c = Collector::new(engine).await;
    seed(&c).await;
    // Only the first day: `to` is exclusive and RFC 3339 with any offset.
    let to = feedback_collector::report::rfc3339(1_795_000_000_000 + 3_600_000);
    let reply = c
        .get(&format!("/v1/summary?to={to}"), &c.manager)
        .await
        .json();
    assert_eq!(reply["responses"], 5);
    assert_eq!(reply["weakest"], "speed");
    let from = feedback_collector::report::rfc3339(1_795_000_000_000 + 3_600_000);
    let reply = c
        .get(&format!("/v1/summary?from={from}"), &c.manager)
        .await
        .json();
    assert_eq!(reply["responses"], 1);

    let empty = c
        .get("/v1/summary?store_id=store-9", &c.manager)
        .await
        .json();
    assert_eq!(empty["responses"], 0);
    assert_eq!(empty["weakest"], Value::Null);

    let bad = c.get("/v1/summary?from=yesterday", &c.manager).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("RFC 3339"));
    let unknown = c.get("/v1/summary?shop=1", &c.manager).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
}

async fn reports_need_a_manager_token_for_the_store(engine: Engine) {
    let c = Collector::new(engine).await;
    seed(&c).await;
    for path in ["/v1/summary", "/v1/responses.csv"] {
        let none = c.send(Method::GET, path, None, None).await;
        assert_eq!(none.status, StatusCode::UNAUTHORIZED, "{path}");
        let kiosk = c.get(path, &c.kiosk).await;
        assert_eq!(kiosk.status, StatusCode::FORBIDDEN, "{path}");
    }
    let store_2 = c
        .token(Role::Manager {
            store_id: Some("store-2".into()),
        })
        .await;
    let other = c.get("/v1/summary?store_id=store-1", &store_2).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    // Without store_id, a store manager's token reads its own store only.
    let own = c.get("/v1/summary", &store_2).await.json();
    assert_eq!(own["store_id"], "store-2");
    assert_eq!(own["responses"], 0);
    let csv = c.get("/v1/responses.csv", &store_2).await.text();
    assert_eq!(csv.lines().count(), 1, "only the header: {csv}");
}

async fn the_csv_has_a_header_and_survives_a_round_trip(engine: Engine) {
    let c = Collector::new(engine).await;
    let mut tricky = item(1, json!({"speed": 4, "security": 5}));
    let comment = "Fast, \"friendly\"\nand clean; <b>not bold</b>";
    tricky["comment"] = json!(comment);
    let plain = item(2, json!({"hygiene": 1}));
    c.post(&c.kiosk, &batch(vec![plain, tricky])).await;

    let reply = c.get("/v1/responses.csv", &c.manager).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    assert!(reply.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii")
        .contains("responses.csv"));

    let mut reader = csv::Reader::from_reader(reply.body.as_slice());
    let header_row: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header_row, feedback_domain::export::COLLECTED_CSV_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    let column = |name: &str| header_row.iter().position(|h| h == name).expect("column");
    // Oldest first.
    let first = &rows[0];
    assert_eq!(&first[column("id")], uuid::Uuid::from_u128(1).to_string());
    assert_eq!(&first[column("comment")], comment);
    assert_eq!(&first[column("speed")], "4");
    assert_eq!(&first[column("friendliness")], "", "unrated is empty");
    assert_eq!(&first[column("store_id")], STORE);
    assert_eq!(&first[column("kiosk_id")], KIOSK);
    assert_eq!(&first[column("created_at")], "2026-11-18T11:06:40.001Z");
    assert_eq!(&first[column("complete")], "true");
    assert_eq!(&rows[1][column("hygiene")], "1");
    assert!(reply.text().contains("\r\n"), "RFC 4180 line ends");
}

async fn the_openapi_document_describes_exactly_the_real_routes(engine: Engine) {
    let c = Collector::new(engine).await;
    let reply = c.send(Method::GET, "/v1/openapi.json", None, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.json();
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));

    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let expected: BTreeSet<(String, String)> = [
        ("POST", "/v1/responses"),
        ("POST", "/v1/enrollments"),
        ("GET", "/v1/summary"),
        ("GET", "/v1/trend"),
        ("GET", "/v1/responses.csv"),
        ("GET", "/healthz"),
        ("POST", "/v1/heartbeat"),
        ("GET", "/v1/overview"),
        ("GET", "/v1/kiosks"),
        ("GET", "/v1/comments"),
        ("GET", "/v1/heatmap"),
        ("POST", "/v1/session"),
        ("GET", "/v1/session"),
        ("DELETE", "/v1/session"),
        ("GET", "/v1/alerts"),
        ("POST", "/v1/alerts/{id}/acknowledge"),
        ("POST", "/v1/alerts/{id}/close"),
        ("GET", "/v1/session/digest"),
        ("PUT", "/v1/session/digest"),
    ]
    .into_iter()
    .map(|(m, p)| (m.to_owned(), p.to_owned()))
    .collect();
    assert_eq!(documented, expected);

    // Every documented route is served: asked without a token, each answers
    // with its documented 401, or 200 for the open ones; none is 404 or 405.
    for (method, path) in &documented {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let body = (method == Method::POST).then(|| b"{}".to_vec());
        let reply = c.send(method.clone(), path, None, body).await;
        let status = reply.status.as_u16().to_string();
        let responses = &doc["paths"][path][method.as_str().to_lowercase()]["responses"];
        assert!(
            responses.get(&status).is_some(),
            "{method} {path} answered {status}, which its documentation does not list"
        );
        assert!(
            reply.status != StatusCode::NOT_FOUND && reply.status != StatusCode::METHOD_NOT_ALLOWED
        );
    }
    // The documented schemas are the ones the kiosk sends and reads.
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for name in [
        "ResponseBatch",
        "WireResponse",
        "BatchReply",
        "RejectedItem",
        "Heartbeat",
    ] {
        assert!(schemas.contains_key(name), "schema {name} missing");
    }
}

async fn health_and_unknown_endpoints(engine: Engine) {
    let c = Collector::new(engine).await;
    let health = c.send(Method::GET, "/healthz", None, None).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json()["status"], "ok");
    let missing = c.send(Method::GET, "/v1/nothing", None, None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.error_code(), "not_found");
}

on_each_engine!(
    the_summary_maths_match_hand_computed_figures,
    a_window_and_a_store_narrow_the_summary,
    reports_need_a_manager_token_for_the_store,
    the_csv_has_a_header_and_survives_a_round_trip,
    the_openapi_document_describes_exactly_the_real_routes,
    health_and_unknown_endpoints,
);
