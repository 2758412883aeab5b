//! Where an account's unit-scoped roles (direttore, dirigente, PO/EQ) act: the units each role
//! was granted on, by lineage, and every unit below them, in one cycle. A power is asked with
//! the roles that carry it, so a person who is direttore of one Direzione and PO/EQ in another
//! has the direttore's powers in the first only.

use std::collections::{HashMap, HashSet};

use traguardi_domain::ids::UnitId;
use traguardi_store::ente::Ente;
use traguardi_store::{Conn, org, plan};

use crate::accounts::access::{AccountRole, Right};
use crate::org::org_tree::subtree;
use crate::{Actor, AppError};

#[derive(Debug, Clone, Default)]
pub struct UnitScope {
    /// Unit ids within the scope.
    pub units: HashSet<UnitId>,
    /// The codes of the units granted, to name the scope.
    pub names: Vec<String>,
}

impl UnitScope {
    /// Where the actor exercises `right` by the roles that give it on their own units only, in
    /// a cycle (empty for the console and the public: the console is not limited by it, the
    /// public has none).
    pub async fn of(conn: &mut Conn, actor: &Actor, ente: &Ente, cycle_id: &traguardi_domain::cycle::CycleId, right: Right) -> Result<UnitScope, AppError> {
        UnitScope::of_roles(conn, actor, ente, cycle_id, &actor.roles_on_units(right)).await
    }

    /// Where the actor's `roles` act in a cycle.
    pub async fn of_roles(
        conn: &mut Conn,
        actor: &Actor,
        ente: &Ente,
        cycle_id: &traguardi_domain::cycle::CycleId,
        roles: &[AccountRole],
    ) -> Result<UnitScope, AppError> {
        let mut scope = UnitScope::default();
        if let Some(lineages) = actor.units_of(roles).filter(|l| !l.is_empty()) {
            let all = org::of_cycle(conn, &ente.id, cycle_id).await?;
            for root in all.iter().filter(|u| lineages.contains(&u.lineage_id.as_str())) {
                scope.names.push(root.code.clone());
                scope.units.extend(subtree(&all, root).into_iter().map(|u| u.id.clone()));
            }
        }
        Ok(scope)
    }

    pub fn contains(&self, unit_id: Option<&str>) -> bool {
        unit_id.is_some_and(|u| self.units.contains(u))
    }

    /// How a refusal names the scope.
    pub fn describe(&self) -> traguardi_domain::said::Said {
        if self.names.is_empty() {
            traguardi_domain::said!("nessuna struttura di competenza")
        } else {
            traguardi_domain::said!("strutture di competenza: {units} e quelle sotto", units = self.names.join(", "))
        }
    }
}

/// The unit that measures a KPI: its own owner, else its objective's unit.
pub fn unit_of_kpi<'a>(kpi: &'a plan::Kpi, objectives: &'a [plan::Objective]) -> Option<&'a str> {
    kpi.owner_unit_id.as_deref().or_else(|| objectives.iter().find(|o| o.id == kpi.objective_id).and_then(|o| o.unit_id.as_deref()))
}

/// Where every KPI of a cycle belongs: its objective and the unit that measures it, looked up
/// by id, for the lists that ask it of every value (a scan of the objectives for each value
/// would be quadratic on a large ente).
pub struct KpiHomes<'a> {
    objectives: HashMap<&'a str, &'a plan::Objective>,
    unit_codes: HashMap<&'a str, &'a str>,
}

impl<'a> KpiHomes<'a> {
    pub fn new(objectives: &'a [plan::Objective], units: &'a [org::OrgUnit]) -> KpiHomes<'a> {
        KpiHomes {
            objectives: objectives.iter().map(|o| (o.id.as_str(), o)).collect(),
            unit_codes: units.iter().map(|u| (u.id.as_str(), u.code.as_str())).collect(),
        }
    }

    pub fn objective(&self, kpi: &plan::Kpi) -> Option<&'a plan::Objective> {
        self.objectives.get(kpi.objective_id.as_str()).copied()
    }

    /// The id of the unit that measures the KPI: its own, or its objective's.
    pub fn unit(&self, kpi: &'a plan::Kpi) -> Option<&'a str> {
        kpi.owner_unit_id.as_deref().or_else(|| self.objective(kpi).and_then(|o| o.unit_id.as_deref()))
    }

    /// That unit's code.
    pub fn unit_code(&self, kpi: &'a plan::Kpi) -> Option<String> {
        self.unit(kpi).and_then(|u| self.unit_codes.get(u)).map(|c| c.to_string())
    }
}
