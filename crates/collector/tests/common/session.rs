//! Dashboard sessions in tests: accounts, signing in, and requests with a
//! session cookie and the headers a browser sends.

use axum::body::Body;
use axum::http::{header, Method, Request};
use feedback_collector::accounts::{self, Scope};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use super::{Collector, Reply};

pub const PASSWORD: &str = "a long enough password";

pub async fn account(c: &Collector, name: &str, scope: Scope) {
    let hash = accounts::hash_password(PASSWORD).expect("hash");
    let made = c
        .store
        .account_create(name.into(), hash, scope, 1)
        .await
        .expect("account");
    assert!(made);
}

/// Sends a request with extra headers.
pub async fn send(
    c: &Collector,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    let response = c
        .app
        .clone()
        .oneshot(request.body(body).expect("request"))
        .await
        .expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.expect("body");
    Reply {
        status,
        headers,
        body: body.to_bytes().to_vec(),
    }
}

pub async fn sign_in(c: &Collector, name: &str, password: &str) -> Reply {
    let body = json!({"username": name, "password": password});
    let same_site = [("sec-fetch-site", "same-origin")];
    send(c, Method::POST, "/v1/session", &same_site, Some(body)).await
}

/// The `name=value` of the session cookie a reply sets.
pub fn session_cookie(reply: &Reply) -> String {
    let set = reply.headers[header::SET_COOKIE].to_str().expect("text");
    set.split(';').next().expect("pair").to_owned()
}

pub async fn get_as(c: &Collector, cookie: &str, uri: &str) -> Reply {
    send(c, Method::GET, uri, &[("cookie", cookie)], None).await
}
