//! `/healthz`: the process answers. `/readyz`: the database answers too.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/healthz", get(|| async { "ok" })).route("/readyz", get(ready))
}

async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.store.ping().await { (StatusCode::OK, "ok") } else { (StatusCode::SERVICE_UNAVAILABLE, "database non raggiungibile") }
}
