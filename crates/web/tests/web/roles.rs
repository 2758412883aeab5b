//! Roles count in the ente they were given in: a planner of Milano administers Milano only,
//! from the pages and through the API, and her home lists only Milano's work.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{login, multipart, send};
use traguardi_app::{Actor, accounts::users, org::enti, samples::demo};
use traguardi_domain::ente::{EnteCode, EnteKind, NewEnte};
use traguardi_store::testing;
use traguardi_web::AppState;

#[tokio::test]
async fn roles_are_scoped_to_their_ente() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let console = Actor::console();
    let torino = NewEnte {
        code: EnteCode::parse("001272").expect("code"),
        name: "Comune di Torino".into(),
        codice_fiscale: None,
        kind: EnteKind::Comune,
        staff_size: 10_000,
        has_dirigenti: true,
    };
    enti::create(&store, &console, &torino).await.expect("Torino");
    users::add_user(&store, &console, "paola", "Paola Rossi", "una-password-lunga").await.expect("user");
    users::grant_role(&store, &console, "paola", Some("015146"), "pianificatore", None).await.expect("role in Milano");
    let state = AppState::new(store.clone());
    let (cookie, csrf) = {
        // The demo's login helper knows only the demo's password.
        let s = users::login(&store, "paola", "una-password-lunga", "test").await.expect("login");
        let cookie = format!("traguardi_session={}", s.token);
        (cookie, s.csrf)
    };
    let file = b"kpi,data,valore,nota\nSIAD-2021-01-K1,2021-12-31,4,\n";
    let upload =
        |code: &str| multipart(&format!("/enti/{code}/cicli/2021/importa"), &cookie, &[("csrf", &csrf), ("tipo", "misurazioni")], Some(("v.csv", file)));
    assert_eq!(send(&state, upload("015146")).await.0, StatusCode::SEE_OTHER, "a planner in Milano");
    assert_eq!(send(&state, upload("001272")).await.0, StatusCode::FORBIDDEN, "not in Torino");

    // Through the API, with her token: Milano's audit trail, not Torino's.
    let token = users::add_token(&store, &console, "paola", "script").await.expect("token").token;
    let audit = |code: &str| {
        Request::get(format!("/api/v1/enti/{code}/cicli/2020/audit")).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).expect("req")
    };
    assert_eq!(send(&state, audit("015146")).await.0, StatusCode::OK);
    assert_eq!(send(&state, audit("001272")).await.0, StatusCode::FORBIDDEN);

    // The demo's own planner is a planner of Milano as well, and her pages show the tabs there.
    let (planner, _) = login(&state, "pianificatore").await;
    let (_, _, body) = send(&state, common::get("/enti/015146/cicli/2020/piano", &planner)).await;
    assert!(body.contains("Importa</a>"), "{body}");
}
