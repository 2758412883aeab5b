//! The documents of a cycle as files (SPEC §6), the same as `traguardi report` and the pages'
//! downloads: the Piano degli Obiettivi, the Relazione sulla Performance, the monitoring report,
//! the draft deliberations approving them, the evaluation forms and the NIV's reports.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, Caller, Errors};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(document))
}

/// The document, in the path.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct DocumentPath {
    /// The ente's ISTAT code, six digits.
    #[param(pattern = "^[0-9]{6}$", example = "015146")]
    code: String,
    /// The cycle's year.
    year: i32,
    /// `piano` (Piano degli Obiettivi, PIAO 2.2), `relazione` (Relazione sulla Performance),
    /// `monitoraggio` (the state at `periodo`), `delibera-piano` or `delibera-relazione` (the
    /// draft Giunta deliberation approving either), `scheda` (the evaluation form of
    /// `matricola`), `validazione` and `funzionamento` (the NIV's validation of the Relazione
    /// and its report on how the system worked).
    #[param(pattern = "^(piano|relazione|monitoraggio|delibera-piano|delibera-relazione|scheda|validazione|funzionamento)$", example = "piano")]
    tipo: String,
}

/// The format asked for.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct Format {
    /// `pdf` (PDF/A-2, the default); `xlsx` and `json` (the Piano, the Relazione, the
    /// monitoring report); `csv` (the Piano: one row per KPI); `docx` (the draft deliberations
    /// and the NIV's reports).
    #[param(pattern = "^(pdf|xlsx|csv|json|docx)$", example = "pdf")]
    formato: Option<String>,
    /// The monitoring report's day (default: today).
    #[param(value_type = Option<String>, format = Date, example = "2020-06-30")]
    periodo: Option<chrono::NaiveDate>,
    /// The person of an evaluation form (`scheda`).
    #[param(example = "M0037")]
    matricola: Option<String>,
}

/// A document of the cycle as a file to save: the same bytes as `traguardi report` for the
/// same data.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/documenti/{tipo}", tag = "documenti", params(DocumentPath, Format),
    responses((status = 200, description = "the document, as an attachment",
        content(
            (super::FileBytes = "application/pdf"),
            (super::FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/csv"),
            (Object = "application/json"),
            (super::FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        )), Errors))]
async fn document(State(s): State<AppState>, Caller(actor): Caller, Path(p): Path<DocumentPath>, Query(f): Query<Format>) -> Result<Response, ApiError> {
    let asked = crate::documents::Asked { formato: f.formato, periodo: f.periodo, matricola: f.matricola };
    let (doc, name) = crate::documents::of_cycle(&s.store, &actor, &p.code, p.year, &p.tipo, &asked).await?;
    Ok(doc.download(&name))
}
