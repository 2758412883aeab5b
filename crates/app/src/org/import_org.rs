//! `import org`: the org chart of one cycle from CSV or XLSX.
//!
//! Columns (docs/formats.md): `codice,nome,tipo,padre,cdr`, optional `responsabile` (matricola),
//! `inizio`, `fine`, `codice_precedente` (the unit's code in the previous cycle, when renamed).
//! Units are added or updated by code; units of the cycle absent from the file stay as they are.
//! The whole file is checked first; with any problem nothing is written.

use std::collections::{HashMap, HashSet};
use traguardi_domain::ids::{PersonId, UnitId};
use traguardi_domain::said;

use chrono::NaiveDate;
use serde::Serialize;
use traguardi_docs::{Columns, ReadOptions, Table};
use traguardi_domain::org::{Node, UnitKind, check_tree, parents_first, parse_unit_code};
use traguardi_domain::people::parse_matricola;
use traguardi_domain::value::parse_date;
use traguardi_domain::{Problem, ProblemKind, Problems};
use traguardi_store::ente::Ente;
use traguardi_store::org::{self, OrgUnit};
use traguardi_store::{Store, new_id, people};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError, cycle::cycles, import};

pub const REQUIRED: [&str; 5] = ["codice", "nome", "tipo", "padre", "cdr"];
pub const OPTIONAL: [&str; 4] = ["responsabile", "inizio", "fine", "codice_precedente"];

/// What an import did, or would do with `--dry-run`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub year: i32,
    pub rows: usize,
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: usize,
    pub cycle_created: bool,
    pub dry_run: bool,
}

/// One checked row of the file.
struct UnitRow {
    line: usize,
    code: String,
    name: String,
    kind: UnitKind,
    parent: Option<String>,
    cdr: Option<String>,
    responsible: Option<String>,
    valid_from: Option<NaiveDate>,
    valid_to: Option<NaiveDate>,
    previous_code: Option<String>,
}

#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn import_org(
    store: &Store,
    actor: &Actor,
    ente: &Ente,
    year: i32,
    bytes: &[u8],
    opts: ReadOptions,
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    actor.require(Right::Administer, said!("importare la struttura organizzativa"))?;
    let table = import::read(bytes, opts).await?;
    let (rows, mut problems) = parse_rows(&table)?;

    let mut tx = import::begin(store, dry_run).await?;
    let (cycle, cycle_created) = cycles::ensure(&mut tx, actor, ente, year).await?;
    crate::cycle::close::ensure_open(&mut tx, ente, &cycle).await?;
    let cal = cycle.calendar.clone();
    let stored = org::of_cycle(&mut tx, &ente.id, &cycle.id).await?;
    let stored_by_code: HashMap<&str, &OrgUnit> = stored.iter().map(|u| (u.code.as_str(), u)).collect();
    let code_of_id: HashMap<&str, &str> = stored.iter().map(|u| (u.id.as_str(), u.code.as_str())).collect();

    // The shape of the tree after the merge.
    let stored_parents: HashMap<String, Option<String>> =
        stored.iter().map(|u| (u.code.clone(), u.parent_id.as_deref().and_then(|p| code_of_id.get(p)).map(|c| c.to_string()))).collect();
    let nodes: Vec<Node<'_>> = rows.iter().map(|r| Node { row: r.line, code: &r.code, parent: r.parent.as_deref() }).collect();
    problems.0.extend(check_tree(&nodes, &stored_parents, "codice", "padre").0);

    // CdR codes are unique in the cycle, among the file and the stored units it leaves alone.
    let in_file: HashSet<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    let cdr_stored: HashMap<&str, &str> =
        stored.iter().filter(|u| !in_file.contains(u.code.as_str())).filter_map(|u| u.cdr.as_deref().map(|c| (c, u.code.as_str()))).collect();
    let mut cdr_first: HashMap<&str, usize> = HashMap::new();
    let mut responsible_ids: HashMap<usize, PersonId> = HashMap::new();
    for r in &rows {
        if let Some(cdr) = r.cdr.as_deref() {
            if let Some(owner) = cdr_stored.get(cdr) {
                problems.push(Problem::cell(r.line, "cdr", ProblemKind::TakenBy { value: cdr.into(), owner: owner.to_string() }));
            } else if let Some(&first_row) = cdr_first.get(cdr) {
                problems.push(Problem::cell(r.line, "cdr", ProblemKind::Duplicate { value: cdr.into(), first_row }));
            } else {
                cdr_first.insert(cdr, r.line);
            }
        }
        if let Some(m) = &r.responsible {
            match people::person_by_matricola(&mut tx, &ente.id, m).await? {
                Some(p) => {
                    responsible_ids.insert(r.line, p.id);
                }
                None => problems.push(Problem::cell(r.line, "responsabile", ProblemKind::UnknownPerson { value: m.clone() })),
            }
        }
        for (col, d) in [("inizio", r.valid_from), ("fine", r.valid_to)] {
            if d.is_some_and(|d| !cal.contains(d)) {
                problems.push(Problem::cell(r.line, col, ProblemKind::OutsideCycle { year }));
            }
        }
        if let (Some(s), Some(e)) = (r.valid_from, r.valid_to)
            && e < s
        {
            problems.push(Problem::cell(r.line, "fine", ProblemKind::EndBeforeStart { start: s.to_string(), end: e.to_string() }));
        }
    }
    problems.into_result()?;

    // Parents before children, so that every parent id exists when a child is written.
    let mut ids: HashMap<String, UnitId> = stored.iter().map(|u| (u.code.clone(), u.id.clone())).collect();
    let mut report = ImportReport { year, rows: rows.len(), cycle_created, dry_run, ..Default::default() };
    for r in parents_first(&rows, |r| r.code.as_str(), |r| r.parent.as_deref()) {
        let id = ids.get(&r.code).cloned().unwrap_or_else(new_id);
        ids.insert(r.code.clone(), id.clone());
        let parent_id = r.parent.as_ref().map(|p| ids.get(p).cloned().unwrap_or_default());
        let existing = stored_by_code.get(r.code.as_str()).copied();
        let lineage_id = match existing {
            Some(u) => u.lineage_id.clone(),
            None => {
                let known = org::lineage_before(&mut tx, &ente.id, year, r.previous_code.as_deref().unwrap_or(&r.code)).await?;
                known.unwrap_or_else(new_id)
            }
        };
        let unit = OrgUnit {
            id: id.clone(),
            cycle_id: cycle.id.clone(),
            lineage_id,
            code: r.code.clone(),
            name: r.name.clone(),
            kind: r.kind,
            parent_id,
            cdr: r.cdr.clone(),
            responsible_id: responsible_ids.get(&r.line).cloned().or_else(|| existing.and_then(|u| u.responsible_id.clone())),
            valid_from: r.valid_from.unwrap_or(cal.starts),
            valid_to: r.valid_to.unwrap_or(cal.ends),
            position: i64::try_from(r.line).unwrap_or(i64::MAX),
        };
        match existing {
            Some(old) if *old == unit => report.unchanged += 1,
            Some(old) => {
                if !dry_run {
                    org::save(&mut tx, &ente.id, &unit).await?;
                    audit::record_in_cycle(
                        &mut tx,
                        actor,
                        &ente.id,
                        &cycle.id,
                        Change { action: "import org", entity: "struttura", entity_id: Some(&id), before: Some(old), after: Some(&unit) },
                    )
                    .await?;
                }
                report.updated.push(unit.code);
            }
            None => {
                if !dry_run {
                    org::save(&mut tx, &ente.id, &unit).await?;
                    audit::record_in_cycle(
                        &mut tx,
                        actor,
                        &ente.id,
                        &cycle.id,
                        Change::<(), _> { action: "import org", entity: "struttura", entity_id: Some(&id), before: None, after: Some(&unit) },
                    )
                    .await?;
                }
                report.created.push(unit.code);
            }
        }
    }
    import::finish(tx, dry_run).await?;
    Ok(report)
}

