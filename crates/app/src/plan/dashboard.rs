//! The dashboard of a cycle: the ente's result, how many objectives are green, yellow or red,
//! the scores by dimension, Direzione and ambito, and the trend of the ente and its dimensions
//! over the cycles. Everything is read from the computed scores; nothing is scored here.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::Serialize;
use traguardi_domain::ente::Ente;
use traguardi_domain::org::UnitKind;
use traguardi_domain::plan::round::report;
use traguardi_domain::plan::score::{Outcome, Scored};

use crate::plan::scores::CycleScores;

/// One thing scored: its code, name, objectives, reported score (two decimals) and light.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    pub code: String,
    pub name: String,
    /// The dimension of an ambito; empty otherwise.
    pub group: String,
    pub objectives: usize,
    pub score: Option<Decimal>,
    /// verde | giallo | rosso, when scored.
    pub light: Option<&'static str>,
    /// valutato | non_valutabile | in_attesa
    pub status: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    pub year: i32,
    pub ente: Bar,
    /// Objectives (every level) by light, then not assessable and waiting for data.
    pub lights: Vec<(&'static str, usize)>,
    pub dimensions: Vec<Bar>,
    pub direzioni: Vec<Bar>,
    pub ambiti: Vec<Bar>,
}

/// The ente and each dimension, cycle after cycle (oldest first).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub years: Vec<i32>,
    /// (name, score of each year); the ente first.
    pub series: Vec<(String, Vec<Option<Decimal>>)>,
}

fn status(s: Option<&Scored>) -> &'static str {
    match s.map(|s| &s.outcome) {
        Some(Outcome::Score(_)) => "valutato",
        Some(Outcome::NotAssessable(_)) => "non_valutabile",
        _ => "in_attesa",
    }
}

pub fn build(data: &CycleScores) -> Dashboard {
    let bar = |code: &str, name: &str, group: &str, objectives: usize, s: Option<&Scored>| Bar {
        code: code.into(),
        name: name.into(),
        group: group.into(),
        objectives,
        score: s.and_then(|s| s.outcome.score()).map(report),
        light: s.and_then(|s| s.outcome.score()).map(|v| data.rules.lights.of(v).code()),
        status: status(s),
    };
    let (mut by_dimension, mut by_ambito, mut by_unit) = (HashMap::<&str, usize>::new(), HashMap::<&str, usize>::new(), HashMap::<&str, usize>::new());
    let mut lights: Vec<(&'static str, usize)> = vec![("verde", 0), ("giallo", 0), ("rosso", 0), ("non_valutabile", 0), ("in_attesa", 0)];
    for o in &data.objectives {
        if o.parent_id.is_none() {
            *by_dimension.entry(&o.dimension_id).or_default() += 1;
            if let Some(a) = &o.ambito_id {
                *by_ambito.entry(a).or_default() += 1;
            }
        }
        if let Some(u) = &o.unit_id {
            *by_unit.entry(u).or_default() += 1;
        }
        let s = data.board.objectives.get(&o.id);
        let slot = match s.and_then(|s| s.outcome.score()) {
            Some(v) => data.rules.lights.of(v).code(),
            None => status(s),
        };
        if let Some(l) = lights.iter_mut().find(|(k, _)| *k == slot) {
            l.1 += 1;
        }
    }
    let dimension_name: HashMap<&str, &str> = data.dimensions.iter().map(|d| (d.id.as_str(), d.name.as_str())).collect();
    let count = |m: &HashMap<&str, usize>, id: &str| m.get(id).copied().unwrap_or(0);
    Dashboard {
        year: data.cycle.year(),
        ente: bar(data.ente.code.as_str(), &data.ente.name, "", data.objectives.len(), data.board.ente.as_ref()),
        lights,
        dimensions: data
            .dimensions
            .iter()
            .filter(|d| count(&by_dimension, &d.id) > 0)
            .map(|d| bar(&d.code, &d.name, "", count(&by_dimension, &d.id), data.board.dimensions.get(&d.id)))
            .collect(),
        direzioni: data
            .units
            .iter()
            .filter(|u| u.kind == UnitKind::Direzione)
            .filter_map(|u| data.board.units.get(&u.id).map(|s| bar(&u.code, &u.name, "", count(&by_unit, &u.id), Some(s))))
            .collect(),
        ambiti: data
            .ambiti
            .iter()
            .filter(|a| count(&by_ambito, &a.id) > 0)
            .map(|a| {
                bar(
                    &a.code,
                    &a.name,
                    dimension_name.get(a.dimension_id.as_str()).copied().unwrap_or_default(),
                    count(&by_ambito, &a.id),
                    data.board.ambiti.get(&a.id),
                )
            })
            .collect(),
    }
}

/// One cycle's point of the trend: the ente's reported score and each dimension's, in the
/// cycle's order of dimensions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub year: i32,
    pub ente: Option<Decimal>,
    /// (code, name, score) of each dimension.
    pub dimensions: Vec<(String, String, Option<Decimal>)>,
}

/// What the dashboard shows of a cycle. It is a small part of the cycle's scores, so the cache
/// keeps it for every ente even after the whole plan has been dropped to stay within its budget.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub ente: Ente,
    pub dashboard: Dashboard,
    pub point: TrendPoint,
}

pub fn summary(data: &CycleScores) -> Summary {
    Summary { ente: data.ente.clone(), dashboard: build(data), point: point(data) }
}

pub fn point(data: &CycleScores) -> TrendPoint {
    let score = |s: Option<&Scored>| s.and_then(|s| s.outcome.score()).map(report);
    TrendPoint {
        year: data.cycle.year(),
        ente: score(data.board.ente.as_ref()),
        dimensions: data.dimensions.iter().map(|d| (d.code.clone(), d.name.clone(), score(data.board.dimensions.get(&d.id)))).collect(),
    }
}

/// The trend over the cycles' `points` (any order): the ente's score and each dimension's, by year.
pub fn trend(points: &[TrendPoint]) -> Trend {
    let mut points: Vec<&TrendPoint> = points.iter().collect();
    points.sort_by_key(|p| p.year);
    let mut series = vec![("Ente".to_string(), points.iter().map(|p| p.ente).collect())];
    // Dimensions by code, in the order of the latest cycle, named as there.
    if let Some(latest) = points.last() {
        for (code, name, _) in &latest.dimensions {
            let scores: Vec<Option<Decimal>> = points.iter().map(|p| p.dimensions.iter().find(|(c, _, _)| c == code).and_then(|(_, _, s)| *s)).collect();
            if scores.iter().any(Option::is_some) {
                series.push((name.clone(), scores));
            }
        }
    }
    Trend { years: points.iter().map(|p| p.year).collect(), series }
}
