//! `GET /v1/responses.csv`: streamed without holding the database, written
//! by the domain crate's CSV writer; comments cleaned on the way in.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use feedback_collector::AppConfig;
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

/// Stores `rows` responses straight into the database.
fn seed(c: &Collector, rows: usize) {
    let (id, complete) = match c.db.engine {
        Engine::Sqlite => ("printf('00000000-0000-0000-0000-%012d', i)", "1"),
        Engine::Postgres => (
            "'00000000-0000-0000-0000-' || lpad(i::text, 12, '0')",
            "true",
        ),
    };
    c.db.execute(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
         INSERT INTO responses (id, store_id, kiosk_id, created_at, received_at, speed,
                                comment, complete, token_id)
         SELECT {id}, 'store-1', 'kiosk-1',
                1795000000000 + i, 1795000000000, 1 + i % 5, 'row ' || i, {complete}, 1 FROM n"
    ));
}

async fn comment_stored_for(c: &Collector, n: u128, comment: &str) -> String {
    let mut response = item(n, json!({"speed": 3}));
    response["comment"] = json!(comment);
    let reply = c.post(&c.kiosk, &batch(vec![response])).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let id = uuid::Uuid::from_u128(n).to_string();
    c.db.rows(&format!("SELECT comment FROM responses WHERE id = '{id}'"))[0][0]
        .clone()
        .expect("stored")
}

async fn a_formula_comment_comes_out_of_the_csv_as_text(engine: Engine) {
    let c = Collector::new(engine).await;
    comment_stored_for(&c, 1, "=HYPERLINK(\"http://evil.example\", \"Click\")").await;
    comment_stored_for(&c, 2, "+1 great").await;
    let csv = c.get("/v1/responses.csv", &c.manager).await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.body.as_slice());
    let comments: Vec<String> = reader
        .records()
        .map(|r| r.expect("row")[11].to_owned())
        .collect();
    assert_eq!(
        comments,
        [
            "'=HYPERLINK(\"http://evil.example\", \"Click\")",
            "'+1 great"
        ]
    );
}

async fn nul_and_bidi_controls_are_stripped_from_comments_on_arrival(engine: Engine) {
    let c = Collector::new(engine).await;
    let stored = comment_stored_for(
        &c,
        1,
        "fine\0 \u{202E}txt.exe\u{202C} \u{2067}ok\u{2069}\u{200F}",
    )
    .await;
    assert_eq!(stored, "fine txt.exe ok");
}

async fn an_export_streams_without_holding_the_only_database_connection(engine: Engine) {
    let c = Collector::with_pool(engine, AppConfig::default(), 1).await;
    let rows = 5_000;
    seed(&c, rows);
    let request = Request::get("/v1/responses.csv")
        .header(header::AUTHORIZATION, format!("Bearer {}", c.manager))
        .body(Body::empty())
        .expect("request");
    let reply = c.app.clone().oneshot(request).await.expect("reply");
    assert_eq!(reply.status(), StatusCode::OK);
    let mut body = reply.into_body();
    let first = body
        .frame()
        .await
        .expect("a first piece")
        .expect("readable")
        .into_data()
        .expect("data");
    assert!(first.starts_with(b"id,store_id,kiosk_id,created_at,received_at,"));
    assert!(first.len() < 100_000, "the export comes in pieces");

    // The export is open and unread; a kiosk's upload still gets the pool's
    // only connection.
    let upload = tokio::time::timeout(
        Duration::from_secs(5),
        c.post(&c.kiosk, &batch(vec![item(900_000, json!({"speed": 4}))])),
    )
    .await
    .expect("the upload is not starved by the export");
    assert_eq!(upload.status, StatusCode::OK, "{}", upload.text());

    let rest = body.collect().await.expect("the rest").to_bytes();
    let mut all = first.to_vec();
    all.extend_from_slice(&rest);
    let mut reader = csv::Reader::from_reader(all.as_slice());
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.expect("row")[0].to_owned())
        .collect();
    assert!(ids.len() >= rows, "every row: {}", ids.len());
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "no row twice across pages");
}

async fn exports_past_the_limit_get_503_until_one_ends(engine: Engine) {
    let c = Collector::with_config(
        engine,
        AppConfig {
            max_exports: 1,
            ..AppConfig::default()
        },
    )
    .await;
    // Enough rows that the export is still running while the first pages
    // wait for the manager to read them.
    seed(&c, 10_000);
    let export = || {
        Request::get("/v1/responses.csv")
            .header(header::AUTHORIZATION, format!("Bearer {}", c.manager))
            .body(Body::empty())
            .expect("request")
    };
    let open = c.app.clone().oneshot(export()).await.expect("reply");
    assert_eq!(open.status(), StatusCode::OK);
    let busy = c.app.clone().oneshot(export()).await.expect("reply");
    assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(busy.headers().contains_key(header::RETRY_AFTER));

    drop(open); // The manager went away: the export ends and frees its slot.
    let mut status = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..100 {
        let reply = c.app.clone().oneshot(export()).await.expect("reply");
        status = reply.status();
        if status == StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(status, StatusCode::OK);
}

async fn the_language_of_each_response_is_checked_kept_and_exported(engine: Engine) {
    let c = Collector::new(engine).await;
    let mut spanish = item(1, json!({"speed": 2}));
    spanish["lang"] = json!("es");
    let older_kiosk = item(2, json!({"speed": 5}));
    let mut not_a_tag = item(3, json!({"speed": 4}));
    not_a_tag["lang"] = json!("Spanish");
    let reply = c
        .post(
            &c.kiosk,
            &batch(vec![spanish.clone(), older_kiosk, not_a_tag]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let reply = reply.json();
    assert_eq!(ids(&reply, "stored").len(), 2, "{reply}");
    let reason = reply["rejected"][0]["reason"].as_str().expect("a reason");
    assert!(
        reason.contains("\"Spanish\" is not a language tag"),
        "{reason}"
    );

    // The same id in another language is another response, not a resend.
    spanish["lang"] = json!("en");
    let again = c.post(&c.kiosk, &batch(vec![spanish])).await.json();
    assert_eq!(ids(&again, "stored").len(), 0, "{again}");
    assert_eq!(
        again["rejected"].as_array().map(Vec::len),
        Some(1),
        "{again}"
    );

    let csv = c.get("/v1/responses.csv", &c.manager).await;
    let mut reader = csv::Reader::from_reader(csv.body.as_slice());
    let header = reader.headers().expect("a header").clone();
    assert_eq!(header.get(13), Some("lang"));
    let langs: Vec<String> = reader
        .records()
        .map(|r| r.expect("row")[13].to_owned())
        .collect();
    assert_eq!(langs, ["es", ""]);
}

on_each_engine!(
    the_language_of_each_response_is_checked_kept_and_exported,
    a_formula_comment_comes_out_of_the_csv_as_text,
    nul_and_bidi_controls_are_stripped_from_comments_on_arrival,
    an_export_streams_without_holding_the_only_database_connection,
    exports_past_the_limit_get_503_until_one_ends,
);
