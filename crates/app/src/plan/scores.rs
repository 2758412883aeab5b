//! Scores of a cycle, computed from the stored plan, as rows people and machines read:
//! `traguardi report scores`, the plan pages and the API all use these.

use std::collections::HashMap;
use traguardi_domain::said;

use rust_decimal::Decimal;
use serde::Serialize;
use traguardi_docs::export::Sheet;
use traguardi_domain::plan::score::{Outcome, Scored};
use traguardi_store::cycle::Cycle;
use traguardi_store::ente::Ente;
use traguardi_store::org::OrgUnit;
use traguardi_store::plan::{self, Ambito, ApprovedValue, Contribution, Dimension, DupObjective, Kpi, Objective, Target};
use traguardi_store::{Store, org};

use crate::accounts::access::Right;
use crate::{Actor, AppError, cycle::cycles, org::enti};
use traguardi_domain::plan::engine::{PlanData, Scoreboard, ScoredPlan, compute};
use traguardi_domain::plan::rules::ScoringRules;

/// The plan of a cycle with its scores.
#[derive(Debug, Clone, Serialize)]
pub struct CycleScores {
    pub ente: Ente,
    pub cycle: Cycle,
    pub units: Vec<OrgUnit>,
    pub dimensions: Vec<Dimension>,
    pub ambiti: Vec<Ambito>,
    pub dup: Vec<DupObjective>,
    pub contributions: Vec<Contribution>,
    pub objectives: Vec<Objective>,
    pub kpis: Vec<Kpi>,
    pub targets: Vec<Target>,
    pub values: Vec<ApprovedValue>,
    pub rules: ScoringRules,
    pub board: Scoreboard,
}

/// One line of the scores report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScoreRow {
    /// kpi | obiettivo | struttura | ente
    pub livello: &'static str,
    pub codice: String,
    pub nome: String,
    /// Rounded to 2 decimals, half-up; `None` when not assessable or waiting for data.
    pub percentuale: Option<Decimal>,
    /// valutato | non_valutabile | in_attesa
    pub stato: &'static str,
    pub semaforo: Option<&'static str>,
    pub dimensione: Option<String>,
    pub struttura: Option<String>,
    pub valore: Option<String>,
    pub target: Option<String>,
    pub spiegazione: String,
}

#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn load(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32) -> Result<CycleScores, AppError> {
    actor.require(Right::ReadOrg, said!("leggere il piano"))?;
    let mut conn = store.pool.acquire().await?;
    let ente = enti::resolve(&mut conn, ente_code).await?;
    let cycle = cycles::get(&mut conn, &ente, year).await?;
    read(&mut conn, ente, cycle).await
}

/// The plan of a cycle with its scores, read on `conn` (a transaction's, for the close).
pub async fn read(conn: &mut traguardi_store::Conn, ente: Ente, cycle: Cycle) -> Result<CycleScores, AppError> {
    let year = cycle.year();
    // One connection, one read after the other: on SQLite each row crosses from the database's
    // thread to ours, so reading side by side on several connections only adds switching
    // between threads (measured slower on two cores).
    let (e, c) = (&ente.id, &cycle.id);
    let mut dims = plan::dimensions(conn, e).await?;
    let mut ambiti = plan::ambiti(conn, e).await?;
    // A closed year shows its dimensions and ambiti as they were named then.
    if let Some(closed) = traguardi_store::close::of_cycle(conn, e, c).await? {
        frozen_names(&closed.snapshot, &mut dims, &mut ambiti);
    }
    let units = org::of_cycle(conn, e, c).await?;
    let objectives = plan::objectives(conn, e, c).await?;
    let kpis = plan::kpis(conn, e, c).await?;
    let targets = plan::targets(conn, e, c).await?;
    let values = plan::approved_values(conn, e, c).await?;
    let dup = plan::dup_objectives(conn, e).await?;
    let contributions = plan::contributions(conn, e, c).await?;
    // Last year's values, for formulas that read `anno_prec(K)`.
    let reads_last_year = kpis.iter().any(|k| k.formula.as_deref().is_some_and(|f| f.contains("anno_prec") || f.contains("prev_year")));
    let previous = match traguardi_store::cycle::by_year(conn, e, year - 1).await? {
        Some(pc) if reads_last_year => Some((plan::kpis(conn, e, &pc.id).await?, plan::approved_values(conn, e, &pc.id).await?)),
        _ => None,
    };
    let rules = crate::plan::cycle_rules::scoring(conn, &ente, &cycle).await?;
    let data = PlanData {
        year,
        units: &units,
        dimensions: &dims,
        objectives: &objectives,
        kpis: &kpis,
        targets: &targets,
        values: &values,
        previous_year: previous.as_ref().map(|(k, v)| (k.as_slice(), v.as_slice())),
    };
    let board = compute(&data, &rules);
    Ok(CycleScores { ente, cycle, units, dimensions: dims, ambiti, dup, contributions, objectives, kpis, targets, values, rules, board })
}

