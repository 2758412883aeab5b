//! `import posizioni`: the yearly base of the result pay of each managerial position, by unit
//! (docs/formats.md): columns `struttura,base`. Interim posts take a share of it (rules of the
//! premi, `dirigenti.quota_interim`).

use std::collections::HashMap;
use traguardi_domain::said;

use traguardi_docs::ReadOptions;
use traguardi_domain::budget::parse_euro;
use traguardi_domain::money::Cents;
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::{Store, org, pay};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError, cycle::cycles, import, org::enti};

pub const REQUIRED: [&str; 2] = ["struttura", "base"];

#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn import_positions(
    store: &Store,
    actor: &Actor,
    ente_code: Option<&str>,
    year: i32,
    (bytes, opts): (&[u8], ReadOptions),
    dry_run: bool,
) -> Result<usize, AppError> {
    actor.require(Right::Administer, said!("registrare le posizioni dirigenziali"))?;
    let (table, cols, mut problems) = import::open(bytes, opts, &REQUIRED, &[]).await?;
    let style = table.number_style;
    let mut tx = import::begin(store, dry_run).await?;
    let ente = enti::resolve(&mut tx, ente_code).await?;
    let cycle = cycles::get(&mut tx, &ente, year).await?;
    crate::cycle::close::ensure_open(&mut tx, &ente, &cycle).await?;
    let units: HashMap<String, traguardi_domain::ids::UnitId> =
        org::of_cycle(&mut tx, &ente.id, &cycle.id).await?.into_iter().map(|u| (u.code, u.id)).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut rows = Vec::new();
    for rec in &table.rows {
        let line = rec.line;
        let code = cols.get(rec, "struttura");
        let unit = match units.get(code) {
            Some(id) => Some(id.clone()),
            None => {
                let k = if code.is_empty() { ProblemKind::Required } else { ProblemKind::UnknownUnit { value: code.into() } };
                problems.push(Problem::cell(line, "struttura", k));
                None
            }
        };
        if let Some(first) = seen.insert(code.to_string(), line) {
            problems.push(Problem::cell(line, "struttura", ProblemKind::Duplicate { value: code.into(), first_row: first }));
        }
        let base = match parse_euro(cols.get(rec, "base"), style) {
            Ok(c) if !c.is_negative() => Some(c),
            Ok(_) => {
                problems.push(Problem::cell(line, "base", ProblemKind::OutOfRange { value: cols.get(rec, "base").into(), min: "0".into(), max: "∞".into() }));
                None
            }
            Err(k) => {
                problems.push(Problem::cell(line, "base", k));
                None
            }
        };
        if let (Some(u), Some(b)) = (unit, base) {
            rows.push((u, b));
        }
    }
    problems.into_result()?;
    let before = pay::positions(&mut tx, &ente.id, &cycle.id).await?;
    let changed: Vec<(traguardi_domain::ids::UnitId, Cents)> = rows.iter().filter(|r| !before.contains(r)).cloned().collect();
    if !changed.is_empty() && !dry_run {
        pay::replace_positions(&mut tx, &ente.id, &cycle.id, &changed).await?;
        audit::record_in_cycle(
            &mut tx,
            actor,
            &ente.id,
            &cycle.id,
            Change { action: "import posizioni", entity: "posizioni", entity_id: Some(cycle.id.as_str()), before: Some(&before), after: Some(&rows) },
        )
        .await?;
    }
    import::finish(tx, dry_run).await?;
    Ok(changed.len())
}
