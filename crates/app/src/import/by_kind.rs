//! Any import, by the name the API gives it (`POST …/importazioni/{tipo}`): the same use cases,
//! checks and audit as the command line's `traguardi import`, answering the import's report.

use serde_json::Value;
use traguardi_docs::ReadOptions;
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::Store;
use traguardi_store::ente::Ente;

use crate::budget::{import_pdc, import_peg};
use crate::org::{import_org, import_people};
use crate::pay::import_fund::{self, FundHeader};
use crate::pay::{import_absences, import_evaluations, import_positions};
use crate::plan::{import_dimensions, import_dup, import_measurements, import_plan};
use crate::{Actor, AppError};

/// The kinds, each with the command it does: the cycle's `struttura` (`import org`), `persone`
/// (`import people`), `piano` (`import plan`), `misurazioni` (`import measurements`),
/// `valutazioni`, `assenze`, `posizioni`; the ente's `dimensioni`, `dup`, `pdc`, `peg` (the year
/// of the path is not read: their years are in the file); and the cycle's `fondo` (`import
/// fondo`), which alone reads `fund`: which fund, its cap and its certification.
pub const KINDS: [&str; 12] =
    ["struttura", "persone", "piano", "misurazioni", "valutazioni", "assenze", "posizioni", "fondo", "dimensioni", "dup", "pdc", "peg"];

/// Imports `bytes` (CSV or XLSX) as `kind`; with `dry_run` every check runs and nothing is
/// written. The answer is the import's report; a file with problems is `AppError::Invalid`,
/// each problem with its row and column.
#[allow(clippy::too_many_arguments)]
pub async fn import(
    store: &Store,
    actor: &Actor,
    ente: &Ente,
    year: i32,
    kind: &str,
    bytes: &[u8],
    opts: ReadOptions,
    fund: FundHeader,
    dry_run: bool,
) -> Result<Value, AppError> {
    let code = Some(ente.code.as_str());
    let report = match kind {
        "struttura" => json(import_org::import_org(store, actor, ente, year, bytes, opts, dry_run).await?),
        "persone" => json(import_people::import_people(store, actor, ente, year, bytes, opts, dry_run).await?),
        "piano" => json(import_plan::import_plan(store, actor, ente, year, bytes, opts, dry_run).await?),
        "misurazioni" => json(import_measurements::import_measurements(store, actor, ente, year, bytes, opts, dry_run).await?),
        "valutazioni" => json(import_evaluations::import_evaluations(store, actor, code, year, bytes, opts, dry_run).await?),
        "assenze" => json(import_absences::import_absences(store, actor, code, year, bytes, opts, dry_run).await?),
        "posizioni" => json(serde_json::json!({ "changed": import_positions::import_positions(store, actor, code, year, (bytes, opts), dry_run).await? })),
        "fondo" => json(import_fund::import_fund(store, actor, code, year, (bytes, opts), fund, dry_run).await?),
        "dimensioni" => json(import_dimensions::import_dimensions(store, actor, ente, bytes, opts, dry_run).await?),
        "dup" => json(import_dup::import_dup(store, actor, ente, bytes, opts, dry_run).await?),
        "pdc" => json(import_pdc::import_pdc(store, actor, ente, bytes, opts, dry_run).await?),
        "peg" => json(import_peg::import_peg(store, actor, ente, bytes, opts, dry_run).await?),
        other => {
            let allowed = KINDS.map(String::from).to_vec();
            return Err(AppError::Invalid(Problem::column("tipo", ProblemKind::NotOneOf { value: other.into(), allowed }).into()));
        }
    };
    Ok(report)
}

fn json<T: serde::Serialize>(report: T) -> Value {
    serde_json::to_value(report).unwrap_or(Value::Null)
}
