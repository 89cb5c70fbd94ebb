//! The JSON the kiosk keeps in storage, read and written with the browser's
//! own `JSON.parse` and `JSON.stringify`.
//!
//! `serde_json` would cost the customer kiosk about 20 KB of its transfer
//! budget; these few hand-written mappings cost a fraction of that. The
//! formats are the ones `serde` gives the same types, except that the sync
//! record's token fingerprint is a decimal string (`tests/codec.rs`).

use feedback_domain::pin::{PinHash, PinLock};
use feedback_domain::settings::KioskSettings;
use feedback_domain::sync::{SyncProblem, SyncRecord};
use feedback_domain::wire::push_json_string;
use feedback_domain::{KioskIdentity, Lang};
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

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

/// The settings as JSON.
pub fn settings_json(settings: &KioskSettings) -> Option<String> {
    // Destructured, so a new field cannot be forgotten here.
    let KioskSettings {
        store_id,
        kiosk_id,
        idle_timeout_ms,
        cooldown_ms,
        endpoint,
        token,
        enrollment_code,
        sync_batch,
        sync_interval_ms,
        sync_timeout_ms,
        manager_pin,
        languages,
        default_language,
    } = settings;
    let o = Object::new();
    set(&o, "store_id", store_id.as_str().into());
    set(&o, "kiosk_id", kiosk_id.as_str().into());
    set(&o, "idle_timeout_ms", (*idle_timeout_ms).into());
    set(&o, "cooldown_ms", (*cooldown_ms).into());
    set(&o, "endpoint", endpoint.as_str().into());
    set(&o, "token", token.as_str().into());
    set(&o, "sync_batch", (*sync_batch).into());
    set(&o, "sync_interval_ms", (*sync_interval_ms).into());
    set(&o, "sync_timeout_ms", (*sync_timeout_ms).into());
    set(&o, "enrollment_code", enrollment_code.as_str().into());
    set(
        &o,
        "manager_pin",
        optional(manager_pin.as_ref(), pin_hash_value),
    );
    let list: Array = languages
        .iter()
        .map(|l| JsValue::from_str(l.as_str()))
        .collect();
    set(&o, "languages", list.into());
    set(&o, "default_language", default_language.as_str().into());
    stringify(&o.into())
}

fn pin_hash_value(pin: &PinHash) -> JsValue {
    let p = Object::new();
    set(&p, "iterations", pin.iterations.into());
    set(&p, "salt", pin.salt.as_str().into());
    set(&p, "hash", pin.hash.as_str().into());
    p.into()
}

fn pin_hash_from(pin: &JsValue) -> Option<PinHash> {
    Some(PinHash {
        iterations: small(pin, "iterations")?,
        salt: string(pin, "salt")?,
        hash: string(pin, "hash")?,
    })
}

/// A PIN hash as JSON, as `serde` writes a [`PinHash`].
pub fn pin_hash_json(pin: &PinHash) -> Option<String> {
    stringify(&pin_hash_value(pin))
}

/// Reads a PIN hash written by [`pin_hash_json`].
pub fn pin_hash(text: &str) -> Option<PinHash> {
    pin_hash_from(&parse(text)?)
}

/// The settings stored as JSON; fields left out take their defaults.
pub fn settings(text: &str) -> Option<KioskSettings> {
    let value = parse(text)?;
    if !value.is_object() || Array::is_array(&value) {
        return None;
    }
    let mut settings = KioskSettings::default();
    apply_settings(&mut settings, &value);
    text_field(&value, "token", &mut settings.token);
    settings.manager_pin = field(&value, "manager_pin").and_then(|pin| pin_hash_from(&pin));
    Some(settings)
}

/// The fields of a settings file the kiosk may be given (`kiosk.json`).
/// Never the token: it is a secret, and `kiosk.json` is served to anyone who
/// can load the kiosk. An enrollment code is exchanged once for it instead.
const PROVISIONED_FIELDS: [&str; 11] = [
    "store_id",
    "kiosk_id",
    "idle_timeout_ms",
    "cooldown_ms",
    "endpoint",
    "enrollment_code",
    "sync_batch",
    "sync_interval_ms",
    "sync_timeout_ms",
    "languages",
    "default_language",
];

fn text_field(value: &JsValue, name: &str, target: &mut String) {
    if let Some(v) = string(value, name) {
        *target = v;
    }
}

/// A list of language tags; `None` unless every entry is one.
fn languages(value: &JsValue) -> Option<Vec<Lang>> {
    let list: &Array = value.dyn_ref()?;
    list.iter()
        .map(|tag| Lang::parse(&tag.as_string()?).ok())
        .collect()
}

fn language(value: &JsValue, name: &str) -> Option<Lang> {
    Lang::parse(&string(value, name)?).ok()
}

fn apply_settings(settings: &mut KioskSettings, value: &JsValue) {
    if let Some(list) = field(value, "languages").as_ref().and_then(languages) {
        settings.languages = list;
    }
    if let Some(lang) = language(value, "default_language") {
        settings.default_language = lang;
    }
    let text = |name, target: &mut String| text_field(value, name, target);
    text("store_id", &mut settings.store_id);
    text("kiosk_id", &mut settings.kiosk_id);
    text("endpoint", &mut settings.endpoint);
    text("enrollment_code", &mut settings.enrollment_code);
    let count = |name, target: &mut u32| {
        if let Some(v) = small(value, name) {
            *target = v;
        }
    };
    count("idle_timeout_ms", &mut settings.idle_timeout_ms);
    count("cooldown_ms", &mut settings.cooldown_ms);
    count("sync_batch", &mut settings.sync_batch);
    count("sync_interval_ms", &mut settings.sync_interval_ms);
    count("sync_timeout_ms", &mut settings.sync_timeout_ms);
}

/// `settings` with the fields of a provisioning file (`kiosk.json`)
/// applied. A field of the wrong type or an unknown field makes the whole
/// file invalid: a typo is reported, not half applied.
pub fn provisioned(settings: &KioskSettings, text: &str) -> Result<KioskSettings, String> {
    let value = parse(text).ok_or("kiosk.json is not JSON")?;
    let object: &Object = value
        .dyn_ref()
        .filter(|_| !Array::is_array(&value))
        .ok_or("kiosk.json must be a JSON object")?;
    for key in Object::keys(object).iter() {
        let key = key.as_string().unwrap_or_default();
        let Some(name) = PROVISIONED_FIELDS.iter().find(|f| **f == key) else {
            return Err(format!("kiosk.json has an unknown field \"{key}\""));
        };
        let present = field(&value, name);
        let well_typed = match *name {
            "store_id" | "kiosk_id" | "endpoint" | "enrollment_code" => {
                present.as_ref().is_none_or(JsValue::is_string)
            }
            "languages" => present.as_ref().is_none_or(|v| languages(v).is_some()),
            "default_language" => present.is_none() || language(&value, name).is_some(),
            _ => present.is_none() || small(&value, name).is_some(),
        };
        if !well_typed {
            return Err(format!("kiosk.json: {key} has the wrong type"));
        }
    }
    let mut next = settings.clone();
    apply_settings(&mut next, &value);
    Ok(next)
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
