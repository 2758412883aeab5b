//! `import pdc`: the ente's piano dei conti finanziario, from the SIOPE glossary as published
//! (columns `codice_voce`, `macro`, `descrizione`; docs/formats.md). Loading replaces the ente's
//! previous glossary. Once loaded, `import peg` checks every code on its own side (U or E).

use std::collections::HashMap;
use traguardi_domain::said;

use serde::Serialize;
use traguardi_docs::ReadOptions;
use traguardi_domain::budget::{PdcCode, Side};
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::Store;
use traguardi_store::budget::{self, PdcEntry};
use traguardi_store::ente::Ente;

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError, import};

pub const REQUIRED: [&str; 3] = ["codice_voce", "macro", "descrizione"];
pub const OPTIONAL: [&str; 2] = ["titolo", "macroaggregato"];
/// `macro` of the treasury's placeholder rows (`0.00.00.99.995` …): not codes of the plan.
const PLACEHOLDER: &str = "none";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PdcReport {
    pub rows: usize,
    pub spesa: usize,
    pub entrata: usize,
    /// Treasury placeholder rows (`macro` = None), left out.
    pub skipped: usize,
    /// Codes of the glossary loaded before, now replaced.
    pub replaced: i64,
    pub dry_run: bool,
}

#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn import_pdc(store: &Store, actor: &Actor, ente: &Ente, bytes: &[u8], opts: ReadOptions, dry_run: bool) -> Result<PdcReport, AppError> {
    actor.require(Right::Administer, said!("caricare il piano dei conti"))?;
    let (table, cols, mut problems) = import::open(bytes, opts, &REQUIRED, &OPTIONAL).await?;
    let mut report = PdcReport { rows: table.rows.len(), dry_run, ..Default::default() };
    let mut seen: HashMap<(Side, String), usize> = HashMap::new();
    let mut codes = Vec::with_capacity(table.rows.len());
    for rec in &table.rows {
        let line = rec.line;
        let get = |c: &str| cols.get(rec, c);
        let macro_ = get("macro");
        if macro_.eq_ignore_ascii_case(PLACEHOLDER) {
            report.skipped += 1;
            continue;
        }
        let side = match macro_ {
            "U" | "u" => Side::Spesa,
            "E" | "e" => Side::Entrata,
            other => {
                problems.push(Problem::cell(
                    line,
                    "macro",
                    ProblemKind::NotOneOf { value: other.into(), allowed: vec!["U".into(), "E".into(), "None".into()] },
                ));
                continue;
            }
        };
        let code = match PdcCode::parse(get("codice_voce")) {
            Ok(c) => c,
            Err(k) => {
                problems.push(Problem::cell(line, "codice_voce", k));
                continue;
            }
        };
        if code.side.is_some_and(|s| s != side) {
            problems.push(Problem::cell(
                line,
                "codice_voce",
                ProblemKind::Disagrees { value: get("codice_voce").into(), other: format!("macro {macro_}"), other_row: line },
            ));
            continue;
        }
        if get("descrizione").is_empty() {
            problems.push(Problem::cell(line, "descrizione", ProblemKind::Required));
        }
        if let Some(first) = seen.insert((side, code.digits().to_string()), line) {
            problems.push(Problem::cell(line, "codice_voce", ProblemKind::Duplicate { value: format!("{}.{code}", side.letter()), first_row: first }));
            continue;
        }
        match side {
            Side::Spesa => report.spesa += 1,
            Side::Entrata => report.entrata += 1,
        }
        codes.push(PdcEntry { side: side.letter().to_string(), code: code.digits().into(), description: get("descrizione").into() });
    }
    if codes.is_empty() && problems.is_empty() {
        problems.push(Problem::file(ProblemKind::EmptyFile));
    }
    problems.into_result()?;

    let mut tx = import::begin(store, dry_run).await?;
    report.replaced = budget::pdc_count(&mut tx, &ente.id).await?;
    if !dry_run {
        budget::replace_pdc(&mut tx, &ente.id, &codes).await?;
        let summary = serde_json::json!({ "spesa": report.spesa, "entrata": report.entrata });
        let before = serde_json::json!({ "codici": report.replaced });
        audit::record(
            &mut tx,
            actor,
            Some(&ente.id),
            Change { action: "import pdc", entity: "piano dei conti", entity_id: None, before: Some(&before), after: Some(&summary) },
        )
        .await?;
    }
    import::finish(tx, dry_run).await?;
    Ok(report)
}
