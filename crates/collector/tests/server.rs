//! The real binary on 127.0.0.1 against slow, idle and greedy clients, and
//! stopping on SIGTERM.

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use common::binary::*;

/// Opens a connection and sends the start of a request, never its end.
fn half_open(served: &Served) -> std::net::TcpStream {
    let mut stream = served.connect();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .expect("send part of a head");
    stream
}

#[test]
fn six_hundred_half_open_connections_do_not_starve_health_checks_and_are_closed() {
    let served = Served::start(&["--header-timeout", "2"]);
    let mut held: Vec<_> = (0..600).map(|_| half_open(&served)).collect();
    let asked = Instant::now();
    let health = served.get("/healthz");
    assert_eq!(health.status, 200, "{}", health.text());
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "/healthz took {:?}",
        asked.elapsed()
    );
    // None of them holds its connection past the header deadline.
    for stream in &mut held {
        assert!(closed_within(stream, Duration::from_secs(10)));
    }
}

/// Peak resident memory of a process, in KiB (Linux).
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

#[test]
fn two_hundred_one_mebibyte_uploads_at_once_stay_within_bounded_memory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    let token = kiosk_token(&db, "store-1", "kiosk-1");
    let served = Served::start_on(dir, db, &["--upload-queue-timeout", "30"]);
    let before = peak_rss_kib(served.child.id());
    let length = 1024 * 1024;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let senders: Vec<_> = (0..200)
        .map(|_| {
            let (addr, token, stop) = (served.addr, token.clone(), stop.clone());
            std::thread::spawn(move || {
                let Ok(mut stream) = std::net::TcpStream::connect(addr) else {
                    return;
                };
                // All of a 1 MiB body but its last byte: each upload the
                // collector takes holds its body until the end.
                let _ = stream.write_all(post_head("/v1/responses", &token, length).as_bytes());
                let _ = stream.write_all(&vec![b' '; length - 1]);
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(50));
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(3));
    let peak = peak_rss_kib(served.child.id());
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for sender in senders {
        let _ = sender.join();
    }
    // 32 bodies of 1 MiB at most, plus buffers: far from 200 MiB.
    assert!(
        peak - before < 100 * 1024,
        "peak resident memory grew by {} MiB",
        (peak - before) / 1024
    );
}

#[test]
fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let served = Served::start(&["--header-timeout", "1"]);
    let mut slow = half_open(&served);
    let started = Instant::now();
    assert!(closed_within(&mut slow, Duration::from_secs(5)));
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[test]
fn an_idle_kept_alive_connection_is_closed() {
    let served = Served::start(&["--idle-timeout", "1", "--header-timeout", "60"]);
    let mut stream = served.connect();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .expect("send");
    // The reply arrives and the connection stays open for another request...
    let mut first = [0u8; 12];
    std::io::Read::read_exact(&mut stream, &mut first).expect("reply");
    assert_eq!(&first, b"HTTP/1.1 200");
    // ...until nothing has moved on it for the idle timeout.
    assert!(closed_within(&mut stream, Duration::from_secs(5)));
}

#[test]
fn a_body_that_does_not_arrive_in_time_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    let token = kiosk_token(&db, "store-1", "kiosk-1");
    let served = Served::start_on(dir, db, &["--body-timeout", "1"]);
    let mut stream = served.connect();
    stream
        .write_all(post_head("/v1/responses", &token, 1000).as_bytes())
        .expect("head");
    stream.write_all(b"{\"kiosk_id\":").expect("part of a body");
    let reply = read_reply(&mut stream);
    assert_eq!(reply.status, 408, "{}", reply.text());
}

#[test]
fn uploads_past_the_limit_get_503_with_retry_after() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    let token = kiosk_token(&db, "store-1", "kiosk-1");
    let served = Served::start_on(
        dir,
        db,
        &["--max-uploads", "1", "--upload-queue-timeout", "0.5"],
    );
    let body = br#"{"kiosk_id":"kiosk-1","responses":[]}"#;

    // One upload whose body trickles in holds the only upload slot.
    let mut slow = served.connect();
    slow.write_all(post_head("/v1/responses", &token, body.len()).as_bytes())
        .expect("head");
    slow.write_all(&body[..5]).expect("part of a body");
    // Its handler has taken the slot once it waits for the rest of the body.
    std::thread::sleep(Duration::from_millis(300));
    let busy = served.post("/v1/responses", &token, body);
    assert_eq!(busy.status, 503, "{}", busy.text());
    assert_eq!(busy.header("retry-after").as_deref(), Some("5"));
    assert!(busy.text().contains("\"busy\""), "{}", busy.text());

    // Once it finishes, the next upload is taken; one that arrives while it
    // runs waits for its turn rather than failing.
    let queued = {
        let (addr, token) = (served.addr, token.clone());
        std::thread::spawn(move || {
            let mut stream = std::net::TcpStream::connect(addr).expect("connect");
            stream
                .write_all(post_head("/v1/responses", &token, body.len()).as_bytes())
                .expect("head");
            stream.write_all(body).expect("body");
            read_reply(&mut stream).status
        })
    };
    std::thread::sleep(Duration::from_millis(100));
    slow.write_all(&body[5..]).expect("rest of the body");
    assert_eq!(read_reply(&mut slow).status, 200);
    assert_eq!(queued.join().expect("queued upload"), 200);
    let after = served.post("/v1/responses", &token, body);
    assert_eq!(after.status, 200, "{}", after.text());
}

#[test]
fn sigterm_stops_within_the_deadline_despite_a_client_that_never_finishes() {
    let served = Served::start(&[
        "--shutdown-timeout",
        "1",
        "--header-timeout",
        "60",
        "--idle-timeout",
        "60",
    ]);
    let _slow = half_open(&served);
    assert_eq!(served.get("/healthz").status, 200);
    let mut served = served;
    let sent = Instant::now();
    served.terminate();
    let status = loop {
        if let Some(status) = served.child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            sent.elapsed() < Duration::from_secs(5),
            "still running 5 s after SIGTERM with a 1 s deadline"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}
