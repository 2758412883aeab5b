//! Milan's synthetic indices of organisational result (SPEC §4, seed 003): ROS of each unit
//! (Settore), ROD of each Direzione, ROE of the ente. Defaults: ROS = weighted mean of the
//! unit's own objectives; ROD = weighted mean of the Direzione's I-level objectives of the
//! dimension `direzione`; ROE = weighted mean of the Obiettivi Solidali. Which dimensions enter
//! each index is in the rules of the premi. A unit without objectives of its own takes the
//! ROS of the nearest unit above it that has some (and says so).

use std::collections::HashMap;

use crate::ids::UnitId;
use crate::org::OrgUnit;
use crate::pay::rules::PayRules;
use crate::plan::records::Objective;
use crate::plan::rollup::{Part, weighted_mean};
use crate::plan::score::Scored;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::org::enclosing_direzione;
use crate::plan::engine::ScoredPlan;

#[derive(Debug, Clone, Serialize)]
pub struct Index {
    /// ROS | ROD | ROE
    pub kind: &'static str,
    /// The unit it belongs to (empty for ROE).
    pub unit_code: String,
    pub unit_name: String,
    pub scored: Scored,
}

impl Index {
    pub fn value(&self) -> Option<Decimal> {
        self.scored.outcome.score()
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Indices {
    pub roe: Option<Index>,
    /// By Direzione id.
    pub rod: HashMap<UnitId, Index>,
    /// By unit id, for units that have objectives of their own.
    pub ros: HashMap<UnitId, Index>,
}

impl Indices {
    pub fn compute(s: &ScoredPlan<'_>, rules: &PayRules) -> Indices {
        let dim_ids = |codes: &[String]| -> Option<Vec<&str>> {
            (!codes.is_empty()).then(|| s.dimensions.iter().filter(|d| codes.contains(&d.code)).map(|d| d.id.as_str()).collect())
        };
        let (ros_dims, rod_dims, roe_dims) = (dim_ids(&rules.ros_dimensions), dim_ids(&rules.rod_dimensions), dim_ids(&rules.roe_dimensions));
        let within = |o: &Objective, dims: &Option<Vec<&str>>| dims.as_ref().is_none_or(|d| d.contains(&o.dimension_id.as_str()));
        let mean = |objs: Vec<&Objective>| -> Option<Scored> {
            let parts: Vec<Part<'_>> =
                objs.iter().filter_map(|o| s.board.objectives.get(&o.id).map(|sc| Part { code: &o.code, weight: o.weight, outcome: &sc.outcome })).collect();
            (!parts.is_empty()).then(|| weighted_mean(&parts, s.rules.cap))
        };
        let mut out = Indices {
            roe: mean(s.objectives.iter().filter(|o| o.parent_id.is_none() && within(o, &roe_dims)).collect()).map(|scored| Index {
                kind: "ROE",
                unit_code: String::new(),
                unit_name: s.ente_name.to_string(),
                scored,
            }),
            ..Indices::default()
        };
        let mut by_unit: HashMap<&str, Vec<&Objective>> = HashMap::new();
        for o in s.objectives {
            if let Some(u) = &o.unit_id {
                by_unit.entry(u.as_str()).or_default().push(o);
            }
        }
        for u in s.units {
            let own = by_unit.get(u.id.as_str()).map(Vec::as_slice).unwrap_or_default();
            if let Some(scored) = mean(own.iter().copied().filter(|o| within(o, &ros_dims)).collect()) {
                out.ros.insert(u.id.clone(), Index { kind: "ROS", unit_code: u.code.clone(), unit_name: u.name.clone(), scored });
            }
            if enclosing_direzione(s.units, u).id == u.id
                && let Some(scored) = mean(own.iter().copied().filter(|o| o.parent_id.is_none() && within(o, &rod_dims)).collect())
            {
                out.rod.insert(u.id.clone(), Index { kind: "ROD", unit_code: u.code.clone(), unit_name: u.name.clone(), scored });
            }
        }
        out
    }

    /// For every unit, the indices that apply to it: its own ROS or that of the nearest unit
    /// above with one, the ROD of its Direzione, and the Direzione's code. Built once, so that
    /// each person's lookup is a map access.
    pub fn by_unit<'a>(&'a self, units: &'a [OrgUnit]) -> HashMap<&'a str, UnitIndices<'a>> {
        let by_id: HashMap<&str, &OrgUnit> = units.iter().map(|u| (u.id.as_str(), u)).collect();
        let mut out = HashMap::with_capacity(units.len());
        for u in units {
            let mut ros = None;
            let mut direzione = u;
            let mut at = Some(u);
            while let Some(x) = at {
                if ros.is_none() {
                    ros = self.ros.get(&x.id);
                }
                if x.kind == crate::org::UnitKind::Direzione && direzione.kind != crate::org::UnitKind::Direzione {
                    direzione = x;
                }
                at = x.parent_id.as_deref().and_then(|p| by_id.get(p).copied());
            }
            out.insert(u.id.as_str(), UnitIndices { ros, rod: self.rod.get(&direzione.id), direzione: direzione.code.as_str() });
        }
        out
    }
}

/// The indices that apply to one unit.
#[derive(Debug, Clone, Copy)]
pub struct UnitIndices<'a> {
    pub ros: Option<&'a Index>,
    pub rod: Option<&'a Index>,
    pub direzione: &'a str,
}
