//! `import assenze`: the days of absence of each person in a cycle by payroll cause code
//! (docs/formats.md). Whether a cause reduces presence is in the rules of the premi
//! (`assenze.riducono`, `assenze.tutelate`). The absences of the people in the file replace
//! those stored; the others are kept.

use std::collections::HashMap;
use traguardi_domain::said;

use rust_decimal::Decimal;
use traguardi_docs::ReadOptions;
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::pay::{self, AbsenceRow};
use traguardi_store::{Store, people};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError, cycle::cycles, import, org::enti};

pub const REQUIRED: [&str; 3] = ["matricola", "causale", "giorni"];

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct AbsenceReport {
    pub people: usize,
    pub rows: usize,
    /// 1 when the stored absences changed, else 0.
    pub changed: usize,
}

#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn import_absences(
    store: &Store,
    actor: &Actor,
    ente_code: Option<&str>,
    year: i32,
    bytes: &[u8],
    opts: ReadOptions,
    dry_run: bool,
) -> Result<AbsenceReport, AppError> {
    actor.require(Right::Administer, said!("registrare le assenze"))?;
    let (table, cols, mut problems) = import::open(bytes, opts, &REQUIRED, &[]).await?;
    let style = table.number_style;
    let mut tx = import::begin(store, dry_run).await?;
    let ente = enti::resolve(&mut tx, ente_code).await?;
    let cycle = cycles::get(&mut tx, &ente, year).await?;
    crate::cycle::close::ensure_open(&mut tx, &ente, &cycle).await?;
    let persons: HashMap<String, traguardi_domain::ids::PersonId> =
        people::persons(&mut tx, &ente.id).await?.into_iter().map(|p| (p.matricola, p.id)).collect();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut rows = Vec::new();
    for rec in &table.rows {
        let line = rec.line;
        let get = |c: &str| cols.get(rec, c);
        let mut bad = |c: &str, k: ProblemKind| problems.push(Problem::cell(line, c, k));
        let person = match persons.get(get("matricola")) {
            Some(id) => Some(id.clone()),
            None if get("matricola").is_empty() => {
                bad("matricola", ProblemKind::Required);
                None
            }
            None => {
                bad("matricola", ProblemKind::UnknownPerson { value: get("matricola").into() });
                None
            }
        };
        let cause = get("causale").to_uppercase();
        if cause.is_empty() {
            bad("causale", ProblemKind::Required);
        }
        if let Some(first) = seen.insert((get("matricola").into(), cause.clone()), line) {
            bad("causale", ProblemKind::Duplicate { value: format!("{} {cause}", get("matricola")), first_row: first });
        }
        let days = match style.parse(get("giorni")) {
            Some(d) if d >= Decimal::ZERO && d <= Decimal::from(366) => Some(d),
            Some(_) => {
                bad("giorni", ProblemKind::OutOfRange { value: get("giorni").into(), min: "0".into(), max: "366".into() });
                None
            }
            None => {
                bad("giorni", ProblemKind::BadNumber { value: get("giorni").into() });
                None
            }
        };
        if let (Some(person_id), Some(days)) = (person, days) {
            rows.push(AbsenceRow { person_id, cause, days });
        }
    }
    problems.into_result()?;
    // In the store's order, so that unchanged absences compare equal and are not rewritten.
    rows.sort_by(|a, b| (&a.person_id, &a.cause).cmp(&(&b.person_id, &b.cause)));
    let mut who: Vec<traguardi_domain::ids::PersonId> = rows.iter().map(|r| r.person_id.clone()).collect();
    who.dedup();
    let before: Vec<AbsenceRow> = pay::absences(&mut tx, &ente.id, &cycle.id).await?.into_iter().filter(|a| who.contains(&a.person_id)).collect();
    let changed = before != rows;
    if changed && !dry_run {
        pay::replace_absences(&mut tx, &ente.id, &cycle.id, &who, &rows).await?;
        audit::record_in_cycle(
            &mut tx,
            actor,
            &ente.id,
            &cycle.id,
            Change { action: "import assenze", entity: "assenze", entity_id: Some(cycle.id.as_str()), before: Some(&before), after: Some(&rows) },
        )
        .await?;
    }
    import::finish(tx, dry_run).await?;
    Ok(AbsenceReport { people: who.len(), rows: rows.len(), changed: usize::from(changed) })
}
