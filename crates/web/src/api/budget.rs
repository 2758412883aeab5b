//! The budget through the API (public, as the budget pages): the PEG lines of a year by
//! budget, side, CdR, capitolo and articolo, filtered by CdR, Missione and Programma; amounts in
//! euro cents.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use traguardi_app::budget::ledger;
use traguardi_app::org::enti;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::page::{Page, PageQuery, cached, page_in_order};
use super::{ApiError, Caller, Errors};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_lines))
}

/// The year, in the path.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct YearPath {
    /// The ente's ISTAT code, six digits.
    #[param(pattern = "^[0-9]{6}$", example = "015146")]
    code: String,
    /// The year the lines are for.
    year: i32,
}

/// A PEG line, named as the columns of `import peg`.
#[derive(Serialize, ToSchema)]
struct LineView {
    /// The budget (its first year) that forecasts it.
    bilancio: i32,
    anno: i32,
    /// `U` (spesa) or `E` (entrata)
    tipo: String,
    cdr: String,
    cdr_nome: String,
    direzione: String,
    capitolo: String,
    articolo: String,
    /// The piano dei conti code, ten digits, or empty.
    pdc: String,
    vincolo: String,
    descrizione: String,
    missione: String,
    programma: String,
    titolo: i32,
    /// Euro cents.
    previsione: i64,
    cassa: Option<i64>,
    crono_anni_precedenti: Option<i64>,
    altri_nuovi_stanziamenti: Option<i64>,
    programma_triennale_llpp: Option<i64>,
}

/// Which lines.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct LineFilter {
    /// Only the lines of this budget (its first year).
    bilancio: Option<i32>,
    /// `U` (spesa) or `E` (entrata).
    #[param(value_type = Option<String>, pattern = "^(U|E)$")]
    tipo: Option<Side>,
    cdr: Option<String>,
    /// Two digits, e.g. `12`.
    missione: Option<String>,
    /// Two digits, e.g. `07`.
    programma: Option<String>,
}

/// A side of the budget.
#[derive(Deserialize, Clone, Copy)]
enum Side {
    U,
    E,
}

impl Side {
    fn code(self) -> &'static str {
        match self {
            Side::U => "U",
            Side::E => "E",
        }
    }
}

/// The PEG lines of a year (public), a page at a time.
#[utoipa::path(get, path = "/api/v1/enti/{code}/bilancio/{year}/righe", tag = "bilancio", params(YearPath, LineFilter, PageQuery),
    responses((status = 200, description = "a page of budget lines", body = Page<LineView>, example = json!(crate::api::examples::of("righe"))), (status = 304, description = "not modified since the `ETag` sent"), Errors))]
async fn list_lines(
    State(s): State<AppState>,
    Caller(_): Caller,
    headers: HeaderMap,
    Path(p): Path<YearPath>,
    Query(f): Query<LineFilter>,
    Query(q): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let ente = enti::find(&s.store, Some(&p.code)).await?;
    let cents = |c: Option<traguardi_domain::money::Cents>| c.map(|c| c.get());
    let list: Vec<LineView> = ledger::lines(&s.store, &ente.id, p.year)
        .await?
        .into_iter()
        .filter(|l| {
            f.bilancio.is_none_or(|b| l.bilancio == b)
                && f.tipo.is_none_or(|t| l.side == t.code())
                && f.cdr.as_deref().is_none_or(|c| l.cdr == c)
                && f.missione.as_deref().is_none_or(|m| l.missione == m)
                && f.programma.as_deref().is_none_or(|g| l.programma == g)
        })
        .map(|l| LineView {
            bilancio: l.bilancio,
            anno: l.anno,
            tipo: l.side,
            cdr: l.cdr,
            cdr_nome: l.cdr_name,
            direzione: l.direzione,
            capitolo: l.capitolo,
            articolo: l.articolo,
            pdc: l.pdc,
            vincolo: l.vincolo,
            descrizione: l.description,
            missione: l.missione,
            programma: l.programma,
            titolo: l.titolo,
            previsione: l.previsione.get(),
            cassa: cents(l.cassa),
            crono_anni_precedenti: cents(l.crono_anni_precedenti),
            altri_nuovi_stanziamenti: cents(l.altri_nuovi_stanziamenti),
            programma_triennale_llpp: cents(l.programma_triennale_llpp),
        })
        .collect();
    // The budget's order is the list's (a capitolo may repeat across codes).
    Ok(cached(&headers, &page_in_order(list, &q)?))
}
