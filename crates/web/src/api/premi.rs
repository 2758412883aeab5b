//! The premi through the API, as `traguardi payout`: the scenarios of a cycle (compute, read,
//! compare, approve) and the payroll file of the approved one, for the payroll system. Amounts
//! are whole euro cents. Every operation needs an administrator's or a planner's token.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use traguardi_app::pay::outputs;
use traguardi_app::pay::payouts::{self, ScenarioSummary, WhatIf};
use traguardi_docs::export::{to_csv, to_xlsx};
use traguardi_domain::said;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::page::{cached, cached_bytes};
use super::{ApiError, Body, CyclePath, Errors, Signed};
use crate::AppState;
use crate::i18n::{t, t1};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_scenarios, compute_scenario))
        .routes(routes!(one_scenario))
        .routes(routes!(approve_scenario))
        .routes(routes!(compare_scenarios))
        .routes(routes!(payroll))
}

/// A scenario of the premi.
#[derive(Serialize, ToSchema)]
struct ScenarioView {
    nome: String,
    /// `simulazione`, `da_approvare`, `approvato`
    stato: &'static str,
    /// The SHA-256 of its allocation, as signed.
    sha256: String,
    persone: usize,
    /// The premi's pool, paid and left, in euro cents.
    premi: i64,
    erogati: i64,
    residuo: i64,
    creato_il: String,
    creato_da: String,
    approvato_il: Option<String>,
    approvato_da: Option<String>,
}

impl ScenarioView {
    fn of(s: &ScenarioSummary) -> ScenarioView {
        ScenarioView {
            nome: s.name.clone(),
            stato: s.status.code(),
            sha256: s.hash.clone(),
            persone: s.people,
            premi: s.pool.get(),
            erogati: s.paid.get(),
            residuo: s.residual.get(),
            creato_il: s.created_at.clone(),
            creato_da: s.created_by.clone(),
            approvato_il: s.approved_at.clone(),
            approvato_da: s.approved_by.clone(),
        }
    }
}

/// The scenarios of the cycle, by name.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/premi/scenari", tag = "premi", params(CyclePath), security(("token" = [])),
    responses((status = 200, description = "the scenarios", body = Vec<ScenarioView>, example = json!(crate::api::examples::of("scenari"))), (status = 304, description = "not modified since the `ETag` sent"), Errors))]
async fn list_scenarios(State(s): State<AppState>, Signed(actor): Signed, headers: HeaderMap, Path(p): Path<CyclePath>) -> Result<Response, ApiError> {
    let mut list: Vec<ScenarioView> = payouts::scenarios(&s.store, &actor, Some(&p.code), p.year).await?.iter().map(|(s, _)| ScenarioView::of(s)).collect();
    list.sort_by(|a, b| a.nome.cmp(&b.nome));
    Ok(cached(&headers, &list))
}

/// What a scenario changes: other rules, or some people's scores.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"nome": "revisione-M0001", "punteggi": {"M0001": "95,5"}}))]
struct ScenarioRequest {
    /// Letters, digits, - and _, at most 40.
    #[schema(pattern = "^[A-Za-z0-9_-]{1,40}$", example = "base")]
    nome: String,
    /// The text of the premi's rules to use (docs/formats.md); those in force when absent.
    regole: Option<String>,
    /// Individual scores changed by hand: matricola → score (0–100, `.` or `,` decimals).
    #[serde(default)]
    punteggi: BTreeMap<String, String>,
}

/// Computes and stores a scenario (replacing an unapproved one of the same name).
#[utoipa::path(post, path = "/api/v1/enti/{code}/cicli/{year}/premi/scenari", tag = "premi", params(CyclePath), request_body = ScenarioRequest, security(("token" = [])),
    responses((status = 200, description = "the scenario computed", body = ScenarioView), Errors))]
async fn compute_scenario(
    State(s): State<AppState>,
    Signed(actor): Signed,
    Path(p): Path<CyclePath>,
    Body(r): Body<ScenarioRequest>,
) -> Result<Json<ScenarioView>, ApiError> {
    let pairs: Vec<String> = r.punteggi.iter().map(|(m, v)| format!("{m}={v}")).collect();
    let what_if = WhatIf { rules: r.regole, scores: WhatIf::parse_scores(pairs.iter().map(String::as_str), "punteggi")? };
    let (summary, _) = payouts::save_scenario(&s.store, &actor, Some(&p.code), p.year, &r.nome, &what_if).await?;
    Ok(Json(ScenarioView::of(&summary)))
}

/// A scenario, in the path.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct ScenarioPath {
    /// The ente's ISTAT code, six digits.
    #[param(pattern = "^[0-9]{6}$", example = "015146")]
    code: String,
    /// The cycle's year.
    year: i32,
    /// The scenario's name.
    #[param(pattern = "^[A-Za-z0-9_-]{1,40}$", example = "base")]
    nome: String,
}

/// A scenario and its allocation.
#[derive(Serialize, ToSchema)]
struct ScenarioDetail {
    scenario: ScenarioView,
    /// Every person's premium with its explanation, the managers' result pay, the fund's totals:
    /// the allocation as signed (the fields of `traguardi payout export --format json`).
    #[schema(value_type = Object)]
    ripartizione: serde_json::Value,
}

/// A scenario with its whole allocation.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/premi/scenari/{nome}", tag = "premi", params(ScenarioPath), security(("token" = [])),
    responses((status = 200, description = "the scenario and its allocation", body = ScenarioDetail, example = json!(crate::api::examples::of("scenario"))), (status = 304, description = "not modified since the `ETag` sent"), Errors))]
