//! One delivery: batches of pending responses to the collector, each
//! marked synced only when the collector names it as stored.

use feedback_domain::sync::{token_fingerprint, SyncProblem};
use feedback_domain::wire::encode_batch;
use feedback_domain::{ResponseId, SyncState};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{browser_online, post_json, NetError};
use crate::storage::ResponseStore;
use feedback_domain::settings::KioskSettings;

/// What a failed request means for syncing.
pub(super) fn problem_of(err: NetError) -> SyncProblem {
    match err {
        NetError::Timeout => SyncProblem::Timeout,
        NetError::Unreachable(_) if !browser_online() => SyncProblem::Offline,
        NetError::Unreachable(_) => SyncProblem::Unreachable,
        NetError::Status(status) => SyncProblem::Server { status },
        NetError::BadBody(_) => SyncProblem::BadReply,
    }
}

/// Sends batches until no pending response is left. Ok: the batch size in
/// use; Err: why it stopped, and the batch size to use next time.
pub(super) async fn deliver(
    settings: KioskSettings,
    mut batch: usize,
) -> Result<usize, (SyncProblem, usize)> {
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
            .map_err(|err| (problem_of(err), batch))?;
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
        record.refused_token = None;
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
    // A linear search (at most 1,000 ids a batch) keeps a hash map's code
    // out of the customer kiosk.
    let texts: Vec<String> = sent.iter().map(ResponseId::to_string).collect();
    let stored: Vec<ResponseId> = reply
        .stored
        .iter()
        .filter_map(|id| texts.iter().position(|text| text == id).map(|at| sent[at]))
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

pub(super) fn record_problem(problem: &SyncProblem) {
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
