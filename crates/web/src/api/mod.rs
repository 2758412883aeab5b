//! The JSON API under `/api/v1`: scores and their explanations (public), and the steps of the
//! cycle for scripts (`cycle`). A caller acts as the account of its API token
//! (`Authorization: Bearer trg_…`, made with `traguardi user token`), with that account's roles;
//! without a token it is the public. Cookies are never read here, so the API needs no CSRF token.
//! Errors are `application/problem+json` (RFC 9457), in Italian.

mod cycle;

use axum::Json;
use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use serde::de::DeserializeOwned;
use traguardi_app::access::ActorKind;
use traguardi_app::scores::{self, ScoreRow};
use traguardi_app::{Actor, AppError, accounts};

use crate::AppState;
use crate::error::status_of;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/enti/{code}/cicli/{year}/punteggi", get(scores_of_cycle))
        .route("/api/v1/enti/{code}/cicli/{year}/spiegazioni/{item}", get(explanation))
        .merge(cycle::routes())
}

/// An error of the API, as problem+json.
pub enum ApiError {
    App(AppError),
    /// Status, title, detail.
    Plain(StatusCode, &'static str, String),
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::App(e)
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
        let (status, title, detail) = match self {
            ApiError::App(e) => status_of(&e),
            ApiError::Plain(s, t, d) => (s, t, d),
        };
        let body = ProblemJson { kind: "about:blank", title, status: status.as_u16(), detail };
        let mut res = (status, [(header::CONTENT_TYPE, "application/problem+json")], Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        res
    }
}

fn unauthorized(detail: &str) -> ApiError {
    ApiError::Plain(StatusCode::UNAUTHORIZED, "Autenticazione richiesta", detail.into())
}

/// Who calls: the account of a valid API token, or the public when no token is sent. A token
/// that is sent but unknown, revoked or malformed is refused outright (401), never read as public.
pub struct Caller(pub Actor);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else { return Ok(Caller(Actor::public())) };
        let token = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Err(unauthorized("intestazione Authorization non valida: si attende «Bearer» seguito dal token"));
        };
        match accounts::token_actor(&state.store, token).await? {
            Some(actor) => Ok(Caller(actor)),
            None => Err(unauthorized("token sconosciuto o revocato")),
        }
    }
}

impl Caller {
    /// The actor of a step that changes data: a token is required.
    pub fn signed_in(self) -> Result<Actor, ApiError> {
        match self.0.kind {
            ActorKind::Public => {
                Err(unauthorized("serve un token per le API (traguardi user token UTENTE --nome NOME), nell'intestazione Authorization: Bearer"))
            }
            _ => Ok(self.0),
        }
    }
}

/// A JSON body; one that does not parse is a problem+json naming what is wrong.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(r) => Err(ApiError::Plain(r.status(), "Richiesta non valida", format!("corpo JSON non valido: {}", r.body_text()))),
        }
    }
}

#[derive(Serialize)]
struct Scores {
    ente: String,
    anno: i32,
    punteggi: Vec<ScoreRow>,
}

/// Every score of a cycle: KPIs, objectives, units, the ente (fields as `report scores`).
async fn scores_of_cycle(State(s): State<AppState>, Caller(actor): Caller, Path((code, year)): Path<(String, i32)>) -> Result<Json<Scores>, ApiError> {
    let data = scores::load(&s.store, &actor, Some(&code), year).await?;
    Ok(Json(Scores { ente: data.ente.code.to_string(), anno: year, punteggi: data.rows() }))
}

#[derive(Serialize)]
struct Explanation {
    codice: String,
    righe: Vec<String>,
}

/// How the score of an objective (with everything below it), a KPI or a unit came to be.
async fn explanation(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path((code, year, item)): Path<(String, i32, String)>,
) -> Result<Json<Explanation>, ApiError> {
    let data = scores::load(&s.store, &actor, Some(&code), year).await?;
    let righe = data.explain(&item).ok_or_else(|| AppError::NotFound(format!("nessun obiettivo, KPI o struttura con codice {item} nel ciclo {year}")))?;
    Ok(Json(Explanation { codice: item, righe }))
}
