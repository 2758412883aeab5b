//! The HTML pages.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use traguardi_app::enti;
use traguardi_app::org_tree::{OrgTree, org_tree};
use traguardi_store::ente::Ente;

use crate::AppState;
use crate::auth::{CurrentUser, UserView};
use crate::error::WebError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/enti/{code}", get(ente_home)).route("/enti/{code}/cicli/{year}/struttura", get(org_page))
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    enti: Vec<Ente>,
    user: Option<UserView>,
}

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    user: Option<UserView>,
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

async fn home(State(s): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    html(Home { enti: enti::list(&s.store).await?, user: user.view() })
}

/// The ente's latest cycle.
async fn ente_home(State(s): State<AppState>, user: CurrentUser, Path(code): Path<String>) -> Result<Response, WebError> {
    let tree = org_tree(&s.store, &user.actor(), Some(&code), None).await?;
    Ok(Redirect::to(&format!("/enti/{}/cicli/{}/struttura", tree.ente.code, tree.cycle.year())).into_response())
}

async fn org_page(State(s): State<AppState>, user: CurrentUser, Path((code, year)): Path<(String, i32)>) -> Result<Response, WebError> {
    let tree = org_tree(&s.store, &user.actor(), Some(&code), Some(year)).await?;
    let staff = tree.nodes.iter().map(|n| n.staff).sum();
    html(OrgPage { user: user.view(), nav_code: tree.ente.code.to_string(), year: tree.cycle.year(), tree, staff, section: "struttura" })
}
