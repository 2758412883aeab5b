//! Changes to a plan beyond imports: bulk assignment of objectives to many units or people (the
//! II-level cascade), and the override or neutralisation of an objective's score.

use std::collections::HashMap;
use traguardi_domain::ids::{PersonId, UnitId};
use traguardi_domain::plan::workflow::State;
use traguardi_domain::said;

use rust_decimal::Decimal;
use serde::Serialize;
use traguardi_domain::plan::formula;
use traguardi_domain::{Problem, ProblemKind, Problems};
use traguardi_store::ente::Ente;
use traguardi_store::plan::{self, Kpi, Objective, Target};
use traguardi_store::{Store, new_id, org, people};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::plan::import_plan::Counts;
use crate::{Actor, AppError, cycle::cycles};

/// Who receives the objectives of a bulk assignment.
#[derive(Debug, Clone)]
pub enum Assignees {
    /// Unit codes.
    Units(Vec<String>),
    /// Every unit below this unit code (not the unit itself).
    UnitsUnder(String),
    /// Matricole: each copy goes to the person, in the unit of their assignment.
    People(Vec<String>),
}

/// Applies each template objective (with its KPIs and targets) to every assignee in one
/// transaction: the copies are children of the template (II livello), coded `TEMPLATE@ASSIGNEE`,
/// with KPIs coded `KPI@ASSIGNEE`. Existing copies are left as they are, so running it twice
/// changes nothing.
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn assign(store: &Store, actor: &Actor, ente: &Ente, year: i32, templates: &[String], to: &Assignees) -> Result<Counts, AppError> {
    actor.require(Right::Administer, said!("assegnare obiettivi"))?;
    let mut tx = store.begin().await?;
    let cycle = cycles::get(&mut tx, ente, year).await?;
    crate::cycle::close::ensure_open(&mut tx, ente, &cycle).await?;
    let units = org::of_cycle(&mut tx, &ente.id, &cycle.id).await?;
    let objectives = plan::objectives(&mut tx, &ente.id, &cycle.id).await?;
    let kpis = plan::kpis(&mut tx, &ente.id, &cycle.id).await?;
    let targets = plan::targets(&mut tx, &ente.id, &cycle.id).await?;
    let by_code: HashMap<&str, &Objective> = objectives.iter().map(|o| (o.code.as_str(), o)).collect();
    let unit_by_code: HashMap<&str, &traguardi_store::org::OrgUnit> = units.iter().map(|u| (u.code.as_str(), u)).collect();
    let mut problems = Problems::default();
    let templates: Vec<&Objective> = templates
        .iter()
        .filter_map(|t| {
            let o = by_code.get(t.as_str()).copied();
            if o.is_none() {
                problems.push(Problem {
                    row: None,
                    column: Some("--obiettivo".into()),
                    kind: ProblemKind::BadFormat { value: t.clone(), expected: traguardi_domain::said!("il codice di un obiettivo del ciclo {year}", year) },
                });
            }
            o
        })
        .collect();
    // (suffix, unit id, person id)
    let mut targets_of: Vec<(String, Option<UnitId>, Option<PersonId>)> = Vec::new();
    match to {
        Assignees::Units(codes) => {
            for c in codes {
                match unit_by_code.get(c.as_str()) {
                    Some(u) => targets_of.push((u.code.clone(), Some(u.id.clone()), None)),
                    None => problems.push(Problem { row: None, column: Some("--strutture".into()), kind: ProblemKind::UnknownUnit { value: c.clone() } }),
                }
            }
        }
        Assignees::UnitsUnder(code) => match unit_by_code.get(code.as_str()) {
            Some(root) => {
                for u in crate::org::org_tree::subtree(&units, root).into_iter().filter(|u| u.id != root.id) {
                    targets_of.push((u.code.clone(), Some(u.id.clone()), None));
                }
            }
            None => problems.push(Problem { row: None, column: Some("--strutture-di".into()), kind: ProblemKind::UnknownUnit { value: code.clone() } }),
        },
        Assignees::People(matricole) => {
            let assignments = people::assignments_of_cycle(&mut tx, &ente.id, &cycle.id).await?;
            for m in matricole {
                match people::person_by_matricola(&mut tx, &ente.id, m).await? {
                    Some(p) => {
                        let unit = assignments.iter().find(|a| a.person_id == p.id && !a.interim).map(|a| a.unit_id.clone());
                        targets_of.push((p.matricola.clone(), unit, Some(p.id.clone())));
                    }
                    None => problems.push(Problem { row: None, column: Some("--persone".into()), kind: ProblemKind::UnknownPerson { value: m.clone() } }),
                }
            }
        }
    }
    problems.into_result()?;

    let mut counts = Counts::default();
    let kpi_codes: std::collections::HashSet<&str> = kpis.iter().map(|k| k.code.as_str()).collect();
    for t in &templates {
        let t_kpis: Vec<&Kpi> = kpis.iter().filter(|k| k.objective_id == t.id).collect();
        for (suffix, unit_id, person_id) in &targets_of {
            let code = format!("{}@{suffix}", t.code);
            if by_code.contains_key(code.as_str()) {
                counts.unchanged += 1;
                continue;
            }
            let copy = Objective {
                id: new_id(),
                code: code.clone(),
                unit_id: unit_id.clone(),
                person_id: person_id.clone(),
                parent_id: Some(t.id.clone()),
                state: State::Bozza,
                override_score: None,
                override_reason: None,
                not_assessable: None,
                ..(*t).clone()
            };
            plan::save_objective(&mut tx, &ente.id, &copy).await?;
            audit::record_in_cycle(
                &mut tx,
                actor,
                &ente.id,
                &cycle.id,
                Change::<(), _> { action: "assegna", entity: "obiettivo", entity_id: Some(&copy.id), before: None, after: Some(&copy) },
            )
            .await?;
            let rename = |c: &str| t_kpis.iter().any(|k| k.code == c).then(|| format!("{c}@{suffix}"));
            for k in &t_kpis {
                let kcode = format!("{}@{suffix}", k.code);
                if kpi_codes.contains(kcode.as_str()) {
                    continue;
                }
                let formula = k.formula.as_deref().and_then(|f| formula::parse(f).ok()).map(|e| e.map_refs(&rename).to_string());
                let kc = Kpi { id: new_id(), objective_id: copy.id.clone(), code: kcode, owner_unit_id: unit_id.clone(), formula, ..(*k).clone() };
                plan::save_kpi(&mut tx, &ente.id, &kc).await?;
                let kt: Vec<Target> = targets.iter().filter(|x| x.kpi_id == k.id).map(|x| Target { kpi_id: kc.id.clone(), ..x.clone() }).collect();
                plan::replace_targets(&mut tx, &ente.id, &kc.id, &kt).await?;
            }
            counts.created.push(code);
        }
    }
    tx.commit().await?;
    Ok(counts)
}

