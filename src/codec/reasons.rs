//! A kiosk's own reasons, in its stored settings and in `kiosk.json`:
//!
//! ```json
//! "reasons": {"speed": [{"code": "long_queue", "text": {"en": "Long queue", "es": "Cola larga"}}]}
//! ```
//!
//! Only the factors named are replaced; the rules are the domain crate's
//! ([`ReasonChoices::set`]).

use feedback_domain::reason_choices::{ReasonChoice, ReasonChoices};
use feedback_domain::{Factor, Lang, ReasonCode};
use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

use super::{field, set, string};

/// The reasons of every factor that has its own, as a JSON value.
pub(super) fn reasons_value(choices: &ReasonChoices) -> JsValue {
    let o = Object::new();
    for factor in Factor::ALL {
        let own = choices.get(factor);
        if own.is_empty() {
            continue;
        }
        let list: Array = own
            .iter()
            .map(|choice| {
                let texts = Object::new();
                for (lang, text) in &choice.texts {
                    set(&texts, lang.as_str(), text.as_str().into());
                }
                let c = Object::new();
                set(&c, "code", choice.code.as_str().into());
                set(&c, "text", texts.into());
                JsValue::from(c)
            })
            .collect();
        set(&o, factor.key(), list.into());
    }
    o.into()
}

/// What is wrong when `kiosk.json`'s reasons cannot be used. One message
/// naming the rules, not one per case: each formatted message is code every
/// customer downloads.
pub(super) const BAD_REASONS: &str = "kiosk.json: reasons must map factors to lists of at most 6 \
     {\"code\", \"text\"} reasons: codes of 1 to 32 of a-z, 0-9 and _, each once, and words of \
     1 to 40 characters per language";

/// The reasons a JSON value names, if every part is what the format above
/// says and within the domain's limits.
pub(super) fn reasons_from(value: &JsValue) -> Option<ReasonChoices> {
    let object: &Object = value.dyn_ref().filter(|_| !Array::is_array(value))?;
    let mut choices = ReasonChoices::default();
    for key in Object::keys(object).iter() {
        let key = key.as_string()?;
        let factor: Factor = key.parse().ok()?;
        let list: Array = field(value, &key)?.dyn_into().ok()?;
        // Loops rather than collecting into an `Option`: less code for
        // every customer to download.
        let mut own = Vec::new();
        for item in list.iter() {
            own.push(choice(&item)?);
        }
        choices.set(factor, own).ok()?;
    }
    Some(choices)
}

fn choice(item: &JsValue) -> Option<ReasonChoice> {
    let code = ReasonCode::parse(&string(item, "code")?).ok()?;
    let texts_value = field(item, "text")?;
    let texts_object: &Object = texts_value.dyn_ref()?;
    let mut texts = Vec::new();
    for tag in Object::keys(texts_object).iter() {
        let tag = tag.as_string()?;
        texts.push((Lang::parse(&tag).ok()?, string(&texts_value, &tag)?));
    }
    Some(ReasonChoice { code, texts })
}
