//! The real `feedback-collector` binary on 127.0.0.1, and a raw HTTP/1.1
//! client that can misbehave on purpose.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_feedback-collector")
}

/// Runs a command of the binary to completion.
pub fn run(db: impl AsRef<OsStr>, args: &[&str]) -> Output {
    Command::new(binary())
        .arg("--db")
        .arg(db.as_ref())
        .args(args)
        .output()
        .expect("run feedback-collector")
}

/// A kiosk token made with `token create`.
pub fn kiosk_token(db: impl AsRef<OsStr>, store: &str, kiosk: &str) -> String {
    let out = run(db, &["token", "create", "--kiosk", kiosk, "--store", store]);
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .trim()
        .to_owned()
}

/// A running `serve`, killed when dropped.
pub struct Served {
    pub child: Child,
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    /// What `--db` was: a SQLite file or a PostgreSQL URL.
    pub db: OsString,
}

impl Served {
    /// `serve` on a fresh database with `args` added.
    pub fn start(args: &[&str]) -> Served {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("collector.sqlite");
        Served::start_on(dir, db, args)
    }

    pub fn start_on(dir: tempfile::TempDir, db: impl Into<OsString>, args: &[&str]) -> Served {
        Served::start_with_env(dir, db, args, &[])
    }

    /// Like [`Served::start_on`], with these environment variables set.
    pub fn start_with_env(
        dir: tempfile::TempDir,
        db: impl Into<OsString>,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Served {
        let db = db.into();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let child = Command::new(binary())
            .arg("--db")
            .arg(&db)
            .args(["serve", "--listen", &addr.to_string()])
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start feedback-collector");
        let served = Served {
            child,
            addr,
            dir,
            db,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "the collector did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        served
    }

    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        stream
    }

    /// One request on a new connection; the whole reply.
    pub fn request(&self, head: &str, body: &[u8]) -> HttpReply {
        let mut stream = self.connect();
        stream.write_all(head.as_bytes()).expect("send head");
        stream.write_all(body).expect("send body");
        read_reply(&mut stream)
    }

    pub fn get(&self, path: &str) -> HttpReply {
        self.request(
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
            b"",
        )
    }

    pub fn post(&self, path: &str, token: &str, body: &[u8]) -> HttpReply {
        self.request(&post_head(path, token, body.len()), body)
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let pid = libc::pid_t::try_from(self.child.id()).expect("pid");
        // SAFETY: kill(2) with a pid this test spawned and a valid signal.
        let sent = unsafe { libc::kill(pid, libc::SIGTERM) };
        assert_eq!(sent, 0, "SIGTERM sent");
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The head of a POST with a JSON body of `length` bytes and a bearer token;
/// `Connection: close` so the reply ends with the connection.
pub fn post_head(path: &str, token: &str, length: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    )
}

pub struct HttpReply {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl HttpReply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Reads a reply to a `Connection: close` request, to the end.
pub fn read_reply(stream: &mut TcpStream) -> HttpReply {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read reply");
    parse_reply(&raw)
}

pub fn parse_reply(raw: &[u8]) -> HttpReply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no reply head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let mut body = raw[split + 4..].to_vec();
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    if chunked {
        body = dechunk(&body);
    }
    HttpReply { status, head, body }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&raw[..eol])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .expect("chunk size");
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&raw[eol + 2..eol + 2 + size]);
        raw = &raw[eol + 2 + size + 2..];
    }
}

/// Whether the server closed `stream` within `within`: a read returns end
/// of file (or a reset) rather than timing out.
pub fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).expect("timeout");
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue, // A reply (for example 408) before closing.
            Err(err)
                if matches!(
                    err.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false
            }
            Err(_) => return true,
        }
    }
}
