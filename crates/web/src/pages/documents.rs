//! The documents of a cycle as downloads from the pages: the Piano degli Obiettivi and the
//! Relazione sulla Performance, the monitoring report and the draft deliberations, each in the
//! formats it has (`?formato=pdf|xlsx|csv|json|docx`).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/enti/{code}/cicli/{year}/documenti/{tipo}", get(download))
}

#[derive(Deserialize)]
struct Format {
    formato: Option<String>,
    /// The monitoring report's day (`YYYY-MM-DD`).
    periodo: Option<chrono::NaiveDate>,
}

async fn download(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year, tipo)): Path<(String, i32, String)>,
    Query(f): Query<Format>,
) -> Result<Response, WebError> {
    let (doc, name) = crate::documents::of_cycle(&s.store, &user.actor(), &code, year, &tipo, f.formato.as_deref().unwrap_or("pdf"), f.periodo).await?;
    Ok(doc.download(&name))
}
