//! The JSON API under `/api/v1`: scores and their explanations (public), and the steps of the
//! cycle for scripts (`cycle`). A caller acts as the account of its API token
//! (`Authorization: Bearer trg_…`, made with `traguardi user token`), with that account's roles;
//! without a token it is the public. Cookies are never read here, so the API needs no CSRF token.
//! Errors are `application/problem+json` (RFC 9457), in Italian.

use crate::i18n::{t, t1};
use traguardi_domain::said;
mod acts;
mod budget;
mod cycle;
mod documents;
mod evaluations;
mod examples;
mod imports;
mod org;
mod page;
mod plan;
mod premi;

use axum::Json;
use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use traguardi_app::accounts::access::ActorKind;
use traguardi_app::plan::scores::ScoreRow;
use traguardi_app::{Actor, AppError, accounts::users};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::status_of;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Traguardi API",
        description = "The performance cycle of an ente: scores and explanations (public), and the steps of the cycle with an API token (docs/api.md). Error details are in Italian."
    ),
    modifiers(&BearerToken),
    components(schemas(ProblemJson, ProblemItem))
)]
struct ApiDoc;

/// The API tokens' security scheme.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = SecurityScheme::Http(
            HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("trg_…").description(Some("traguardi user token UTENTE --nome NOME")).build(),
        );
        openapi.components.get_or_insert_with(Default::default).add_security_scheme("token", scheme);
    }
}

/// The API's routes and the OpenAPI document describing them, both made from the same
/// annotated handlers, so that the document cannot drift from what is served.
fn parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(scores_of_cycle))
        .routes(routes!(explanation))
        .merge(org::routes())
        .merge(acts::routes())
        .merge(plan::routes())
        .merge(cycle::routes())
        .merge(documents::routes())
        .merge(imports::routes())
        .merge(premi::routes())
        .merge(evaluations::routes())
        .merge(budget::routes())
        .split_for_parts()
}

/// The OpenAPI 3.1 document of the API, as served at `/api/v1/openapi.json`.
pub fn openapi_json() -> String {
    parts().1.to_pretty_json().unwrap_or_default()
}

pub fn routes() -> Router<AppState> {
    let (router, doc) = parts();
    let json = doc.to_pretty_json().unwrap_or_default();
    router
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let json = json.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], json) }
            }),
        )
        .layer(axum::middleware::from_fn(as_problem))
}

/// Every error of the API is problem+json, those made before a handler runs too (a path or
/// query that does not parse, a method the path does not have, a body of another type): their
/// status stays, their text becomes the detail.
async fn as_problem(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    let is_problem = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if status.as_u16() < 400 || is_problem {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024).await.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    let detail = if text.trim().is_empty() { status.canonical_reason().unwrap_or("errore").to_string() } else { text.trim().to_string() };
    let title = match status {
        StatusCode::NOT_FOUND => t("Non trovato"),
        StatusCode::METHOD_NOT_ALLOWED => t("Metodo non ammesso"),
        StatusCode::PAYLOAD_TOO_LARGE => t("Richiesta troppo grande"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => t("Tipo di contenuto non ammesso"),
        s if s.is_server_error() => t("Errore interno"),
        _ => t("Richiesta non valida"),
    };
    let mut out = ApiError::Plain(status, title, detail).into_response();
    for (name, value) in parts.headers.iter().filter(|(n, _)| *n != header::CONTENT_TYPE && *n != header::CONTENT_LENGTH) {
        out.headers_mut().insert(name.clone(), value.clone());
    }
    out
}

/// An unknown path under `/api/`: a 404 problem, not a page.
pub async fn not_found() -> Response {
    ApiError::Plain(StatusCode::NOT_FOUND, t("Non trovato"), t("nessuna operazione dell'API a questo indirizzo: vedere /api/v1/openapi.json").into())
        .into_response()
}

/// The ente and the year of a cycle, in the path.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CyclePath {
    /// The ente's ISTAT code, six digits (e.g. 015146).
    #[param(pattern = "^[0-9]{6}$", example = "015146")]
    pub code: String,
    /// The cycle's year.
    pub year: i32,
}

/// The ente, in the path.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct EntePath {
    /// The ente's ISTAT code, six digits (e.g. 015146).
    #[param(pattern = "^[0-9]{6}$", example = "015146")]
    pub code: String,
}

/// Every way a request may fail, each as `application/problem+json` (RFC 9457) with the
/// detail in Italian; documented on every operation.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum Errors {
    /// the request is malformed: a body that is not JSON, or a path or query that does not parse
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(ProblemJson),
    /// no token where one is needed, or an unknown or revoked one
    #[response(status = 401, content_type = "application/problem+json")]
    NoToken(ProblemJson),
    /// the account's roles do not allow it in this ente
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(ProblemJson),
    /// no such ente, cycle, objective, KPI, value or path
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(ProblemJson),
    /// the method is not one of this path
    #[response(status = 405, content_type = "application/problem+json")]
    Method(ProblemJson),
    /// changed by someone else since the version read, or a closed cycle's snapshot altered
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(ProblemJson),
    /// a body over the limit
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(ProblemJson),
    /// a body of another content type
    #[response(status = 415, content_type = "application/problem+json")]
    Unsupported(ProblemJson),
    /// refused, and why (the same words as the command line)
    #[response(status = 422, content_type = "application/problem+json")]
    Refused(ProblemJson),
    /// the token's requests of this minute are over its limit; `Retry-After` says when to retry
    #[response(status = 429, content_type = "application/problem+json")]
    TooMany(ProblemJson),
    /// an internal error, logged with the request's id
    #[response(status = 500, content_type = "application/problem+json")]
    Internal(ProblemJson),
}

