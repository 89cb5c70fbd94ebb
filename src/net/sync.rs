//! Delivering saved responses to the collector, each exactly once.
//!
//! # The promise and how it is kept
//!
//! - A response stays pending in storage until the collector names its id
//!   as stored (new or duplicate); only then is it marked synced. A reply
//!   that is lost, late or garbled changes nothing, so the responses are sent
//!   again, and the collector, idempotent by id, reports them as duplicates.
//! - An item the collector refuses is marked rejected with its reason: kept,
//!   counted, never sent again, never holding up the rest.
//! - Each tab sends the responses of the chunks it owns (its own and those
//!   of closed tabs, [`crate::storage::owners`]), so no two tabs ever mark
//!   the same chunk.
//!
//! # When it runs
//!
//! One timer decides when the next attempt is. It fires at start, about a
//! second after a response is saved, when the browser fires `online`, on
//! "Sync now" (in any tab: a `BroadcastChannel` tells the others), on every
//! settings save, every [`KioskSettings::sync_interval_ms`] while all is
//! well, and after failures as [`SyncProblem::retry_delay_ms`] says:
//! exponential backoff with jitter, or every 15 minutes for a refused token.
//! A success resets the backoff. Only a missing token (or a refused
//! enrollment code) waits for new settings. Attempts take turns across tabs
//! through a Web Lock where the browser offers one. After an attempt, a
//! heartbeat tells the collector how the kiosk is doing ([`super::heartbeat`]).

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use feedback_domain::sync::SyncProblem;
use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

use super::deliver::{deliver, record_problem};
use super::enroll;
use crate::storage::{owners, ResponseStore};
use feedback_domain::settings::KioskSettings;

/// The Web Lock that lets one tab sync at a time.
pub const LOCK_NAME: &str = "feedback-kiosk-sync";
/// The channel on which "Sync now" reaches every tab of the kiosk.
pub const SYNC_NOW_CHANNEL: &str = "fk1.sync-now";
/// How soon after a save its response is sent.
pub const AFTER_SAVE_MS: u32 = 1_000;

/// Sends pending responses to the collector, on its own schedule.
///
/// Cloning gives another handle to the same syncer.
#[derive(Clone)]
pub struct Syncer(Rc<Inner>);

type Listener<T> = RefCell<Option<Rc<dyn Fn(T)>>>;

struct Inner {
    state: RefCell<State>,
    /// Called after every attempt, for views showing the status.
    on_attempt: Listener<()>,
    /// Called when the syncer changed the settings (enrollment).
    on_settings: Listener<KioskSettings>,
    /// "Sync now" from other tabs.
    channel: Option<web_sys::BroadcastChannel>,
}

struct State {
    settings: KioskSettings,
    /// An attempt is under way.
    running: bool,
    /// Something asked for an attempt while one was under way.
    again: bool,
    /// Failed attempts in a row.
    failures: u32,
    /// Responses per request; halved when the collector says 413.
    batch: usize,
    /// The next attempt, and when it is due (ms since the epoch).
    timer: Option<(Timeout, f64)>,
}

