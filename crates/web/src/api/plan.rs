//! Reads of the plan: the objectives of a cycle with their KPIs, targets and scores (public, as
//! the scores are), and every version of every value with its evidence's metadata (for those
//! who may read the evidence). Lists come a page at a time, with an `ETag`.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use traguardi_app::org::enti;
use traguardi_app::plan::scores::{CycleScores, ScoreRow};
use traguardi_app::plan::values;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::page::{Page, PageQuery, cached, page};
use super::{ApiError, Caller, CyclePath, Errors, Signed};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_objectives)).routes(routes!(list_values)).routes(routes!(list_indices)).routes(routes!(dashboard))
}

/// A score as the reports give it.
#[derive(Serialize, ToSchema)]
struct ScoreView {
    /// 0–100 (or above with over-achievement), 2 decimals; none when not assessable or waiting.
    #[schema(value_type = Option<String>, example = "87.50")]
    percentuale: Option<rust_decimal::Decimal>,
    /// `valutato`, `non_valutabile`, `in_attesa`
    stato: &'static str,
    /// `verde`, `giallo`, `rosso`
    semaforo: Option<&'static str>,
    /// How it came to be, in words.
    spiegazione: String,
}

impl ScoreView {
    fn of(r: &ScoreRow) -> ScoreView {
        ScoreView { percentuale: r.percentuale, stato: r.stato, semaforo: r.semaforo, spiegazione: r.spiegazione.clone() }
    }
}

/// A target of a KPI: of the year, or of one period.
#[derive(Serialize, ToSchema)]
struct TargetView {
    anno: i32,
    /// The period's last day; none for the year's target.
    #[schema(value_type = Option<String>, format = Date)]
    periodo: Option<NaiveDate>,
    valore: String,
}

/// A KPI, named as the columns of `import plan`.
#[derive(Serialize, ToSchema)]
struct KpiView {
    codice: String,
    nome: String,
    /// `numero`, `percentuale`, `euro`, `giorni`, `data`, `si_no`…
    misura: &'static str,
    /// `crescente`, `decrescente`, `puntuale`
    direzione: &'static str,
    unita: Option<String>,
    baseline: Option<String>,
    #[schema(value_type = String, example = "1")]
    peso: rust_decimal::Decimal,
    aggregazione: &'static str,
    periodicita: String,
    formula: Option<String>,
    /// The code of the unit that measures it, when not the objective's.
    struttura: Option<String>,
    fonte: Option<String>,
    target: Vec<TargetView>,
    /// The year's value, as the score reads it.
    valore: Option<String>,
    punteggio: Option<ScoreView>,
}

/// An objective with its KPIs, named as the columns of `import plan`.
#[derive(Serialize, ToSchema)]
struct ObjectiveView {
    codice: String,
    titolo: String,
    descrizione: Option<String>,
    /// The dimension's code.
    dimensione: String,
    ambito: Option<String>,
    /// The responsible unit's code; none for objectives of the whole ente.
    struttura: Option<String>,
    /// The code of the objective it belongs to.
    padre: Option<String>,
    #[schema(value_type = String, example = "1")]
    peso: rust_decimal::Decimal,
    /// `bozza`, `proposto`, `approvato`, `in_monitoraggio`, `consuntivato`, `validato_niv`, `chiuso`
    stato: &'static str,
    /// The DUP objective's code it carries out.
    dup: Option<String>,
    tag: Vec<String>,
    #[schema(value_type = Option<String>, format = Date)]
    inizio: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    fine: Option<NaiveDate>,
    punteggio: Option<ScoreView>,
    kpi: Vec<KpiView>,
}

/// Which objectives.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ObjectiveFilter {
    /// Only those of this unit (its code).
    struttura: Option<String>,
    /// Only those of this dimension (its code).
    dimensione: Option<String>,
    /// Only those in this state.
    stato: Option<String>,
}

/// The objectives of a cycle with their KPIs, targets and scores (public), by code.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/obiettivi", tag = "piano", params(CyclePath, ObjectiveFilter, PageQuery),
    responses((status = 200, description = "a page of objectives", body = Page<ObjectiveView>, example = json!(crate::api::examples::of("obiettivi"))), (status = 304, description = "not modified since the `ETag` sent"), Errors))]
