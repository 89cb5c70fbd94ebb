//! Concurrent batches (in SQLite written together under one commit) still
//! succeed or fail one by one, and each is counted exactly once.

mod common;

use std::sync::Arc;

use common::*;
use feedback_collector::ingest::{Content, Poster};
use feedback_collector::store::{NewResponse, Outcome};
use feedback_collector::tokens::Role;

fn response(kiosk: usize, n: usize, speed: u8) -> NewResponse {
    NewResponse {
        id: format!("00000000-0000-4000-8000-{:06}{:06}", kiosk, n),
        content: Content {
            store_id: "store-1".into(),
            kiosk_id: format!("kiosk-{kiosk}"),
            created_at: 1_795_000_000_000 + (n as i64) * 1_000,
            ratings: [None, Some(speed), None, None, None],
            comment: None,
            complete: true,
            lang: None,
            reasons: None,
        },
    }
}

fn poster(kiosk: usize) -> Poster {
    Poster {
        token_id: 1,
        store_id: "store-1".into(),
        kiosk_id: format!("kiosk-{kiosk}"),
    }
}

async fn a_failing_batch_in_a_group_fails_alone_and_the_others_are_stored_once(engine: Engine) {
    let db = TestDb::new(engine);
    let store = db.open(4).await;
    let token = store
        .token_create(
            Role::Kiosk {
                store_id: "store-1".into(),
                kiosk_id: "kiosk-1".into(),
            },
            0,
        )
        .await
        .expect("token");
    assert_eq!(token.info.id, 1, "the posters' token");

    // 40 kiosks post at once; every fifth batch ends with a rating the
    // database refuses (CHECK 1 to 5), as a fault inside the write would,
    // after four it had already written.
    let mut tasks = Vec::new();
    for kiosk in 0..40 {
        let store = Arc::clone(&store);
        tasks.push(tokio::spawn(async move {
            let bad = kiosk % 5 == 4;
            let items = (0..5)
                .map(|n| response(kiosk, n, if bad && n == 4 { 9 } else { 4 }))
                .collect();
            (
                kiosk,
                store
                    .insert_batch(poster(kiosk), items, 1_795_000_100_000)
                    .await,
            )
        }));
    }
    let mut failed = 0;
    for task in tasks {
        let (kiosk, outcome) = task.await.expect("task");
        if kiosk % 5 == 4 {
            assert!(
                outcome.is_err(),
                "kiosk {kiosk}: a refused write is an error"
            );
            failed += 1;
        } else {
            assert_eq!(
                outcome.expect("stored"),
                vec![Outcome::Inserted; 5],
                "kiosk {kiosk}"
            );
        }
    }
    assert_eq!(failed, 8);

    // Sent again, together with the good ones: duplicates, nothing added.
    let again = store
        .insert_batch(
            poster(0),
            (0..5).map(|n| response(0, n, 4)).collect(),
            1_795_000_200_000,
        )
        .await
        .expect("again");
    assert_eq!(again, vec![Outcome::Duplicate; 5]);

    let rows = db.count("SELECT count(*) FROM responses");
    assert_eq!(
        rows,
        32 * 5,
        "the 32 good batches, each once; none of the refused ones"
    );
    let counted = db.count("SELECT sum(complete) + sum(partial) FROM rollup_stores");
    assert_eq!(counted, rows, "rollups count each stored response once");
}

on_each_engine!(a_failing_batch_in_a_group_fails_alone_and_the_others_are_stored_once);