/// Checks every cell; returns the rows (those whose code and parent parse) and all problems.
fn parse_rows(table: &Table) -> Result<(Vec<UnitRow>, Problems), AppError> {
    let cols = Columns::find(table, &REQUIRED, &OPTIONAL)?;
    let mut problems = table.problems.clone();
    let mut rows = Vec::with_capacity(table.rows.len());
    for rec in &table.rows {
        let line = rec.line;
        let mut cell = |col: &str, r: Result<(), ProblemKind>| {
            if let Err(k) = r {
                problems.push(Problem::cell(line, col, k));
            }
        };
        let opt = |col: &str| Some(cols.get(rec, col)).filter(|s| !s.is_empty()).map(String::from);
        let code = parse_unit_code(cols.get(rec, "codice"));
        let name = cols.get(rec, "nome");
        let kind = UnitKind::parse(cols.get(rec, "tipo"));
        let parent = opt("padre").map(|p| parse_unit_code(&p)).transpose();
        let responsible = opt("responsabile").map(|m| parse_matricola(&m)).transpose();
        let valid_from = opt("inizio").map(|d| parse_date(&d)).transpose();
        let valid_to = opt("fine").map(|d| parse_date(&d)).transpose();
        let cdr = opt("cdr");
        cell("codice", code.as_ref().map(|_| ()).map_err(Clone::clone));
        cell("nome", if name.is_empty() { Err(ProblemKind::Required) } else { Ok(()) });
        cell("tipo", kind.as_ref().map(|_| ()).map_err(Clone::clone));
        cell("padre", parent.as_ref().map(|_| ()).map_err(Clone::clone));
        cell("responsabile", responsible.as_ref().map(|_| ()).map_err(Clone::clone));
        cell("inizio", valid_from.as_ref().map(|_| ()).map_err(Clone::clone));
        cell("fine", valid_to.as_ref().map(|_| ()).map_err(Clone::clone));
        cell(
            "cdr",
            match &cdr {
                Some(c) if c.len() > 16 || c.contains(char::is_whitespace) => {
                    Err(ProblemKind::BadFormat { value: c.clone(), expected: traguardi_domain::said!("codice CdR senza spazi, al massimo 16 caratteri") })
                }
                _ => Ok(()),
            },
        );
        // A row whose code and parent parse takes part in the tree checks even when another of
        // its cells is wrong (that problem is already listed, so nothing will be written).
        if let (Ok(code), Ok(parent)) = (code, parent) {
            rows.push(UnitRow {
                line,
                code,
                name: name.to_string(),
                kind: kind.unwrap_or(UnitKind::Unita),
                parent,
                cdr,
                responsible: responsible.ok().flatten(),
                valid_from: valid_from.ok().flatten(),
                valid_to: valid_to.ok().flatten(),
                previous_code: opt("codice_precedente"),
            });
        }
    }
    Ok((rows, problems))
}
