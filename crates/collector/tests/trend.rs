//! `GET /v1/trend` in the store's local time: daylight-saving days of 23
//! and 25 hours, half-hour zones, ISO weeks; and bad input.

mod common;

use axum::http::StatusCode;
use common::*;
use feedback_collector::report::parse_time;
use feedback_collector::tokens::Role;
use serde_json::{json, Value};

async fn at_times(c: &Collector, times: &[&str]) {
    let items: Vec<Value> = times
        .iter()
        .enumerate()
        .map(|(n, time)| {
            let mut item = item(n as u128 + 1, json!({"speed": 4, "hygiene": 2}));
            item["created_at"] = json!(parse_time(time).expect("time"));
            item
        })
        .collect();
    let reply = c.post(&c.kiosk, &batch(items)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

async fn in_zone(c: &Collector, zone: &str) {
    c.store
        .store_set_time_zone(STORE.into(), zone.into(), false)
        .await
        .expect("zone set");
}

async fn trend(c: &Collector, query: &str) -> Value {
    let reply = c
        .get(&format!("/v1/trend?store_id={STORE}&{query}"), &c.manager)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()
}

fn counts(trend: &Value) -> Vec<(String, u64)> {
    trend["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .map(|b| {
            (
                b["label"].as_str().expect("label").to_owned(),
                b["responses"].as_u64().expect("n"),
            )
        })
        .collect()
}

async fn the_spring_forward_day_in_madrid_has_23_local_hours(engine: Engine) {
    let c = Collector::new(engine).await;
    // 01:59 local (+01:00), then 03:00 local (+02:00): one minute apart in
    // wall-clock terms, one hour apart in bucket terms.
    at_times(
        &c,
        &[
            "2026-03-29T00:59:00Z",
            "2026-03-29T01:00:00Z",
            "2026-03-29T21:59:00Z",
        ],
    )
    .await;
    in_zone(&c, "Europe/Madrid").await;
    let day = "from=2026-03-29T00:00:00%2B01:00&to=2026-03-30T00:00:00%2B02:00";
    let hours = trend(&c, &format!("{day}&by=hour")).await;
    let hours = counts(&hours);
    assert_eq!(hours.len(), 23);
    assert!(!hours
        .iter()
        .any(|(label, _)| label.starts_with("2026-03-29T02:")));
    assert_eq!(hours[1], ("2026-03-29T01:00+01:00".to_owned(), 1));
    assert_eq!(hours[2], ("2026-03-29T03:00+02:00".to_owned(), 1));
    assert_eq!(hours[22], ("2026-03-29T23:00+02:00".to_owned(), 1));
    let days = trend(&c, &format!("{day}&by=day")).await;
    assert_eq!(counts(&days), vec![("2026-03-29".to_owned(), 3)]);
    assert_eq!(days["time_zone"], "Europe/Madrid");
    assert_eq!(days["buckets"][0]["start"], "2026-03-29T00:00:00+01:00");
    assert_eq!(days["buckets"][0]["end"], "2026-03-30T00:00:00+02:00");
}

async fn the_fall_back_day_in_madrid_has_25_local_hours_and_two_two_oclocks(engine: Engine) {
    let c = Collector::new(engine).await;
    at_times(
        &c,
        &[
            "2026-10-25T00:30:00Z",
            "2026-10-25T01:30:00Z",
            "2026-10-24T21:59:00Z",
        ],
    )
    .await;
    in_zone(&c, "Europe/Madrid").await;
    let day = "from=2026-10-25T00:00:00%2B02:00&to=2026-10-26T00:00:00%2B01:00";
    let hours = counts(&trend(&c, &format!("{day}&by=hour")).await);
    assert_eq!(hours.len(), 25);
    assert_eq!(hours[2], ("2026-10-25T02:00+02:00".to_owned(), 1));
    assert_eq!(hours[3], ("2026-10-25T02:00+01:00".to_owned(), 1));
    // 23:59 local the day before is not in this day.
    let days = counts(
        &trend(
            &c,
            "from=2026-10-24T00:00:00%2B02:00&to=2026-10-26T00:00:00%2B01:00&by=day",
        )
        .await,
    );
    assert_eq!(
        days,
        vec![("2026-10-24".to_owned(), 1), ("2026-10-25".to_owned(), 2)]
    );
}

async fn days_in_a_half_hour_zone_start_at_local_midnight(engine: Engine) {
    let c = Collector::new(engine).await;
    // Kolkata is UTC+05:30: local midnight of 10 May is 18:30 UTC on 9 May.
    at_times(
        &c,
        &[
            "2026-05-09T18:29:59.999Z",
            "2026-05-09T18:30:00Z",
            "2026-05-10T18:29:00Z",
        ],
    )
    .await;
    in_zone(&c, "Asia/Kolkata").await;
    let days = trend(
        &c,
        "from=2026-05-09T00:00:00%2B05:30&to=2026-05-11T00:00:00%2B05:30&by=day",
    )
    .await;
    assert_eq!(
        counts(&days),
        vec![("2026-05-09".to_owned(), 1), ("2026-05-10".to_owned(), 2)]
    );
    let hours = counts(
        &trend(
            &c,
            "from=2026-05-09T23:00:00%2B05:30&to=2026-05-10T01:00:00%2B05:30&by=hour",
        )
        .await,
    );
    assert_eq!(
        hours,
        vec![
            ("2026-05-09T23:00+05:30".to_owned(), 1),
            ("2026-05-10T00:00+05:30".to_owned(), 1)
        ]
    );
    // Adelaide (+10:30 in January): the same rule with daylight saving.
    in_zone(&c, "Australia/Adelaide").await;
    let adelaide = counts(
        &trend(
            &c,
            "from=2026-05-09T00:00:00Z&to=2026-05-11T00:00:00Z&by=day",
        )
        .await,
    );
    assert_eq!(adelaide.iter().map(|d| d.1).sum::<u64>(), 3);
}

async fn weeks_start_on_monday_and_months_are_local_with_factor_figures(engine: Engine) {
    let c = Collector::new(engine).await;
    // Sunday 29 March and Monday 30 March 2026, local Madrid.
    at_times(
        &c,
        &[
            "2026-03-29T12:00:00Z",
            "2026-03-30T12:00:00Z",
            "2026-03-31T22:30:00Z",
        ],
    )
    .await;
    in_zone(&c, "Europe/Madrid").await;
    let weeks = trend(
        &c,
        "from=2026-03-23T00:00:00%2B01:00&to=2026-04-06T00:00:00%2B02:00&by=week&factor=speed",
    )
    .await;
    assert_eq!(
        counts(&weeks),
        vec![("2026-W13".to_owned(), 1), ("2026-W14".to_owned(), 2)]
    );
    let factors = weeks["buckets"][1]["factors"].as_array().expect("factors");
    assert_eq!(factors.len(), 1, "only the factor asked for");
    assert_eq!(factors[0]["factor"], "speed");
    assert_eq!(factors[0]["count"], 2);
    assert_eq!(factors[0]["average"], 4.0);
    assert_eq!(factors[0]["share_satisfied"], 1.0);
    assert_eq!(factors[0]["index"], 75.0);
    // 22:30 UTC on 31 March is 00:30 on 1 April in Madrid.
    let months = trend(
        &c,
        "from=2026-03-01T00:00:00%2B01:00&to=2026-05-01T00:00:00%2B02:00&by=month",
    )
    .await;
    assert_eq!(
        counts(&months),
        vec![("2026-03".to_owned(), 2), ("2026-04".to_owned(), 1)]
    );
    // Without from and to: from the first response to just after the last.
    let all = trend(&c, "by=day").await;
    assert_eq!(counts(&all).iter().map(|d| d.1).sum::<u64>(), 3);
}

async fn bad_trend_parameters_are_clear_400s_and_empty_periods_are_empty(engine: Engine) {
    let c = Collector::new(engine).await;
    for (query, words) in [
        ("by=year", "unknown variant"),
        ("factor=taste", "taste"),
        ("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "after"),
        (
            "from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&by=hour",
            "10000",
        ),
        ("from=yesterday", "RFC 3339"),
    ] {
        let reply = c.get(&format!("/v1/trend?{query}"), &c.manager).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(reply.error_code(), "bad_request");
        assert!(reply.text().contains(words), "{query}: {}", reply.text());
    }
    let reversed = c
        .get(
            "/v1/summary?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
            &c.manager,
        )
        .await;
    assert_eq!(reversed.status, StatusCode::BAD_REQUEST);
    // Nothing stored: no buckets; a window: empty buckets, all zero.
    let nothing = c.get("/v1/trend?store_id=store-9", &c.manager).await.json();
    assert_eq!(nothing["buckets"], json!([]));
    let empty = c
        .get(
            "/v1/trend?store_id=store-9&from=2026-01-01T00:00:00Z&to=2026-01-04T00:00:00Z",
            &c.manager,
        )
        .await
        .json();
    assert_eq!(counts(&empty).len(), 3);
    assert_eq!(empty["buckets"][0]["factors"][0]["average"], Value::Null);
    // Kiosk tokens and other stores' managers are refused, as for summaries.
    assert_eq!(
        c.get("/v1/trend", &c.kiosk).await.status,
        StatusCode::FORBIDDEN
    );
    let store_2 = c
        .token(Role::Manager {
            store_id: Some("store-2".into()),
        })
        .await;
    let other = c
        .get(&format!("/v1/trend?store_id={STORE}"), &store_2)
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
}

on_each_engine!(
    the_spring_forward_day_in_madrid_has_23_local_hours,
    the_fall_back_day_in_madrid_has_25_local_hours_and_two_two_oclocks,
    days_in_a_half_hour_zone_start_at_local_midnight,
    weeks_start_on_monday_and_months_are_local_with_factor_figures,
    bad_trend_parameters_are_clear_400s_and_empty_periods_are_empty,
);
