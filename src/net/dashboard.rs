//! The dashboard's requests to the collector that serves it: the same API
//! as scripts use, authenticated by the session cookie.

use super::{send, NetError};

/// How long the dashboard waits for an answer.
const TIMEOUT_MS: u32 = 20_000;

/// Why the dashboard got no data.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DashboardError {
    /// No answer at all.
    #[error("the collector cannot be reached")]
    Unreachable,
    /// Not signed in, or the session ended.
    #[error("the session has ended")]
    SignedOut,
    /// Refused, with the collector's own words.
    #[error("{0}")]
    Refused(String),
}

/// The collector's error body, as far as the dashboard reads it. Typed
/// rather than `serde_json::Value`, which would add its own code to the page.
#[derive(serde::Deserialize)]
struct ErrorReply {
    error: ErrorPart,
}

#[derive(serde::Deserialize)]
struct ErrorPart {
    message: String,
}

/// The collector's error message of an error body, or the status.
fn message(status: u16, body: &str) -> String {
    serde_json::from_str::<ErrorReply>(body)
        .map(|reply| reply.error.message)
        .unwrap_or_else(|_| format!("the collector answered {status}"))
}

async fn call(method: &str, url: &str, body: Option<&str>) -> Result<String, DashboardError> {
    match send(method, url, "", body, TIMEOUT_MS).await {
        Err(NetError::Unreachable(_) | NetError::Timeout) => Err(DashboardError::Unreachable),
        Err(err) => Err(DashboardError::Refused(err.to_string())),
        Ok(answer) if (200..300).contains(&answer.status) => Ok(answer.body),
        Ok(answer) if answer.status == 401 && url.ends_with("/v1/session") && body.is_some() => {
            Err(DashboardError::Refused(message(401, &answer.body)))
        }
        Ok(answer) if answer.status == 401 => Err(DashboardError::SignedOut),
        Ok(answer) => Err(DashboardError::Refused(message(
            answer.status,
            &answer.body,
        ))),
    }
}

/// `GET` an API path (`/v1/…`), the body as text.
pub async fn get(path: &str) -> Result<String, DashboardError> {
    call("GET", path, None).await
}

/// `POST` to an API path with a JSON body (or none), the answer as text.
pub async fn post(path: &str, body: Option<&str>) -> Result<String, DashboardError> {
    call("POST", path, body).await
}

/// `PUT` a JSON body to an API path, the answer as text.
pub async fn put(path: &str, body: &str) -> Result<String, DashboardError> {
    call("PUT", path, Some(body)).await
}

/// Signs in; the collector sets the session cookie.
pub async fn sign_in(username: &str, password: &str) -> Result<String, DashboardError> {
    #[derive(serde::Serialize)]
    struct SignIn<'a> {
        username: &'a str,
        password: &'a str,
    }
    let body = serde_json::to_string(&SignIn { username, password }).unwrap_or_default();
    call("POST", "/v1/session", Some(&body)).await
}

/// Signs out (ends the session on the collector).
pub async fn sign_out() -> Result<(), DashboardError> {
    call("DELETE", "/v1/session", None).await.map(|_| ())
}
