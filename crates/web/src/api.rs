//! The JSON API under `/api/v1` (read-only so far): scores and their explanations. Errors are
//! `application/problem+json` (RFC 9457).

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use traguardi_app::scores::{self, ScoreRow};
use traguardi_app::{Actor, AppError};

use crate::AppState;
use crate::error::status_of;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/enti/{code}/cicli/{year}/punteggi", get(scores_of_cycle))
        .route("/api/v1/enti/{code}/cicli/{year}/spiegazioni/{item}", get(explanation))
}

/// A use-case error as problem+json.
pub struct ApiError(AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

#[derive(Serialize)]
struct ProblemJson {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    detail: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, title, detail) = status_of(&self.0);
        let body = ProblemJson { kind: "about:blank", title, status: status.as_u16(), detail };
        (status, [(header::CONTENT_TYPE, "application/problem+json")], Json(body)).into_response()
    }
}

#[derive(Serialize)]
struct Scores {
    ente: String,
    anno: i32,
    punteggi: Vec<ScoreRow>,
}

/// Every score of a cycle: KPIs, objectives, units, the ente (fields as `report scores`).
async fn scores_of_cycle(State(s): State<AppState>, Path((code, year)): Path<(String, i32)>) -> Result<Json<Scores>, ApiError> {
    let data = scores::load(&s.store, &Actor::public(), Some(&code), year).await?;
    Ok(Json(Scores { ente: data.ente.code.to_string(), anno: year, punteggi: data.rows() }))
}

#[derive(Serialize)]
struct Explanation {
    codice: String,
    righe: Vec<String>,
}

/// How the score of an objective (with everything below it), a KPI or a unit came to be.
async fn explanation(State(s): State<AppState>, Path((code, year, item)): Path<(String, i32, String)>) -> Result<Json<Explanation>, ApiError> {
    let data = scores::load(&s.store, &Actor::public(), Some(&code), year).await?;
    let righe = data.explain(&item).ok_or_else(|| AppError::NotFound(format!("nessun obiettivo, KPI o struttura con codice {item} nel ciclo {year}")))?;
    Ok(Json(Explanation { codice: item, righe }))
}
