//! Imports of every kind through the API: the body is the file (CSV or XLSX), as for
//! `traguardi import`; `?prova=1` runs every check and writes nothing. A file with problems is
//! a 422 whose `problemi` name each one's row and column.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Deserializer, Serialize};
use traguardi_app::import::by_kind;
use traguardi_app::import::wizard::MAX_BYTES;
use traguardi_app::org::enti;
use traguardi_app::pay::import_fund::FundHeader;
use traguardi_docs::ReadOptions;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, Errors, Signed};
use crate::AppState;
use crate::i18n::{t, t1};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import)).layer(crate::upload::body_limit(MAX_BYTES))
}

/// The import, in the path.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct ImportPath {
    /// The ente's ISTAT code, six digits.
    #[param(pattern = "^[0-9]{6}$", example = "015146")]
    code: String,
    /// The cycle's year (not read for `dimensioni`, `dup`, `pdc`, `peg`, whose years are in the file).
    year: i32,
    /// What the file holds (docs/formats.md): `struttura`, `persone`, `piano`, `misurazioni`,
    /// `valutazioni`, `assenze`, `posizioni`, `fondo`, `dimensioni`, `dup`, `pdc`, `peg`.
    #[param(pattern = "^(struttura|persone|piano|misurazioni|valutazioni|assenze|posizioni|fondo|dimensioni|dup|pdc|peg)$", example = "piano")]
    tipo: String,
}

/// A trial or the import.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct Trial {
    /// `1` (or `true`, `si`): check only, write nothing.
    #[serde(default, deserialize_with = "yes")]
    #[param(value_type = Option<String>, pattern = "^(0|1|true|false|si|no)$")]
    prova: bool,
    /// `it` (1.234,5) or `en` (1,234.5): how the file writes its numbers, when it cannot be told.
    #[param(pattern = "^(it|en)$")]
    decimali: Option<String>,
    /// For `fondo`: which fund, `dipendenti` (when not given), `dirigenti` or `eq`.
    #[param(pattern = "^(dipendenti|dirigenti|eq)$")]
    fondo: Option<String>,
    /// For `fondo`: the cap of art. 23 c.2 D.Lgs 75/2017, in euro (`1250000`, `1.250.000,50`).
    #[param(pattern = "^[0-9.,]+$", example = "1250000")]
    limite: Option<String>,
    /// For `fondo`: who certified the fund (the organo di revisione, with the minutes).
    certificato_da: Option<String>,
    /// For `fondo`: the day it was certified (AAAA-MM-GG or GG/MM/AAAA); only with `certificato_da`.
    certificato_il: Option<String>,
}

/// `prova`'s words for yes and no; any other is a 400.
pub(super) fn yes<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let text = String::deserialize(d)?;
    match text.as_str() {
        "1" | "true" | "si" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        _ => Err(serde::de::Error::custom(format!("prova: «{text}» non è 1, 0, true, false, si o no"))),
    }
}

/// What the import did, or would do.
#[derive(Serialize, ToSchema)]
struct Imported {
    tipo: String,
    /// Whether it was a trial (nothing written).
    prova: bool,
    /// The import's report, as `traguardi import … --format json`: rows read, what was created,
    /// updated or left unchanged.
    #[schema(value_type = Object)]
    resoconto: serde_json::Value,
}

/// Imports a file (CSV or XLSX, at most 20 MiB) of the cycle or the ente, with the checks and
/// the audit of `traguardi import`; `?prova=1` checks only. Needs an administrator's or a
/// planner's token.
#[utoipa::path(post, path = "/api/v1/enti/{code}/cicli/{year}/importazioni/{tipo}", tag = "importazioni", params(ImportPath, Trial),
    request_body(description = "the file, CSV or XLSX, with the columns of docs/formats.md", content((String = "text/csv"), (super::FileBytes = "application/octet-stream"))),
    security(("token" = [])),
    responses((status = 200, description = "imported, or checked with `prova`", body = Imported, example = json!(crate::api::examples::of("importazione"))), Errors,
        (status = 422, description = "refused: the file's problems, each on its row and column", content_type = "application/problem+json", body = super::ProblemJson, example = json!(crate::api::examples::of("importazione_problemi")))))]
async fn import(
    State(s): State<AppState>,
    Signed(actor): Signed,
    Path(p): Path<ImportPath>,
    Query(q): Query<Trial>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Imported>, ApiError> {
    let body = body.map_err(|r| ApiError::Plain(r.status(), t("Richiesta non valida"), t1("corpo non leggibile: {}", r.body_text())))?;
    let decimals = match q.decimali.as_deref() {
        None => None,
        Some("it") => Some(traguardi_domain::value::NumberStyle::It),
        Some("en") => Some(traguardi_domain::value::NumberStyle::En),
        Some(other) => return Err(ApiError::Plain(axum::http::StatusCode::BAD_REQUEST, t("Richiesta non valida"), t1("decimali: «{}» non è it o en", other))),
    };
    let ente = enti::find(&s.store, Some(&p.code)).await?;
    if q.certificato_il.is_some() && q.certificato_da.is_none() {
        return Err(ApiError::Plain(axum::http::StatusCode::BAD_REQUEST, t("Richiesta non valida"), t("certificato_il: va dato con certificato_da").into()));
    }
    let fund = FundHeader::parse(
        "",
        q.fondo.as_deref().unwrap_or(traguardi_domain::pay::fund::FundKind::default().code()),
        q.limite.as_deref(),
        q.certificato_da,
        q.certificato_il.as_deref(),
    )?;
    let opts = ReadOptions { max_bytes: MAX_BYTES, decimals, columns: None };
    let resoconto = by_kind::import(&s.store, &actor, &ente, p.year, &p.tipo, &body, opts, fund, q.prova).await?;
    Ok(Json(Imported { tipo: p.tipo, prova: q.prova, resoconto }))
}
