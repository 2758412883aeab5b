//! Login through OpenID Connect (feature `oidc`) against a mock provider: discovery, the
//! redirect with state, nonce and PKCE, the callback checking the ID token (signature, issuer,
//! audience, nonce), an existing account only.
#![cfg(feature = "oidc")]

mod common;

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::extract::{Form, State};
use axum::http::{Request, StatusCode, header};
use axum::routing::{get, post};
use common::{get as get_req, send};
use http_body_util::BodyExt;
use tower::ServiceExt;
use traguardi_app::samples::demo;
use traguardi_store::testing;
use traguardi_web::oidc::Config;
use traguardi_web::{AppState, router};

const JWKS: &str = include_str!("fixtures/oidc-test-jwks.json");
const KEY: &[u8] = include_bytes!("fixtures/oidc-test-key.pem");
const OTHER_KEY: &[u8] = include_bytes!("fixtures/oidc-other-key.pem");

/// A provider on a free port: its ID tokens carry the nonce and username written in the code
/// (`NONCE|USER|test` or `…|other` for a key it does not publish).
async fn provider() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let discovery = serde_json::json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "jwks_uri": format!("{base}/jwks"),
    });
    async fn token(State(issuer): State<String>, Form(f): Form<HashMap<String, String>>) -> axum::response::Response {
        use axum::response::IntoResponse;
        if f.get("code_verifier").is_none_or(|v| v.len() < 43) || f.get("client_secret").map(String::as_str) != Some("segreto") {
            return (StatusCode::BAD_REQUEST, "invalid_request").into_response();
        }
        let code = f.get("code").cloned().unwrap_or_default();
        let mut parts = code.split('|');
        let (nonce, user, key) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
        let now = chrono::Utc::now().timestamp();
        let claims =
            serde_json::json!({ "iss": issuer, "aud": "traguardi", "sub": "123", "iat": now, "exp": now + 300, "nonce": nonce, "preferred_username": user });
        let mut head = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        head.kid = Some("prova-1".into());
        let pem = if key == "other" { OTHER_KEY } else { KEY };
        let id_token = jsonwebtoken::encode(&head, &claims, &jsonwebtoken::EncodingKey::from_rsa_pem(pem).expect("key")).expect("sign");
        axum::Json(serde_json::json!({ "access_token": "x", "token_type": "Bearer", "id_token": id_token })).into_response()
    }
    let app = Router::new()
        .route("/.well-known/openid-configuration", get(move || async move { axum::Json(discovery) }))
        .route("/jwks", get(|| async { ([(header::CONTENT_TYPE, "application/json")], JWKS) }))
        .route("/token", post(token))
        .with_state(base.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    base
}

/// Sends a request; returns the status, the redirect, the cookies set and the body.
async fn call(state: &AppState, req: Request<Body>) -> (StatusCode, String, Vec<String>, String) {
    let res = router(state.clone()).oneshot(req).await.expect("response");
    let status = res.status();
    let location = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let cookies = res.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap_or_default().to_string()).collect();
    let body = String::from_utf8_lossy(&res.into_body().collect().await.expect("body").to_bytes()).into_owned();
    (status, location, cookies, body)
}

fn param<'a>(url: &'a str, name: &str) -> &'a str {
    url.split(['?', '&']).find_map(|kv| kv.strip_prefix(&format!("{name}="))).unwrap_or_default()
}

