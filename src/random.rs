//! Random bytes from the browser's `crypto.getRandomValues`, for response
//! ids and PIN salts. (The uuid crate's own generator would cost the
//! customer kiosk kilobytes of glue for the same call.)

use wasm_bindgen::{JsCast, JsValue};

/// 16 random bytes. `crypto` is in every browser the kiosk supports; were
/// it ever missing, the clock and `Math.random` stand in (ids stay unique
/// enough, and the collector refuses a reused id anyway).
pub fn random_16() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    if fill_from_crypto(&mut bytes).is_none() {
        let now = js_sys::Date::now() as u64;
        for (i, byte) in bytes.iter_mut().enumerate() {
            let noise = (js_sys::Math::random() * 256.0) as u64;
            *byte = (noise ^ (now >> ((i % 8) * 8))) as u8;
        }
    }
    bytes
}

fn fill_from_crypto(bytes: &mut [u8; 16]) -> Option<()> {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).ok()?;
    let fill: js_sys::Function =
        js_sys::Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))
            .ok()?
            .dyn_into()
            .ok()?;
    let array = js_sys::Uint8Array::new_with_length(16);
    fill.call1(&crypto, &array).ok()?;
    array.copy_to(bytes);
    Some(())
}

/// A new random (version 4) UUID.
pub fn new_uuid() -> uuid::Uuid {
    uuid::Builder::from_random_bytes(random_16()).into_uuid()
}
