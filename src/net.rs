//! The one module that talks to the network.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::settings::KioskSettings;

/// Where the kiosk's settings file is served, relative to the app.
pub const SETTINGS_URL: &str = "kiosk.json";

/// Why a request did not give a usable answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    /// No answer: offline, server down, refused.
    #[error("network request failed: {0}")]
    Unreachable(String),
    /// An answer with an error status.
    #[error("server answered {0}")]
    Status(u16),
    /// An answer that is not what was expected.
    #[error("unexpected answer: {0}")]
    BadBody(String),
}

/// Fetches `kiosk.json`, bypassing the HTTP cache so an edit takes effect on
/// the next start.
pub async fn fetch_settings() -> Result<KioskSettings, NetError> {
    let text = get_text(SETTINGS_URL).await?;
    serde_json::from_str(&text).map_err(|err| NetError::BadBody(err.to_string()))
}

async fn get_text(url: &str) -> Result<String, NetError> {
    let window = web_sys::window().ok_or_else(|| NetError::Unreachable("no window".into()))?;
    let init = web_sys::RequestInit::new();
    init.set_cache(web_sys::RequestCache::NoStore);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(js_error)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(js_error)?
        .dyn_into()
        .map_err(|_| NetError::BadBody("not a response".into()))?;
    if !response.ok() {
        return Err(NetError::Status(response.status()));
    }
    let body = JsFuture::from(response.text().map_err(js_error)?)
        .await
        .map_err(js_error)?;
    body.as_string()
        .ok_or_else(|| NetError::BadBody("body is not text".into()))
}

fn js_error(err: wasm_bindgen::JsValue) -> NetError {
    let text = err
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "unknown error".into());
    NetError::Unreachable(text)
}