/// Puts back the names the dimensions and ambiti had when the cycle was closed (the close's
/// snapshot keeps them); those added later keep theirs.
fn frozen_names(snapshot: &str, dims: &mut [Dimension], ambiti: &mut [Ambito]) {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(snapshot) else { return };
    let dim_code: HashMap<String, String> = dims.iter().map(|d| (d.id.clone(), d.code.clone())).collect();
    for frozen in v["dimensioni"].as_array().into_iter().flatten() {
        let (Some(code), Some(name)) = (frozen["codice"].as_str(), frozen["nome"].as_str()) else { continue };
        if let Some(d) = dims.iter_mut().find(|d| d.code == code) {
            d.name = name.to_string();
        }
        for a in frozen["ambiti"].as_array().into_iter().flatten() {
            let (Some(ac), Some(an)) = (a["codice"].as_str(), a["nome"].as_str()) else { continue };
            if let Some(x) = ambiti.iter_mut().find(|x| x.code == ac && dim_code.get(&x.dimension_id).is_some_and(|c| c == code)) {
                x.name = an.to_string();
            }
        }
    }
}

impl CycleScores {
    /// The plan and its scores as the indices and the premi read them.
    pub fn scored(&self) -> ScoredPlan<'_> {
        ScoredPlan {
            ente_name: &self.ente.name,
            year: self.cycle.year(),
            units: &self.units,
            dimensions: &self.dimensions,
            objectives: &self.objectives,
            rules: &self.rules,
            board: &self.board,
        }
    }

    /// Every score: KPIs, objectives, units, then the ente.
    pub fn rows(&self) -> Vec<ScoreRow> {
        let unit_code: HashMap<&str, &str> = self.units.iter().map(|u| (u.id.as_str(), u.code.as_str())).collect();
        let dim_code: HashMap<&str, &str> = self.dimensions.iter().map(|d| (d.id.as_str(), d.code.as_str())).collect();
        let objective: HashMap<&str, &Objective> = self.objectives.iter().map(|o| (o.id.as_str(), o)).collect();
        let mut rows = Vec::new();
        let row = |livello, codice: &str, nome: &str, s: &Scored| ScoreRow {
            livello,
            codice: codice.into(),
            nome: nome.into(),
            percentuale: s.outcome.score().map(|v| self.rules.report(v)),
            stato: match s.outcome {
                Outcome::Score(_) => "valutato",
                Outcome::NotAssessable(_) => "non_valutabile",
                Outcome::NoData => "in_attesa",
            },
            semaforo: s.outcome.score().map(|v| self.rules.lights.of(v).code()),
            dimensione: None,
            struttura: None,
            valore: None,
            target: None,
            spiegazione: s.explanation.text.clone(),
        };
        for k in &self.kpis {
            let Some(r) = self.board.kpis.get(&k.id) else { continue };
            let o = objective.get(k.objective_id.as_str());
            rows.push(ScoreRow {
                dimensione: o.and_then(|o| dim_code.get(o.dimension_id.as_str())).map(|s| s.to_string()),
                struttura: o.and_then(|o| o.unit_id.as_deref()).and_then(|u| unit_code.get(u)).map(|s| s.to_string()),
                valore: r.year_value.as_ref().map(|v| v.to_text()),
                target: r.target.as_ref().map(|v| v.to_text()),
                ..row("kpi", &k.code, &k.name, &r.scored)
            });
        }
        for o in &self.objectives {
            let Some(s) = self.board.objectives.get(&o.id) else { continue };
            rows.push(ScoreRow {
                dimensione: dim_code.get(o.dimension_id.as_str()).map(|s| s.to_string()),
                struttura: o.unit_id.as_deref().and_then(|u| unit_code.get(u)).map(|s| s.to_string()),
                ..row("obiettivo", &o.code, &o.title, s)
            });
        }
        for u in &self.units {
            if let Some(s) = self.board.units.get(&u.id) {
                rows.push(row("struttura", &u.code, &u.name, s));
            }
        }
        if let Some(s) = &self.board.ente {
            rows.push(row("ente", self.ente.code.as_str(), &self.ente.name, s));
        }
        rows
    }

    /// How the score of an objective, KPI or unit (by code) came to be, as indented lines:
    /// the thing itself, then each KPI and child objective it rolls up.
    pub fn explain(&self, code: &str) -> Option<Vec<String>> {
        let line = |depth: usize, what: &str, code: &str, name: &str, s: &Scored| {
            let value = match &s.outcome {
                Outcome::Score(v) => format!("{}%", traguardi_domain::plan::round::it(*v)),
                Outcome::NotAssessable(_) => "non valutabile".into(),
                Outcome::NoData => "in attesa di dati".into(),
            };
            format!("{}{what} {code} «{name}»: {value}. {}", "  ".repeat(depth), s.explanation.text)
        };
        if let Some(o) = self.objectives.iter().find(|o| o.code == code) {
            let mut out = Vec::new();
            let mut stack = vec![(o, 0usize)];
            while let Some((o, depth)) = stack.pop() {
                if let Some(s) = self.board.objectives.get(&o.id) {
                    out.push(line(depth, "obiettivo", &o.code, &o.title, s));
                }
                for k in self.kpis.iter().filter(|k| k.objective_id == o.id) {
                    if let Some(r) = self.board.kpis.get(&k.id) {
                        out.push(line(depth + 1, "KPI", &k.code, &k.name, &r.scored));
                    }
                }
                let kids: Vec<&Objective> = self.objectives.iter().filter(|c| c.parent_id.as_deref() == Some(o.id.as_str())).collect();
                stack.extend(kids.into_iter().rev().map(|c| (c, depth + 1)));
            }
            return Some(out);
        }
        if let Some(k) = self.kpis.iter().find(|k| k.code == code) {
            return self.board.kpis.get(&k.id).map(|r| vec![line(0, "KPI", &k.code, &k.name, &r.scored)]);
        }
        let u = self.units.iter().find(|u| u.code == code)?;
        self.board.units.get(&u.id).map(|s| vec![line(0, "struttura", &u.code, &u.name, s)])
    }

    /// The rows as a table for CSV and XLSX: `.` decimals, 2 places, empty when not assessable.
    pub fn sheet(&self) -> Sheet {
        let header = ["livello", "codice", "percentuale", "stato", "semaforo", "nome", "dimensione", "struttura", "valore", "target", "spiegazione"];
        Sheet {
            name: format!("punteggi {}", self.cycle.year()),
            header: header.map(String::from).to_vec(),
            rows: self
                .rows()
                .into_iter()
                .map(|r| {
                    vec![
                        r.livello.into(),
                        r.codice,
                        r.percentuale.map(|p| p.to_string()).unwrap_or_default(),
                        r.stato.into(),
                        r.semaforo.unwrap_or_default().into(),
                        r.nome,
                        r.dimensione.unwrap_or_default(),
                        r.struttura.unwrap_or_default(),
                        r.valore.unwrap_or_default(),
                        r.target.unwrap_or_default(),
                        r.spiegazione,
                    ]
                })
                .collect(),
        }
    }
}
