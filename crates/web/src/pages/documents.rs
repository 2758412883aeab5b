//! The documents of a cycle as downloads from the pages: the Piano degli Obiettivi and the
//! Relazione sulla Performance, the monitoring report, the draft deliberations, a person's
//! evaluation form (`?matricola=`) and the NIV's reports, each in the formats it has
//! (`?formato=pdf|xlsx|csv|json|docx`).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::documents::Asked;
use crate::error::WebError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/enti/{code}/cicli/{year}/documenti/{tipo}", get(download))
}

async fn download(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year, tipo)): Path<(String, i32, String)>,
    Query(asked): Query<Asked>,
) -> Result<Response, WebError> {
    let (doc, name) = crate::documents::of_cycle(&s.store, &user.actor(), &code, year, &tipo, &asked).await?;
    Ok(doc.download(&name))
}
