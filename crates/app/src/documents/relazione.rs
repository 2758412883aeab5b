//! The Relazione sulla Performance of a cycle (art. 10 c.1 lett. b D.Lgs 150/2009), from the
//! scores and the records of the year: the ente's result and its trend, the results by
//! dimension, ambito and Direzione, the indices ROE, ROD and ROS, every objective with its
//! KPIs (target, actual, deviations and their cause), the rimodulazioni, what was not
//! assessable and why, the values not up to date, the NIV's validation and, once a
//! distribution is approved, the art. 20 summary of the premi.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::Serialize;
use traguardi_docs::export::Sheet;
use traguardi_domain::pay::relazione::RelazioneState;
use traguardi_domain::plan::kpi::{Measure, Value};
use traguardi_domain::plan::round::{it, number};
use traguardi_domain::plan::score::Outcome;
use traguardi_domain::plan::value_status::ValueStatus;

use super::{day, shown};
use crate::plan::dashboard::{self, Bar};
use crate::plan::scores::CycleScores;
use crate::{Actor, AppError, Store};

#[derive(Debug, Clone, Serialize)]
pub struct Relazione {
    pub ente: String,
    pub anno: i32,
    /// The document's date: the Relazione's approval, or the last day of the year.
    pub data: String,
    /// The ente's result, `82,86%`, or why there is none.
    pub risultato: String,
    /// The ente's result over the cycles, oldest first.
    pub andamento: Vec<Punto>,
    pub dimensioni: Vec<Punto>,
    pub ambiti: Vec<Punto>,
    pub direzioni: Vec<Punto>,
    /// ROE, then the ROD of each Direzione, then the ROS of each unit.
    pub indici: Vec<Indice>,
    pub obiettivi: Vec<ObiettivoRelazione>,
    pub rimodulazioni: Vec<Rimodulazione>,
    pub non_valutabili: Vec<NonValutabile>,
    /// KPIs whose last approved value is of a period before the end of the year.
    pub non_aggiornati: usize,
    pub validazione: Validazione,
    /// The art. 20 D.Lgs 33/2013 rows of the approved distribution (who, section, item,
    /// value), once there is one.
    pub premi: Option<Vec<[String; 4]>>,
}

