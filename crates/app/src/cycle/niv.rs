//! The NIV's sample of evidence (SPEC §1, §5): a share of the cycle's approved measurements,
//! drawn at random from a recorded seed (so the same seed draws the same sample), each with its
//! evidence files, for the NIV to check; the sample is kept and audited. Measurements found
//! wanting are returned with `measurement return`, whole objectives through the workflow.

use std::collections::{BTreeMap, HashMap};
use traguardi_domain::ids::{MeasurementId, ObjectiveId};
use traguardi_domain::plan::value_status::ValueStatus;
use traguardi_domain::said;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use traguardi_store::ente::Ente;
use traguardi_store::niv::{self, SampleRow};
use traguardi_store::{Store, new_id, plan};

use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError, cycle::cycles};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleItem {
    pub kpi: String,
    pub objective: String,
    pub period_end: NaiveDate,
    pub version: i64,
    pub value: String,
    pub evidence: Vec<SampleFile>,
}

/// An evidence file of a sampled value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleFile {
    pub id: String,
    pub name: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    pub year: i32,
    pub seed: u64,
    pub percent: Decimal,
    /// How many approved measurements there were to draw from.
    pub population: usize,
    pub items: Vec<SampleItem>,
}

/// Who may draw a sample: the NIV, the planner, the administrator, the console.
fn may_sample(actor: &Actor) -> bool {
    actor.may(crate::accounts::access::Right::DrawSample)
}

/// Draws `percent` % of the approved measurements (rounded up, at least one when there are any).
/// Without a seed one is chosen from the clock and recorded with the sample.
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn sample(store: &Store, actor: &Actor, ente: &Ente, year: i32, percent: Decimal, seed: Option<u64>) -> Result<Sample, AppError> {
    if !may_sample(actor) {
        return Err(AppError::Forbidden { actor: actor.name.clone(), what: said!("estrarre il campione del NIV") });
    }
    if percent <= Decimal::ZERO || percent > Decimal::ONE_HUNDRED {
        return Err(AppError::Refused(said!("percentuale {percent} non valida: tra 0 (escluso) e 100", percent)));
    }
    let seed = seed.unwrap_or_else(|| chrono::Utc::now().timestamp_nanos_opt().unwrap_or(1).unsigned_abs());
    let mut tx = store.begin().await?;
    let cycle = cycles::get(&mut tx, ente, year).await?;
    let kpis = plan::kpis(&mut tx, &ente.id, &cycle.id).await?;
    let objectives: HashMap<ObjectiveId, String> = plan::objectives(&mut tx, &ente.id, &cycle.id).await?.into_iter().map(|o| (o.id, o.code)).collect();
    let code_of: HashMap<&str, (&str, &str)> =
        kpis.iter().map(|k| (k.id.as_str(), (k.code.as_str(), objectives.get(&k.objective_id).map_or("", String::as_str)))).collect();
    let mut evidence: HashMap<MeasurementId, Vec<SampleFile>> = HashMap::new();
    for e in plan::evidence_list(&mut tx, &ente.id, &cycle.id).await? {
        evidence.entry(e.measurement_id).or_default().push(SampleFile { id: e.id, name: e.filename, sha256: e.sha256 });
    }
    // The latest approved version of each KPI and period, in a fixed order.
    let mut latest: BTreeMap<(String, NaiveDate), plan::Measurement> = BTreeMap::new();
    for m in plan::measurements(&mut tx, &ente.id, &cycle.id).await?.into_iter().filter(|m| m.status == ValueStatus::Approved) {
        let Some((code, _)) = code_of.get(m.kpi_id.as_str()) else { continue };
        let key = (code.to_string(), m.period_end);
        if latest.get(&key).is_none_or(|old| old.version < m.version) {
            latest.insert(key, m);
        }
    }
    let mut population: Vec<plan::Measurement> = latest.into_values().collect();
    let n = population.len();
    let size = if n == 0 { 0 } else { (Decimal::from(n as i64) * percent / Decimal::ONE_HUNDRED).ceil().to_usize().unwrap_or(1).clamp(1, n) };
    // Partial Fisher–Yates shuffle with xorshift64 from the seed.
    let mut state = seed.max(1);
    for i in 0..size {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = i + (state % (n - i) as u64) as usize;
        population.swap(i, j);
    }
    let mut items: Vec<SampleItem> = population
        .into_iter()
        .take(size)
        .map(|m| {
            let (kpi, objective) = code_of.get(m.kpi_id.as_str()).copied().unwrap_or_default();
            SampleItem {
                kpi: kpi.into(),
                objective: objective.into(),
                period_end: m.period_end,
                version: m.version,
                value: if m.not_assessable { "non valutabile".into() } else { m.value.clone().unwrap_or_default() },
                evidence: evidence.remove(&m.id).unwrap_or_default(),
            }
        })
        .collect();
    items.sort_by(|a, b| (&a.kpi, a.period_end).cmp(&(&b.kpi, b.period_end)));
    let row = SampleRow {
        id: new_id(),
        seed: seed.to_string(),
        percent: percent.normalize().to_string(),
        population: n.to_string(),
        items: serde_json::to_string(&items).unwrap_or_default(),
        created_at: crate::now(),
        created_by: actor.name.clone(),
    };
    niv::insert_sample(&mut tx, &ente.id, &cycle.id, &row).await?;
    audit::record_in_cycle(
        &mut tx,
        actor,
        &ente.id,
        &cycle.id,
        Change { action: "campione NIV", entity: "campione", entity_id: Some(&row.id), before: None::<&()>, after: Some(&row) },
    )
    .await?;
    tx.commit().await?;
    Ok(Sample { year, seed, percent, population: n, items })
}

impl Sample {
    /// The sample as a table: `kpi`, `obiettivo`, `periodo`, `versione`, `valore`, `evidenze`.
    pub fn sheet(&self) -> traguardi_docs::export::Sheet {
        traguardi_docs::export::Sheet {
            name: "campione NIV".into(),
            header: ["kpi", "obiettivo", "periodo", "versione", "valore", "evidenze"].map(String::from).to_vec(),
            rows: self
                .items
                .iter()
                .map(|i| {
                    let files: Vec<String> = i.evidence.iter().map(|f| format!("{} ({})", f.name, &f.sha256[..12.min(f.sha256.len())])).collect();
                    vec![i.kpi.clone(), i.objective.clone(), i.period_end.to_string(), i.version.to_string(), i.value.clone(), files.join("; ")]
                })
                .collect(),
        }
    }
}
