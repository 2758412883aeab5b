//! The scoring engine: from the plan and its approved measurements to the score of every KPI,
//! objective, unit, Direzione, dimension and the ente, each with its explanation (SPEC §3).
//! Pure: it works on data already loaded, so a full recompute is one pass in memory.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::ids::{KpiId, ObjectiveId, UnitId};
use crate::org::OrgUnit;
use crate::org::UnitKind;
use crate::plan::formula::{self, Expr, When};
use crate::plan::kpi::Value;
use crate::plan::records::{ApprovedValue, Dimension, Kpi, Objective, Target};
use crate::plan::rollup::{Part, overridden, weighted_mean};
use crate::plan::rules::ScoringRules;
use crate::plan::score::{Explanation, KpiSpec, Outcome, Scored, score_kpi, year_value};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

/// Everything the engine reads.
pub struct PlanData<'a> {
    pub year: i32,
    pub units: &'a [OrgUnit],
    pub dimensions: &'a [Dimension],
    pub objectives: &'a [Objective],
    pub kpis: &'a [Kpi],
    pub targets: &'a [Target],
    /// Approved versions only.
    pub values: &'a [ApprovedValue],
    /// The KPIs and approved values of the previous year's cycle, for `anno_prec(K)` (matched
    /// by KPI code and by the same period end a year before).
    pub previous_year: Option<(&'a [Kpi], &'a [ApprovedValue])>,
}

/// A cycle's plan with its scores: what the indices and the premi read.
#[derive(Debug, Clone, Copy)]
pub struct ScoredPlan<'a> {
    /// The ente's name, for the ROE's line.
    pub ente_name: &'a str,
    pub year: i32,
    pub units: &'a [OrgUnit],
    pub dimensions: &'a [Dimension],
    pub objectives: &'a [Objective],
    pub rules: &'a ScoringRules,
    pub board: &'a Scoreboard,
}

