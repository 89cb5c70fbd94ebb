//! Delivering alerts over real protocols on loopback: a webhook receiver
//! that was down gets the alert once it is up, a collector killed with the
//! delivery pending sends it after its restart, and mail reaches a real SMTP
//! server (aiosmtpd).

mod common;

use std::time::{Duration, Instant};

use common::binary::{kiosk_token, Served};
use common::receivers::{free_addr, Hook, SmtpSink};
use common::*;
use serde_json::Value;

const SECRET_ENV: &str = "FEEDBACK_TEST_DELIVERY_SECRET";

/// Responses made a minute ago, two of four unhappy with speed.
fn unhappy_batch(first: u128) -> Value {
    let now = feedback_collector::now_millis();
    let items = [1, 2, 5, 5]
        .into_iter()
        .zip(first..)
        .map(|(speed, n)| {
            let mut item = item(n, serde_json::json!({"speed": speed}));
            item["created_at"] = (now - 60_000 - n as i64).into();
            item
        })
        .collect();
    batch(items)
}

/// Waits until `sql` counts at least `n`.
async fn until_counted(db: &TestDb, sql: &str, n: i64) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while db.count(sql) < n {
        assert!(Instant::now() < deadline, "{sql} never reached {n}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn hook_file(url: &str) -> String {
    std::env::set_var(SECRET_ENV, "s3cret");
    format!(
        "[[webhook]]\nname = \"ops\"\nurl = \"{url}\"\nsecret_env = \"{SECRET_ENV}\"\n\
         [delivery]\nfirst_retry_seconds = 0.2\n"
    )
}

async fn a_receiver_that_was_down_gets_the_alert_once_up(engine: Engine) {
    let addr = free_addr();
    let c = Collector::with_alerts(engine, &hook_file(&format!("http://{addr}/hook"))).await;
    c.post(&c.kiosk, &unhappy_batch(1)).await;
    // Nothing listens: attempts fail and are retried.
    until_counted(
        &c.db,
        "SELECT count(*) FROM deliveries WHERE attempts >= 2",
        1,
    )
    .await;
    assert_eq!(
        c.db.count("SELECT count(*) FROM deliveries WHERE done_at IS NULL"),
        1
    );
    // Up again, answering 503 once more before taking it.
    let hook = Hook::start_on(addr, 1).await;
    let posts = hook.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(posts.len(), 1, "delivered once it was up");
    let stored_key = c.db.rows("SELECT idempotency_key FROM deliveries")[0][0].clone();
    assert_eq!(
        posts[0].idempotency_key, stored_key,
        "the same key every attempt"
    );
    until_counted(
        &c.db,
        "SELECT count(*) FROM deliveries WHERE outcome = 'delivered'",
        1,
    )
    .await;
    assert!(hook.attempts.load(std::sync::atomic::Ordering::SeqCst) >= 2);
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        hook.posts.lock().expect("posts").len(),
        1,
        "never sent again once taken"
    );
}

async fn deliveries_pending_at_a_crash_are_sent_after_the_restart(engine: Engine) {
    let db = TestDb::new(engine);
    let addr = free_addr();
    let file = db.dir.path().join("alerts.toml");
    std::fs::write(&file, hook_file(&format!("http://{addr}/hook"))).expect("alerts file");
    let file = file.display().to_string();
    let token = kiosk_token(db.os_arg(), STORE, KIOSK);
    let env = [(SECRET_ENV, "s3cret")];
    let args = ["--alerts", file.as_str()];
    let served =
        Served::start_with_env(tempfile::tempdir().expect("dir"), db.os_arg(), &args, &env);
    let body = serde_json::to_vec(&unhappy_batch(1)).expect("JSON");
    let reply = served.post("/v1/responses", &token, &body);
    assert!(reply.text().contains("\"stored\""), "{}", reply.text());
    until_counted(
        &db,
        "SELECT count(*) FROM deliveries WHERE attempts >= 1",
        1,
    )
    .await;
    drop(served); // SIGKILL, the delivery still pending.
    assert_eq!(
        db.count("SELECT count(*) FROM deliveries WHERE done_at IS NULL"),
        1
    );

    let hook = Hook::start_on(addr, 0).await;
    let _again =
        Served::start_with_env(tempfile::tempdir().expect("dir"), db.os_arg(), &args, &env);
    let posts = hook.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(posts.len(), 1, "sent after the restart");
    let payload: Value = serde_json::from_str(&posts[0].body).expect("JSON");
    assert_eq!(payload["rule"], "unhappy_run");
    assert_eq!(
        db.count("SELECT count(*) FROM alerts"),
        1,
        "the restart fired nothing new"
    );
}

async fn alerts_are_mailed_through_a_real_smtp_server(engine: Engine) {
    let sink = SmtpSink::start();
    let file = format!(
        "[[email]]\nto = [\"Store Manager <manager@example.com>\"]\n\
         [smtp]\nserver = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n\
         from = \"Feedback <feedback@example.com>\"\n",
        sink.port
    );
    let c = Collector::with_alerts(engine, &file).await;
    c.post(&c.kiosk, &unhappy_batch(1)).await;
    let printed = sink.wait_for("END MESSAGE", Duration::from_secs(15)).await;
    // Long lines come quoted-printable, with soft breaks.
    let printed = printed.replace("=\n", "");
    for expected in [
        "Subject: Unhappy customers at store-1",
        "manager@example.com",
        "From: Feedback <feedback@example.com>",
        "2 of 4 responses in the last 15 minutes rated speed 1 or 2.",
    ] {
        assert!(
            printed.contains(expected),
            "{expected:?} not in:\n{printed}"
        );
    }
    until_counted(
        &c.db,
        "SELECT count(*) FROM deliveries WHERE outcome = 'delivered'",
        1,
    )
    .await;
}

