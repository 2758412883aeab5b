//! The versioned rules of a cycle — the scoring rules (`traguardi plan regole`) and the rules
//! of the premi (`traguardi payout regole`) — stored as their canonical text: a change is a new
//! audited version, the same text changes nothing, a closed cycle's rules never change.

use serde::Serialize;
use traguardi_domain::plan::rules::ScoringRules;
use traguardi_domain::said;
use traguardi_store::Conn;
use traguardi_store::cycle::Cycle;
use traguardi_store::ente::Ente;
use traguardi_store::rules::{self, Rules};

use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError};

#[derive(Debug, Clone, Serialize)]
pub struct RulesReport {
    pub version: i64,
    pub changed: bool,
}

/// Stores `canonical` as the new version of `which` rules of the cycle, unless it is the text
/// in force already. Runs inside the caller's transaction.
pub async fn save(tx: &mut Conn, actor: &Actor, ente: &Ente, cycle: &Cycle, which: Rules, canonical: &str) -> Result<RulesReport, AppError> {
    crate::cycle::close::ensure_open(tx, ente, cycle).await?;
    let current = rules::current(tx, which, &ente.id, &cycle.id).await?;
    if let Some((v, text, ..)) = &current
        && text == canonical
    {
        return Ok(RulesReport { version: *v, changed: false });
    }
    let version = rules::add(tx, which, &ente.id, &cycle.id, canonical, &actor.name, &crate::now()).await?;
    let (action, entity) = match which {
        Rules::Premi => ("regole premi", "regole_premi"),
        Rules::Punteggio => ("regole punteggio", "regole_punteggio"),
    };
    let change = Change { action, entity, entity_id: Some(&version.to_string()), before: current.as_ref().map(|c| &c.1), after: Some(&canonical) };
    audit::record_in_cycle(tx, actor, &ente.id, &cycle.id, change).await?;
    Ok(RulesReport { version, changed: true })
}

/// The scoring rules in force for a cycle: the latest version stored, or the defaults.
pub async fn scoring(conn: &mut Conn, ente: &Ente, cycle: &Cycle) -> Result<ScoringRules, AppError> {
    match rules::current(conn, Rules::Punteggio, &ente.id, &cycle.id).await? {
        None => Ok(ScoringRules::default()),
        Some((_, text, ..)) => ScoringRules::parse(&text).map_err(AppError::Invalid),
    }
}

/// Sets the scoring rules of a cycle from a rules text (docs/formats.md, "Regole del punteggio").
/// Refused when the plan already holds a KPI whose own cap the new rules do not allow.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn set_scoring(store: &traguardi_store::Store, actor: &Actor, ente_code: Option<&str>, year: i32, text: &str) -> Result<RulesReport, AppError> {
    actor.require(crate::accounts::access::Right::Administer, said!("fissare le regole del punteggio"))?;
    let parsed = ScoringRules::parse(text).map_err(AppError::Invalid)?;
    let mut tx = store.begin().await?;
    let ente = crate::org::enti::resolve(&mut tx, ente_code).await?;
    let cycle = crate::cycle::cycles::get(&mut tx, &ente, year).await?;
    crate::cycle::close::ensure_open(&mut tx, &ente, &cycle).await?;
    let mut problems = traguardi_domain::Problems::default();
    for k in traguardi_store::plan::kpis(&mut tx, &ente.id, &cycle.id).await? {
        if let Some(kind) = k.rule.cap.and_then(|c| parsed.kpi_cap_problem(c)) {
            problems.push(traguardi_domain::Problem::column(&format!("tetto del KPI {}", k.code), kind));
        }
    }
    problems.into_result().map_err(AppError::Invalid)?;
    let report = save(&mut tx, actor, &ente, &cycle, Rules::Punteggio, &parsed.to_text()).await?;
    tx.commit().await?;
    Ok(report)
}