#[derive(Debug, Clone, Serialize)]
pub struct KpiResult {
    /// The approved value of each period, in order (`None` when neutralised).
    pub periods: Vec<(NaiveDate, Option<Value>)>,
    pub year_value: Option<Value>,
    pub target: Option<Value>,
    pub scored: Scored,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Scoreboard {
    pub kpis: HashMap<KpiId, KpiResult>,
    pub objectives: HashMap<ObjectiveId, Scored>,
    pub units: HashMap<UnitId, Scored>,
    pub dimensions: HashMap<String, Scored>,
    /// Each ambito: its top-level objectives, as a dimension is scored.
    pub ambiti: HashMap<String, Scored>,
    pub ente: Option<Scored>,
}

pub fn compute(data: &PlanData<'_>, rules: &ScoringRules) -> Scoreboard {
    let mut board = Scoreboard::default();
    score_kpis(data, &mut board);
    score_objectives(data, rules, &mut board);
    score_units(data, rules, &mut board);
    for d in data.dimensions {
        let parts: Vec<Part<'_>> = data
            .objectives
            .iter()
            .filter(|o| o.dimension_id == d.id && o.parent_id.is_none())
            .filter_map(|o| board.objectives.get(&o.id).map(|s| Part { code: &o.code, weight: o.weight, outcome: &s.outcome }))
            .collect();
        if !parts.is_empty() {
            let s = weighted_mean(&parts, rules.cap);
            board.dimensions.insert(d.id.clone(), s);
        }
    }
    let mut by_ambito: HashMap<&str, Vec<Part<'_>>> = HashMap::new();
    for o in data.objectives.iter().filter(|o| o.parent_id.is_none()) {
        if let (Some(a), Some(s)) = (o.ambito_id.as_deref(), board.objectives.get(&o.id)) {
            by_ambito.entry(a).or_default().push(Part { code: &o.code, weight: o.weight, outcome: &s.outcome });
        }
    }
    let ambiti: HashMap<String, Scored> = by_ambito.into_iter().map(|(a, parts)| (a.to_string(), weighted_mean(&parts, rules.cap))).collect();
    board.ambiti = ambiti;
    board
}

/// The latest approved version of each period, per KPI id.
fn approved(values: &[ApprovedValue]) -> HashMap<&str, BTreeMap<NaiveDate, &ApprovedValue>> {
    let mut out: HashMap<&str, BTreeMap<NaiveDate, &ApprovedValue>> = HashMap::new();
    for m in values {
        let slot = out.entry(m.kpi_id.as_str()).or_default();
        match slot.get(&m.period_end) {
            Some(prev) if prev.version >= m.version => {}
            _ => {
                slot.insert(m.period_end, m);
            }
        }
    }
    out
}

fn score_kpis(data: &PlanData<'_>, board: &mut Scoreboard) {
    let by_kpi = approved(data.values);
    let mut targets: HashMap<&str, &Target> = HashMap::new();
    for t in data.targets.iter().filter(|t| t.year == data.year && t.period_end.is_none()) {
        targets.insert(t.kpi_id.as_str(), t);
    }
    // Last year's approved values, by KPI code and period end.
    let mut last_year: HashMap<(&str, NaiveDate), Decimal> = HashMap::new();
    if let Some((kpis, values)) = data.previous_year {
        let code_of: HashMap<&str, &Kpi> = kpis.iter().map(|k| (k.id.as_str(), k)).collect();
        for (kpi_id, by_period) in approved(values) {
            let Some(k) = code_of.get(kpi_id) else { continue };
            for (d, m) in by_period {
                if let Some(v) = m.value.as_deref().and_then(|v| Value::from_text(k.measure, v)).and_then(|v| v.number()) {
                    last_year.insert((k.code.as_str(), d), v);
                }
            }
        }
    }
    // Period values of measured KPIs, by code (formulas name KPIs by code).
    let mut periods: HashMap<String, Vec<(NaiveDate, Option<Value>)>> = HashMap::new();
    let mut neutralised: HashMap<&str, String> = HashMap::new();
    let mut formulas: BTreeMap<String, Expr> = BTreeMap::new();
    let mut formula_errors: HashMap<String, String> = HashMap::new();
    for k in data.kpis {
        if let Some(f) = &k.formula {
            match formula::parse(f) {
                Ok(e) => {
                    formulas.insert(k.code.clone(), e);
                }
                Err(e) => {
                    formula_errors.insert(k.code.clone(), format!("formula {e}"));
                }
            }
            continue;
        }
        let ps: Vec<(NaiveDate, Option<Value>)> = by_kpi
            .get(k.id.as_str())
            .map(|by_period| {
                by_period
                    .iter()
                    .map(|(d, m)| (*d, if m.not_assessable { None } else { m.value.as_deref().and_then(|v| Value::from_text(k.measure, v)) }))
                    .collect()
            })
            .unwrap_or_default();
        if let Some((_, m)) = by_kpi.get(k.id.as_str()).and_then(|p| p.iter().next_back())
            && m.not_assessable
        {
            neutralised.insert(&k.code, m.note.clone());
        }
        periods.insert(k.code.clone(), ps);
    }
    // Computed KPIs, each after those it reads; a cycle leaves all its members unscored.
    match formula::evaluation_order(&formulas) {
        Ok(order) => {
            for code in order {
                let expr = &formulas[&code];
                let mut dates: Vec<NaiveDate> = expr
                    .refs()
                    .iter()
                    .filter(|(_, w)| *w == When::Current)
                    .flat_map(|(c, _)| periods.get(c).map(|p| p.iter().map(|(d, _)| *d).collect::<Vec<_>>()).unwrap_or_default())
                    .collect::<HashSet<_>>()
                    .into_iter()
                    .collect();
                dates.sort();
                let mut values = Vec::new();
                for d in dates {
                    let lookup = |c: &str, when: When| -> Option<Decimal> {
                        let ps = periods.get(c)?;
                        let idx = ps.iter().position(|(pd, _)| *pd == d);
                        let v = match when {
                            When::Current => idx.and_then(|i| ps[i].1.as_ref()),
                            When::PreviousPeriod => ps.iter().rev().find(|(pd, _)| *pd < d).and_then(|(_, v)| v.as_ref()),
                            When::PreviousYear => return a_year_before(d).and_then(|p| last_year.get(&(c, p)).copied()),
                        };
                        v.and_then(Value::number)
                    };
                    values.push((d, expr.eval(&lookup).ok().map(Value::Number)));
                }
                periods.insert(code, values);
            }
        }
        Err(ring) => {
            let msg = format!("formule circolari: {}", ring.join(" → "));
            for c in &ring {
                formula_errors.entry(c.clone()).or_insert_with(|| msg.clone());
            }
        }
    }
    for k in data.kpis {
        let ps = periods.remove(&k.code).unwrap_or_default();
        let target = targets.get(k.id.as_str()).and_then(|t| Value::from_text(k.measure, &t.value));
        let year_end = NaiveDate::from_ymd_opt(data.year, 12, 31).unwrap_or_default();
        let (year_value, arithmetic) = match year_value(k.aggregation, &ps, year_end) {
            Ok(v) => (v, None),
            Err(e) => (None, Some(e)),
        };
        let scored = if let Some(err) = formula_errors.get(&k.code) {
            not_assessable(err, "formula")
        } else if let Some(note) = neutralised.get(k.code.as_str()) {
            not_assessable(note, "non_valutabile")
        } else if let Some(err) = arithmetic {
            not_assessable(&err, "aritmetica")
        } else {
            score_kpi(&KpiSpec { measure: k.measure, direction: k.direction, target: target.as_ref(), rule: &k.rule }, year_value.as_ref())
        };
        board.kpis.insert(k.id.clone(), KpiResult { periods: ps, year_value, target, scored });
    }
}

/// The same day a year before (29 February becomes 28 February).
fn a_year_before(d: NaiveDate) -> Option<NaiveDate> {
    d.with_year(d.year() - 1).or_else(|| d.pred_opt().and_then(|p| p.with_year(p.year() - 1)))
}

fn not_assessable(reason: &str, rule: &str) -> Scored {
    Scored {
        outcome: Outcome::NotAssessable(reason.to_string()),
        explanation: Explanation {
            rule: rule.into(),
            inputs: vec![("motivazione".into(), reason.into())],
            text: format!("Non valutabile: {reason}."),
            en: format!("Not assessable: {reason}."),
        },
    }
}

fn score_objectives(data: &PlanData<'_>, rules: &ScoringRules, board: &mut Scoreboard) {
    let mut children: HashMap<&str, Vec<&Objective>> = HashMap::new();
    for o in data.objectives {
        if let Some(p) = &o.parent_id {
            children.entry(p.as_str()).or_default().push(o);
        }
    }
    let mut kpis_of: HashMap<&str, Vec<&Kpi>> = HashMap::new();
    for k in data.kpis {
        kpis_of.entry(k.objective_id.as_str()).or_default().push(k);
    }
    // Post-order over the forest, iteratively (trees of any depth).
    let roots = data.objectives.iter().filter(|o| o.parent_id.is_none());
    for root in roots {
        let mut stack = vec![(root, false)];
        while let Some((o, expanded)) = stack.pop() {
            let kids = children.get(o.id.as_str()).map(Vec::as_slice).unwrap_or_default();
            if !expanded {
                stack.push((o, true));
                stack.extend(kids.iter().map(|c| (*c, false)));
                continue;
            }
            let mut parts: Vec<Part<'_>> = Vec::new();
            for k in kpis_of.get(o.id.as_str()).map(Vec::as_slice).unwrap_or_default() {
                if let Some(r) = board.kpis.get(&k.id) {
                    parts.push(Part { code: &k.code, weight: k.weight, outcome: &r.scored.outcome });
                }
            }
            for c in kids {
                if let Some(s) = board.objectives.get(&c.id) {
                    parts.push(Part { code: &c.code, weight: c.weight, outcome: &s.outcome });
                }
            }
            let computed = weighted_mean(&parts, rules.cap);
            let scored = match (&o.not_assessable, o.override_score, &o.override_reason) {
                (Some(reason), _, _) => not_assessable(reason, "non_valutabile"),
                (None, Some(v), Some(reason)) => overridden(&computed, v, reason),
                _ => computed,
            };
            board.objectives.insert(o.id.clone(), scored);
        }
    }
}

/// The parts of a weighted mean: each objective with its score.
fn parts_of<'b>(objectives: &[&'b Objective], scores: &'b HashMap<ObjectiveId, Scored>) -> Vec<Part<'b>> {
    objectives.iter().filter_map(|o| scores.get(&o.id).map(|s| Part { code: &o.code, weight: o.weight, outcome: &s.outcome })).collect()
}

