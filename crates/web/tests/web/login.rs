//! Login and logout through the router: CSRF on every form, the session cookie, the header.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use traguardi_app::samples::demo;
use traguardi_store::testing;
use traguardi_web::{AppState, router};

struct Answer {
    status: StatusCode,
    cookies: Vec<String>,
    location: Option<String>,
    body: String,
}

async fn send(state: &AppState, req: Request<Body>) -> Answer {
    let res = router(state.clone()).oneshot(req).await.expect("response");
    let status = res.status();
    let cookies = res.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap_or_default().to_string()).collect();
    let location = res.headers().get(header::LOCATION).map(|v| v.to_str().unwrap_or_default().to_string());
    let body = String::from_utf8_lossy(&res.into_body().collect().await.expect("body").to_bytes()).into_owned();
    Answer { status, cookies, location, body }
}

fn post(uri: &str, cookie: &str, form: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(form.to_string()))
        .expect("request")
}

fn value_of<'a>(cookie: &'a str, name: &str) -> &'a str {
    cookie.strip_prefix(&format!("{name}=")).and_then(|r| r.split(';').next()).unwrap_or_default()
}

#[tokio::test]
async fn login_and_logout() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let state = AppState::new(store);

    let form = send(&state, Request::get("/login").body(Body::empty()).expect("req")).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf_cookie = form.cookies.iter().find(|c| c.starts_with("traguardi_csrf=")).expect("csrf cookie");
    assert!(csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Strict"));
    let csrf = value_of(csrf_cookie, "traguardi_csrf").to_string();
    assert!(form.body.contains(&format!("name=\"csrf\" value=\"{csrf}\"")));

    // Without the matching token the form is refused.
    let forged = send(&state, post("/login", "traguardi_csrf=altro", &format!("utente=pianificatore&password=traguardi-demo&csrf={csrf}"))).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let wrong = send(&state, post("/login", &format!("traguardi_csrf={csrf}"), &format!("utente=pianificatore&password=sbagliata123&csrf={csrf}"))).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("utente o password non corretti"));

    let ok = send(&state, post("/login", &format!("traguardi_csrf={csrf}"), &format!("utente=pianificatore&password=traguardi-demo&csrf={csrf}"))).await;
    assert_eq!((ok.status, ok.location.as_deref()), (StatusCode::SEE_OTHER, Some("/")));
    let session = ok.cookies.iter().find(|c| c.starts_with("traguardi_session=")).expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"));
    let token = value_of(session, "traguardi_session").to_string();

    let home = send(&state, Request::get("/").header(header::COOKIE, format!("traguardi_session={token}")).body(Body::empty()).expect("req")).await;
    assert!(home.body.contains("Controllo di gestione (demo)") && home.body.contains(">Esci</button>"), "{}", home.body);
    let session_csrf = home.body.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("csrf in header").to_string();
    let anon = send(&state, Request::get("/").body(Body::empty()).expect("req")).await;
    assert!(anon.body.contains("href=\"/login\">Accedi</a>"));

    let forged = send(&state, post("/logout", &format!("traguardi_session={token}"), "csrf=altro")).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let out = send(&state, post("/logout", &format!("traguardi_session={token}"), &format!("csrf={session_csrf}"))).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out.cookies.iter().any(|c| c.starts_with("traguardi_session=;") && c.contains("Max-Age=0")));
    let after = send(&state, Request::get("/").header(header::COOKIE, format!("traguardi_session={token}")).body(Body::empty()).expect("req")).await;
    assert!(after.body.contains("href=\"/login\">Accedi</a>"), "the session is gone from the database");
}

/// The session cookie is `Secure` when the site is served over HTTPS: directly, or behind a
/// trusted proxy that says so; a password change ends the account's sessions.
#[tokio::test]
async fn secure_cookies_and_sessions_ended_by_a_new_password() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let log_in = |state: AppState, proto: Option<&'static str>| async move {
        let form = send(&state, Request::get("/login").body(Body::empty()).expect("req")).await;
        let csrf = value_of(form.cookies.iter().find(|c| c.starts_with("traguardi_csrf=")).expect("csrf"), "traguardi_csrf").to_string();
        let mut req = post("/login", &format!("traguardi_csrf={csrf}"), &format!("utente=pianificatore&password=traguardi-demo&csrf={csrf}"));
        if let Some(p) = proto {
            req.headers_mut().insert("x-forwarded-proto", axum::http::HeaderValue::from_static(p));
        }
        let ok = send(&state, req).await;
        ok.cookies.into_iter().find(|c| c.starts_with("traguardi_session=")).expect("session cookie")
    };
    let plain = AppState { https: traguardi_web::Https::default(), ..AppState::new(store.clone()) };
    assert!(!log_in(plain.clone(), Some("https")).await.contains("Secure"), "a proxy's header counts only when the proxy is trusted");
    let direct = AppState { https: traguardi_web::Https { always: true, trusted_proxy: false }, ..AppState::new(store.clone()) };
    assert!(log_in(direct, None).await.ends_with("; Secure"));
    let proxied = AppState { https: traguardi_web::Https { always: false, trusted_proxy: true }, ..AppState::new(store.clone()) };
    assert!(log_in(proxied.clone(), Some("https")).await.ends_with("; Secure"));
    let cookie = log_in(proxied, Some("http")).await;
    assert!(!cookie.contains("Secure"));
    // A new password ends the session opened with the old one.
    let token = value_of(&cookie, "traguardi_session").to_string();
    assert!(traguardi_app::accounts::users::session(&store, &token).await.expect("lookup").is_some());
    let api = traguardi_app::accounts::users::add_token(&store, &traguardi_app::Actor::console(), "pianificatore", "contabilità").await.expect("token");
    assert!(traguardi_app::accounts::users::token_actor(&store, &api.token, 600).await.expect("lookup").is_some());
    traguardi_app::accounts::users::set_password(&store, &traguardi_app::Actor::console(), "pianificatore", "una-nuova-password").await.expect("new password");
    assert!(traguardi_app::accounts::users::session(&store, &token).await.expect("lookup").is_none());
    assert!(traguardi_app::accounts::users::token_actor(&store, &api.token, 600).await.expect("lookup").is_none(), "its API tokens are revoked");
}
