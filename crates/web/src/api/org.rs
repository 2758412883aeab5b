//! Reads of the ente and its people: the enti of the installation, an ente's cycles, the org
//! tree of a cycle (public, as in "Amministrazione trasparente") and the people with their
//! posts (for those who evaluate them). Lists come a page at a time, with an `ETag`.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use traguardi_app::cycle::cycles;
use traguardi_app::org::{enti, org_tree, people};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::page::{Page, PageQuery, cached, page, page_in_order};
use super::{ApiError, Caller, CyclePath, EntePath, Errors, Signed};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_enti)).routes(routes!(list_cycles)).routes(routes!(list_units)).routes(routes!(list_people))
}

/// An ente of the installation.
#[derive(Serialize, ToSchema)]
struct EnteView {
    /// ISTAT code, six digits.
    #[schema(pattern = "^[0-9]{6}$", example = "015146")]
    codice: String,
    nome: String,
    /// `comune`, `citta_metropolitana`, `unione`…
    tipo: &'static str,
    dipendenti: i64,
    dirigenti: bool,
}

/// The enti of the installation, by code.
#[utoipa::path(get, path = "/api/v1/enti", tag = "enti", params(PageQuery),
    responses((status = 200, description = "a page of enti", body = Page<EnteView>, example = json!(crate::api::examples::of("enti"))), (status = 304, description = "not modified since the `ETag` sent"), Errors))]
async fn list_enti(State(s): State<AppState>, Caller(_): Caller, headers: HeaderMap, Query(q): Query<PageQuery>) -> Result<Response, ApiError> {
    let list: Vec<EnteView> = enti::list(&s.store)
        .await?
        .into_iter()
        .map(|e| EnteView { codice: e.code.to_string(), nome: e.name, tipo: e.kind.code(), dipendenti: e.staff_size, dirigenti: e.has_dirigenti })
        .collect();
    Ok(cached(&headers, &page(list, |e| e.codice.clone(), &q)?))
}

/// A cycle and its calendar.
#[derive(Serialize, ToSchema)]
struct CycleView {
    anno: i32,
    triennio_dal: i32,
    triennio_al: i32,
    #[schema(value_type = String, format = Date)]
    inizio: NaiveDate,
    #[schema(value_type = String, format = Date)]
    fine: NaiveDate,
    /// When the PIAO (Piano degli Obiettivi) is due.
    #[schema(value_type = String, format = Date)]
    scadenza_piao: NaiveDate,
    /// When the Relazione sulla Performance is due.
    #[schema(value_type = String, format = Date)]
    scadenza_relazione: NaiveDate,
}

/// The ente's cycles, oldest first.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli", tag = "enti", params(EntePath),
    responses((status = 200, description = "the cycles", body = Vec<CycleView>), (status = 304, description = "not modified since the `ETag` sent"), Errors))]
async fn list_cycles(State(s): State<AppState>, Caller(_): Caller, headers: HeaderMap, Path(p): Path<EntePath>) -> Result<Response, ApiError> {
    let ente = enti::find(&s.store, Some(&p.code)).await?;
    let mut list: Vec<CycleView> = cycles::calendars(&s.store, &ente)
        .await?
        .into_iter()
        .map(|c| CycleView {
            anno: c.year,
            triennio_dal: c.triennium_from,
            triennio_al: c.triennium_to,
            inizio: c.starts,
            fine: c.ends,
            scadenza_piao: c.piao_due,
            scadenza_relazione: c.relazione_due,
        })
        .collect();
    list.sort_by_key(|c| c.anno);
    Ok(cached(&headers, &list))
}

/// A unit of the org tree.
#[derive(Serialize, ToSchema)]
struct UnitView {
    codice: String,
    nome: String,
    /// `direzione`, `area`, `settore`, `servizio`, `ufficio`…
    tipo: &'static str,
    /// The code of the unit above, none at the top.
    padre: Option<String>,
    /// Its depth in the tree (0 at the top).
    livello: usize,
    /// The centro di responsabilità of the budget.
    cdr: Option<String>,
    /// The responsible person's name.
    responsabile: Option<String>,
    /// People with a post in it.
    personale: usize,
    #[schema(value_type = String, format = Date)]
    inizio: NaiveDate,
    #[schema(value_type = String, format = Date)]
    fine: NaiveDate,
}

/// Which units.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct UnitFilter {
    /// Only units of this kind (`direzione`, `settore`…).
    tipo: Option<String>,
    /// Only the units directly below this one (its code).
    padre: Option<String>,
}

