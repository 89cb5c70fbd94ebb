//! Digests through the real binary and a real SMTP server (aiosmtpd): an
//! account made with `user create … --digest daily` gets, at its hour, one
//! mail about the day before, in plain text and HTML, and no second one
//! after a restart.

mod common;

use std::time::Duration;

use common::binary::{kiosk_token, run, Served};
use common::receivers::SmtpSink;
use common::*;
use serde_json::json;

const DAY: i64 = 86_400_000;

fn served(db: &TestDb, args: &[&str]) -> Served {
    Served::start_with_env(tempfile::tempdir().expect("dir"), db.os_arg(), args, &[])
}

async fn a_daily_digest_reaches_the_manager_once(engine: Engine) {
    let db = TestDb::new(engine);
    let sink = SmtpSink::start();
    let file = db.dir.path().join("alerts.toml");
    let smtp = format!(
        "[unhappy_run]\nenabled = false\n[smtp]\nserver = \"127.0.0.1\"\nport = {}\n\
         security = \"none\"\nfrom = \"Feedback <feedback@example.com>\"\n",
        sink.port
    );
    std::fs::write(&file, smtp).expect("alerts file");
    let file = file.display().to_string();

    // Yesterday (UTC): speed rated 1, 2, 4 and 5, comments on two.
    let token = kiosk_token(db.os_arg(), STORE, KIOSK);
    kiosk_token(db.os_arg(), STORE, "kiosk-2");
    let now = feedback_collector::now_millis();
    let yesterday = now - now.rem_euclid(DAY) - DAY;
    let items: Vec<_> = [
        (1, Some("<b>Queue</b> & no staff")),
        (2, None),
        (4, Some("Fine")),
        (5, None),
    ]
    .into_iter()
    .zip(1_u128..)
    .map(|((speed, comment), n)| {
        let mut item = item(n, json!({"speed": speed, "friendliness": 5}));
        item["created_at"] = json!(yesterday + 3_600_000 * n as i64);
        if speed <= 2 {
            item["reasons"] = json!({"speed": ["long_queue"]});
        }
        if let Some(comment) = comment {
            item["comment"] = json!(comment);
        }
        item
    })
    .collect();
    let first = served(&db, &[]);
    let body = serde_json::to_vec(&batch(items)).expect("JSON");
    assert!(first
        .post("/v1/responses", &token, &body)
        .text()
        .contains("\"stored\""));
    drop(first);

    // The account asks for a daily digest at this hour (UTC).
    let hour = (now.rem_euclid(DAY) / 3_600_000).to_string();
    let made = std::process::Command::new(common::binary::binary())
        .args(["--db"])
        .arg(db.os_arg())
        .args(["user", "create", "ana", "--all-stores", "--digest", "daily"])
        .args([
            "--email",
            "ana@example.com",
            "--digest-hour",
            &hour,
            "--time-zone",
            "UTC",
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(b"a long enough password\n")?;
            child.wait()
        })
        .expect("user create");
    assert!(made.success());
    let refused = run(
        db.os_arg(),
        &[
            "user",
            "digest",
            "ana",
            "--digest",
            "daily",
            "--email",
            "not an address",
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not an email address"));
    let listed = String::from_utf8(run(db.os_arg(), &["user", "list"]).stdout).expect("UTF-8");
    assert!(
        listed.contains(&format!("daily {hour:0>2}:00 UTC")),
        "{listed}"
    );
    let listed =
        String::from_utf8(run(db.os_arg(), &["user", "list", "--json"]).stdout).expect("UTF-8");
    assert!(
        listed.contains(r#""digest":{"email":"ana@example.com""#),
        "{listed}"
    );
    let unsaid = run(db.os_arg(), &["user", "digest", "ana"]);
    assert!(
        !unsaid.status.success(),
        "no flags never turns a digest off"
    );
    assert!(String::from_utf8_lossy(&unsaid.stderr)
        .contains("--digest daily, --digest weekly or --digest off"));

    let alerting = served(&db, &["--alerts", &file]);
    let printed = sink.wait_for("END MESSAGE", Duration::from_secs(15)).await;
    let printed = printed.replace("=\n", "");
    let date = jiff::Timestamp::from_millisecond(yesterday)
        .expect("time")
        .to_string();
    let date = &date[..10];
    for expected in [
        format!("Subject: Feedback digest for {date}"),
        "To: ana@example.com".into(),
        "store-1: 4 responses".into(),
        "Speed: 50".into(),
        "Weakest: Speed, 50% satisfied. Most named: long queue (100%)".into(),
        "kiosk-2 (never heard from)".into(),
        "\"<b>Queue</b> & no staff\" (speed 1)".into(),
        "Content-Type: text/html".into(),
        "&lt;b&gt;Queue&lt;/b&gt; &amp; no staff".into(),
    ] {
        assert!(
            printed.contains(&expected),
            "{expected:?} not in:\n{printed}"
        );
    }
    assert!(
        !printed.contains("\"Fine\""),
        "a comment without a low score is left out"
    );
    until_delivered(&db).await;

    // Restarted the same hour: the digest was sent, and is not sent again.
    drop(alerting);
    let _again = served(&db, &["--alerts", &file]);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let printed = sink.wait_for("never", Duration::ZERO).await;
    assert_eq!(printed.matches("Subject: Feedback digest").count(), 1);
}

async fn until_delivered(db: &TestDb) {
    for _ in 0..150 {
        if db.count("SELECT count(*) FROM deliveries WHERE outcome = 'delivered'") == 1 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the digest was never recorded as delivered");
}

on_each_engine!(a_daily_digest_reaches_the_manager_once);