async fn a_delivery_nobody_takes_is_given_up_at_the_limit(engine: Engine) {
    let addr = free_addr();
    // Given up after 2 seconds instead of 24 hours.
    let file = hook_file(&format!("http://{addr}/hook")) + "give_up_hours = 0.00056\n";
    let c = Collector::with_alerts(engine, &file).await;
    c.post(&c.kiosk, &unhappy_batch(1)).await;
    until_counted(
        &c.db,
        "SELECT count(*) FROM deliveries WHERE outcome = 'failed'",
        1,
    )
    .await;
    let error = c.db.rows("SELECT last_error FROM deliveries")[0][0]
        .clone()
        .unwrap_or_default();
    assert!(error.contains("posting to webhook \"ops\""), "{error}");
    assert!(
        !error.contains(&addr.to_string()),
        "the URL stays out of errors: {error}"
    );
    assert!(
        c.db.count("SELECT attempts FROM deliveries") >= 2,
        "retried before giving up"
    );
    // Up now, but nothing is sent any more.
    let hook = Hook::start_on(addr, 0).await;
    assert!(hook
        .wait_for(1, Duration::from_millis(1500))
        .await
        .is_empty());
}

async fn a_webhook_that_never_answers_fails_at_the_timeout_and_is_retried(engine: Engine) {
    // Takes connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = std::sync::Arc::clone(&accepted);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().map_while(Result::ok) {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            held.push(stream);
        }
    });
    let file = hook_file(&format!("http://{addr}/hook")) + "timeout_seconds = 0.5\n";
    let c = Collector::with_alerts(engine, &file).await;
    c.post(&c.kiosk, &unhappy_batch(1)).await;
    until_counted(
        &c.db,
        "SELECT count(*) FROM deliveries WHERE attempts >= 2",
        1,
    )
    .await;
    assert!(
        accepted.load(std::sync::atomic::Ordering::SeqCst) >= 2,
        "it connected each time"
    );
    let error = c.db.rows("SELECT last_error FROM deliveries")[0][0]
        .clone()
        .unwrap_or_default();
    assert!(error.contains("timed out"), "{error}");
    assert_eq!(
        c.db.count("SELECT count(*) FROM deliveries WHERE done_at IS NULL"),
        1,
        "still to be retried"
    );
}

async fn mail_goes_over_starttls_and_tls_to_a_trusted_server_only(engine: Engine) {
    let dir = tempfile::tempdir().expect("dir");
    let (ca, cert, key) = common::receivers::certificates(dir.path());
    let starttls = SmtpSink::start_with(&["--tlscert", &cert, "--tlskey", &key]);
    let tls = SmtpSink::start_with(&["--smtpscert", &cert, "--smtpskey", &key]);
    let smtp = |port: u16, security: &str, trusted: bool| {
        let root = if trusted {
            format!("root_certificate = \"{ca}\"\n")
        } else {
            String::new()
        };
        format!(
            "[[email]]\nto = [\"manager@example.com\"]\n[smtp]\nserver = \"127.0.0.1\"\nport = {port}\n\
             security = \"{security}\"\nfrom = \"feedback@example.com\"\n{root}\
             [delivery]\nfirst_retry_seconds = 0.2\n"
        )
    };
    for (sink, security) in [(&starttls, "starttls"), (&tls, "tls")] {
        let c = Collector::with_alerts(engine, &smtp(sink.port, security, true)).await;
        c.post(&c.kiosk, &unhappy_batch(1)).await;
        let printed = sink.wait_for("END MESSAGE", Duration::from_secs(15)).await;
        let errors = c.db.rows("SELECT last_error FROM deliveries");
        assert!(
            printed.contains("Subject: Unhappy customers at store-1"),
            "{security}: {printed} (deliveries: {errors:?})"
        );
        until_counted(
            &c.db,
            "SELECT count(*) FROM deliveries WHERE outcome = 'delivered'",
            1,
        )
        .await;
    }
    // A certificate nobody vouches for: refused, and retried, never sent in the clear.
    let untrusted = Collector::with_alerts(engine, &smtp(starttls.port, "starttls", false)).await;
    untrusted.post(&untrusted.kiosk, &unhappy_batch(100)).await;
    until_counted(
        &untrusted.db,
        "SELECT count(*) FROM deliveries WHERE attempts >= 1",
        1,
    )
    .await;
    let error = untrusted.db.rows("SELECT last_error FROM deliveries")[0][0]
        .clone()
        .unwrap_or_default();
    assert!(error.to_lowercase().contains("certificate"), "{error}");
    let printed = starttls.wait_for("never", Duration::ZERO).await;
    assert_eq!(
        printed.matches("END MESSAGE").count(),
        1,
        "only the trusted collector's mail"
    );
}

on_each_engine!(
    a_webhook_that_never_answers_fails_at_the_timeout_and_is_retried,
    mail_goes_over_starttls_and_tls_to_a_trusted_server_only,
    a_delivery_nobody_takes_is_given_up_at_the_limit,
    a_receiver_that_was_down_gets_the_alert_once_up,
    deliveries_pending_at_a_crash_are_sent_after_the_restart,
    alerts_are_mailed_through_a_real_smtp_server,
);