/// The org tree of a cycle, depth first (public); a page at a time, by position in the tree.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/strutture", tag = "enti", params(CyclePath, UnitFilter, PageQuery),
    responses((status = 200, description = "a page of units", body = Page<UnitView>, example = json!(crate::api::examples::of("strutture"))), (status = 304, description = "not modified since the `ETag` sent"), Errors))]
async fn list_units(
    State(s): State<AppState>,
    Caller(actor): Caller,
    headers: HeaderMap,
    Path(p): Path<CyclePath>,
    Query(f): Query<UnitFilter>,
    Query(q): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let tree = org_tree::org_tree(&s.store, &actor, Some(&p.code), Some(p.year)).await?;
    let code_of: std::collections::HashMap<&str, &str> = tree.nodes.iter().map(|n| (n.unit.id.as_str(), n.unit.code.as_str())).collect();
    let list: Vec<UnitView> = tree
        .nodes
        .iter()
        .map(|n| UnitView {
            codice: n.unit.code.clone(),
            nome: n.unit.name.clone(),
            tipo: n.unit.kind.code(),
            padre: n.unit.parent_id.as_deref().and_then(|id| code_of.get(id)).map(|c| c.to_string()),
            livello: n.depth,
            cdr: n.unit.cdr.clone(),
            responsabile: n.responsible.clone(),
            personale: n.staff,
            inizio: n.unit.valid_from,
            fine: n.unit.valid_to,
        })
        .filter(|u| f.tipo.as_deref().is_none_or(|t| u.tipo == t) && f.padre.as_deref().is_none_or(|c| u.padre.as_deref() == Some(c)))
        .collect();
    // The tree's order is the list's.
    Ok(cached(&headers, &page_in_order(list, &q)?))
}

/// A person and their posts in the cycle, named as the columns of `import people`.
#[derive(Serialize, ToSchema)]
#[schema(as = Persona)]
#[allow(dead_code)]
struct PersonDoc {
    matricola: String,
    cognome: String,
    nome: String,
    titolo: Option<String>,
    email: Option<String>,
    incarichi: Vec<PostDoc>,
}

/// A post: the unit's code, the role, the contract category, the part-time and the dates.
#[derive(Serialize, ToSchema)]
#[schema(as = Incarico)]
#[allow(dead_code)]
struct PostDoc {
    struttura: String,
    /// `dipendente`, `po_eq`, `dirigente`, `direttore`, `segretario`
    ruolo: String,
    /// The contract category's code (Conto Annuale): `OP`, `OE`, `IR`, `EQ`, `DI`, `SG`…
    categoria: String,
    /// The percentage, 100 for full time.
    #[schema(example = "100")]
    part_time: String,
    /// `pieno`, `orizzontale`, `verticale`, `misto`
    tipo_part_time: String,
    #[schema(value_type = String, format = Date)]
    inizio: NaiveDate,
    #[schema(value_type = Option<String>, format = Date)]
    fine: Option<NaiveDate>,
    interim: bool,
}

/// Which people.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PersonFilter {
    /// Only people with a post in this unit (its code).
    struttura: Option<String>,
    /// Only people with a post of this category (`IR`, `EQ`…).
    categoria: Option<String>,
}

/// The people with a post in the cycle, by matricola: the whole ente for administrators and
/// planners, their own units (and those below) for direttori, dirigenti and PO/EQ.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/persone", tag = "enti", params(CyclePath, PersonFilter, PageQuery), security(("token" = [])),
    responses((status = 200, description = "a page of people", body = Page<PersonDoc>, example = json!(crate::api::examples::of("persone"))), (status = 304, description = "not modified since the `ETag` sent"), Errors))]
async fn list_people(
    State(s): State<AppState>,
    Signed(actor): Signed,
    headers: HeaderMap,
    Path(p): Path<CyclePath>,
    Query(f): Query<PersonFilter>,
    Query(q): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let list: Vec<people::PersonPosts> = people::of_cycle(&s.store, &actor, Some(&p.code), p.year)
        .await?
        .into_iter()
        .filter(|p| {
            f.struttura.as_deref().is_none_or(|u| p.posts.iter().any(|x| x.unit == u))
                && f.categoria.as_deref().is_none_or(|c| p.posts.iter().any(|x| x.category.eq_ignore_ascii_case(c)))
        })
        .collect();
    Ok(cached(&headers, &page(list, |p| p.matricola.clone(), &q)?))
}