fn score_units<'a>(data: &PlanData<'a>, rules: &ScoringRules, board: &mut Scoreboard) {
    let mut own: HashMap<&str, Vec<&Objective>> = HashMap::new();
    for o in data.objectives {
        if let Some(u) = &o.unit_id {
            own.entry(u.as_str()).or_default().push(o);
        }
    }
    let mut children: HashMap<&str, Vec<&OrgUnit>> = HashMap::new();
    for u in data.units {
        if let Some(p) = &u.parent_id {
            children.entry(p.as_str()).or_default().push(u);
        }
    }
    let subtree = |u: &OrgUnit| -> Vec<&Objective> {
        let mut out = Vec::new();
        let mut stack = vec![u];
        while let Some(x) = stack.pop() {
            out.extend(own.get(x.id.as_str()).map(Vec::as_slice).unwrap_or_default().iter().copied());
            stack.extend(children.get(x.id.as_str()).map(Vec::as_slice).unwrap_or_default().iter().copied());
        }
        out
    };
    // Each objective counts once. An objective's ancestors (the template a `plan assign` copy
    // came from, the I-level objective a detail belongs to) already hold its score, so where an
    // ancestor is counted the objective is not counted again.
    let parent: HashMap<&str, &str> = data.objectives.iter().filter_map(|o| o.parent_id.as_deref().map(|p| (o.id.as_str(), p))).collect();
    let has_ancestor_in = |o: &Objective, counted: &HashSet<&str>| {
        let mut at = o.id.as_str();
        // At most as many steps as objectives: a damaged tree with a loop cannot hang us.
        for _ in 0..=parent.len() {
            match parent.get(at) {
                Some(p) if counted.contains(p) => return true,
                Some(p) => at = p,
                None => return false,
            }
        }
        false
    };
    let counted_once =
        |set: Vec<&'a Objective>, counted: &HashSet<&str>| -> Vec<&'a Objective> { set.into_iter().filter(|o| !has_ancestor_in(o, counted)).collect() };
    let scores = &board.objectives;
    let mut sets: HashMap<&str, Vec<&Objective>> = HashMap::new();
    let mut scored: Vec<(UnitId, Scored)> = Vec::new();
    for u in data.units {
        let objectives =
            if u.kind == UnitKind::Direzione && rules.direzione_includes_units { subtree(u) } else { own.get(u.id.as_str()).cloned().unwrap_or_default() };
        let ids: HashSet<&str> = objectives.iter().map(|o| o.id.as_str()).collect();
        let objectives = counted_once(objectives, &ids);
        let parts = parts_of(&objectives, scores);
        if !parts.is_empty() {
            scored.push((u.id.clone(), weighted_mean(&parts, rules.cap)));
        }
        sets.insert(u.id.as_str(), objectives);
    }
    // The ente: the top-level units (the Direzioni), each counting once, and each objective in
    // one of them only: a copy whose template is counted under another Direzione rolls up there.
    let tops: Vec<&OrgUnit> = data.units.iter().filter(|u| u.parent_id.is_none()).collect();
    let everywhere: HashSet<&str> = tops.iter().flat_map(|u| sets.get(u.id.as_str()).into_iter().flatten().map(|o| o.id.as_str())).collect();
    let mut top_scores: Vec<(&str, Scored)> = Vec::new();
    for u in &tops {
        let set = counted_once(sets.get(u.id.as_str()).cloned().unwrap_or_default(), &everywhere);
        let parts = parts_of(&set, scores);
        if !parts.is_empty() {
            top_scores.push((&u.code, weighted_mean(&parts, rules.cap)));
        }
    }
    let top: Vec<Part<'_>> = top_scores.iter().map(|(code, s)| Part { code, weight: Decimal::ONE, outcome: &s.outcome }).collect();
    if !top.is_empty() {
        let ente = weighted_mean(&top, rules.cap);
        board.ente = Some(ente);
    }
    board.units.extend(scored);
}
