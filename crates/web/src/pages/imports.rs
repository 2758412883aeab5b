//! The import wizard in the browser: upload a CSV or XLSX file, match its columns to those of
//! the import, see the preview with every problem by row, upload the corrected file, confirm.
//! Nothing is written before the confirmation, and then all or nothing.

use std::collections::BTreeMap;
use traguardi_domain::said;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use traguardi_app::import::wizard::{self, Kind, MAX_BYTES, Preview, Uploaded};
use traguardi_app::{AppError, org::enti};

use crate::AppState;
use crate::auth::{CurrentUser, UserView};
use crate::error::{WebError, forged};
use crate::i18n::{Translate, lang, t, t2};
use crate::pages::html;
use crate::upload;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enti/{code}/cicli/{year}/importa", get(start_page).post(start).layer(upload::body_limit(MAX_BYTES)))
        .route("/enti/{code}/cicli/{year}/importa/{id}", get(columns_page).post(choose_columns))
        .route("/enti/{code}/cicli/{year}/importa/{id}/anteprima", get(preview_page))
        .route("/enti/{code}/cicli/{year}/importa/{id}/file", post(replace_file).layer(upload::body_limit(MAX_BYTES)))
        .route("/enti/{code}/cicli/{year}/importa/{id}/conferma", post(confirm))
}

fn base(code: &str, year: i32) -> String {
    format!("/enti/{code}/cicli/{year}/importa")
}

/// The first step: what the file holds, and the file. After a commit, what was imported.
#[derive(Template)]
#[template(path = "importa.html")]
struct StartPage {
    user: Option<UserView>,
    ente_name: String,
    nav_code: String,
    year: i32,
    section: &'static str,
    /// (code, label, required columns)
    kinds: Vec<(&'static str, &'static str, String)>,
    max_mb: usize,
    done: Option<String>,
    message: Option<String>,
}

async fn render_start(
    s: &AppState,
    user: &CurrentUser,
    (code, year): (&str, i32),
    done: Option<String>,
    message: Option<String>,
) -> Result<Response, WebError> {
    if user.view().is_none() {
        return Ok(Redirect::to("/login").into_response());
    }
    let ente = enti::find(&s.store, Some(code)).await?;
    html(StartPage {
        user: user.view(),
        ente_name: ente.name,
        nav_code: ente.code.to_string(),
        year,
        section: "importa",
        kinds: Kind::ALL.iter().map(|k| (k.code(), t(k.label()), k.columns().0.join(", "))).collect(),
        max_mb: MAX_BYTES / (1024 * 1024),
        done,
        message,
    })
}

async fn start_page(State(s): State<AppState>, user: CurrentUser, Path((code, year)): Path<(String, i32)>) -> Result<Response, WebError> {
    render_start(&s, &user, (&code, year), None, None).await
}

async fn start(State(s): State<AppState>, user: CurrentUser, Path((code, year)): Path<(String, i32)>, form: Multipart) -> Result<Response, WebError> {
    let form = match upload::read(form, MAX_BYTES, user.view().map(|u| u.csrf).as_deref()).await {
        Ok(f) => f,
        Err(r) => return Ok(r),
    };
    let ente = enti::find(&s.store, Some(&code)).await?;
    let outcome = match (Kind::parse(form.field("tipo")), &form.file) {
        (Err(e), _) => Err(e),
        (Ok(_), None) => Err(AppError::Refused(said!("scegliere il file da importare"))),
        (Ok(kind), Some((name, bytes))) => wizard::upload(&s.store, &user.actor(), &ente, kind, year, name, bytes).await,
    };
    match outcome {
        Ok(id) => Ok(Redirect::to(&format!("{}/{id}", base(&code, year))).into_response()),
        Err(e @ (AppError::Refused(_) | AppError::Invalid(_))) => unprocessable(render_start(&s, &user, (&code, year), None, Some(e.describe(lang()))).await),
        Err(e) => Err(e.into()),
    }
}

