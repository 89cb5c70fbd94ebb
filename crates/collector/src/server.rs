//! Accepting connections so that slow or idle clients cannot starve the
//! service: a cap on open connections, a deadline for each request's
//! headers, idle connections closed, and a deadline for a graceful stop.
//!
//! Bodies have their own deadline, enforced where they are read
//! ([`crate::api`]), and uploads their own concurrency limit.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

/// Largest read buffer of one connection: request headers must fit in it,
/// and it bounds what an idle or slow connection holds in memory.
const MAX_READ_BUFFER: usize = 64 * 1024;

/// How connections are limited.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Most connections open at once; more wait in the listen backlog.
    pub max_connections: u32,
    /// A request's headers must arrive within this, counted from when the
    /// connection is ready for a request (new, or kept alive after one).
    pub header_timeout: Duration,
    /// A connection on which no byte moved this long, with no request being
    /// handled, is closed.
    pub idle_timeout: Duration,
    /// After a stop signal, connections get this long to finish their
    /// requests; then the rest are closed.
    pub shutdown_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            shutdown_timeout: Duration::from_secs(10),
        }
    }
}

/// Serves `app` on `listener` until `stop` resolves, then stops gracefully
/// within [`Limits::shutdown_timeout`].
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) -> io::Result<()> {
    let max = limits.max_connections.max(1);
    let slots = Arc::new(Semaphore::new(max as usize));
    let (closing, closing_seen) = watch::channel(false);
    tokio::pin!(stop);
    loop {
        let slot = tokio::select! {
            () = &mut stop => break,
            slot = Arc::clone(&slots).acquire_owned() => slot,
        };
        let Ok(slot) = slot else { break }; // Never closed; nothing to serve otherwise.
        let (stream, peer) = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait a little rather than spin.
                    tracing::warn!(error = %err, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let connection = Connection {
            app: app.clone(),
            limits: limits.clone(),
            closing: closing_seen.clone(),
        };
        tokio::spawn(async move {
            connection.run(stream, peer).await;
            drop(slot);
        });
    }
    drop(listener);
    closing.send_replace(true);
    let open = max as usize - slots.available_permits();
    tracing::info!(connections = open, "stopping: finishing requests in flight");
    match tokio::time::timeout(limits.shutdown_timeout, slots.acquire_many(max)).await {
        Ok(_) => tracing::info!("every connection closed"),
        Err(_) => tracing::warn!(
            connections = max as usize - slots.available_permits(),
            deadline_ms = limits.shutdown_timeout.as_millis() as u64,
            "shutdown deadline passed; closing the connections still open"
        ),
    }
    Ok(())
}

/// One accepted connection.
struct Connection {
    app: Router,
    limits: Limits,
    closing: watch::Receiver<bool>,
}

impl Connection {
    async fn run(mut self, stream: TcpStream, peer: SocketAddr) {
        // Small replies go out at once rather than waiting for more.
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::new());
        let io = TokioIo::new(Tracked {
            inner: stream,
            activity: Arc::clone(&activity),
        });
        let app = self.app;
        let handling = Arc::clone(&activity);
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let busy = Busy::start(Arc::clone(&handling));
            let app = app.clone();
            async move {
                let response = app.oneshot(request).await;
                drop(busy);
                response
            }
        });
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(self.limits.header_timeout)
            .max_buf_size(MAX_READ_BUFFER);
        let connection = http.serve_connection(io, service);
        tokio::pin!(connection);
        let idle = self.limits.idle_timeout;
        let check_every = (idle / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
        let mut stopping = *self.closing.borrow();
        if stopping {
            connection.as_mut().graceful_shutdown();
        }
        loop {
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(err) = result {
                        tracing::debug!(%peer, error = %err, "connection ended with an error");
                    }
                    return;
                }
                changed = self.closing.changed(), if !stopping => {
                    // A dropped sender also means stop.
                    let _ = changed;
                    stopping = true;
                    connection.as_mut().graceful_shutdown();
                }
                () = tokio::time::sleep(check_every) => {
                    if activity.busy.load(Ordering::Acquire) == 0 && activity.quiet_for() >= idle {
                        tracing::debug!(%peer, "closing an idle connection");
                        return;
                    }
                }
            }
        }
    }
}

/// When bytes last moved on a connection, and how many of its requests are
/// being handled.
struct Activity {
    opened: Instant,
    /// Milliseconds after `opened`.
    last: AtomicU64,
    busy: AtomicUsize,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            last: AtomicU64::new(0),
            busy: AtomicUsize::new(0),
        }
    }

    fn touch(&self) {
        let now = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(now, Ordering::Release);
    }

    fn quiet_for(&self) -> Duration {
        let last = Duration::from_millis(self.last.load(Ordering::Acquire));
        self.opened.elapsed().saturating_sub(last)
    }
}

/// Marks a request of a connection as being handled until dropped.
struct Busy(Arc<Activity>);

impl Busy {
    fn start(activity: Arc<Activity>) -> Busy {
        activity.busy.fetch_add(1, Ordering::AcqRel);
        Busy(activity)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.touch();
        self.0.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A socket that records when bytes move through it.
struct Tracked {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