async fn one_scenario(State(s): State<AppState>, Signed(actor): Signed, headers: HeaderMap, Path(p): Path<ScenarioPath>) -> Result<Response, ApiError> {
    let (summary, allocation) = payouts::scenario(&s.store, &actor, Some(&p.code), p.year, &p.nome).await?;
    let ripartizione = serde_json::to_value(&allocation).unwrap_or_default();
    Ok(cached(&headers, &ScenarioDetail { scenario: ScenarioView::of(&summary), ripartizione }))
}

/// Approves a scenario for payment: refused until the Piano is approved and the Relazione
/// validated by the NIV (art. 14 c.6 D.Lgs 150/2009).
#[utoipa::path(post, path = "/api/v1/enti/{code}/cicli/{year}/premi/scenari/{nome}/approvazione", tag = "premi", params(ScenarioPath), security(("token" = [])),
    responses((status = 200, description = "the scenario approved", body = ScenarioView), Errors))]
async fn approve_scenario(State(s): State<AppState>, Signed(actor): Signed, Path(p): Path<ScenarioPath>) -> Result<Json<ScenarioView>, ApiError> {
    let summary = payouts::approve(&s.store, &actor, Some(&p.code), p.year, &p.nome).await?;
    Ok(Json(ScenarioView::of(&summary)))
}

/// Two scenarios to compare.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct Pair {
    #[param(pattern = "^[A-Za-z0-9_-]{1,40}$")]
    a: String,
    #[param(pattern = "^[A-Za-z0-9_-]{1,40}$")]
    b: String,
}

/// Two scenarios side by side, person by person (amounts in cents), as `payout confronta`.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/premi/confronto", tag = "premi", params(CyclePath, Pair), security(("token" = [])),
    responses((status = 200, description = "the comparison", body = Object), (status = 304, description = "not modified since the `ETag` sent"), Errors))]
async fn compare_scenarios(
    State(s): State<AppState>,
    Signed(actor): Signed,
    headers: HeaderMap,
    Path(p): Path<CyclePath>,
    Query(q): Query<Pair>,
) -> Result<Response, ApiError> {
    let (_, x) = payouts::scenario(&s.store, &actor, Some(&p.code), p.year, &q.a).await?;
    let (_, y) = payouts::scenario(&s.store, &actor, Some(&p.code), p.year, &q.b).await?;
    Ok(cached(&headers, &outputs::compare(&q.a, &x, &q.b, &y)))
}

/// A row of the payroll file (`formato=json`): the CSV's columns, as text.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
struct PayrollRow {
    matricola: String,
    nome: String,
    categoria: String,
    struttura: String,
    anno: String,
    /// The payroll item's code.
    voce: String,
    descrizione: String,
    /// In euro, with the decimal point (`1234.56`).
    importo: String,
}

/// Which scenario, in which format.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PayrollQuery {
    /// The scenario (the approved one when absent).
    #[param(pattern = "^[A-Za-z0-9_-]{1,40}$")]
    nome: Option<String>,
    /// `csv` (default), `json` (a list of objects with the same fields) or `xlsx`.
    #[param(pattern = "^(csv|json|xlsx)$")]
    formato: Option<String>,
}

/// The payroll file of the approved scenario (or of `nome`): one row per person and item, as
/// `traguardi payout export`, for the payroll system.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/premi/cedolino", tag = "premi", params(CyclePath, PayrollQuery), security(("token" = [])),
    responses((status = 200, description = "the payroll file", content(
        (String = "text/csv"),
        (Vec<PayrollRow> = "application/json", example = json!(crate::api::examples::of("cedolino"))),
        (super::FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 304, description = "not modified since the `ETag` sent"), Errors))]
async fn payroll(
    State(s): State<AppState>,
    Signed(actor): Signed,
    headers: HeaderMap,
    Path(p): Path<CyclePath>,
    Query(q): Query<PayrollQuery>,
) -> Result<Response, ApiError> {
    let year = p.year;
    let (_, allocation) = match &q.nome {
        Some(name) => payouts::scenario(&s.store, &actor, Some(&p.code), year, name).await?,
        None => payouts::approved(&s.store, &actor, Some(&p.code), year).await?.ok_or_else(|| {
            traguardi_app::AppError::Refused(said!(
                "nessuno scenario approvato per il {cycle}: indicarne uno con --nome, o approvarlo con traguardi payout approva",
                cycle = year
            ))
        })?,
    };
    let sheet = outputs::payroll_sheet(&allocation);
    let failed = |e: String| ApiError::Plain(StatusCode::INTERNAL_SERVER_ERROR, t("Errore interno"), e);
    let (bytes, kind) = match q.formato.as_deref().unwrap_or("csv") {
        "csv" => (to_csv(&sheet).map_err(|e| failed(e.to_string()))?, "text/csv; charset=utf-8"),
        "xlsx" => (to_xlsx(&sheet).map_err(|e| failed(e.to_string()))?, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "json" => {
            let rows: Vec<BTreeMap<&str, &str>> =
                sheet.rows.iter().map(|r| sheet.header.iter().map(String::as_str).zip(r.iter().map(String::as_str)).collect()).collect();
            return Ok(cached(&headers, &rows));
        }
        other => return Err(ApiError::Plain(StatusCode::BAD_REQUEST, t("Richiesta non valida"), t1("formato «{}»: csv, json o xlsx", other))),
    };
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"cedolino-{}-{year}.{}\"", p.code, q.formato.as_deref().unwrap_or("csv")))
        .unwrap_or(HeaderValue::from_static("attachment"));
    Ok(cached_bytes(&headers, bytes, &[(header::CONTENT_TYPE, HeaderValue::from_static(kind)), (header::CONTENT_DISPOSITION, disposition)]))
}
