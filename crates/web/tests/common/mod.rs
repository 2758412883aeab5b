//! What the router tests share: sending a request, forms, logging in a demo account.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use traguardi_app::samples::demo;
use traguardi_web::{AppState, router};

/// Sends a request; returns the status, the cookies set and the body.
pub async fn send(state: &AppState, req: Request<Body>) -> (StatusCode, Vec<String>, String) {
    let res = router(state.clone()).oneshot(req).await.expect("response");
    let status = res.status();
    let cookies = res.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap_or_default().to_string()).collect();
    let body = String::from_utf8_lossy(&res.into_body().collect().await.expect("body").to_bytes()).into_owned();
    (status, cookies, body)
}

pub fn get(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri).header(header::COOKIE, cookie).body(Body::empty()).expect("request")
}

pub fn post(uri: &str, cookie: &str, form: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(form.to_string()))
        .expect("request")
}

/// Logs in a demo account; returns its session cookie and CSRF token.
pub async fn login(state: &AppState, user: &str) -> (String, String) {
    let (_, cookies, _) = send(state, Request::get("/login").body(Body::empty()).expect("req")).await;
    let csrf = cookies.iter().find_map(|c| c.strip_prefix("traguardi_csrf=")).and_then(|r| r.split(';').next()).expect("csrf").to_string();
    let form = format!("utente={user}&password={}&csrf={csrf}", demo::PASSWORD);
    let (_, cookies, _) = send(state, post("/login", &format!("traguardi_csrf={csrf}"), &form)).await;
    let session = cookies.iter().find_map(|c| c.strip_prefix("traguardi_session=")).and_then(|r| r.split(';').next()).expect("session").to_string();
    let cookie = format!("traguardi_session={session}");
    let (_, _, home) = send(state, get("/", &cookie)).await;
    let token = home.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("csrf in header").to_string();
    (cookie, token)
}

/// Sends a request; returns the status, where it redirects to (empty if nowhere) and the body.
pub async fn send_to(state: &AppState, req: Request<Body>) -> (StatusCode, String, String) {
    let res = router(state.clone()).oneshot(req).await.expect("response");
    let status = res.status();
    let location = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let body = String::from_utf8_lossy(&res.into_body().collect().await.expect("body").to_bytes()).into_owned();
    (status, location, body)
}

/// A multipart form with text fields and, when given, a file in the part named `file`.
pub fn multipart(uri: &str, cookie: &str, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Request<Body> {
    const BOUNDARY: &str = "traguardi-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    if let Some((filename, bytes)) = file {
        body.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    Request::post(uri)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .expect("request")
}