/// A file's bytes (an XLSX, a PDF, an upload), as OpenAPI names binary content.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct FileBytes(Vec<u8>);

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

/// An error (RFC 9457), its detail in the language of the request's `Accept-Language` (Italian
/// unless English is asked for).
#[derive(Serialize, ToSchema)]
pub struct ProblemJson {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    detail: String,
    /// A file's or a request's problems, each on its row and column (when it has them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    problemi: Vec<ProblemItem>,
}

/// One problem of a file or a request.
#[derive(Serialize, ToSchema)]
pub struct ProblemItem {
    /// The file's line (the header is line 1); none for the whole file.
    riga: Option<usize>,
    /// The column, as the file's header names it.
    colonna: Option<String>,
    /// What is wrong, in the caller's language.
    problema: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            ApiError::App(AppError::TooMany { retry_after, .. }) => Some(*retry_after),
            _ => None,
        };
        let problemi = match &self {
            ApiError::App(AppError::Invalid(p)) => {
                p.0.iter().map(|p| ProblemItem { riga: p.row, colonna: p.column.clone(), problema: p.kind.describe(crate::i18n::lang()) }).collect()
            }
            _ => Vec::new(),
        };
        let (status, title, detail) = match self {
            ApiError::App(e) => status_of(&e),
            ApiError::Plain(s, t, d) => (s, t, d),
        };
        let body = ProblemJson { kind: "about:blank", title, status: status.as_u16(), detail, problemi };
        let mut res = (status, [(header::CONTENT_TYPE, "application/problem+json")], Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = retry_after {
            res.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        res
    }
}

/// `detail` in the caller's language (a `t` of the catalogue).
fn unauthorized(detail: &str) -> ApiError {
    ApiError::Plain(StatusCode::UNAUTHORIZED, t("Autenticazione richiesta"), detail.into())
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
            return Err(unauthorized(t("intestazione Authorization non valida: si attende «Bearer» seguito dal token")));
        };
        match users::token_actor(&state.store, token, state.api_rate).await? {
            Some(actor) => Ok(Caller(crate::auth::narrowed(state, parts, actor).await)),
            None => Err(unauthorized(t("token sconosciuto o revocato"))),
        }
    }
}

/// A caller with a token, for the steps that change data: without one, 401 before anything
/// else of the request is read.
pub struct Signed(pub Actor);

impl FromRequestParts<AppState> for Signed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Caller(actor) = Caller::from_request_parts(parts, state).await?;
        match actor.kind {
            ActorKind::Public => {
                Err(unauthorized(t("serve un token per le API (traguardi user token UTENTE --nome NOME), nell'intestazione Authorization: Bearer")))
            }
            _ => Ok(Signed(actor)),
        }
    }
}

/// A JSON body; one that does not parse is a problem+json naming what is wrong.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let value = match Json::<serde_json::Value>::from_request(req, state).await {
            Ok(Json(v)) => v,
            Err(r) => return Err(ApiError::Plain(r.status(), t("Richiesta non valida"), t1("corpo JSON non valido: {}", r.body_text()))),
        };
        // Every body is an object: a list would fill a request's fields in order.
        if !value.is_object() {
            return Err(ApiError::Plain(StatusCode::UNPROCESSABLE_ENTITY, t("Richiesta non valida"), t("corpo JSON non valido: si attende un oggetto").into()));
        }
        serde_json::from_value(value)
            .map(Body)
            .map_err(|e| ApiError::Plain(StatusCode::UNPROCESSABLE_ENTITY, t("Richiesta non valida"), t1("corpo JSON non valido: {}", e)))
    }
}

/// Every score of a cycle.
#[derive(Serialize, ToSchema)]
struct Scores {
    ente: String,
    anno: i32,
    /// KPIs, objectives, units, the ente: the fields of `traguardi report scores`.
    #[schema(value_type = Vec<Object>)]
    punteggi: Vec<ScoreRow>,
}

/// Every score of a cycle: KPIs, objectives, units, the ente.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/punteggi", tag = "punteggi", params(CyclePath),
    responses((status = 200, description = "every score of the cycle", body = Scores, example = json!(crate::api::examples::of("punteggi"))), Errors))]
async fn scores_of_cycle(State(s): State<AppState>, Caller(actor): Caller, Path(p): Path<CyclePath>) -> Result<Json<Scores>, ApiError> {
    let data = s.scores.load(&s.store, &actor, &p.code, p.year).await?;
    Ok(Json(Scores { ente: data.ente.code.to_string(), anno: p.year, punteggi: data.rows() }))
}

/// An explanation, line by line.
#[derive(Serialize, ToSchema)]
struct Explanation {
    codice: String,
    righe: Vec<String>,
}

/// The item of an explanation, in the path.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct ItemPath {
    /// The ente's ISTAT code, six digits.
    #[param(pattern = "^[0-9]{6}$", example = "015146")]
    code: String,
    /// The cycle's year.
    year: i32,
    /// The code of an objective, a KPI or a unit.
    item: String,
}

/// How the score of an objective (with everything below it), a KPI or a unit came to be.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/spiegazioni/{item}", tag = "punteggi", params(ItemPath),
    responses((status = 200, description = "the explanation, line by line", body = Explanation), Errors))]
async fn explanation(State(s): State<AppState>, Caller(actor): Caller, Path(p): Path<ItemPath>) -> Result<Json<Explanation>, ApiError> {
    let data = s.scores.load(&s.store, &actor, &p.code, p.year).await?;
    let year = p.year;
    let righe = data
        .explain(&p.item)
        .ok_or_else(|| AppError::NotFound(said!("nessun obiettivo, KPI o struttura con codice {item} nel ciclo {year}", item = p.item, year)))?;
    Ok(Json(Explanation { codice: p.item, righe }))
}