/// A hand-made change to an objective's score.
#[derive(Debug, Clone, PartialEq)]
pub enum Adjustment {
    /// Replace the computed score (0–100, or the cycle's cap) with a reason.
    Override { value: Decimal, reason: String },
    /// Neutralise the objective: it drops out of roll-ups.
    NotAssessable { reason: String },
    /// Back to the computed score.
    Clear,
}

#[derive(Debug, Clone, Serialize)]
pub struct Adjusted {
    pub code: String,
    pub before: Objective,
    pub after: Objective,
}

#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn adjust(store: &Store, actor: &Actor, ente: &Ente, year: i32, code: &str, adj: Adjustment) -> Result<Adjusted, AppError> {
    actor.require(Right::Administer, said!("modificare il risultato di un obiettivo"))?;
    let field = |col: &str, kind| AppError::Invalid(Problem { row: None, column: Some(col.into()), kind }.into());
    let mut tx = store.begin().await?;
    let cycle = cycles::get(&mut tx, ente, year).await?;
    crate::cycle::close::ensure_open(&mut tx, ente, &cycle).await?;
    let objectives = plan::objectives(&mut tx, &ente.id, &cycle.id).await?;
    let before = objectives
        .into_iter()
        .find(|o| o.code == code)
        .ok_or_else(|| AppError::NotFound(said!("obiettivo {code} inesistente nel ciclo {year}", code, year)))?;
    let mut after = before.clone();
    if reason_of(&adj).is_some_and(|r| r.trim().is_empty()) {
        return Err(field("--motivazione", ProblemKind::Required));
    }
    match &adj {
        Adjustment::Override { value, reason } => {
            if *value < Decimal::ZERO || *value > Decimal::ONE_HUNDRED {
                return Err(field("--valore", ProblemKind::OutOfRange { value: value.to_string(), min: "0".into(), max: "100".into() }));
            }
            after.override_score = Some(*value);
            after.override_reason = Some(reason.trim().into());
            after.not_assessable = None;
        }
        Adjustment::NotAssessable { reason } => {
            after.not_assessable = Some(reason.trim().into());
            after.override_score = None;
            after.override_reason = None;
        }
        Adjustment::Clear => {
            after.not_assessable = None;
            after.override_score = None;
            after.override_reason = None;
        }
    }
    if after != before {
        plan::save_objective(&mut tx, &ente.id, &after).await?;
        audit::record_in_cycle(
            &mut tx,
            actor,
            &ente.id,
            &cycle.id,
            Change { action: "rettifica risultato", entity: "obiettivo", entity_id: Some(&after.id), before: Some(&before), after: Some(&after) },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Adjusted { code: code.into(), before, after })
}

/// The mandatory reason of an override or a neutralisation.
fn reason_of(a: &Adjustment) -> Option<&str> {
    match a {
        Adjustment::Override { reason, .. } | Adjustment::NotAssessable { reason } => Some(reason),
        Adjustment::Clear => None,
    }
}
