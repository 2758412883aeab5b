//! Moving objectives along their workflow (SPEC §5): who may take each step, the checks each
//! needs, and the act it cites. All or nothing: one objective that cannot move stops them all,
//! and every reason is listed.

use std::collections::{HashMap, HashSet};
use traguardi_domain::act;
use traguardi_domain::ids::KpiId;
use traguardi_domain::said;
use traguardi_domain::said::Said;

use serde::Serialize;
use serde_json::json;
use traguardi_domain::plan::workflow::{State, refusal};
use traguardi_store::Store;
use traguardi_store::ente::Ente;
use traguardi_store::plan;

use crate::accounts::access::{AccountRole, Reach, Right};
use crate::accounts::audit::{self, Change};
use crate::accounts::scope::UnitScope;
use crate::{Actor, AppError, cycle::cycles};
use traguardi_domain::access::reach;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Moved {
    pub to: String,
    pub objectives: Vec<String>,
}

/// A request to move objectives.
#[derive(Debug, Clone, Copy)]
pub struct Move<'a> {
    /// Objective codes; empty for every objective of the cycle.
    pub codes: &'a [String],
    pub to: State,
    /// The act that disposes it (e.g. `GC 838 del 24/07/2020`), where the step needs one.
    pub act: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// Moves objectives of the cycle of `year` along their workflow.
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn transition(store: &Store, actor: &Actor, ente: &Ente, year: i32, m: Move<'_>) -> Result<Moved, AppError> {
    let Move { codes, to, act, note } = m;
    let act = act.map(str::trim).filter(|a| !a.is_empty());
    let mut tx = store.begin().await?;
    // The act must be registered: its code is what the audit trail keeps.
    let registered = match act {
        Some(code) => Some(crate::cycle::acts::find(&mut tx, ente, code).await?),
        None => None,
    };
    let act = registered.as_ref().map(|a| a.code.as_str());
    let cycle = cycles::get(&mut tx, ente, year).await?;
    crate::cycle::close::ensure_open(&mut tx, ente, &cycle).await?;
    let objectives = plan::objectives(&mut tx, &ente.id, &cycle.id).await?;
    let kpis = plan::kpis(&mut tx, &ente.id, &cycle.id).await?;
    let with_target: HashSet<KpiId> = plan::targets(&mut tx, &ente.id, &cycle.id).await?.into_iter().map(|t| t.kpi_id).collect();
    // The year's result needs each KPI's final period (31/12), a value or a non valutabile.
    let year_end = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    let with_value: HashSet<KpiId> =
        plan::approved_values(&mut tx, &ente.id, &cycle.id).await?.into_iter().filter(|v| v.period_end >= year_end).map(|v| v.kpi_id).collect();
    let mut kpis_of: HashMap<&str, Vec<&plan::Kpi>> = HashMap::new();
    for k in &kpis {
        kpis_of.entry(k.objective_id.as_str()).or_default().push(k);
    }
    let chosen: Vec<&plan::Objective> = if codes.is_empty() {
        objectives.iter().collect()
    } else {
        let mut list = Vec::new();
        for c in codes {
            list.push(
                objectives.iter().find(|o| &o.code == c).ok_or_else(|| AppError::NotFound(said!("obiettivo {c} inesistente nel ciclo {year}", c, year)))?,
            );
        }
        list
    };
    let scope = Scope::of(&mut tx, actor, ente, &cycle.id).await?;
    let mut reasons = Vec::new();
    for o in &chosen {
        let from = o.state;
        if from == to {
            continue;
        }
        if let Some(why) = refusal(from, to, actor.roles(), act.is_some()) {
            reasons.push(said!("obiettivo {code}: {why}", code = o.code, why => why));
            continue;
        }
        if let Some(why) = scope.refusal(from, to, o) {
            reasons.push(said!("obiettivo {code}: {why}", code = o.code, why => why));
            continue;
        }
        let own = kpis_of.get(o.id.as_str()).map(Vec::as_slice).unwrap_or_default();
        // Proposing or approving a plan needs a target and a positive weight for every KPI.
        if matches!(to, State::Proposto | State::Approvato) {
            if o.weight <= rust_decimal::Decimal::ZERO {
                reasons.push(said!("obiettivo {code}: peso non positivo ({weight})", code = o.code, weight = o.weight));
            }
            for k in own {
                if k.formula.is_none() && !with_target.contains(&k.id) {
                    reasons.push(said!("obiettivo {code}: KPI {kpi} senza target", code = o.code, kpi = k.code));
                }
                if k.weight <= rust_decimal::Decimal::ZERO {
                    reasons.push(said!("obiettivo {code}: KPI {kpi} con peso non positivo ({weight})", code = o.code, kpi = k.code, weight = k.weight));
                }
            }
        }
        // The year's result needs a value for every KPI (or the objective declared non valutabile).
        if to == State::Consuntivato && o.not_assessable.is_none() {
            for k in own {
                if k.formula.is_none() && !with_value.contains(&k.id) {
                    reasons.push(said!(
                        "obiettivo {code}: KPI {kpi} senza il valore approvato del periodo finale (31/12/{year}) né un «non valutabile»",
                        code = o.code,
                        kpi = k.code,
                        year
                    ));
                }
            }
        }
    }
    // The Piano is approved by the right act: a Giunta deliberation (a DG's determination for
    // details of I-level objectives only), of the year or the year before, executive.
    if to == State::Approvato
        && let Some(a) = &registered
    {
        let details_only = chosen.iter().filter(|o| o.state != to).all(|o| o.parent_id.is_some());
        let facts = act::ActFacts { code: &a.code, organ: &a.organ, adopted_on: a.adopted_on, executive_on: a.executive_on };
        if let Some(why) = act::unfit(act::Purpose::ApprovePlan { details_only }, facts, year, chrono::Utc::now().date_naive()) {
            reasons.push(why);
        }
    }
    if !reasons.is_empty() {
        return Err(AppError::Refused(said!("nessun obiettivo è passato a «{state}»:{reasons}", state => to.said(), reasons => reasons)));
    }
    let mut moved = Moved { to: to.code().into(), objectives: Vec::new() };
    for o in chosen {
        if o.state == to {
            continue;
        }
        let before = json!({ "stato": o.state });
        let after = json!({ "stato": to.code(), "atto": act, "nota": note });
        let updated = plan::Objective { state: to, ..o.clone() };
        plan::save_objective(&mut tx, &ente.id, &updated).await?;
        audit::record_in_cycle(
            &mut tx,
            actor,
            &ente.id,
            &cycle.id,
            Change { action: "stato obiettivo", entity: "obiettivo", entity_id: Some(&o.id), before: Some(&before), after: Some(&after) },
        )
        .await?;
        // A step back (returned by the NIV or the planner) goes back to the objective's owner.
        if to < o.state {
            let what = format!("l'obiettivo {}", o.code);
            crate::plan::monitoring::notify_return(&mut tx, actor, ente, &cycle.id, o.unit_id.as_deref(), &o.code, &what, note).await?;
        }
        moved.objectives.push(o.code.clone());
    }
    tx.commit().await?;
    Ok(moved)
}