#[tokio::test]
async fn login_through_an_identity_provider() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    // Not configured: no button, and the route says so.
    let plain = AppState::new(store.clone());
    assert!(!send(&plain, get_req("/login", "")).await.2.contains("/login/oidc"));
    assert_eq!(send(&plain, get_req("/login/oidc", "")).await.0, StatusCode::NOT_FOUND);

    let issuer = provider().await;
    let config = Config {
        issuer: issuer.clone(),
        client_id: "traguardi".into(),
        client_secret: "segreto".into(),
        redirect_url: "https://traguardi.comune.example/login/oidc/callback".into(),
        username_claim: "preferred_username".into(),
        label: "Accedi con SPID o CIE".into(),
    };
    let state = tokio::task::spawn_blocking(move || AppState::new(store).with_oidc(config)).await.expect("join").expect("discovery");
    let (_, _, login) = send(&state, get_req("/login", "")).await;
    assert!(login.contains("<a class=\"btn btn-outline-primary\" href=\"/login/oidc\">Accedi con SPID o CIE</a>"), "{login}");

    // Each attempt starts at /login/oidc: to the provider with state, nonce and PKCE.
    let start = || async {
        let (status, to, cookies, _) = call(&state, get_req("/login/oidc", "")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(to.starts_with(&format!("{issuer}/authorize?response_type=code&client_id=traguardi&redirect_uri=https%3A%2F%2Ftraguardi.comune.example%2Flogin%2Foidc%2Fcallback&scope=openid%20profile%20email&state=")), "{to}");
        assert_eq!(param(&to, "code_challenge_method"), "S256");
        assert_eq!(param(&to, "code_challenge").len(), 43);
        let flow = cookies.iter().find_map(|c| c.strip_prefix("traguardi_oidc=")).and_then(|c| c.split(';').next()).expect("flow cookie").to_string();
        (param(&to, "state").to_string(), param(&to, "nonce").to_string(), format!("traguardi_oidc={flow}"))
    };
    let back =
        |state_param: &str, code: &str, cookie: &str| get_req(&format!("/login/oidc/callback?code={}&state={state_param}", code.replace('|', "%7C")), cookie);

    // The planner of the demo: a session, as with a password.
    let (st, nonce, cookie) = start().await;
    let (status, to, cookies, _) = call(&state, back(&st, &format!("{nonce}|pianificatore|test"), &cookie)).await;
    assert_eq!((status, to.as_str()), (StatusCode::SEE_OTHER, "/"));
    let session = cookies.iter().find_map(|c| c.strip_prefix("traguardi_session=")).and_then(|c| c.split(';').next()).expect("session").to_string();
    let (_, _, home) = send(&state, get_req("/", &format!("traguardi_session={session}"))).await;
    assert!(home.contains("Controllo di gestione (demo)"), "{home}");

    // A state that is not the one sent; a token signed by another key; a nonce replayed; a
    // user without an account: each refused, saying why.
    let (st, nonce, cookie) = start().await;
    let (status, _, _, body) = call(&state, back("altro", &format!("{nonce}|pianificatore|test"), &cookie)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("richiesta scaduta o non partita da qui"), "{body}");
    let (status, _, _, body) = call(&state, back(&st, &format!("{nonce}|pianificatore|other"), &cookie)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("ID token non valido"), "{body}");
    let (status, _, _, body) = call(&state, back(&st, "un-altro-nonce|pianificatore|test", &cookie)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("nonce diverso da quello della richiesta"), "{body}");
    let (status, _, _, body) = call(&state, back(&st, &format!("{nonce}|mario.rossi|test"), &cookie)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("nessun utente attivo «mario.rossi» in Traguardi"), "{body}");
    let (status, _, _, body) = call(&state, get_req("/login/oidc/callback?error=access_denied&error_description=annullato", &cookie)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("il provider di identità ha rifiutato l&#39;accesso: annullato"), "{body}");
    // The same refusals in English for who chose it.
    let english = format!("{cookie}; lingua=en");
    let (status, _, _, body) = call(&state, get_req("/login/oidc/callback?error=access_denied&error_description=annullato", &english)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("Login failed") && body.contains("the identity provider refused the login: annullato"), "{body}");
    let (st, _, cookie) = start().await;
    let (status, _, _, body) = call(&state, back(&st, "un-altro-nonce|pianificatore|test", &format!("{cookie}; lingua=en"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("invalid ID token: nonce other than the request&#39;s"), "{body}");
}
