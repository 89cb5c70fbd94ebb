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
//!
//! # When it runs
//!
//! One timer decides when the next attempt is. It fires at start, about a
//! second after a response is saved, when the browser fires `online`, every
//! [`KioskSettings::sync_interval_ms`] while all is well, and after failures
//! with exponential backoff and jitter
//! ([`feedback_domain::sync::backoff_delay_ms`]). A success resets the
//! backoff. A refused or missing token stops all attempts until the settings
//! change. One attempt runs at a time in a tab, and across tabs a Web Lock
//! (where the browser offers one) keeps a second tab from sending the same
//! responses at once.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::rc::{Rc, Weak};

use feedback_domain::sync::{backoff_delay_ms, token_fingerprint, SyncProblem};
use feedback_domain::wire::encode_batch;
use feedback_domain::{ResponseId, SyncState};
use gloo_timers::callback::Timeout;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, spawn_local, JsFuture};

use super::{browser_online, post_json, NetError};
use crate::settings::KioskSettings;
use crate::storage::ResponseStore;

/// The Web Lock that allows one sync at a time across the kiosk's tabs.
pub const LOCK_NAME: &str = "feedback-kiosk-sync";
/// How soon after a save its response is sent.
pub const AFTER_SAVE_MS: u32 = 1_000;

/// Sends pending responses to the collector, on its own schedule.
///
/// Cloning gives another handle to the same syncer.
#[derive(Clone)]
pub struct Syncer(Rc<Inner>);