async fn list_objectives(
    State(s): State<AppState>,
    Caller(actor): Caller,
    headers: HeaderMap,
    Path(p): Path<CyclePath>,
    Query(f): Query<ObjectiveFilter>,
    Query(q): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let data = s.scores.load(&s.store, &actor, &p.code, p.year).await?;
    let mut list: Vec<ObjectiveView> = objectives(&data)
        .into_iter()
        .filter(|o| {
            f.struttura.as_deref().is_none_or(|u| o.struttura.as_deref() == Some(u))
                && f.dimensione.as_deref().is_none_or(|d| o.dimensione == d)
                && f.stato.as_deref().is_none_or(|st| o.stato == st)
        })
        .collect();
    list.sort_by(|a, b| a.codice.cmp(&b.codice));
    Ok(cached(&headers, &page(list, |o| o.codice.clone(), &q)?))
}

/// Every objective of the plan as the API names it: codes for ids.
fn objectives(data: &CycleScores) -> Vec<ObjectiveView> {
    let unit: HashMap<&str, &str> = data.units.iter().map(|u| (u.id.as_str(), u.code.as_str())).collect();
    let dimension: HashMap<&str, &str> = data.dimensions.iter().map(|d| (d.id.as_str(), d.code.as_str())).collect();
    let ambito: HashMap<&str, &str> = data.ambiti.iter().map(|a| (a.id.as_str(), a.code.as_str())).collect();
    let dup: HashMap<&str, &str> = data.dup.iter().map(|d| (d.id.as_str(), d.code.as_str())).collect();
    let objective: HashMap<&str, &str> = data.objectives.iter().map(|o| (o.id.as_str(), o.code.as_str())).collect();
    let rows = data.rows();
    let score: HashMap<(&str, &str), &ScoreRow> = rows.iter().map(|r| ((r.livello, r.codice.as_str()), r)).collect();
    let code = |m: &HashMap<&str, &str>, id: Option<&str>| id.and_then(|id| m.get(id)).map(|c| c.to_string());
    let mut targets: HashMap<&str, Vec<TargetView>> = HashMap::new();
    for t in &data.targets {
        targets.entry(t.kpi_id.as_str()).or_default().push(TargetView { anno: t.year, periodo: t.period_end, valore: t.value.clone() });
    }
    let mut kpis: HashMap<&str, Vec<KpiView>> = HashMap::new();
    for k in &data.kpis {
        let target = targets.remove(k.id.as_str()).unwrap_or_default();
        let scored = score.get(&("kpi", k.code.as_str()));
        kpis.entry(k.objective_id.as_str()).or_default().push(KpiView {
            codice: k.code.clone(),
            nome: k.name.clone(),
            misura: k.measure.code(),
            direzione: k.direction.code(),
            unita: k.unit_label.clone(),
            baseline: k.baseline.clone(),
            peso: k.weight.normalize(),
            aggregazione: k.aggregation.code(),
            periodicita: k.periodicity.clone(),
            formula: k.formula.clone(),
            struttura: code(&unit, k.owner_unit_id.as_deref()),
            fonte: k.source.clone(),
            target,
            valore: scored.and_then(|r| r.valore.clone()),
            punteggio: scored.map(|r| ScoreView::of(r)),
        });
    }
    data.objectives
        .iter()
        .map(|o| ObjectiveView {
            codice: o.code.clone(),
            titolo: o.title.clone(),
            descrizione: o.description.clone(),
            dimensione: code(&dimension, Some(&o.dimension_id)).unwrap_or_default(),
            ambito: code(&ambito, o.ambito_id.as_deref()),
            struttura: code(&unit, o.unit_id.as_deref()),
            padre: code(&objective, o.parent_id.as_deref()),
            peso: o.weight.normalize(),
            stato: o.state.code(),
            dup: code(&dup, o.dup_id.as_deref()),
            tag: o.tags.clone(),
            inizio: o.starts,
            fine: o.ends,
            punteggio: score.get(&("obiettivo", o.code.as_str())).map(|r| ScoreView::of(r)),
            kpi: kpis.remove(o.id.as_str()).unwrap_or_default(),
        })
        .collect()
}

/// A version of a KPI's value for a period, and its files.
#[derive(Serialize, ToSchema)]
#[schema(as = Valore)]
#[allow(dead_code)]
struct ValueDoc {
    /// The version's identifier, as the audit trail names it.
    id: String,
    kpi: String,
    #[schema(value_type = String, format = Date)]
    period_end: NaiveDate,
    version: i64,
    value: Option<String>,
    note: String,
    cause: Option<String>,
    not_assessable: bool,
    /// `draft`, `submitted`, `approved`, `returned`
    status: String,
    entered_by: String,
    entered_at: String,
    decided_by: Option<String>,
    decided_at: Option<String>,
    /// The code of the unit that measures the KPI.
    unit: Option<String>,
    evidence: Vec<AttachmentDoc>,
}

