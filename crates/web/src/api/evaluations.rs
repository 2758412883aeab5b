//! The individual evaluations through the API, as the evaluation pages: the people the caller
//! evaluates (everyone for administrators and planners) with their evaluation, and the
//! evaluator's form sent as JSON. Needs a token.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use traguardi_app::pay::evaluation_view::{self, EvaluationView};
use traguardi_app::pay::evaluations::Filled;
use traguardi_domain::{Problem, ProblemKind, Problems};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::page::{Page, PageQuery, cached, page};
use super::{ApiError, Body, CyclePath, Errors, Signed};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_evaluations)).routes(routes!(evaluate))
}

/// An evaluation, named as the columns of `import valutazioni`.
#[derive(ToSchema)]
#[schema(as = Valutazione)]
#[allow(dead_code)]
struct EvaluationDoc {
    matricola: String,
    nome: String,
    categoria: String,
    struttura: String,
    /// Whether an evaluation is recorded.
    registrata: bool,
    /// 0–100; none: taken from the plan.
    #[schema(example = "92.5")]
    risultati: Option<String>,
    comportamenti: Option<String>,
    /// Each behaviour's score on the cycle's scale, by code.
    voci: BTreeMap<String, String>,
    /// The evaluator's and reviewer's matricola.
    valutatore: Option<String>,
    revisore: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    colloquio_iniziale: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    colloquio_intermedio: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    colloquio_finale: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    firmata_il: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    contestata_il: Option<NaiveDate>,
    /// `confermata` or `modificata`
    conciliazione: Option<String>,
    punteggio_conciliato: Option<String>,
    note: Option<String>,
}

/// Which evaluations.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct EvaluationFilter {
    /// Only the people of this unit (its code).
    struttura: Option<String>,
}

/// The evaluations of the people the caller evaluates, by matricola.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/valutazioni", tag = "valutazioni", params(CyclePath, EvaluationFilter, PageQuery), security(("token" = [])),
    responses((status = 200, description = "a page of evaluations", body = Page<EvaluationDoc>, example = json!(crate::api::examples::of("valutazioni"))), (status = 304, description = "not modified since the `ETag` sent"), Errors))]
async fn list_evaluations(
    State(s): State<AppState>,
    Signed(actor): Signed,
    headers: HeaderMap,
    Path(p): Path<CyclePath>,
    Query(f): Query<EvaluationFilter>,
    Query(q): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let list: Vec<EvaluationView> = evaluation_view::of_cycle(&s.store, &actor, Some(&p.code), p.year)
        .await?
        .into_iter()
        .filter(|e| f.struttura.as_deref().is_none_or(|u| e.struttura == u))
        .collect();
    Ok(cached(&headers, &page(list, |e| e.matricola.clone(), &q)?))
}

/// A person, in the path.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct PersonPath {
    /// The ente's ISTAT code, six digits.
    #[param(pattern = "^[0-9]{6}$", example = "015146")]
    code: String,
    /// The cycle's year.
    year: i32,
    matricola: String,
}

/// The evaluator's form: the behaviours' scores and the interviews.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"comportamenti": {"C1": "4", "C2": "5", "C3": "4", "C4": "4", "C5": "3"}, "colloquio_iniziale": "2020-02-14", "colloquio_intermedio": "2020-07-16", "colloquio_finale": "2021-02-18", "nota": "obiettivi raggiunti"}))]
struct EvaluationRequest {
    /// Each behaviour's score on the cycle's scale, by its code (`.` or `,` decimals).
    #[serde(default)]
    comportamenti: BTreeMap<String, String>,
    #[schema(value_type = Option<String>, format = Date)]
    colloquio_iniziale: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    colloquio_intermedio: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    colloquio_finale: Option<NaiveDate>,
    nota: Option<String>,
}

/// Records the evaluation of a person the caller evaluates (never their own), with the checks
/// of the form; every problem is listed at once.
#[utoipa::path(post, path = "/api/v1/enti/{code}/cicli/{year}/valutazioni/{matricola}", tag = "valutazioni", params(PersonPath), request_body = EvaluationRequest, security(("token" = [])),
    responses((status = 200, description = "the evaluation recorded", body = EvaluationDoc), Errors))]
async fn evaluate(
    State(s): State<AppState>,
    Signed(actor): Signed,
    Path(p): Path<PersonPath>,
    Body(r): Body<EvaluationRequest>,
) -> Result<Json<EvaluationView>, ApiError> {
    let mut problems = Problems::default();
    let mut items: Vec<(String, Decimal)> = Vec::new();
    for (code, text) in &r.comportamenti {
        match traguardi_domain::value::NumberStyle::typed(text).ok().and_then(|style| style.parse(text)) {
            Some(v) => items.push((code.clone(), v)),
            None => problems.push(Problem::column(&format!("comportamenti.{code}"), ProblemKind::BadNumber { value: text.clone() })),
        }
    }
    problems.into_result().map_err(traguardi_app::AppError::Invalid)?;
    let filled =
        Filled { items, interview_start: r.colloquio_iniziale, interview_mid: r.colloquio_intermedio, interview_final: r.colloquio_finale, note: r.nota };
    Ok(Json(evaluation_view::evaluate(&s.store, &actor, Some(&p.code), p.year, &p.matricola, &filled).await?))
}