struct Inner {
    state: RefCell<State>,
    /// Called after every attempt, for views showing the status.
    on_attempt: RefCell<Option<Rc<dyn Fn()>>>,
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
    /// whenever the browser comes back online.
    pub fn start(settings: KioskSettings) -> Syncer {
        let batch = settings.sync_batch();
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
        }));
        let weak = Rc::downgrade(&syncer.0);
        let on_online = Closure::<dyn Fn()>::new(move || {
            if let Some(inner) = weak.upgrade() {
                // The network is back: worth trying now, whatever the backoff.
                schedule(&inner, 0);
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window
                .add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
        }
        // The syncer lives as long as the page.
        on_online.forget();
        schedule(&syncer.0, 0);
        syncer
    }

    /// Calls `listener` after every attempt (to refresh a status view).
    pub fn on_attempt(&self, listener: impl Fn() + 'static) {
        *self.0.on_attempt.borrow_mut() = Some(Rc::new(listener));
    }

    /// New settings. A new token, endpoint, store or kiosk id ends any
    /// backoff and wait for new settings, and syncs at once.
    pub fn update_settings(&self, settings: KioskSettings) {
        let changed = {
            let mut state = self.0.state.borrow_mut();
            let old = &state.settings;
            let changed = old.token != settings.token
                || old.endpoint != settings.endpoint
                || old.identity() != settings.identity()
                || old.sync_batch != settings.sync_batch;
            if changed {
                state.failures = 0;
                state.batch = settings.sync_batch();
            }
            state.settings = settings;
            changed
        };
        if changed {
            schedule(&self.0, 0);
        }
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

    /// Try now (the manager's "Sync now"), ending any backoff.
    pub fn sync_now(&self) {
        self.0.state.borrow_mut().failures = 0;
        schedule(&self.0, 0);
    }

    /// The settings in use.
    pub fn settings(&self) -> KioskSettings {
        self.0.state.borrow().settings.clone()
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

/// One attempt: as many batches as it takes to empty the queue.
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

    let outcome = if waits_for_new_settings(&settings) {
        Outcome::Waiting
    } else {
        let task_settings = settings.clone();
        match with_sync_lock(move || deliver(task_settings, batch)).await {
            Some(Ok(batch)) => Outcome::Delivered(batch),
            Some(Err((problem, batch))) => Outcome::Failed(problem, batch),
            None => Outcome::OtherTab,
        }
    };

    let next = {
        let mut state = inner.state.borrow_mut();
        state.running = false;
        let again = std::mem::take(&mut state.again);
        match outcome {
            Outcome::Delivered(batch) => {
                state.failures = 0;
                state.batch = batch;
                Some(if again {
                    0
                } else {
                    settings.sync_interval_ms()
                })
            }
            Outcome::OtherTab => Some(settings.sync_interval_ms()),
            Outcome::Waiting => None,
            Outcome::Failed(problem, batch) => {
                state.batch = batch;
                record_problem(&problem);
                if problem.needs_new_settings() {
                    None
                } else {
                    state.failures = state.failures.saturating_add(1);
                    Some(backoff_delay_ms(state.failures, js_sys::Math::random()))
                }
            }
        }
    };
    if let Some(delay) = next {
        schedule(&inner, delay);
    }
    let listener = inner.on_attempt.borrow().clone();
    if let Some(listener) = listener {
        listener();
    }
}

enum Outcome {
    /// The queue is empty; the batch size to keep using.
    Delivered(usize),
    /// Failed; the batch size to use next time.
    Failed(SyncProblem, usize),
    /// Another tab is syncing.
    OtherTab,
    /// No token, or one already refused: nothing is sent until settings change.
    Waiting,
}

/// Whether sending is pointless until the settings change.
fn waits_for_new_settings(settings: &KioskSettings) -> bool {
    if settings.token.trim().is_empty() {
        record_problem(&SyncProblem::NoToken);
        return true;
    }
    let refused = ResponseStore::open()
        .map(|store| store.sync_record().refused_token)
        .ok()
        .flatten();
    refused == Some(token_fingerprint(&settings.token))
}

/// Sends batches until no pending response is left. Ok: the batch size in
/// use; Err: why it stopped, and the batch size to use next time.
async fn deliver(settings: KioskSettings, mut batch: usize) -> Result<usize, (SyncProblem, usize)> {
    let mut store = ResponseStore::open().map_err(|_| (SyncProblem::Storage, batch))?;
    let identity = settings.identity();
    let url = settings.responses_url();
    loop {
        let pending = store
            .pending(&identity, batch)
            .map_err(|_| (SyncProblem::Storage, batch))?;
        if pending.responses.is_empty() {
            return Ok(batch);
        }
        let sent: Vec<ResponseId> = pending.responses.iter().map(|r| r.id).collect();
        let body = encode_batch(&identity, &pending.responses);
        let answer = post_json(&url, &settings.token, &body, settings.sync_timeout_ms())
            .await
            .map_err(|err| {
                let problem = match err {
                    NetError::Timeout => SyncProblem::Timeout,
                    NetError::Unreachable(_) if !browser_online() => SyncProblem::Offline,
                    NetError::Unreachable(_) => SyncProblem::Unreachable,
                    NetError::Status(status) => SyncProblem::Server { status },
                    NetError::BadBody(_) => SyncProblem::BadReply,
                };
                (problem, batch)
            })?;
        match answer.status {
            200..=299 => {}
            413 if batch > 1 => {
                batch = (batch / 2).max(1);
                continue;
            }
            413 => return Err((SyncProblem::TooLarge, batch)),
            status @ (401 | 403) => {
                refuse_token(&settings);
                return Err((SyncProblem::TokenRejected { status }, batch));
            }
            status => return Err((SyncProblem::Server { status }, batch)),
        }
        let reply = parse_reply(&answer.body).ok_or((SyncProblem::BadReply, batch))?;
        let changed =
            apply(&mut store, &sent, &reply).map_err(|_| (SyncProblem::Storage, batch))?;
        if changed == 0 {
            // An answer that confirms nothing sent: do not loop on it.
            return Err((SyncProblem::BadReply, batch));
        }
        let mut record = store.sync_record();
        record.last_success_at = Some(js_sys::Date::now() as i64);
        record.last_problem = None;
        record.last_problem_at = None;
        let _ = store.save_sync_record(&record);
    }
}

/// What the kiosk needs from a [`feedback_domain::wire::BatchReply`].
struct Reply {
    /// Ids the collector has.
    stored: Vec<String>,
    /// Refused items: position in the batch and reason.
    rejected: Vec<(usize, String)>,
}

/// Reads a batch reply with the browser's JSON parser (the kiosk carries no
/// generic JSON decoder for it); `None` if it is not one.
fn parse_reply(body: &str) -> Option<Reply> {
    let value = js_sys::JSON::parse(body).ok()?;
    let field = |object: &JsValue, name: &str| Reflect::get(object, &name.into()).ok();
    let array = |object: &JsValue, name: &str| {
        field(object, name).and_then(|v| v.dyn_into::<js_sys::Array>().ok())
    };
    let stored = array(&value, "stored")?
        .iter()
        .map(|id| id.as_string())
        .collect::<Option<Vec<String>>>()?;
    let rejected = array(&value, "rejected")?
        .iter()
        .map(|item| {
            let index = field(&item, "index")?.as_f64()?;
            let reason = field(&item, "reason")?.as_string()?;
            (index >= 0.0 && index.fract() == 0.0).then_some((index as usize, reason))
        })
        .collect::<Option<Vec<(usize, String)>>>()?;
    Some(Reply { stored, rejected })
}

/// Marks exactly what the collector reported: stored ids synced, refused
/// items rejected. Returns how many of the sent responses it accounted for.
fn apply(
    store: &mut ResponseStore,
    sent: &[ResponseId],
    reply: &Reply,
) -> Result<usize, crate::storage::StorageError> {
    let by_text: HashMap<String, ResponseId> =
        sent.iter().map(|id| (id.to_string(), *id)).collect();
    let stored: Vec<ResponseId> = reply
        .stored
        .iter()
        .filter_map(|id| by_text.get(id).copied())
        .collect();
    let refused: Vec<(ResponseId, String)> = reply
        .rejected
        .iter()
        .filter_map(|(index, reason)| sent.get(*index).map(|id| (*id, reason.clone())))
        .filter(|(id, _)| !stored.contains(id))
        .collect();
    store.set_state(&stored, SyncState::Synced)?;
    store.reject(&refused)?;
    Ok(stored.len() + refused.len())
}

fn record_problem(problem: &SyncProblem) {
    if let Ok(mut store) = ResponseStore::open() {
        let mut record = store.sync_record();
        if record.last_problem.as_ref() == Some(problem) && record.last_problem_at.is_some() {
            return; // Already recorded; keep when it started.
        }
        record.last_problem = Some(problem.clone());
        record.last_problem_at = Some(js_sys::Date::now() as i64);
        let _ = store.save_sync_record(&record);
    }
}

fn refuse_token(settings: &KioskSettings) {
    if let Ok(mut store) = ResponseStore::open() {
        let mut record = store.sync_record();
        record.refused_token = Some(token_fingerprint(&settings.token));
        let _ = store.save_sync_record(&record);
    }
}

/// Runs `work` holding the sync Web Lock; `None` if another tab holds it.
/// Without Web Locks (an insecure origin, an old browser) it runs unguarded
/// across tabs; within the tab the syncer still runs one attempt at a time.
async fn with_sync_lock<F, Fut, T>(work: F) -> Option<T>
where
    F: FnOnce() -> Fut + 'static,
    Fut: Future<Output = T> + 'static,
    T: 'static,
{
    let Some((locks, request)) = lock_manager() else {
        return Some(work().await);
    };
    let result: Rc<RefCell<Option<T>>> = Rc::new(RefCell::new(None));
    let slot = Rc::clone(&result);
    let callback = Closure::once_into_js(move |lock: JsValue| -> Promise {
        if lock.is_null() {
            return Promise::resolve(&JsValue::FALSE);
        }
        future_to_promise(async move {
            let value = work().await;
            *slot.borrow_mut() = Some(value);
            Ok(JsValue::TRUE)
        })
    });
    let options = Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let promise = request
        .call3(&locks, &LOCK_NAME.into(), &options, &callback)
        .ok()
        .and_then(|p| p.dyn_into::<Promise>().ok())?;
    let _ = JsFuture::from(promise).await;
    result.take()
}

/// `navigator.locks` and its `request` method, where available.
fn lock_manager() -> Option<(JsValue, Function)> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    let request = Reflect::get(&locks, &"request".into()).ok()?;
    Some((locks, request.dyn_into().ok()?))
}
