//! `import dup`: the DUP's obiettivi strategici (by Missione) and operativi (by Missione and
//! Programma), with their owner Direzione and tags (docs/formats.md). Added or updated by code.

use std::collections::HashMap;
use traguardi_domain::said;

use serde::Serialize;
use traguardi_docs::ReadOptions;
use traguardi_domain::budget::tables;
use traguardi_domain::org::{Node, check_tree, parents_first};
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::ente::Ente;
use traguardi_store::plan::{self, DupObjective};
use traguardi_store::{Store, cycle, new_id, org};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::plan::import_plan::Counts;
use crate::{Actor, AppError, import};

pub const REQUIRED: [&str; 6] = ["codice", "tipo", "titolo", "missione", "programma", "padre"];
pub const OPTIONAL: [&str; 3] = ["direzione", "tag", "finalita"];
pub const KINDS: [&str; 2] = ["strategico", "operativo"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DupReport {
    pub rows: usize,
    pub objectives: Counts,
    pub dry_run: bool,
}

#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn import_dup(store: &Store, actor: &Actor, ente: &Ente, bytes: &[u8], opts: ReadOptions, dry_run: bool) -> Result<DupReport, AppError> {
    actor.require(Right::Administer, said!("importare il DUP"))?;
    let (table, cols, mut problems) = import::open(bytes, opts, &REQUIRED, &OPTIONAL).await?;
    let mut tx = import::begin(store, dry_run).await?;
    let stored = plan::dup_objectives(&mut tx, &ente.id).await?;
    // Owners are Direzioni of the latest cycle, kept across cycles by their lineage.
    let latest = cycle::list(&mut tx, &ente.id).await?.into_iter().next();
    let units: HashMap<String, String> = match &latest {
        Some(c) => org::of_cycle(&mut tx, &ente.id, &c.id).await?.into_iter().map(|u| (u.code, u.lineage_id)).collect(),
        None => HashMap::new(),
    };
    let by_code: HashMap<&str, &DupObjective> = stored.iter().map(|d| (d.code.as_str(), d)).collect();
    let mut rows: Vec<(DupObjective, Option<String>, usize)> = Vec::new();
    for rec in &table.rows {
        let line = rec.line;
        let get = |c: &str| cols.get(rec, c);
        let mut bad = |c: &str, k: ProblemKind| problems.push(Problem::cell(line, c, k));
        let code = get("codice").to_string();
        if code.is_empty() {
            bad("codice", ProblemKind::Required);
            continue;
        }
        let kind = get("tipo").to_lowercase();
        if !KINDS.contains(&kind.as_str()) {
            bad("tipo", ProblemKind::NotOneOf { value: get("tipo").into(), allowed: KINDS.map(String::from).to_vec() });
        }
        if get("titolo").is_empty() {
            bad("titolo", ProblemKind::Required);
        }
        let missione = tables::two_digits(get("missione")).map_err(|k| bad("missione", k)).ok();
        let programma = match (kind.as_str(), get("programma")) {
            ("operativo", p) => tables::two_digits(p).map_err(|k| bad("programma", k)).ok(),
            (_, "") => None,
            (_, p) => tables::two_digits(p).map_err(|k| bad("programma", k)).ok(),
        };
        let parent = Some(get("padre").to_string()).filter(|p| !p.is_empty());
        if kind == "operativo" && parent.is_none() {
            bad("padre", ProblemKind::BadFormat { value: String::new(), expected: traguardi_domain::said!("il codice dell'obiettivo strategico") });
        }
        let owner = match get("direzione") {
            "" => None,
            d => units.get(d).cloned().or_else(|| {
                bad("direzione", ProblemKind::UnknownUnit { value: d.into() });
                None
            }),
        };
        let existing = by_code.get(code.as_str()).copied();
        rows.push((
            DupObjective {
                id: existing.map_or_else(new_id, |d| d.id.clone()),
                code,
                kind,
                title: get("titolo").into(),
                description: Some(get("finalita").to_string()).filter(|f| !f.is_empty()),
                missione,
                programma,
                parent_id: None,
                owner_lineage: owner,
                tags: get("tag").split([',', '|']).map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect(),
            },
            parent,
            line,
        ));
    }
    let code_of: HashMap<&str, &str> = stored.iter().map(|d| (d.id.as_str(), d.code.as_str())).collect();
    let stored_parents: HashMap<String, Option<String>> =
        stored.iter().map(|d| (d.code.clone(), d.parent_id.as_deref().and_then(|p| code_of.get(p)).map(|c| c.to_string()))).collect();
    let nodes: Vec<Node<'_>> = rows.iter().map(|(d, p, l)| Node { row: *l, code: &d.code, parent: p.as_deref() }).collect();
    problems.0.extend(check_tree(&nodes, &stored_parents, "codice", "padre").0);
    problems.into_result()?;

    let mut ids: HashMap<String, String> = stored.iter().map(|d| (d.code.clone(), d.id.clone())).collect();
    ids.extend(rows.iter().map(|(d, _, _)| (d.code.clone(), d.id.clone())));
    let mut report = DupReport { rows: table.rows.len(), dry_run, ..Default::default() };
    for (d, parent, _) in parents_first(&rows, |(d, _, _)| d.code.as_str(), |(_, p, _)| p.as_deref()) {
        let d = DupObjective { parent_id: parent.as_ref().and_then(|p| ids.get(p).cloned()), ..d.clone() };
        let before = by_code.get(d.code.as_str()).copied();
        match before {
            Some(b) if *b == d => {
                report.objectives.unchanged += 1;
                continue;
            }
            Some(_) => report.objectives.updated.push(d.code.clone()),
            None => report.objectives.created.push(d.code.clone()),
        }
        if !dry_run {
            plan::save_dup_objective(&mut tx, &ente.id, &d).await?;
            audit::record(
                &mut tx,
                actor,
                Some(&ente.id),
                Change { action: "import dup", entity: "obiettivo DUP", entity_id: Some(&d.id), before, after: Some(&d) },
            )
            .await?;
        }
    }
    import::finish(tx, dry_run).await?;
    Ok(report)
}
