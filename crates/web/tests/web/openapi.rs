//! The OpenAPI 3.1 document: served at `/api/v1/openapi.json`, made from the same handlers as
//! the routes, and kept in `docs/openapi.json` by this snapshot test (after a deliberate change
//! of the API: `UPDATE_SNAPSHOTS=1 cargo test -p traguardi-web --test web openapi`, then review the diff).

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use traguardi_store::testing;
use traguardi_web::{AppState, openapi_json, router};

#[tokio::test]
async fn the_document_is_served_kept_and_true_to_the_routes() {
    let doc = openapi_json();
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::write(&committed, &doc).expect("write the snapshot");
    }
    let kept = std::fs::read_to_string(&committed).expect("docs/openapi.json");
    assert!(kept == doc, "docs/openapi.json differs from the API: UPDATE_SNAPSHOTS=1 cargo test -p traguardi-web --test web openapi, then review the diff");

    let state = AppState::new(testing::sqlite().await.expect("store"));
    let res = router(state.clone()).oneshot(Request::get("/api/v1/openapi.json").body(Body::empty()).expect("req")).await.expect("res");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(String::from_utf8_lossy(&res.into_body().collect().await.expect("body").to_bytes()), doc);

    // Every operation of the document is served: without a token, 401 where one is needed;
    // the public ones answer (404: the empty database has no ente; its list of enti is empty).
    let json: serde_json::Value = serde_json::from_str(&doc).expect("json");
    assert_eq!(json["openapi"], "3.1.0");
    let paths = json["paths"].as_object().expect("paths");
    assert_eq!(paths.len(), 32, "{:?}", paths.keys());
    for (path, ops) in paths {
        for (method, op) in ops.as_object().expect("operations") {
            let uri = path.replace("{code}", "015146").replace("{year}", "2020").replace("{item}", "SAL-12").replace("{tipo}", "piano");
            let req =
                Request::builder().method(Method::from_bytes(method.to_uppercase().as_bytes()).expect("method")).uri(&uri).body(Body::empty()).expect("req");
            let status = router(state.clone()).oneshot(req).await.expect("res").status();
            let expected = match (op.get("security"), path.as_str()) {
                (Some(_), _) => StatusCode::UNAUTHORIZED,
                (None, "/api/v1/enti") => StatusCode::OK,
                (None, _) => StatusCode::NOT_FOUND,
            };
            assert_eq!(status, expected, "{method} {uri}");
        }
    }
}
