//! `import dimensioni`: the dimensions of the plan and their ambiti, configuration per ente
//! (docs/formats.md). Milan's are the default; an ente may rename them, add its own dimensions
//! and ambiti. Added or updated by code; those the file does not name stay.

use std::collections::HashMap;
use traguardi_domain::said;

use serde::Serialize;
use traguardi_docs::ReadOptions;
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::ente::Ente;
use traguardi_store::new_id;
use traguardi_store::plan::{self, Ambito, Dimension};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::plan::import_plan::Counts;
use crate::{Actor, AppError, Store, import, plan::dimensions};

pub const REQUIRED: [&str; 4] = ["dimensione", "nome", "ambito", "ambito_nome"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DimensionsReport {
    pub rows: usize,
    pub dimensions: Counts,
    pub ambiti: Counts,
}

/// A configuration code: lower-case letters, digits and `_`, at most 40 characters.
fn code(s: &str) -> Result<String, ProblemKind> {
    let t = s.trim().to_lowercase();
    if t.is_empty() {
        return Err(ProblemKind::Required);
    }
    if t.len() > 40 || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(ProblemKind::BadFormat { value: s.trim().into(), expected: traguardi_domain::said!("lettere minuscole, cifre e _ (es. salute)") });
    }
    Ok(t)
}

#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn import_dimensions(
    store: &Store,
    actor: &Actor,
    ente: &Ente,
    bytes: &[u8],
    opts: ReadOptions,
    dry_run: bool,
) -> Result<DimensionsReport, AppError> {
    actor.require(Right::Administer, said!("configurare le dimensioni del piano"))?;
    let (table, cols, mut problems) = import::open(bytes, opts, &REQUIRED, &[]).await?;
    let mut tx = import::begin(store, dry_run).await?;
    let (dims, ambiti) = dimensions::ensure(&mut tx, ente).await?;
    let mut rows = Vec::new();
    let mut names: HashMap<String, (String, usize)> = HashMap::new();
    let mut seen_ambiti: HashMap<(String, String), usize> = HashMap::new();
    for rec in &table.rows {
        let line = rec.line;
        let mut bad = |c: &str, k: ProblemKind| problems.push(Problem::cell(line, c, k));
        let (d, name) = (code(cols.get(rec, "dimensione")).map_err(|k| bad("dimensione", k)).ok(), cols.get(rec, "nome").to_string());
        if name.is_empty() {
            bad("nome", ProblemKind::Required);
        }
        let ambito = match cols.get(rec, "ambito") {
            "" => None,
            a => code(a).map_err(|k| bad("ambito", k)).ok(),
        };
        let ambito_name = cols.get(rec, "ambito_nome").to_string();
        if ambito.is_some() && ambito_name.is_empty() {
            bad("ambito_nome", ProblemKind::Required);
        }
        let Some(d) = d else { continue };
        match names.get(&d) {
            Some((other, first)) if *other != name => bad("nome", ProblemKind::Disagrees { value: name.clone(), other: other.clone(), other_row: *first }),
            Some(_) => {}
            None => {
                names.insert(d.clone(), (name.clone(), line));
            }
        }
        if let Some(a) = &ambito
            && let Some(first) = seen_ambiti.insert((d.clone(), a.clone()), line)
        {
            bad("ambito", ProblemKind::Duplicate { value: a.clone(), first_row: first });
        }
        rows.push((d, name, ambito, ambito_name));
    }
    problems.into_result()?;

    let mut report = DimensionsReport { rows: table.rows.len(), ..Default::default() };
    let mut dim_ids: HashMap<String, Dimension> = dims.into_iter().map(|d| (d.code.clone(), d)).collect();
    let mut next_dim = dim_ids.values().map(|d| d.position).max().unwrap_or(0) + 1;
    let mut next_ambito = ambiti.iter().map(|a| a.position).max().unwrap_or(0) + 1;
    for (d, name, ambito, ambito_name) in &rows {
        let dim = match dim_ids.get(d) {
            Some(old) if old.name == *name => old.clone(),
            Some(old) => {
                let new = Dimension { name: name.clone(), ..old.clone() };
                if !report.dimensions.updated.contains(d) {
                    plan::save_dimension(&mut tx, &ente.id, &new).await?;
                    audit::record(
                        &mut tx,
                        actor,
                        Some(&ente.id),
                        Change { action: "configura", entity: "dimensione", entity_id: Some(&new.id), before: Some(old), after: Some(&new) },
                    )
                    .await?;
                    report.dimensions.updated.push(d.clone());
                }
                new
            }
            None => {
                let new = Dimension { id: new_id(), code: d.clone(), name: name.clone(), position: next_dim };
                next_dim += 1;
                plan::save_dimension(&mut tx, &ente.id, &new).await?;
                audit::record(
                    &mut tx,
                    actor,
                    Some(&ente.id),
                    Change::<(), _> { action: "configura", entity: "dimensione", entity_id: Some(&new.id), before: None, after: Some(&new) },
                )
                .await?;
                report.dimensions.created.push(d.clone());
                new
            }
        };
        dim_ids.insert(d.clone(), dim.clone());
        let Some(a) = ambito else { continue };
        match ambiti.iter().find(|x| x.dimension_id == dim.id && x.code == *a) {
            Some(old) if old.name == *ambito_name => report.ambiti.unchanged += 1,
            Some(old) => {
                let new = Ambito { name: ambito_name.clone(), ..old.clone() };
                plan::save_ambito(&mut tx, &ente.id, &new).await?;
                audit::record(
                    &mut tx,
                    actor,
                    Some(&ente.id),
                    Change { action: "configura", entity: "ambito", entity_id: Some(&new.id), before: Some(old), after: Some(&new) },
                )
                .await?;
                report.ambiti.updated.push(a.clone());
            }
            None => {
                let new = Ambito { id: new_id(), dimension_id: dim.id.clone(), code: a.clone(), name: ambito_name.clone(), position: next_ambito };
                next_ambito += 1;
                plan::save_ambito(&mut tx, &ente.id, &new).await?;
                audit::record(
                    &mut tx,
                    actor,
                    Some(&ente.id),
                    Change::<(), _> { action: "configura", entity: "ambito", entity_id: Some(&new.id), before: None, after: Some(&new) },
                )
                .await?;
                report.ambiti.created.push(a.clone());
            }
        }
    }
    report.dimensions.unchanged = names.len() - report.dimensions.created.len() - report.dimensions.updated.len();
    import::finish(tx, dry_run).await?;
    Ok(report)
}
