//! The JSON the kiosk keeps in storage, read and written with the browser's
//! own `JSON.parse` and `JSON.stringify`.
//!
//! `serde_json` would cost the customer kiosk about 20 KB of its transfer
//! budget; these few hand-written mappings cost a fraction of that. The
//! formats are the ones `serde` gives the same types, except that the sync
//! record's token fingerprint is a decimal string (`tests/codec.rs`).

use feedback_domain::pin::PinLock;
use feedback_domain::sync::{SyncProblem, SyncRecord};
use feedback_domain::wire::push_json_string;
use feedback_domain::KioskIdentity;
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

mod reasons;
mod settings;
pub use settings::{pin_hash, pin_hash_json, provisioned, settings, settings_json};

/// Parses JSON text; `None` if it is not JSON.
pub fn parse(text: &str) -> Option<JsValue> {
    JSON::parse(text).ok()
}

/// Writes a JS value as JSON text.
pub fn stringify(value: &JsValue) -> Option<String> {
    JSON::stringify(value).ok().and_then(|s| s.as_string())
}

fn field(object: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(object, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn string(object: &JsValue, name: &str) -> Option<String> {
    field(object, name)?.as_string()
}

fn integer(object: &JsValue, name: &str) -> Option<i64> {
    field(object, name)?
        .as_f64()
        .filter(|n| n.fract() == 0.0 && n.abs() < 9.0e15)
        .map(|n| n as i64)
}

fn small(object: &JsValue, name: &str) -> Option<u32> {
    integer(object, name).and_then(|n| u32::try_from(n).ok())
}

fn set(object: &Object, name: &str, value: JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(name), &value);
}

fn number(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}

fn optional<T>(value: Option<T>, to_js: impl FnOnce(T) -> JsValue) -> JsValue {
    value.map_or(JsValue::NULL, to_js)
}

/// A chunk's header line: `{"store_id":"…","kiosk_id":"…"}`, exactly as
/// `serde_json` writes a [`KioskIdentity`] (chunks compare it as text).
pub fn identity_line(identity: &KioskIdentity) -> String {
    let mut out = String::from("{\"store_id\":");
    push_json_string(&mut out, &identity.store_id);
    out.push_str(",\"kiosk_id\":");
    push_json_string(&mut out, &identity.kiosk_id);
    out.push('}');
    out
}

/// Reads a chunk's header line.
pub fn identity(text: &str) -> Option<KioskIdentity> {
    let value = parse(text)?;
    Some(KioskIdentity {
        store_id: string(&value, "store_id")?,
        kiosk_id: string(&value, "kiosk_id")?,
    })
}

/// The PIN pad's state as JSON, as `serde` writes a [`PinLock`].
pub fn pin_lock_json(lock: &PinLock) -> Option<String> {
    let PinLock {
        failures,
        locked_until,
    } = lock;
    let o = Object::new();
    set(&o, "failures", (*failures).into());
    set(&o, "locked_until", optional(*locked_until, number));
    stringify(&o.into())
}

/// The PIN pad's state stored as JSON; what cannot be read counts as no
/// failures and no lock.
pub fn pin_lock(text: &str) -> PinLock {
    let Some(value) = parse(text) else {
        return PinLock::default();
    };
    PinLock {
        failures: small(&value, "failures").unwrap_or(0),
        locked_until: integer(&value, "locked_until"),
    }
}

/// The sync record as JSON. The refused token's fingerprint is kept as a
/// decimal string: a JSON number would lose digits in the browser.
pub fn sync_record_json(record: &SyncRecord) -> Option<String> {
    let o = Object::new();
    set(
        &o,
        "last_success_at",
        optional(record.last_success_at, number),
    );
    set(
        &o,
        "last_problem_at",
        optional(record.last_problem_at, number),
    );
    let problem = record.last_problem.clone().map(String::from);
    set(&o, "last_problem", optional(problem, |p| p.into()));
    let refused = record.refused_token.map(|f| f.to_string());
    set(&o, "refused_token", optional(refused, |f| f.into()));
    stringify(&o.into())
}

/// The sync record stored as JSON; what cannot be read is left empty.
pub fn sync_record(text: &str) -> SyncRecord {
    let Some(value) = parse(text) else {
        return SyncRecord::default();
    };
    SyncRecord {
        last_success_at: integer(&value, "last_success_at"),
        last_problem_at: integer(&value, "last_problem_at"),
        last_problem: string(&value, "last_problem").and_then(|p| SyncProblem::try_from(p).ok()),
        refused_token: string(&value, "refused_token").and_then(|f| f.parse().ok()),
    }
}

/// A list of `(time in ms, message)` as `[[ms, "message"], …]`.
pub fn faults_json(faults: &[(i64, String)]) -> Option<String> {
    let list = Array::new();
    for (at, message) in faults {
        list.push(&Array::of2(&number(*at), &JsValue::from_str(message)));
    }
    stringify(&list.into())
}

/// Reads `[[ms, "message"], …]`; unreadable entries are skipped.
pub fn faults(text: &str) -> Vec<(i64, String)> {
    let Some(list) = parse(text).and_then(|v| v.dyn_into::<Array>().ok()) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|entry| {
            let pair: Array = entry.dyn_into().ok()?;
            let at = pair.get(0).as_f64()?;
            Some((at as i64, pair.get(1).as_string()?))
        })
        .collect()
}

/// A map of strings as a JSON object.
pub fn string_map_json<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Option<String> {
    let o = Object::new();
    for (key, value) in entries {
        set(&o, key, value.into());
    }
    stringify(&o.into())
}

/// Reads a JSON object of strings; other values are skipped.
pub fn string_map(text: &str) -> Vec<(String, String)> {
    let Some(object) = parse(text).and_then(|v| v.dyn_into::<Object>().ok()) else {
        return Vec::new();
    };
    Object::entries(&object)
        .iter()
        .filter_map(|entry| {
            let pair: Array = entry.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}