fn unprocessable(r: Result<Response, WebError>) -> Result<Response, WebError> {
    let mut r = r?;
    if r.status() == StatusCode::OK {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// The second step: a select of the file's columns for each column of the import.
#[derive(Template)]
#[template(path = "importa_colonne.html")]
struct ColumnsPage {
    user: Option<UserView>,
    ente_name: String,
    nav_code: String,
    year: i32,
    section: &'static str,
    up: Uploaded,
    kind_label: &'static str,
    message: Option<String>,
}

async fn render_columns(s: &AppState, user: &CurrentUser, (code, year, id): (&str, i32, &str), message: Option<String>) -> Result<Response, WebError> {
    if user.view().is_none() {
        return Ok(Redirect::to("/login").into_response());
    }
    let ente = enti::find(&s.store, Some(code)).await?;
    let up = wizard::show(&s.store, &user.actor(), &ente, id).await?;
    html(ColumnsPage {
        user: user.view(),
        ente_name: ente.name,
        nav_code: ente.code.to_string(),
        year,
        section: "importa",
        kind_label: t(up.kind.label()),
        up,
        message,
    })
}

async fn columns_page(State(s): State<AppState>, user: CurrentUser, Path((code, year, id)): Path<(String, i32, String)>) -> Result<Response, WebError> {
    render_columns(&s, &user, (&code, year, &id), None).await
}

/// The mapping form: `csrf`, `azione` (colonne | annulla), and `col.NAME` = the file's header.
async fn choose_columns(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year, id)): Path<(String, i32, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let field = |n: &str| fields.iter().find(|(k, _)| k == n).map_or("", |(_, v)| v.as_str());
    if user.view().is_none_or(|u| u.csrf != field("csrf")) {
        return Ok(forged());
    }
    let ente = enti::find(&s.store, Some(&code)).await?;
    if field("azione") == "annulla" {
        wizard::discard(&s.store, &user.actor(), &ente, &id).await?;
        return Ok(Redirect::to(&base(&code, year)).into_response());
    }
    let chosen: BTreeMap<String, String> = fields.iter().filter_map(|(k, v)| k.strip_prefix("col.").map(|n| (n.to_string(), v.clone()))).collect();
    match wizard::map(&s.store, &user.actor(), &ente, &id, &chosen).await {
        Ok(()) => Ok(Redirect::to(&format!("{}/{id}/anteprima", base(&code, year))).into_response()),
        Err(e @ (AppError::Refused(_) | AppError::Invalid(_))) => unprocessable(render_columns(&s, &user, (&code, year, &id), Some(e.describe(lang()))).await),
        Err(e) => Err(e.into()),
    }
}

/// The third step: what the import would do, or every problem by row.
#[derive(Template)]
#[template(path = "importa_anteprima.html")]
struct PreviewPage {
    user: Option<UserView>,
    ente_name: String,
    nav_code: String,
    year: i32,
    section: &'static str,
    p: Preview,
    kind_label: &'static str,
    max_mb: usize,
    /// Rows with a problem that the table leaves out.
    more: usize,
    message: Option<String>,
}

async fn render_preview(s: &AppState, user: &CurrentUser, (code, year, id): (&str, i32, &str), message: Option<String>) -> Result<Response, WebError> {
    if user.view().is_none() {
        return Ok(Redirect::to("/login").into_response());
    }
    let ente = enti::find(&s.store, Some(code)).await?;
    let p = match wizard::preview(&s.store, &user.actor(), &ente, id, lang()).await {
        Ok(p) => p,
        // No mapping yet: back to the columns.
        Err(AppError::Refused(_)) => return Ok(Redirect::to(&format!("{}/{id}", base(code, year))).into_response()),
        Err(e) => return Err(e.into()),
    };
    let more = p.problem_rows.saturating_sub(p.rows.iter().filter(|r| !r.problems.is_empty()).count());
    html(PreviewPage {
        user: user.view(),
        ente_name: ente.name,
        nav_code: ente.code.to_string(),
        year,
        section: "importa",
        kind_label: t(p.upload.kind.label()),
        p,
        max_mb: MAX_BYTES / (1024 * 1024),
        more,
        message,
    })
}

async fn preview_page(State(s): State<AppState>, user: CurrentUser, Path((code, year, id)): Path<(String, i32, String)>) -> Result<Response, WebError> {
    render_preview(&s, &user, (&code, year, &id), None).await
}

async fn replace_file(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year, id)): Path<(String, i32, String)>,
    form: Multipart,
) -> Result<Response, WebError> {
    let form = match upload::read(form, MAX_BYTES, user.view().map(|u| u.csrf).as_deref()).await {
        Ok(f) => f,
        Err(r) => return Ok(r),
    };
    let ente = enti::find(&s.store, Some(&code)).await?;
    let outcome = match &form.file {
        None => Err(AppError::Refused(said!("scegliere il file corretto"))),
        Some((name, bytes)) => wizard::replace(&s.store, &user.actor(), &ente, &id, name, bytes).await,
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("{}/{id}/anteprima", base(&code, year))).into_response()),
        Err(e @ (AppError::Refused(_) | AppError::Invalid(_))) => unprocessable(render_preview(&s, &user, (&code, year, &id), Some(e.describe(lang()))).await),
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
struct ConfirmForm {
    csrf: String,
}

async fn confirm(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year, id)): Path<(String, i32, String)>,
    Form(f): Form<ConfirmForm>,
) -> Result<Response, WebError> {
    if user.view().is_none_or(|u| u.csrf != f.csrf) {
        return Ok(forged());
    }
    let ente = enti::find(&s.store, Some(&code)).await?;
    match wizard::commit(&s.store, &user.actor(), &ente, &id, lang()).await {
        Ok((kind, summary)) => render_start(&s, &user, (&code, year), Some(t2("{} importato: {}.", t(kind.label()), summary)), None).await,
        // Confirmed twice (a double click, a second tab): the first confirmation imported it.
        Err(e @ (AppError::Conflict(_) | AppError::NotFound(_))) => {
            let page = render_start(&s, &user, (&code, year), None, Some(e.describe(lang()))).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e @ (AppError::Refused(_) | AppError::Invalid(_))) => unprocessable(render_preview(&s, &user, (&code, year, &id), Some(e.describe(lang()))).await),
        Err(e) => Err(e.into()),
    }
}