/// One bar of a chart and its row in the table beside it.
#[derive(Debug, Clone, Serialize)]
pub struct Punto {
    pub codice: String,
    pub nome: String,
    /// 0–100, for the bar's length; `None` when not scored.
    pub valore: Option<Decimal>,
    /// As printed: `82,86%`, `non valutabile`, `in attesa di dati`.
    pub testo: String,
    /// The traffic light of the cycle's rules (verde, giallo, rosso), when scored.
    pub semaforo: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Indice {
    /// ROE | ROD | ROS
    pub tipo: &'static str,
    pub struttura: String,
    pub nome: String,
    pub testo: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObiettivoRelazione {
    pub codice: String,
    pub titolo: String,
    pub dimensione: String,
    pub struttura: Option<String>,
    pub testo: String,
    pub kpi: Vec<KpiRelazione>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KpiRelazione {
    pub codice: String,
    pub nome: String,
    pub baseline: String,
    pub target: String,
    pub valore: String,
    pub testo: String,
    /// Actual − target and actual − baseline, for numeric KPIs.
    pub scostamento_target: String,
    pub scostamento_baseline: String,
    /// endogena | esogena, and the note given with the value.
    pub causa: String,
    pub nota: String,
    /// The period of the last approved value, when it is before the year's end.
    pub aggiornato_al: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rimodulazione {
    pub codice: String,
    pub campo: String,
    pub originale: String,
    pub rimodulato: String,
    pub dal: String,
    pub motivo: String,
    pub atto: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NonValutabile {
    pub livello: &'static str,
    pub codice: String,
    pub nome: String,
    pub motivo: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Validazione {
    pub stato: String,
    pub atto: Option<String>,
    pub approvata_il: Option<String>,
    pub validata_il: Option<String>,
    pub validata_da: Option<String>,
    pub pubblicata_il: Option<String>,
}

fn point(b: &Bar) -> Punto {
    let testo = match (b.score, b.status) {
        (Some(v), _) => format!("{}%", it(v)),
        (None, "non_valutabile") => "non valutabile".into(),
        _ => "in attesa di dati".into(),
    };
    Punto { codice: b.code.clone(), nome: b.name.clone(), valore: b.score, testo, semaforo: b.light }
}

/// A value of the open-data table as the document prints it: amounts (two decimals) as euros
/// `250.000,00`, other numbers `17,3`, text as it is.
fn italian(value: &str) -> String {
    match value.parse::<Decimal>() {
        Ok(d) if d.scale() == 2 => traguardi_domain::money::Cents::exact(d).map_or_else(|| value.to_string(), |c| c.to_string()),
        Ok(d) => number(d),
        Err(_) => value.to_string(),
    }
}

/// The Relazione of `year`: the plan's scores of that year and the years before it.
pub async fn build(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32) -> Result<Relazione, AppError> {
    let s = crate::plan::scores::load(store, actor, ente_code, year).await?;
    let mut past = Vec::new();
    for y in crate::cycle::cycles::years(store, &s.ente).await?.into_iter().filter(|y| *y < year) {
        past.push(crate::plan::scores::load(store, actor, ente_code, y).await?);
    }
    let published = crate::documents::transparency::published(store, &s).await?;
    let mut conn = store.acquire().await?;
    let (e, c) = (&s.ente.id, &s.cycle.id);
    let measurements = traguardi_store::plan::measurements(&mut conn, e, c).await?;
    let revisions = traguardi_store::revisions::of_cycle(&mut conn, e, c).await?;
    let pay_rules = crate::pay::payouts::rules_of(&mut conn, &s.ente, &s.cycle).await?;
    let relazione = traguardi_store::pay::relazione(&mut conn, e, c).await?;
    let mut rel = of(&s, &past.iter().collect::<Vec<_>>(), &measurements, &revisions, &pay_rules);
    if let Some(r) = relazione {
        rel.validazione = Validazione {
            stato: r.state.code().into(),
            atto: r.act_code,
            approvata_il: r.approved_on.map(day),
            validata_il: r.validated_on.map(day),
            validata_da: r.validated_by,
            pubblicata_il: r.published_on.map(day),
        };
        if let Some(d) = r.approved_on {
            rel.data = d.to_string();
        }
    }
    rel.premi = published.premi.map(|(_, sheet)| {
        sheet
            .rows
            .into_iter()
            .filter_map(|r| <[String; 4]>::try_from(r).ok())
            .map(|[who, section, item, value]| [who, section, item, italian(&value)])
            .collect()
    });
    Ok(rel)
}

/// The Relazione from what is already read (pure: no database).
pub fn of(
    s: &CycleScores,
    past: &[&CycleScores],
    measurements: &[traguardi_store::plan::Measurement],
    revisions: &[traguardi_store::revisions::Revision],
    pay_rules: &traguardi_domain::pay::rules::PayRules,
) -> Relazione {
    let year = s.cycle.year();
    let d = dashboard::build(s);
    let points: Vec<dashboard::TrendPoint> = past.iter().copied().chain([s]).map(dashboard::point).collect();
    let trend = dashboard::trend(&points);
    let andamento = trend
        .series
        .first()
        .map(|(_, values)| {
            trend
                .years
                .iter()
                .zip(values)
                .map(|(y, v)| Punto {
                    codice: y.to_string(),
                    nome: y.to_string(),
                    valore: *v,
                    testo: v.map_or_else(|| "—".into(), |v| format!("{}%", it(v))),
                    semaforo: v.map(|v| s.rules.lights.of(v).code()),
                })
                .collect()
        })
        .unwrap_or_default();
    let indices = traguardi_domain::plan::indices::Indices::compute(&s.scored(), pay_rules);
    let mut indici = Vec::new();
    if let Some(roe) = &indices.roe {
        indici.push(Indice { tipo: "ROE", struttura: String::new(), nome: s.ente.name.clone(), testo: shown(&roe.scored.outcome) });
    }
    for kind in ["ROD", "ROS"] {
        let map = if kind == "ROD" { &indices.rod } else { &indices.ros };
        for u in &s.units {
            if let Some(i) = map.get(&u.id) {
                indici.push(Indice { tipo: i.kind, struttura: u.code.clone(), nome: u.name.clone(), testo: shown(&i.scored.outcome) });
            }
        }
    }
    let units: HashMap<&str, &str> = s.units.iter().map(|u| (u.id.as_str(), u.code.as_str())).collect();
    let dims: HashMap<&str, &str> = s.dimensions.iter().map(|d| (d.id.as_str(), d.name.as_str())).collect();
    // The last approved version of each KPI's last period: its cause and note.
    let mut last: HashMap<&str, &traguardi_store::plan::Measurement> = HashMap::new();
    for m in measurements.iter().filter(|m| m.status == ValueStatus::Approved) {
        let e = last.entry(m.kpi_id.as_str()).or_insert(m);
        if (m.period_end, m.version) > (e.period_end, e.version) {
            *e = m;
        }
    }
    let year_end = super::year_end(year);
    let mut non_valutabili = Vec::new();
    let mut obiettivi = Vec::new();
    for o in s.objectives.iter().filter(|o| o.parent_id.is_none()) {
        let Some(scored) = s.board.objectives.get(&o.id) else { continue };
        if let Outcome::NotAssessable(why) = &scored.outcome {
            non_valutabili.push(NonValutabile { livello: "obiettivo", codice: o.code.clone(), nome: o.title.clone(), motivo: why.clone() });
        }
        let mut kpi = Vec::new();
        for k in s.kpis.iter().filter(|k| k.objective_id == o.id) {
            let Some(r) = s.board.kpis.get(&k.id) else { continue };
            if let Outcome::NotAssessable(why) = &r.scored.outcome {
                non_valutabili.push(NonValutabile { livello: "kpi", codice: k.code.clone(), nome: k.name.clone(), motivo: why.clone() });
            }
            let text = |v: &Option<Value>| v.as_ref().map_or_else(|| "—".into(), Value::to_italian);
            let baseline = k.baseline.as_deref().and_then(|b| Value::from_text(k.measure, b));
            let diff = |other: &Option<Value>| match (r.year_value.as_ref().and_then(Value::number), other.as_ref().and_then(Value::number)) {
                (Some(a), Some(b)) if k.measure != Measure::SiNo => number(a - b),
                _ => String::new(),
            };
            let m = last.get(k.id.as_str());
            kpi.push(KpiRelazione {
                codice: k.code.clone(),
                nome: k.name.clone(),
                baseline: text(&baseline),
                target: text(&r.target),
                valore: text(&r.year_value),
                testo: shown(&r.scored.outcome),
                scostamento_target: diff(&r.target),
                scostamento_baseline: diff(&baseline),
                causa: m.and_then(|m| m.cause.clone()).unwrap_or_default(),
                nota: m.map(|m| m.note.clone()).unwrap_or_default(),
                aggiornato_al: m.filter(|m| m.period_end < year_end).map(|m| day(m.period_end)),
            });
        }
        obiettivi.push(ObiettivoRelazione {
            codice: o.code.clone(),
            titolo: o.title.clone(),
            dimensione: dims.get(o.dimension_id.as_str()).unwrap_or(&"").to_string(),
            struttura: o.unit_id.as_deref().and_then(|u| units.get(u)).map(|u| u.to_string()),
            testo: shown(&scored.outcome),
            kpi,
        });
    }
    let non_aggiornati = obiettivi.iter().flat_map(|o| &o.kpi).filter(|k| k.aggiornato_al.is_some()).count();
    let rimodulazioni = revisions
        .iter()
        .map(|r| Rimodulazione {
            codice: r.code.clone(),
            campo: r.field.clone(),
            originale: r.before.clone(),
            rimodulato: r.after.clone(),
            dal: day(r.effective_on),
            motivo: r.reason.clone(),
            atto: r.act_code.clone(),
        })
        .collect();
    Relazione {
        ente: s.ente.name.clone(),
        anno: year,
        data: year_end.to_string(),
        risultato: point(&d.ente).testo,
        andamento,
        dimensioni: d.dimensions.iter().map(point).collect(),
        ambiti: d.ambiti.iter().map(point).collect(),
        direzioni: d.direzioni.iter().map(point).collect(),
        indici,
        obiettivi,
        rimodulazioni,
        non_valutabili,
        non_aggiornati,
        validazione: Validazione { stato: RelazioneState::Bozza.code().into(), ..Validazione::default() },
        premi: None,
    }
}

impl Relazione {
    /// The tables of the Relazione as the sheets of a workbook: results, objectives and KPIs,
    /// indices, rimodulazioni, what was not assessable.
    pub fn sheets(&self) -> Vec<Sheet> {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let points = |kind: &str, list: &[Punto]| {
            list.iter()
                .map(|p| vec![kind.to_string(), p.codice.clone(), p.nome.clone(), p.valore.map(|v| v.to_string()).unwrap_or_default()])
                .collect::<Vec<_>>()
        };
        let mut results = points("andamento", &self.andamento);
        results.extend(points("dimensione", &self.dimensioni));
        results.extend(points("ambito", &self.ambiti));
        results.extend(points("direzione", &self.direzioni));
        let mut kpis = Vec::new();
        for o in &self.obiettivi {
            kpis.push(vec![o.codice.clone(), o.titolo.clone(), o.dimensione.clone(), o.struttura.clone().unwrap_or_default(), o.testo.clone()]);
            for k in &o.kpi {
                kpis.push(vec![
                    o.codice.clone(),
                    k.nome.clone(),
                    o.dimensione.clone(),
                    o.struttura.clone().unwrap_or_default(),
                    k.testo.clone(),
                    k.codice.clone(),
                    k.baseline.clone(),
                    k.target.clone(),
                    k.valore.clone(),
                    k.scostamento_target.clone(),
                    k.scostamento_baseline.clone(),
                    k.causa.clone(),
                    k.nota.clone(),
                    k.aggiornato_al.clone().unwrap_or_default(),
                ]);
            }
        }
        vec![
            Sheet { name: "risultati".into(), header: strings(&["tipo", "codice", "nome", "percentuale"]), rows: results },
            Sheet {
                name: "obiettivi e kpi".into(),
                header: strings(&[
                    "obiettivo",
                    "nome",
                    "dimensione",
                    "struttura",
                    "risultato",
                    "kpi",
                    "baseline",
                    "target",
                    "valore",
                    "scostamento_target",
                    "scostamento_baseline",
                    "causa",
                    "nota",
                    "aggiornato_al",
                ]),
                rows: kpis,
            },
            Sheet {
                name: "indici".into(),
                header: strings(&["indice", "struttura", "nome", "risultato"]),
                rows: self.indici.iter().map(|i| vec![i.tipo.into(), i.struttura.clone(), i.nome.clone(), i.testo.clone()]).collect(),
            },
            Sheet {
                name: "rimodulazioni".into(),
                header: strings(&["codice", "campo", "originale", "rimodulato", "dal", "motivo", "atto"]),
                rows: self
                    .rimodulazioni
                    .iter()
                    .map(|r| {
                        vec![r.codice.clone(), r.campo.clone(), r.originale.clone(), r.rimodulato.clone(), r.dal.clone(), r.motivo.clone(), r.atto.clone()]
                    })
                    .collect(),
            },
            Sheet {
                name: "non valutabili".into(),
                header: strings(&["livello", "codice", "nome", "motivo"]),
                rows: self.non_valutabili.iter().map(|n| vec![n.livello.into(), n.codice.clone(), n.nome.clone(), n.motivo.clone()]).collect(),
            },
        ]
    }

    /// The data for the PDF template.
    pub fn printable(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        v["title"] = format!("Relazione sulla Performance {}", self.anno).into();
        v["date"] = self.data.clone().into();
        v
    }
}
