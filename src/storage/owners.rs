//! Which tab may write which chunks, so that two tabs never overwrite each
//! other's responses.
//!
//! `localStorage` has no transactions, and in Chromium each renderer keeps
//! its own copy of it that other tabs' writes reach a little later. A
//! read-modify-write of a key that another tab also writes can therefore
//! drop that tab's change, whatever lock is taken. So no key holding
//! responses is ever written by two live tabs:
//!
//! - Each page load is a new **writer** with its own id
//!   ([`own_writer`]), and saves only ever append to chunks under that id.
//! - Only a chunk's **owner** rewrites it (to mark responses synced or
//!   rejected, or to prune synced ones). A page owns its own chunks, and
//!   **adopts** the chunks of a writer that is gone (a closed, reloaded or
//!   crashed tab) so that what it saved is still synced and pruned. Adopted
//!   chunks are rewritten, never appended to.
//! - A writer is known to be gone through Web Locks: every page holds the
//!   lock `fk1.w.<id>` of its own id for its lifetime, and adopts a writer
//!   whose lock it can take. Without Web Locks (an insecure origin, an old
//!   browser) a page writes a heartbeat (`fk1.live.<id>`) every few seconds,
//!   and a writer silent for [`HEARTBEAT_STALE_MS`] is gone.
//!
//! Writer ids start with the page's start time in base 36, so sorting them
//! sorts chunks roughly oldest first. Chunks written before writers existed
//! (`fk1.c.<n>`) belong to the writer with the empty id.

use std::cell::RefCell;

use super::{ResponseStore, HEARTBEAT_PREFIX};

/// How often a page without Web Locks says it is alive.
pub const HEARTBEAT_MS: u32 = 5_000;
/// A writer without Web Locks whose heartbeat is older than this is gone.
pub const HEARTBEAT_STALE_MS: i64 = 30_000;
/// Prefix of the Web Lock each writer holds for as long as its page lives.
pub const WRITER_LOCK_PREFIX: &str = "fk1.w.";

#[derive(Default)]
struct Writers {
    own: String,
    /// Few: one per tab closed since this page started.
    adopted: Vec<String>,
}

thread_local! {
    static WRITERS: RefCell<Writers> = RefCell::new(Writers::default());
}

/// This page's writer id, made on first use: the time in base 36 (9 digits
/// until the year 5188), then 3 random ones.
pub fn own_writer() -> String {
    WRITERS.with_borrow_mut(|writers| {
        if writers.own.is_empty() {
            let now = js_sys::Date::now().max(0.0) as u64;
            let random = (js_sys::Math::random() * 46_656.0) as u64;
            writers.own = format!("{}{}", base36(now, 9), base36(random, 3));
        }
        writers.own.clone()
    })
}

/// Whether this page may rewrite the chunks of `writer`.
pub fn owns(writer: &str) -> bool {
    writer == own_writer() || WRITERS.with_borrow(|w| w.adopted.iter().any(|a| a == writer))
}

/// Starts owning this page's writer id: takes its Web Lock, or, without Web
/// Locks, starts its heartbeat. Called once by each page at start.
pub fn start() {
    let own = own_writer();
    wasm_bindgen_futures::spawn_local(async move {
        let name = format!("{WRITER_LOCK_PREFIX}{own}");
        if crate::locks::hold(&name, false).await.is_none() {
            beat();
            // The heartbeat lives as long as the page.
            std::mem::forget(gloo_timers::callback::Interval::new(HEARTBEAT_MS, beat));
        }
    });
}

fn beat() {
    let writers: Vec<String> = WRITERS.with_borrow(|w| {
        std::iter::once(w.own.clone())
            .chain(w.adopted.iter().cloned())
            .collect()
    });
    if let Ok(mut store) = ResponseStore::open() {
        let now = js_sys::Date::now() as i64;
        for writer in writers {
            store.put_best_effort(&format!("{HEARTBEAT_PREFIX}{writer}"), &now.to_string());
        }
    }
}

/// Adopts the chunks of every writer that is gone. Called before each sync,
/// so what a closed tab saved is sent by the tabs still open.
pub async fn adopt_orphans() {
    let Ok(store) = ResponseStore::open() else {
        return;
    };
    let Ok(writers) = store.writers() else {
        return;
    };
    let now = js_sys::Date::now() as i64;
    for writer in writers.into_iter().filter(|w| !owns(w)) {
        let name = format!("{WRITER_LOCK_PREFIX}{writer}");
        let gone = match crate::locks::hold(&name, true).await {
            Some(held) => held,
            None => store
                .heartbeat(&writer)
                .is_none_or(|at| now.saturating_sub(at) > HEARTBEAT_STALE_MS),
        };
        if gone {
            WRITERS.with_borrow_mut(|w| w.adopted.push(writer));
        }
    }
    if !crate::locks::available() {
        beat();
    }
}

fn base36(mut value: u64, digits: usize) -> String {
    let mut out = vec![b'0'; digits];
    for slot in out.iter_mut().rev() {
        *slot = b"0123456789abcdefghijklmnopqrstuvwxyz"[(value % 36) as usize];
        value /= 36;
    }
    String::from_utf8(out).unwrap_or_default()
}
