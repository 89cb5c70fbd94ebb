//! Real receivers on 127.0.0.1 for what the collector sends: an HTTP server
//! taking webhook posts, and an SMTP server (Python's aiosmtpd, installed
//! by `scripts/setup.sh`) printing the mail it takes.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener as StdListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;

/// A free port on 127.0.0.1 (nothing listens on it until someone binds it).
pub fn free_addr() -> SocketAddr {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
}

/// One webhook post as received.
#[derive(Clone, Debug)]
pub struct Post {
    pub signature: Option<String>,
    pub idempotency_key: Option<String>,
    pub body: String,
}

/// An HTTP server on 127.0.0.1 answering `POST /hook`; the first
/// `failures` posts get 503, the rest 204.
pub struct Hook {
    pub addr: SocketAddr,
    pub posts: Arc<Mutex<Vec<Post>>>,
    pub attempts: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Hook {
    pub async fn start_on(addr: SocketAddr, failures: usize) -> Hook {
        let posts = Arc::new(Mutex::new(Vec::new()));
        let attempts = Arc::new(AtomicUsize::new(0));
        let (kept, counted) = (Arc::clone(&posts), Arc::clone(&attempts));
        let app = Router::new().route(
            "/hook",
            post(move |headers: HeaderMap, body: String| {
                let (kept, counted) = (Arc::clone(&kept), Arc::clone(&counted));
                async move {
                    if counted.fetch_add(1, Ordering::SeqCst) < failures {
                        return StatusCode::SERVICE_UNAVAILABLE;
                    }
                    let header = |name: &str| {
                        headers
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned)
                    };
                    kept.lock().expect("posts").push(Post {
                        signature: header("x-feedback-signature"),
                        idempotency_key: header("idempotency-key"),
                        body,
                    });
                    StatusCode::NO_CONTENT
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .expect("bind the hook");
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve the hook");
        });
        Hook {
            addr,
            posts,
            attempts,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    /// The posts taken, once there are at least `n` (or after `within`).
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Post> {
        let deadline = Instant::now() + within;
        loop {
            let posts = self.posts.lock().expect("posts").clone();
            if posts.len() >= n || Instant::now() > deadline {
                return posts;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Hook {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// aiosmtpd on 127.0.0.1, printing every message it takes.
pub struct SmtpSink {
    pub port: u16,
    child: Child,
    printed: Arc<Mutex<String>>,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        SmtpSink::start_with(&[])
    }

    /// With more of aiosmtpd's flags (`--tlscert`, `--smtpscert`, …).
    pub fn start_with(args: &[&str]) -> SmtpSink {
        let port = free_addr().port();
        let mut child = Command::new("python3")
            .args([
                "-u",
                "-m",
                "aiosmtpd",
                "-n",
                "-c",
                "aiosmtpd.handlers.Debugging",
            ])
            .args(args)
            .arg("-l")
            .arg(format!("127.0.0.1:{port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd (scripts/setup.sh installs it)");
        let printed = Arc::new(Mutex::new(String::new()));
        let stdout = child.stdout.take().expect("stdout");
        let kept = Arc::clone(&printed);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let mut printed = kept.lock().expect("printed");
                printed.push_str(&line);
                printed.push('\n');
            }
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpSink {
            port,
            child,
            printed,
        }
    }

    /// Everything printed, once it holds `text` (or after `within`).
    pub async fn wait_for(&self, text: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let printed = self.printed.lock().expect("printed").clone();
            if printed.contains(text) || Instant::now() > deadline {
                return printed;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A private certificate authority and a server certificate for 127.0.0.1
/// it signed, made with `openssl` in `dir`: the paths of the authority's
/// certificate, the server's certificate and the server's key.
pub fn certificates(dir: &std::path::Path) -> (String, String, String) {
    let path = |name: &str| dir.join(name).display().to_string();
    let openssl = |args: &[&str]| {
        let made = Command::new("openssl")
            .args(args)
            .stderr(Stdio::null())
            .status()
            .expect("openssl");
        assert!(made.success(), "openssl {args:?} failed");
    };
    let (ca, ca_key, cert, key, csr, ext) = (
        path("ca.pem"),
        path("ca.key"),
        path("cert.pem"),
        path("key.pem"),
        path("cert.csr"),
        path("cert.ext"),
    );
    let days = ["-days", "1"];
    openssl(
        &[
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=Test CA",
            ][..],
            &days,
            &["-keyout", &ca_key, "-out", &ca],
        ]
        .concat(),
    );
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        &key,
        "-out",
        &csr,
    ]);
    std::fs::write(
        &ext,
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .expect("extensions");
    openssl(
        &[
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                &ca,
                "-CAkey",
                &ca_key,
                "-CAcreateserial",
                "-extfile",
                &ext,
            ][..],
            &days,
            &["-out", &cert],
        ]
        .concat(),
    );
    (ca, cert, key)
}
