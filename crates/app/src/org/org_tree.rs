//! The org tree of a cycle as people read it: units in tree order with depth, responsible
//! person and staff count.

use std::collections::{HashMap, HashSet};
use traguardi_domain::ids::{PersonId, UnitId};
use traguardi_domain::said;

use serde::Serialize;
use traguardi_store::cycle::Cycle;
use traguardi_store::ente::Ente;
use traguardi_store::org::OrgUnit;
use traguardi_store::{Store, cycle, org, people};

use crate::accounts::access::Right;
use crate::{Actor, AppError, cycle::cycles, org::enti};

#[derive(Debug, Clone, Serialize)]
pub struct TreeNode {
    pub unit: OrgUnit,
    pub depth: usize,
    pub responsible: Option<String>,
    pub staff: usize,
    pub children: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrgTree {
    pub ente: Ente,
    pub cycle: Cycle,
    /// Every year of the ente, most recent first.
    pub years: Vec<i32>,
    /// Depth-first, siblings in the order they were given.
    pub nodes: Vec<TreeNode>,
}

/// The tree of `year` (the latest cycle when `None`) of the ente `code` (the only one when `None`).
pub async fn org_tree(store: &Store, actor: &Actor, code: Option<&str>, year: Option<i32>) -> Result<OrgTree, AppError> {
    actor.require(Right::ReadOrg, said!("leggere la struttura organizzativa"))?;
    let mut conn = store.pool.acquire().await?;
    let ente = enti::resolve(&mut conn, code).await?;
    let all = cycle::list(&mut conn, &ente.id).await?;
    let cycle = match year {
        Some(y) => cycles::get(&mut conn, &ente, y).await?,
        None => all.first().cloned().ok_or(AppError::Refused(said!("l'ente non ha ancora cicli")))?,
    };
    let units = org::of_cycle(&mut conn, &ente.id, &cycle.id).await?;
    let persons: HashMap<PersonId, String> = people::persons(&mut conn, &ente.id).await?.into_iter().map(|p| (p.id.clone(), p.display_name())).collect();
    let mut staff: HashMap<UnitId, usize> = HashMap::new();
    for a in people::assignments_of_cycle(&mut conn, &ente.id, &cycle.id).await? {
        *staff.entry(a.unit_id).or_default() += 1;
    }
    let nodes = depth_first(units, &persons, &staff);
    Ok(OrgTree { ente, years: all.iter().map(Cycle::year).collect(), cycle, nodes })
}

fn depth_first(units: Vec<OrgUnit>, persons: &HashMap<PersonId, String>, staff: &HashMap<UnitId, usize>) -> Vec<TreeNode> {
    let mut children: HashMap<Option<UnitId>, Vec<OrgUnit>> = HashMap::new();
    for u in units {
        children.entry(u.parent_id.clone()).or_default().push(u);
    }
    let mut out = Vec::new();
    let mut stack: Vec<(OrgUnit, usize)> = children.remove(&None).unwrap_or_default().into_iter().rev().map(|u| (u, 0)).collect();
    while let Some((unit, depth)) = stack.pop() {
        let kids = children.remove(&Some(unit.id.clone())).unwrap_or_default();
        let node = TreeNode {
            responsible: unit.responsible_id.as_ref().and_then(|id| persons.get(id).cloned()),
            staff: staff.get(&unit.id).copied().unwrap_or(0),
            children: kids.len(),
            depth,
            unit,
        };
        out.push(node);
        stack.extend(kids.into_iter().rev().map(|u| (u, depth + 1)));
    }
    out
}

/// The units at and below `root` (by id), in the order of `units`.
pub fn subtree<'a>(units: &'a [OrgUnit], root: &OrgUnit) -> Vec<&'a OrgUnit> {
    let mut ids: HashSet<&str> = HashSet::from([root.id.as_str()]);
    let mut grown = true;
    while grown {
        grown = false;
        for u in units {
            if u.parent_id.as_deref().is_some_and(|p| ids.contains(p)) && ids.insert(u.id.as_str()) {
                grown = true;
            }
        }
    }
    units.iter().filter(|u| ids.contains(u.id.as_str())).collect()
}
