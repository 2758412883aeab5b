//! The monitoring report of a cycle at a period (`traguardi report monitoraggio --periodo DATE`):
//! each KPI's value against its target as it stood at that date (the scores computed from the
//! approved values of the periods ending by then), the values late at that date with who must
//! enter them, and the objectives at risk: in the red, or with a value late.

use chrono::NaiveDate;
use serde::Serialize;
use traguardi_docs::export::Sheet;
use traguardi_domain::plan::engine::{PlanData, compute};
use traguardi_domain::plan::kpi::Value;
use traguardi_domain::plan::round::Light;
use traguardi_domain::plan::score::Outcome;

use super::{day, shown};
use crate::plan::monitoring::LateValue;
use crate::plan::scores::CycleScores;
use crate::{Actor, AppError, Store};

#[derive(Debug, Clone, Serialize)]
pub struct Monitoraggio {
    pub ente: String,
    pub anno: i32,
    /// The period: `YYYY-MM-DD`, and as printed.
    pub periodo: String,
    pub periodo_it: String,
    /// The ente's result at the period.
    pub risultato: String,
    pub kpi: Vec<KpiMonitorato>,
    pub ritardi: Vec<Ritardo>,
    pub a_rischio: Vec<ObiettivoARischio>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KpiMonitorato {
    pub obiettivo: String,
    pub struttura: String,
    pub kpi: String,
    pub nome: String,
    /// The end of the last period with an approved value by the date, as printed.
    pub periodo: String,
    pub valore: String,
    pub target: String,
    pub testo: String,
    pub semaforo: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ritardo {
    pub kpi: String,
    pub nome: String,
    pub periodo: String,
    pub scadenza: String,
    pub struttura: String,
    pub responsabile: String,
    pub sollecito_a: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObiettivoARischio {
    pub codice: String,
    pub titolo: String,
    pub struttura: String,
    pub testo: String,
    /// Why: `in rosso`, `N valori in ritardo`, or both.
    pub motivo: String,
}

pub async fn build(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32, period: NaiveDate) -> Result<Monitoraggio, AppError> {
    let s = crate::plan::scores::load(store, actor, ente_code, year).await?;
    let late = crate::plan::monitoring::late_values(store, actor, ente_code, year, period).await?;
    Ok(of(&s, &late, period))
}

/// The report from what is already read (pure).
pub fn of(s: &CycleScores, late: &[LateValue], period: NaiveDate) -> Monitoraggio {
    // The scores as they stood at the period: only the values of the periods ending by then.
    let values: Vec<_> = s.values.iter().filter(|v| v.period_end <= period).cloned().collect();
    let data = PlanData {
        year: s.cycle.year(),
        units: &s.units,
        dimensions: &s.dimensions,
        objectives: &s.objectives,
        kpis: &s.kpis,
        targets: &s.targets,
        values: &values,
        previous_year: None,
    };
    let board = compute(&data, &s.rules);
    let unit_code = |id: Option<&str>| id.and_then(|u| s.units.iter().find(|x| x.id == u)).map(|u| u.code.clone()).unwrap_or_default();
    let light = |o: &Outcome| o.score().map(|v| s.rules.lights.of(v));
    let mut kpi = Vec::new();
    for o in &s.objectives {
        for k in s.kpis.iter().filter(|k| k.objective_id == o.id) {
            let Some(r) = board.kpis.get(&k.id) else { continue };
            let last = r.periods.iter().rev().find(|(_, v)| v.is_some());
            kpi.push(KpiMonitorato {
                obiettivo: o.code.clone(),
                struttura: unit_code(o.unit_id.as_deref()),
                kpi: k.code.clone(),
                nome: k.name.clone(),
                periodo: last.map(|(d, _)| day(*d)).unwrap_or_default(),
                valore: r.year_value.as_ref().map_or_else(|| "—".into(), Value::to_italian),
                target: r.target.as_ref().map_or_else(|| "—".into(), Value::to_italian),
                testo: shown(&r.scored.outcome),
                semaforo: light(&r.scored.outcome).map(Light::code),
            });
        }
    }
    let ritardi: Vec<Ritardo> = late
        .iter()
        .map(|l| Ritardo {
            kpi: l.kpi.clone(),
            nome: l.kpi_name.clone(),
            periodo: day(l.period_end),
            scadenza: day(l.due),
            struttura: l.unit.clone().unwrap_or_default(),
            responsabile: l.owner.clone().unwrap_or_default(),
            sollecito_a: l.escalate_to.clone().unwrap_or_default(),
        })
        .collect();
    let mut a_rischio = Vec::new();
    for o in &s.objectives {
        let Some(scored) = board.objectives.get(&o.id) else { continue };
        let red = light(&scored.outcome) == Some(Light::Rosso);
        let codes: Vec<&str> = s.kpis.iter().filter(|k| k.objective_id == o.id).map(|k| k.code.as_str()).collect();
        let behind = late.iter().filter(|l| codes.contains(&l.kpi.as_str())).count();
        if !red && behind == 0 {
            continue;
        }
        let mut why = Vec::new();
        if red {
            why.push("in rosso".to_string());
        }
        if behind > 0 {
            why.push(if behind == 1 { "1 valore in ritardo".into() } else { format!("{behind} valori in ritardo") });
        }
        a_rischio.push(ObiettivoARischio {
            codice: o.code.clone(),
            titolo: o.title.clone(),
            struttura: unit_code(o.unit_id.as_deref()),
            testo: shown(&scored.outcome),
            motivo: why.join(", "),
        });
    }
    Monitoraggio {
        ente: s.ente.name.clone(),
        anno: s.cycle.year(),
        periodo: period.to_string(),
        periodo_it: day(period),
        risultato: board.ente.as_ref().map_or_else(|| "in attesa di dati".into(), |e| shown(&e.outcome)),
        kpi,
        ritardi,
        a_rischio,
    }
}

impl Monitoraggio {
    pub fn sheets(&self) -> Vec<Sheet> {
        let header = |h: &[&str]| h.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        vec![
            Sheet {
                name: "kpi".into(),
                header: header(&["obiettivo", "struttura", "kpi", "nome", "periodo", "valore", "target", "risultato", "semaforo"]),
                rows: self
                    .kpi
                    .iter()
                    .map(|k| {
                        vec![
                            k.obiettivo.clone(),
                            k.struttura.clone(),
                            k.kpi.clone(),
                            k.nome.clone(),
                            k.periodo.clone(),
                            k.valore.clone(),
                            k.target.clone(),
                            k.testo.clone(),
                            k.semaforo.unwrap_or_default().into(),
                        ]
                    })
                    .collect(),
            },
            Sheet {
                name: "ritardi".into(),
                header: header(&["kpi", "nome", "periodo", "scadenza", "struttura", "responsabile", "sollecito_a"]),
                rows: self
                    .ritardi
                    .iter()
                    .map(|r| {
                        vec![
                            r.kpi.clone(),
                            r.nome.clone(),
                            r.periodo.clone(),
                            r.scadenza.clone(),
                            r.struttura.clone(),
                            r.responsabile.clone(),
                            r.sollecito_a.clone(),
                        ]
                    })
                    .collect(),
            },
            Sheet {
                name: "a rischio".into(),
                header: header(&["obiettivo", "titolo", "struttura", "risultato", "motivo"]),
                rows: self.a_rischio.iter().map(|o| vec![o.codice.clone(), o.titolo.clone(), o.struttura.clone(), o.testo.clone(), o.motivo.clone()]).collect(),
            },
        ]
    }

    pub fn printable(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        v["title"] = format!("Monitoraggio {} al {}", self.anno, self.periodo_it).into();
        v["date"] = self.periodo.clone().into();
        v
    }
}
