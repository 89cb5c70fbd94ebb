//! A kiosk's settings and the manager's PIN hash as stored, and `kiosk.json`.

use feedback_domain::pin::PinHash;
use feedback_domain::settings::KioskSettings;
use feedback_domain::Lang;
use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

use super::reasons::{reasons_from, reasons_value, BAD_REASONS};
use super::{field, optional, parse, set, small, string, stringify};

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
        reasons,
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
    set(&o, "reasons", reasons_value(reasons));
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
const PROVISIONED_FIELDS: [&str; 12] = [
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
    "reasons",
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
    if let Some(reasons) = field(value, "reasons").as_ref().and_then(reasons_from) {
        settings.reasons = reasons.into();
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
        if let (&"reasons", Some(reasons)) = (name, &present) {
            reasons_from(reasons).ok_or(BAD_REASONS)?;
            continue;
        }
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