/// Where an actor whose step rests on a unit-scoped role (direttore, dirigente, PO/EQ) may take
/// it: the objectives owned by the units of a role that may take that step, and the units below
/// them. Roles that are not scoped (pianificatore, NIV, segretario…) move objectives anywhere.
struct Scope {
    /// The actor's roles that move objectives anywhere in the ente; `None` for the console.
    wide: Option<Vec<AccountRole>>,
    /// Each role that moves objectives on its own units, with those units.
    scoped: Vec<(AccountRole, UnitScope)>,
}

impl Scope {
    async fn of(conn: &mut traguardi_store::Conn, actor: &Actor, ente: &Ente, cycle_id: &traguardi_domain::cycle::CycleId) -> Result<Scope, AppError> {
        let wide = actor.roles().map(|r| r.iter().copied().filter(|x| reach(*x, Right::MoveObjectives) == Reach::Ente).collect::<Vec<_>>());
        let mut scoped = Vec::new();
        for role in actor.roles_on_units(Right::MoveObjectives) {
            scoped.push((role, UnitScope::of_roles(conn, actor, ente, cycle_id, &[role]).await?));
        }
        Ok(Scope { wide, scoped })
    }

    fn refusal(&self, from: State, to: State, o: &plan::Objective) -> Option<Said> {
        // Allowed by a role that is not scoped (or the console): anywhere. Otherwise the step
        // rests on a scoped role that may take it, and the objective must be within its units.
        let _only_scoped = refusal(from, to, self.wide.as_deref(), true)?;
        let able: Vec<&UnitScope> =
            self.scoped.iter().filter(|(role, _)| refusal(from, to, Some(std::slice::from_ref(role)), true).is_none()).map(|(_, units)| units).collect();
        if able.iter().any(|units| units.contains(o.unit_id.as_deref())) {
            return None;
        }
        let names: Vec<&str> = able.iter().flat_map(|u| u.names.iter().map(String::as_str)).collect();
        Some(if names.is_empty() {
            said!("il passaggio a «{state}» spetta a chi ha un ruolo su questa struttura", state => to.said())
        } else {
            said!("fuori dalle strutture di competenza ({units} e quelle sotto)", units = names.join(", "))
        })
    }
}

/// The acts cited when objectives of the cycle were approved, each once, in the order first
/// cited: the Giunta's deliberation and the determinations of the details.
pub async fn approving_acts(
    conn: &mut traguardi_store::Conn,
    ente: &traguardi_store::EnteId,
    cycle_id: &traguardi_domain::cycle::CycleId,
) -> Result<Vec<String>, AppError> {
    let mut acts: Vec<String> = Vec::new();
    for after in traguardi_store::audit::afters_in_cycle(conn, ente, cycle_id, "stato obiettivo").await? {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&after) else { continue };
        if v["stato"] == State::Approvato.code()
            && let Some(a) = v["atto"].as_str()
            && !acts.iter().any(|x| x == a)
        {
            acts.push(a.to_string());
        }
    }
    Ok(acts)
}
