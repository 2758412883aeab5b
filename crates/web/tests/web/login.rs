//! Login and logout through the router: CSRF on every form, the session cookie, the header.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use traguardi_app::demo;
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
