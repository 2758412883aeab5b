//! The Piano degli Obiettivi of a cycle (PIAO sezione 2.2), laid out as the annex of Milan's
//! deliberation (seed 000): the dimensions with their ambiti and the objectives of the ente as
//! a whole, then each struttura (the Segretario Generale's, each Direzione's) with its
//! objectives, their KPIs, the targets of the three years, the weights and the DUP link.
//!
//! Only the I-level objectives are printed: the II-level copies made by `plan assign` are the
//! Direzioni's own details, not part of the Piano the Giunta approves.

use std::collections::HashMap;

use serde::Serialize;
use traguardi_docs::export::Sheet;
use traguardi_domain::org::{OrgUnit, UnitKind};
use traguardi_domain::plan::kpi::{Measure, Value};
use traguardi_domain::plan::round::number;
use traguardi_store::plan::Objective;

use crate::plan::scores::CycleScores;
use crate::{Actor, AppError, Store};

#[derive(Debug, Clone, Serialize)]
pub struct Piano {
    pub ente: String,
    pub anno: i32,
    /// The three years of the Piano: the cycle's and the two after.
    pub anni: [i32; 3],
    /// The acts that approved it (from the trail of the objectives' approvals), as cited.
    pub approvato_con: Vec<String>,
    /// The document's date: the last approving act's, or the first day of the year.
    pub data: String,
    pub dimensioni: Vec<DimensionePiano>,
    pub strutture: Vec<StrutturaPiano>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DimensionePiano {
    pub codice: String,
    pub nome: String,
    pub ambiti: Vec<(String, String)>,
    /// The objectives of the ente as a whole in this dimension (no struttura).
    pub obiettivi: Vec<ObiettivoPiano>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StrutturaPiano {
    pub codice: String,
    pub nome: String,
    /// Who leads it, as written in the people's register.
    pub responsabile: Option<String>,
    pub obiettivi: Vec<ObiettivoPiano>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObiettivoPiano {
    pub codice: String,
    pub titolo: String,
    pub descrizione: Option<String>,
    pub dimensione: String,
    pub ambito: Option<String>,
    pub struttura: Option<String>,
    /// Italian form (`1`, `0,5`).
    pub peso: String,
    /// The DUP objective it serves: code and title.
    pub dup: Option<String>,
    pub kpi: Vec<KpiPiano>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KpiPiano {
    pub codice: String,
    pub nome: String,
    pub misura: String,
    pub verso: String,
    pub unita: Option<String>,
    pub baseline: Option<String>,
    pub peso: String,
    /// The year's target for each of the three years as stored (`.` decimals, ISO dates),
    /// empty where none is set.
    pub target: [String; 3],
}

/// The Piano of `year`, as the reader may see it (the whole plan: reading the plan is the
/// right it needs, as for the plan's pages).
pub async fn build(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32) -> Result<Piano, AppError> {
    let s = crate::plan::scores::load(store, actor, ente_code, year).await?;
    let mut conn = store.acquire().await?;
    let people = traguardi_store::people::persons(&mut conn, &s.ente.id).await?;
    let acts = crate::cycle::workflow::approving_acts(&mut conn, &s.ente.id, &s.cycle.id).await?;
    let registered = traguardi_store::acts::list(&mut conn, &s.ente.id).await?;
    Ok(of(&s, &people, &acts, &registered))
}

/// The Piano from the plan already read.
pub fn of(s: &CycleScores, people: &[traguardi_domain::people::Person], acts: &[String], registered: &[traguardi_store::acts::Act]) -> Piano {
    let year = s.cycle.year();
    let anni = [year, year + 1, year + 2];
    let first_level: Vec<&Objective> = s.objectives.iter().filter(|o| o.parent_id.is_none()).collect();
    let dims: HashMap<&str, &str> = s.dimensions.iter().map(|d| (d.id.as_str(), d.name.as_str())).collect();
    let ambiti: HashMap<&str, &str> = s.ambiti.iter().map(|a| (a.id.as_str(), a.name.as_str())).collect();
    let dup: HashMap<&str, String> = s.dup.iter().map(|d| (d.id.as_str(), format!("{} {}", d.code, d.title))).collect();
    let units: HashMap<&str, &OrgUnit> = s.units.iter().map(|u| (u.id.as_str(), u)).collect();
    let objective = |o: &Objective| ObiettivoPiano {
        codice: o.code.clone(),
        titolo: o.title.clone(),
        descrizione: o.description.clone(),
        dimensione: dims.get(o.dimension_id.as_str()).unwrap_or(&"").to_string(),
        ambito: o.ambito_id.as_deref().and_then(|a| ambiti.get(a)).map(|a| a.to_string()),
        struttura: o.unit_id.as_deref().and_then(|u| units.get(u)).map(|u| u.code.clone()),
        peso: number(o.weight),
        dup: o.dup_id.as_deref().and_then(|d| dup.get(d)).cloned(),
        kpi: s
            .kpis
            .iter()
            .filter(|k| k.objective_id == o.id)
            .map(|k| KpiPiano {
                codice: k.code.clone(),
                nome: k.name.clone(),
                misura: k.measure.code().into(),
                verso: k.direction.code().into(),
                unita: k.unit_label.clone(),
                baseline: k.baseline.clone(),
                peso: number(k.weight),
                target: anni
                    .map(|y| s.targets.iter().find(|t| t.kpi_id == k.id && t.year == y && t.period_end.is_none()).map(|t| t.value.clone()).unwrap_or_default()),
            })
            .collect(),
    };
    let dimensioni = s
        .dimensions
        .iter()
        .map(|d| DimensionePiano {
            codice: d.code.clone(),
            nome: d.name.clone(),
            ambiti: s.ambiti.iter().filter(|a| a.dimension_id == d.id).map(|a| (a.code.clone(), a.name.clone())).collect(),
            obiettivi: first_level.iter().filter(|o| o.dimension_id == d.id && o.unit_id.is_none()).map(|o| objective(o)).collect(),
        })
        .collect();
    // Each objective of a struttura under its section (its Direzione, or the topmost unit of a
    // tree without one above it), the sections in the order of the org tree: every I-level
    // objective of a struttura is printed once.
    let mut by_section: HashMap<&str, Vec<&Objective>> = HashMap::new();
    for o in &first_level {
        if let Some(u) = o.unit_id.as_deref().and_then(|id| units.get(id)) {
            by_section.entry(section(&units, u).id.as_str()).or_default().push(o);
        }
    }
    let mut strutture: Vec<StrutturaPiano> = Vec::new();
    for u in &s.units {
        let Some(objectives) = by_section.get(u.id.as_str()) else { continue };
        let responsabile = u.responsible_id.as_deref().and_then(|p| people.iter().find(|x| x.id == p)).map(|p| p.display_name());
        strutture.push(StrutturaPiano {
            codice: u.code.clone(),
            nome: u.name.clone(),
            responsabile,
            obiettivi: objectives.iter().map(|o| objective(o)).collect(),
        });
    }
    let cited: Vec<&traguardi_store::acts::Act> = acts.iter().filter_map(|a| registered.iter().find(|r| &r.code == a)).collect();
    let data = cited.iter().map(|a| a.adopted_on).max().map_or_else(|| format!("{year}-01-01"), |d| d.to_string());
    let approvato_con = cited.iter().map(|a| format!("{} del {}: {}", a.code, a.adopted_on.format("%d/%m/%Y"), a.subject)).collect();
    Piano { ente: s.ente.name.clone(), anno: year, anni, approvato_con, data, dimensioni, strutture }
}

/// The struttura a unit's objectives are printed under: the nearest Direzione at or above it,
/// or, where there is none (a small ente's tree of settori), its topmost unit.
fn section<'a>(units: &HashMap<&str, &'a OrgUnit>, unit: &'a OrgUnit) -> &'a OrgUnit {
    let mut at = unit;
    while at.kind != UnitKind::Direzione {
        match at.parent_id.as_deref().and_then(|p| units.get(p)) {
            Some(parent) => at = parent,
            None => break,
        }
    }
    at
}

impl Piano {
    /// Every objective and KPI as one table: a row per KPI (an objective without KPIs has one
    /// row with the KPI's columns empty).
    pub fn sheet(&self) -> Sheet {
        let [a, b, c] = self.anni;
        let mut header: Vec<String> =
            ["sezione", "codice_sezione", "nome_sezione", "responsabile", "dimensione", "ambito", "obiettivo", "titolo", "peso_obiettivo", "dup"]
                .map(String::from)
                .to_vec();
        header.extend(["kpi", "kpi_nome", "misura", "verso", "unita_misura", "baseline", "peso_kpi"].map(String::from));
        header.extend([format!("target_{a}"), format!("target_{b}"), format!("target_{c}")]);
        let mut rows = Vec::new();
        let mut push = |sezione: &str, codice: &str, nome: &str, responsabile: &str, o: &ObiettivoPiano| {
            let base = vec![
                sezione.to_string(),
                codice.to_string(),
                nome.to_string(),
                responsabile.to_string(),
                o.dimensione.clone(),
                o.ambito.clone().unwrap_or_default(),
                o.codice.clone(),
                o.titolo.clone(),
                o.peso.clone(),
                o.dup.clone().unwrap_or_default(),
            ];
            if o.kpi.is_empty() {
                rows.push(base.iter().cloned().chain(std::iter::repeat_n(String::new(), 10)).collect());
            }
            for k in &o.kpi {
                let mut r = base.clone();
                r.extend([
                    k.codice.clone(),
                    k.nome.clone(),
                    k.misura.clone(),
                    k.verso.clone(),
                    k.unita.clone().unwrap_or_default(),
                    k.baseline.clone().unwrap_or_default(),
                    k.peso.clone(),
                ]);
                r.extend(k.target.iter().cloned());
                rows.push(r);
            }
        };
        for d in &self.dimensioni {
            for o in &d.obiettivi {
                push("dimensione", &d.codice, &d.nome, "", o);
            }
        }
        for s in &self.strutture {
            for o in &s.obiettivi {
                push("struttura", &s.codice, &s.nome, s.responsabile.as_deref().unwrap_or_default(), o);
            }
        }
        Sheet { name: format!("piano {}", self.anno), header, rows }
    }

    /// The data for the PDF template: targets and baselines in Italian form.
    pub fn printable(&self) -> serde_json::Value {
        let mut shown = self.clone();
        let objectives = shown.dimensioni.iter_mut().flat_map(|d| &mut d.obiettivi).chain(shown.strutture.iter_mut().flat_map(|s| &mut s.obiettivi));
        for k in objectives.flat_map(|o| &mut o.kpi) {
            let Ok(m) = Measure::parse(&k.misura) else { continue };
            let italian = |t: &str| Value::from_text(m, t).map_or_else(|| t.to_string(), |v| v.to_italian());
            k.target = k.target.clone().map(|t| if t.is_empty() { t } else { italian(&t) });
            k.baseline = k.baseline.as_deref().map(italian);
        }
        let mut v = serde_json::to_value(&shown).unwrap_or_default();
        v["title"] = format!("Piano degli Obiettivi {}–{}", self.anni[0], self.anni[2]).into();
        v["date"] = self.data.clone().into();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, kind: UnitKind, parent: Option<&str>) -> OrgUnit {
        let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
        OrgUnit {
            id: id.into(),
            cycle_id: traguardi_domain::cycle::CycleId("c".into()),
            lineage_id: id.into(),
            code: id.into(),
            name: id.into(),
            kind,
            parent_id: parent.map(Into::into),
            cdr: None,
            responsible_id: None,
            valid_from: day,
            valid_to: day,
            position: 0,
        }
    }

    #[test]
    fn each_unit_is_printed_under_its_direzione_or_its_topmost_unit() {
        // A Direzione with an area and a settore below; a small ente's tree of settori under an
        // area with no Direzione at all.
        let all = [
            unit("D1", UnitKind::Direzione, None),
            unit("A1", UnitKind::Area, Some("D1")),
            unit("S1", UnitKind::Settore, Some("A1")),
            unit("A2", UnitKind::Area, None),
            unit("S2", UnitKind::Settore, Some("A2")),
        ];
        let by_id: HashMap<&str, &OrgUnit> = all.iter().map(|u| (u.id.as_str(), u)).collect();
        let of = |id: &str| section(&by_id, by_id[id]).id.clone();
        assert_eq!([of("D1"), of("A1"), of("S1")], ["D1", "D1", "D1"]);
        assert_eq!([of("A2"), of("S2")], ["A2", "A2"], "no Direzione above: the topmost unit");
    }
}
