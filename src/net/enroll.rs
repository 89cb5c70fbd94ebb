//! Enrollment: a one-time code from `feedback-collector kiosk enroll`,
//! exchanged once with the collector for this kiosk's token, so no token
//! ever travels in a file anyone can load.

use feedback_domain::sync::SyncProblem;
use feedback_domain::wire::push_json_string;
use js_sys::Reflect;
use wasm_bindgen::JsValue;

use super::deliver::problem_of;
use super::post_json;
use feedback_domain::settings::KioskSettings;

/// Exchanges the enrollment code of `settings`; the settings with the
/// token (and the store and kiosk it is for) in place of the code.
pub(super) async fn exchange(settings: &KioskSettings) -> Result<KioskSettings, SyncProblem> {
    let mut body = String::from("{\"code\":");
    push_json_string(&mut body, settings.enrollment_code.trim());
    body.push('}');
    let answer = post_json(
        &settings.enrollments_url(),
        "",
        &body,
        settings.sync_timeout_ms(),
    )
    .await
    .map_err(problem_of)?;
    match answer.status {
        200..=299 => {}
        400 | 404 | 410 => return Err(SyncProblem::EnrollmentRefused),
        status => return Err(SyncProblem::Server { status }),
    }
    let value = js_sys::JSON::parse(&answer.body).map_err(|_| SyncProblem::BadReply)?;
    let text = |name: &str| {
        Reflect::get(&value, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
            .filter(|v| !v.is_empty())
    };
    let (Some(token), Some(store_id), Some(kiosk_id)) =
        (text("token"), text("store_id"), text("kiosk_id"))
    else {
        return Err(SyncProblem::BadReply);
    };
    let mut next = settings.clone();
    next.token = token;
    next.store_id = store_id;
    next.kiosk_id = kiosk_id;
    next.enrollment_code.clear();
    Ok(next)
}
