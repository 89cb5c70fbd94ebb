//! The one module that talks to the network: the kiosk's settings file and
//! [`sync`], which delivers responses to the collector.

pub mod dashboard;
mod deliver;
mod enroll;
mod heartbeat;
pub mod sync;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[cfg(doc)]
use feedback_domain::settings::KioskSettings;

/// Where the kiosk's settings file is served, relative to the app.
pub const SETTINGS_URL: &str = "kiosk.json";

/// Why a request did not give a usable answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    /// No answer: offline, server down, refused.
    #[error("network request failed: {0}")]
    Unreachable(String),
    /// No answer within the time allowed; the request was abandoned.
    #[error("no answer in time")]
    Timeout,
    /// An answer with an error status.
    #[error("server answered {0}")]
    Status(u16),
    /// An answer that is not what was expected.
    #[error("unexpected answer: {0}")]
    BadBody(String),
}

/// Fetches `kiosk.json`, bypassing the HTTP cache so an edit takes effect on
/// the next start. See [`KioskSettings::provisioned`] for how it is applied.
pub async fn fetch_settings_text() -> Result<String, NetError> {
    get_text(SETTINGS_URL).await
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

/// An answer: its status and body text.
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The body.
    pub body: String,
}

/// POSTs `body` as JSON to `url` with a bearer `token` (none if empty); gives up after
/// `timeout_ms` (the request is aborted, so a late answer is never read).
pub async fn post_json(
    url: &str,
    token: &str,
    body: &str,
    timeout_ms: u32,
) -> Result<Answer, NetError> {
    send("POST", url, token, Some(body), timeout_ms).await
}

/// Sends a request (`body` as JSON, if any) to `url` with a bearer `token`
/// (none if empty; a same-origin page's cookies go anyway); gives up after
/// `timeout_ms`.
pub async fn send(
    method: &str,
    url: &str,
    token: &str,
    body: Option<&str>,
    timeout_ms: u32,
) -> Result<Answer, NetError> {
    let window = web_sys::window().ok_or_else(|| NetError::Unreachable("no window".into()))?;
    let controller = web_sys::AbortController::new().map_err(js_error)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_cache(web_sys::RequestCache::NoStore);
    init.set_signal(Some(&controller.signal()));
    let headers = web_sys::Headers::new().map_err(js_error)?;
    if let Some(body) = body {
        init.set_body(&wasm_bindgen::JsValue::from_str(body));
        headers
            .set("Content-Type", "application/json")
            .map_err(js_error)?;
    }
    if !token.is_empty() {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(js_error)?;
    }
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(js_error)?;

    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    // Dropping the timer (when this function returns) cancels it.
    let _timer = {
        let timed_out = std::rc::Rc::clone(&timed_out);
        gloo_timers::callback::Timeout::new(timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let outcome = async {
        let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(js_error)?
            .dyn_into()
            .map_err(|_| NetError::BadBody("not a response".into()))?;
        let text = JsFuture::from(response.text().map_err(js_error)?)
            .await
            .map_err(js_error)?;
        Ok(Answer {
            status: response.status(),
            body: text.as_string().unwrap_or_default(),
        })
    }
    .await;
    match outcome {
        Err(_) if timed_out.get() => Err(NetError::Timeout),
        other => other,
    }
}

/// Whether the browser believes it is online. Only a hint: a request that
/// fails is what counts.
pub fn browser_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

fn js_error(err: wasm_bindgen::JsValue) -> NetError {
    let text = err
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "unknown error".into());
    NetError::Unreachable(text)
}
