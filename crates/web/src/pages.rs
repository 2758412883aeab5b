//! The HTML pages.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use traguardi_app::org_tree::{OrgTree, org_tree};
use traguardi_app::{Actor, enti};
use traguardi_store::ente::Ente;

use crate::AppState;
use crate::error::WebError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/enti/{code}", get(ente_home)).route("/enti/{code}/cicli/{year}/struttura", get(org_page))
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    enti: Vec<Ente>,
}

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    tree: OrgTree,
    staff: usize,
    year: i32,
    section: &'static str,
    nav_code: String,
}

pub(crate) fn html(t: impl Template) -> Result<Response, WebError> {
    let body = t.render().map_err(|e| WebError(traguardi_app::AppError::Refused(format!("pagina non generata: {e}"))))?;
    Ok(Html(body).into_response())
}

async fn home(State(s): State<AppState>) -> Result<Response, WebError> {
    html(Home { enti: enti::list(&s.store).await? })
}

/// The ente's latest cycle.
async fn ente_home(State(s): State<AppState>, Path(code): Path<String>) -> Result<Response, WebError> {
    let tree = org_tree(&s.store, &Actor::public(), Some(&code), None).await?;
    Ok(Redirect::to(&format!("/enti/{}/cicli/{}/struttura", tree.ente.code, tree.cycle.year())).into_response())
}

async fn org_page(State(s): State<AppState>, Path((code, year)): Path<(String, i32)>) -> Result<Response, WebError> {
    let tree = org_tree(&s.store, &Actor::public(), Some(&code), Some(year)).await?;
    let staff = tree.nodes.iter().map(|n| n.staff).sum();
    html(OrgPage { nav_code: tree.ente.code.to_string(), year: tree.cycle.year(), tree, staff, section: "struttura" })
}
