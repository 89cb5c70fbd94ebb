//! The wire's JSON written by hand: the kiosk sends batches without
//! carrying `serde_json`'s generic code (it counts every byte). The tests
//! check it is exactly the text `serde_json` writes.

use crate::{Factor, KioskIdentity, Reasons, Response};

/// The JSON body of a [`ResponseBatch`] of `responses` taken under
/// `identity`: the same text `serde_json` writes for it, without its generic
/// code, which the kiosk would otherwise carry (it counts every byte).
pub fn encode_batch(identity: &KioskIdentity, responses: &[Response]) -> String {
    let mut out = String::with_capacity(64 + responses.len() * 180);
    out.push_str("{\"kiosk_id\":");
    push_json_string(&mut out, &identity.kiosk_id);
    out.push_str(",\"responses\":[");
    for (i, response) in responses.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":\"");
        out.push_str(&response.id.to_string());
        out.push_str("\",\"store_id\":");
        push_json_string(&mut out, &identity.store_id);
        out.push_str(",\"created_at\":");
        out.push_str(&response.created_at.millis().to_string());
        out.push_str(",\"ratings\":{");
        // In key order, as a BTreeMap serialises.
        let rated = Factor::BY_KEY
            .into_iter()
            .filter_map(|factor| Some((factor.key(), response.ratings.get(factor)?.value())));
        for (j, (key, value)) in rated.enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push('"');
            out.push_str(key);
            out.push_str("\":");
            out.push(char::from(b'0' + value));
        }
        out.push('}');
        if let Some(comment) = &response.comment {
            out.push_str(",\"comment\":");
            push_json_string(&mut out, comment.as_str());
        }
        out.push_str(",\"complete\":");
        out.push_str(if response.complete { "true" } else { "false" });
        if let Some(lang) = response.lang {
            out.push_str(",\"lang\":\"");
            out.push_str(lang.as_str());
            out.push('"');
        }
        push_reasons(&mut out, &response.reasons);
        out.push('}');
    }
    out.push_str("]}");
    out
}

/// Appends `,"reasons":{…}` in factor key order, as a `BTreeMap` serialises,
/// unless there are none.
fn push_reasons(out: &mut String, reasons: &Reasons) {
    if reasons.is_empty() {
        return;
    }
    out.push_str(",\"reasons\":{");
    let chosen = Factor::BY_KEY
        .into_iter()
        .map(|factor| (factor, reasons.get(factor)))
        .filter(|(_, codes)| !codes.is_empty());
    for (i, (factor, codes)) in chosen.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(factor.key());
        out.push_str("\":[");
        for (j, code) in codes.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push('"');
            out.push_str(code.as_str());
            out.push('"');
        }
        out.push(']');
    }
    out.push('}');
}

/// Appends `text` as a JSON string literal, escaped as `serde_json` does.
pub fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
