//! The ente's acts: read (public, as on the Albo Pretorio) and registered from a CSV; and a
//! cycle's notifications (each person their own, everyone's for those who run the ente).

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use traguardi_app::accounts::notifications;
use traguardi_app::cycle::{acts, import_acts};
use traguardi_app::org::enti;
use traguardi_app::plan::import_plan::Counts;
use traguardi_docs::table::ReadOptions;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::page::{Page, PageQuery, cached, page};
use super::{ApiError, Caller, CyclePath, EntePath, Errors, Signed};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_acts, import_acts)).routes(routes!(list_notifications))
}

/// A registered act with its pareri, named as the columns of `import atti`.
#[derive(Serialize, ToSchema)]
struct ActView {
    /// Organ, number and year, as cited by the steps of the cycle.
    #[schema(example = "GC 838/2020")]
    codice: String,
    /// `giunta`, `consiglio`, `sindaco`, `direttore_generale`, `segretario_generale`, `dirigente`
    organo: String,
    /// `deliberazione`, `determinazione`, `decreto`
    tipo: String,
    numero: String,
    #[schema(value_type = String, format = Date)]
    data: NaiveDate,
    /// The number of the proposal, when the act has one.
    proposta: Option<String>,
    oggetto: String,
    immediatamente_eseguibile: bool,
    /// Published on the Albo Pretorio from, to.
    #[schema(value_type = Option<String>, format = Date)]
    albo_dal: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    albo_al: Option<NaiveDate>,
    /// The day it took effect: none while it has not.
    #[schema(value_type = Option<String>, format = Date)]
    esecutivo_dal: Option<NaiveDate>,
    pareri: Vec<OpinionView>,
}

/// A parere on an act.
#[derive(Serialize, ToSchema)]
struct OpinionView {
    /// `regolarita_tecnica`, `regolarita_contabile`, `legittimita`
    tipo: String,
    /// `favorevole`, `non_favorevole`, `non_dovuto`
    esito: String,
    /// Who gave it.
    da: String,
    #[schema(value_type = Option<String>, format = Date)]
    data: Option<NaiveDate>,
}

/// Which acts.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ActFilter {
    /// Only the acts of this organ (`giunta`, `direttore_generale`…).
    organo: Option<String>,
    /// Only the acts adopted in this year.
    anno: Option<i32>,
}

/// The ente's registered acts, oldest first (public).
#[utoipa::path(get, path = "/api/v1/enti/{code}/atti", tag = "enti", params(EntePath, ActFilter, PageQuery),
    responses((status = 200, description = "a page of acts", body = Page<ActView>, example = json!(crate::api::examples::of("atti"))), (status = 304, description = "not modified since the `ETag` sent"), Errors))]
async fn list_acts(
    State(s): State<AppState>,
    Caller(_): Caller,
    headers: HeaderMap,
    Path(p): Path<EntePath>,
    Query(f): Query<ActFilter>,
    Query(q): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let list: Vec<ActView> = acts::list(&s.store, Some(&p.code))
        .await?
        .into_iter()
        .filter(|a| f.organo.as_deref().is_none_or(|o| a.organ == o) && f.anno.is_none_or(|y| a.adopted_on.year() == y))
        .map(|a| ActView {
            codice: a.code,
            organo: a.organ,
            tipo: a.kind,
            numero: a.number,
            data: a.adopted_on,
            proposta: a.proposal,
            oggetto: a.subject,
            immediatamente_eseguibile: a.immediate,
            albo_dal: a.albo_from,
            albo_al: a.albo_to,
            esecutivo_dal: a.executive_on,
            pareri: a.opinions.into_iter().map(|o| OpinionView { tipo: o.kind, esito: o.outcome, da: o.given_by, data: o.given_on }).collect(),
        })
        .collect();
    Ok(cached(&headers, &page(list, |a| format!("{}|{}", a.data, a.codice), &q)?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DryRun {
    /// `1` (or `true`, `si`): check only, write nothing.
    #[serde(default, deserialize_with = "super::imports::yes")]
    #[param(value_type = Option<String>, pattern = "^(0|1|true|false|si|no)$")]
    prova: bool,
}

/// Registers acts from a CSV body (the columns of `traguardi import atti`); `?prova=1` checks
/// without writing.
#[utoipa::path(post, path = "/api/v1/enti/{code}/atti", tag = "ciclo", params(EntePath, DryRun), request_body(description = "the acts, CSV (or XLSX) with the columns of traguardi import atti (docs/formats.md)", content((String = "text/csv"), (super::FileBytes = "application/octet-stream"))), security(("token" = [])),
    responses((status = 200, description = "done", body = Object), Errors))]
async fn import_acts(
    State(s): State<AppState>,
    Signed(actor): Signed,
    Path(EntePath { code }): Path<EntePath>,
    Query(q): Query<DryRun>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Counts>, ApiError> {
    let body =
        body.map_err(|r| ApiError::Plain(r.status(), crate::i18n::t("Richiesta non valida"), crate::i18n::t1("corpo non leggibile: {}", r.body_text())))?;
    let ente = enti::find(&s.store, Some(&code)).await?;
    Ok(Json(import_acts::import_acts(&s.store, &actor, &ente, &body, ReadOptions::default(), q.prova).await?))
}

/// A notification of the cycle.
#[derive(Serialize, ToSchema)]
struct NoticeView {
    /// Whose it is.
    matricola: String,
    /// `sollecito` (a value is late), `sollecito_superiore` (one of the units below is late),
    /// `restituzione:KPI` (a value was returned)
    tipo: String,
    #[schema(value_type = String, format = Date)]
    giorno: String,
    testo: String,
    /// Whether it was also sent by e-mail.
    inviata_per_email: bool,
}

/// Whose notifications.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct NoticeFilter {
    /// Only this person's (for those who see everyone's).
    matricola: Option<String>,
    /// Only those of this kind (`sollecito`…; `restituzione` takes every returned value).
    tipo: Option<String>,
}

/// The cycle's notifications, oldest first: the caller's own, or everyone's for those who
/// administer the ente. A token whose account is linked to no person of the ente gets none.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/notifiche", tag = "ciclo", params(CyclePath, NoticeFilter, PageQuery),
    responses((status = 200, description = "a page of notifications", body = Page<NoticeView>), (status = 304, description = "not modified since the `ETag` sent"), Errors),
    security(("token" = [])))]
async fn list_notifications(
    State(s): State<AppState>,
    Signed(actor): Signed,
    headers: HeaderMap,
    Path(p): Path<CyclePath>,
    Query(f): Query<NoticeFilter>,
    Query(q): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let list: Vec<NoticeView> = notifications::of_cycle(&s.store, &actor, Some(&p.code), p.year)
        .await?
        .into_iter()
        .filter(|n| f.matricola.as_deref().is_none_or(|m| n.matricola == m))
        .filter(|n| f.tipo.as_deref().is_none_or(|t| n.kind == t || n.kind.split(':').next() == Some(t)))
        .map(|n| NoticeView { matricola: n.matricola, tipo: n.kind, giorno: n.day, testo: n.text, inviata_per_email: n.emailed })
        .collect();
    Ok(cached(&headers, &page(list, |n| format!("{}|{}|{}", n.giorno, n.matricola, n.tipo), &q)?))
}