/// A file attached to a value (its bytes are downloaded from the value's page).
#[derive(Serialize, ToSchema)]
#[schema(as = Evidenza)]
#[allow(dead_code)]
struct AttachmentDoc {
    filename: String,
    content_type: String,
    size: i64,
    sha256: String,
    uploaded_by: String,
}

/// Which values.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ValueFilter {
    /// Only the values of this KPI (its code).
    kpi: Option<String>,
    /// Only those of the period ending on this day.
    #[param(value_type = Option<String>, format = Date)]
    periodo: Option<NaiveDate>,
    /// Only versions in this status (`draft`, `submitted`, `approved`, `returned`).
    stato: Option<String>,
}

/// Every version of every value of the cycle with its evidence's metadata, by KPI, period and
/// version: the whole ente for planners, the NIV, the segretario and the ragioneria, their own
/// units for direttori, dirigenti and PO/EQ.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/valori", tag = "piano", params(CyclePath, ValueFilter, PageQuery), security(("token" = [])),
    responses((status = 200, description = "a page of values", body = Page<ValueDoc>, example = json!(crate::api::examples::of("valori"))), (status = 304, description = "not modified since the `ETag` sent"), Errors))]
async fn list_values(
    State(s): State<AppState>,
    Signed(actor): Signed,
    headers: HeaderMap,
    Path(p): Path<CyclePath>,
    Query(f): Query<ValueFilter>,
    Query(q): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let ente = enti::find(&s.store, Some(&p.code)).await?;
    let list: Vec<values::ValueVersion> = values::of_cycle(&s.store, &actor, &ente, p.year)
        .await?
        .into_iter()
        .filter(|v| {
            f.kpi.as_deref().is_none_or(|k| v.value.kpi == k)
                && f.periodo.is_none_or(|d| v.value.period_end == d)
                && f.stato.as_deref().is_none_or(|st| v.value.status.code() == st)
        })
        .collect();
    let key = |v: &values::ValueVersion| format!("{}\u{1f}{}\u{1f}{:06}", v.value.kpi, v.value.period_end, v.value.version);
    Ok(cached(&headers, &page(list, key, &q)?))
}

/// An organisational index.
#[derive(Serialize, ToSchema)]
struct IndexView {
    /// `ROE` (the ente), `ROD` (a Direzione), `ROS` (a unit with objectives of its own)
    indice: &'static str,
    /// The unit's code; empty for ROE.
    struttura: String,
    nome: String,
    /// 0–100, as the scores; none when nothing is scored yet.
    #[schema(value_type = Option<String>, example = "91.25")]
    valore: Option<rust_decimal::Decimal>,
    spiegazione: String,
}

/// The organisational indices of a cycle under its premi rules (public): ROE first, then the
/// ROD of each Direzione and the ROS of each unit, by code.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/indici", tag = "piano", params(CyclePath),
    responses((status = 200, description = "the indices", body = Vec<IndexView>, example = json!(crate::api::examples::of("indici"))), (status = 304, description = "not modified since the `ETag` sent"), Errors))]
async fn list_indices(State(s): State<AppState>, Caller(actor): Caller, headers: HeaderMap, Path(p): Path<CyclePath>) -> Result<Response, ApiError> {
    let idx = traguardi_app::pay::payouts::indices(&s.store, &actor, Some(&p.code), p.year).await?;
    let mut rod: Vec<_> = idx.rod.values().collect();
    rod.sort_by(|a, b| a.unit_code.cmp(&b.unit_code));
    let mut ros: Vec<_> = idx.ros.values().collect();
    ros.sort_by(|a, b| a.unit_code.cmp(&b.unit_code));
    let list: Vec<IndexView> = idx
        .roe
        .iter()
        .chain(rod)
        .chain(ros)
        .map(|i| IndexView {
            indice: i.kind,
            struttura: i.unit_code.clone(),
            nome: i.unit_name.clone(),
            valore: i.value().map(traguardi_domain::plan::round::report),
            spiegazione: i.scored.explanation.text.clone(),
        })
        .collect();
    Ok(cached(&headers, &list))
}

/// The dashboard of a cycle (public): the ente's result, the objectives by light, and the scores
/// by dimension, Direzione and ambito, as the dashboard page.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/cruscotto", tag = "piano", params(CyclePath),
    responses((status = 200, description = "the dashboard", body = Object), (status = 304, description = "not modified since the `ETag` sent"), Errors))]
async fn dashboard(State(s): State<AppState>, Caller(actor): Caller, headers: HeaderMap, Path(p): Path<CyclePath>) -> Result<Response, ApiError> {
    let data = s.scores.summary(&s.store, &actor, &p.code, p.year).await?;
    Ok(cached(&headers, &data.dashboard))
}
