//! A chain's setup: two collector processes on one PostgreSQL database
//! behind no particular load balancer, and a fleet of kiosks posting through
//! both, retrying and resending as kiosks on a bad network do. Exactly once
//! must hold across the processes, and a token revoked through one is
//! refused by the other from the next request.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use common::binary::{kiosk_token, run, Served};
use common::*;
use serde_json::{json, Value};

const KIOSKS: usize = 12;
const ROUNDS: usize = 15;
const BATCH: usize = 8;

/// Response `n` of kiosk `k`: ids unique per kiosk and round.
fn response(k: usize, n: usize) -> Value {
    json!({
        "id": uuid::Uuid::from_u128(((k as u128) << 64) | n as u128).to_string(),
        "store_id": format!("store-{}", k % 3),
        "created_at": 1_795_000_000_000_i64 + (n as i64) * 97_000 + k as i64,
        "ratings": {"speed": (n % 5 + 1) as i64, "hygiene": ((n + k) % 5 + 1) as i64},
        "complete": n % 4 != 0,
    })
}

fn body(k: usize, items: &[Value]) -> Vec<u8> {
    serde_json::to_vec(&json!({"kiosk_id": format!("kiosk-{k}"), "responses": items}))
        .expect("JSON")
}

#[test]
fn two_collectors_on_one_postgres_store_a_retrying_fleet_exactly_once() {
    let db = TestDb::new(Engine::Postgres);
    let tokens: Vec<String> = (0..KIOSKS)
        .map(|k| {
            kiosk_token(
                db.os_arg(),
                &format!("store-{}", k % 3),
                &format!("kiosk-{k}"),
            )
        })
        .collect();
    let collectors = Arc::new([
        Served::start_on(tempfile::tempdir().expect("dir"), db.os_arg(), &[]),
        Served::start_on(tempfile::tempdir().expect("dir"), db.os_arg(), &[]),
    ]);
    let sent: Arc<Mutex<HashSet<String>>> = Arc::default();
    let threads: Vec<_> = tokens
        .iter()
        .enumerate()
        .map(|(k, token)| {
            let (collectors, sent, token) =
                (Arc::clone(&collectors), Arc::clone(&sent), token.clone());
            std::thread::spawn(move || {
                for round in 0..ROUNDS {
                    // Each batch repeats the previous batch's last two
                    // responses, as a kiosk whose reply was lost does.
                    let first = round * (BATCH - 2);
                    let items: Vec<Value> =
                        (first..first + BATCH).map(|n| response(k, n)).collect();
                    let payload = body(k, &items);
                    // Sent to both collectors at once (a retry after a
                    // timeout, through the load balancer, racing the first
                    // attempt), and in odd rounds once more to one.
                    let mut targets = vec![0, 1];
                    if round % 2 == 1 {
                        targets.push(round % 4 / 2);
                    }
                    std::thread::scope(|scope| {
                        for &target in &targets {
                            let (collectors, token, payload) = (&collectors, &token, &payload);
                            scope.spawn(move || {
                                let reply =
                                    collectors[target].post("/v1/responses", token, payload);
                                assert_eq!(
                                    reply.status,
                                    200,
                                    "kiosk {k} round {round}: {}",
                                    reply.text()
                                );
                                let reply: Value =
                                    serde_json::from_slice(&reply.body).expect("JSON");
                                let stored = reply["stored"].as_array().expect("stored").len();
                                assert_eq!(stored, BATCH, "every item acknowledged: {reply}");
                            });
                        }
                    });
                    let mut sent = sent.lock().expect("lock");
                    sent.extend(
                        items
                            .iter()
                            .map(|i| i["id"].as_str().expect("id").to_owned()),
                    );
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("a kiosk's requests all succeeded");
    }
    let distinct = sent.lock().expect("lock").len() as i64;
    assert_eq!(distinct, (KIOSKS * (ROUNDS * (BATCH - 2) + 2)) as i64);
    assert_eq!(db.count("SELECT count(*) FROM responses"), distinct);
    assert_rollups_match_a_recount(&db);

    // Both collectors give the same summary, from the shared rollups.
    let manager = {
        let out = run(db.os_arg(), &["token", "create", "--manager"]);
        String::from_utf8(out.stdout)
            .expect("UTF-8")
            .trim()
            .to_owned()
    };
    let summaries: Vec<Value> = collectors
        .iter()
        .map(|c| {
            let reply = c.request(
                &format!(
                    "GET /v1/summary HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                     Authorization: Bearer {manager}\r\nConnection: close\r\n\r\n"
                ),
                b"",
            );
            assert_eq!(reply.status, 200, "{}", reply.text());
            serde_json::from_slice(&reply.body).expect("JSON")
        })
        .collect();
    assert_eq!(summaries[0]["responses"], distinct);
    assert_eq!(summaries[0], summaries[1]);

    // A token revoked with one collector's command is refused by both at
    // once: nothing is cached.
    let payload = body(0, &[response(0, 10_000)]);
    assert_eq!(
        collectors[1]
            .post("/v1/responses", &tokens[0], &payload)
            .status,
        200
    );
    let revoked = run(db.os_arg(), &["token", "revoke", "1"]);
    assert!(revoked.status.success(), "{revoked:?}");
    for collector in collectors.iter() {
        let reply = collector.post("/v1/responses", &tokens[0], &payload);
        assert_eq!(reply.status, 401, "{}", reply.text());
    }
}