impl Syncer {
    /// Starts syncing with `settings`: an attempt at once, and another
    /// whenever the browser comes back online or another tab says "Sync now".
    pub fn start(settings: KioskSettings) -> Syncer {
        let batch = settings.sync_batch();
        let channel = web_sys::BroadcastChannel::new(SYNC_NOW_CHANNEL).ok();
        let syncer = Syncer(Rc::new(Inner {
            state: RefCell::new(State {
                settings,
                running: false,
                again: false,
                failures: 0,
                batch,
                timer: None,
            }),
            on_attempt: RefCell::new(None),
            on_settings: RefCell::new(None),
            channel,
        }));
        let weak = Rc::downgrade(&syncer.0);
        let now = Closure::<dyn Fn()>::new(move || {
            if let Some(inner) = weak.upgrade() {
                // The network is back, or someone asked: try now, whatever the backoff.
                inner.state.borrow_mut().failures = 0;
                schedule(&inner, 0);
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.add_event_listener_with_callback("online", now.as_ref().unchecked_ref());
        }
        if let Some(channel) = &syncer.0.channel {
            channel.set_onmessage(Some(now.as_ref().unchecked_ref()));
        }
        // The syncer lives as long as the page.
        now.forget();
        schedule(&syncer.0, 0);
        syncer
    }

    /// Calls `listener` after every attempt (to refresh a status view).
    pub fn on_attempt(&self, listener: impl Fn() + 'static) {
        *self.0.on_attempt.borrow_mut() = Some(Rc::new(move |()| listener()));
    }

    /// Calls `listener` with new settings the syncer stored itself (a token
    /// got by enrollment).
    pub fn on_settings(&self, listener: impl Fn(KioskSettings) + 'static) {
        *self.0.on_settings.borrow_mut() = Some(Rc::new(listener));
    }

    /// New settings, just saved: ends any backoff and tries at once.
    pub fn update_settings(&self, settings: KioskSettings) {
        {
            let mut state = self.0.state.borrow_mut();
            state.failures = 0;
            state.batch = settings.sync_batch();
            state.settings = settings;
        }
        schedule(&self.0, 0);
    }

    /// A response was just saved: send it soon, unless the kiosk is backing
    /// off after failures (then it goes with the next attempt).
    pub fn saved(&self) {
        let backing_off = {
            let mut state = self.0.state.borrow_mut();
            if state.running {
                state.again = true;
            }
            state.failures > 0
        };
        if !backing_off {
            schedule(&self.0, AFTER_SAVE_MS);
        }
    }

    /// Try now in every tab of the kiosk (the manager's "Sync now"), ending
    /// any backoff.
    pub fn sync_now(&self) {
        if let Some(channel) = &self.0.channel {
            let _ = channel.post_message(&JsValue::TRUE);
        }
        self.0.state.borrow_mut().failures = 0;
        schedule(&self.0, 0);
    }
}

/// Arranges an attempt in `delay_ms`, unless one is due as soon already:
/// scheduling only ever brings the next attempt forward.
fn schedule(inner: &Rc<Inner>, delay_ms: u32) {
    let due = js_sys::Date::now() + f64::from(delay_ms);
    let mut state = inner.state.borrow_mut();
    if state
        .timer
        .as_ref()
        .is_some_and(|(_, current)| *current <= due)
    {
        return;
    }
    let weak: Weak<Inner> = Rc::downgrade(inner);
    let timer = Timeout::new(delay_ms, move || {
        if let Some(inner) = weak.upgrade() {
            spawn_local(attempt(inner));
        }
    });
    // Replacing the old timer drops, and so cancels, it.
    state.timer = Some((timer, due));
}

/// What one attempt came to.
type Delivery = Result<(usize, Option<KioskSettings>), (SyncProblem, usize)>;

/// One attempt: enroll if a code waits, then as many batches as it takes
/// to empty the queue.
async fn attempt(inner: Rc<Inner>) {
    let (settings, batch) = {
        let mut state = inner.state.borrow_mut();
        state.timer = None;
        if state.running {
            state.again = true;
            return;
        }
        state.running = true;
        state.again = false;
        (state.settings.clone(), state.batch)
    };

    let beat = settings.clone();
    let outcome: Delivery = if crate::locks::available() {
        crate::locks::with_lock(LOCK_NAME, false, move || run(settings, batch))
            .await
            .unwrap_or(Ok((batch, None)))
    } else {
        run(settings, batch).await
    };

    let (next, changed) = {
        let mut state = inner.state.borrow_mut();
        state.running = false;
        let again = std::mem::take(&mut state.again);
        match outcome {
            Ok((batch, changed)) => {
                state.failures = 0;
                state.batch = batch;
                if let Some(next) = &changed {
                    state.settings = next.clone();
                }
                let delay = if again {
                    0
                } else {
                    state.settings.sync_interval_ms()
                };
                (Some(delay), changed)
            }
            Err((problem, batch)) => {
                state.batch = batch;
                record_problem(&problem);
                state.failures = state.failures.saturating_add(1);
                (
                    problem.retry_delay_ms(state.failures, js_sys::Math::random()),
                    None,
                )
            }
        }
    };
    if let Some(delay) = next {
        schedule(&inner, delay);
    }
    // After the responses, on its own: it never holds them up.
    spawn_local(super::heartbeat::send(beat));
    if let Some(settings) = changed {
        let listener = inner.on_settings.borrow().clone();
        if let Some(listener) = listener {
            listener(settings);
        }
    }
    let listener = inner.on_attempt.borrow().clone();
    if let Some(listener) = listener {
        listener(());
    }
}

/// The attempt proper, holding the sync lock where there is one.
async fn run(settings: KioskSettings, batch: usize) -> Delivery {
    // Storage is the truth: another tab may have enrolled, or a manager
    // changed the settings, since this page read them.
    let stored = ResponseStore::open().ok().and_then(|s| s.settings());
    let mut changed = stored.filter(|s| *s != settings && s.is_set_up());
    let mut settings = changed.clone().unwrap_or(settings);
    if !settings.enrollment_code.trim().is_empty() {
        let enrolled = enroll::exchange(&settings).await;
        let next = enrolled.map_err(|problem| (problem, batch))?;
        crate::persist_settings(&next).map_err(|_| (SyncProblem::Storage, batch))?;
        settings = next.clone();
        changed = Some(next);
    }
    if settings.token.trim().is_empty() {
        return Err((SyncProblem::NoToken, batch));
    }
    owners::adopt_orphans().await;
    let batch = deliver(settings, batch).await?;
    Ok((batch, changed))
}
